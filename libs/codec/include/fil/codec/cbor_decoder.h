// A strict DAG-CBOR reader over a borrowed buffer.
//
// It refuses what DAG-CBOR forbids: non-minimal integer and length forms,
// indefinite lengths (unless a caller asks for an indefinite array, as the
// Lotus backup format needs), tags other than 42, simple values other than
// false/true/null, floats other than finite 64-bit ones, invalid UTF-8,
// and (when skipping or reading generic values) unsorted or duplicate map
// keys. Lengths larger than the remaining input are refused before any
// allocation, and generic traversal stops at a depth limit.
//
// The decoder borrows `in`; views it returns point into `in`.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/cid/cid.h"
#include "fil/codec/cbor_encoder.h"
#include "fil/codec/cbor_error.h"

namespace fil::codec {

struct CborLimits {
  size_t max_depth = 64;
};

class CborDecoder {
 public:
  explicit CborDecoder(BytesView in, CborLimits limits = {}) : in_(in), limits_(limits) {}

  // The major type of the next item, without consuming it.
  [[nodiscard]] Result<MajorType> peekType() const;
  bool peekNull() const { return pos_ < in_.size() && in_[pos_] == 0xf6; }

  [[nodiscard]] Result<uint64_t> readUint();
  [[nodiscard]] Result<int64_t> readInt();
  // Either sign, as a sign flag and the CBOR argument (value = -1 - n when negative).
  struct AnyInt {
    bool negative;
    uint64_t argument;
  };
  [[nodiscard]] Result<AnyInt> readAnyInt();
  [[nodiscard]] Result<BytesView> readBytes();
  [[nodiscard]] Result<std::string_view> readText();
  [[nodiscard]] Result<uint64_t> readArrayHeader();
  [[nodiscard]] Result<uint64_t> readMapHeader();
  [[nodiscard]] Result<bool> readBool();
  [[nodiscard]] Status readNull();
  [[nodiscard]] Result<double> readFloat64();
  [[nodiscard]] Result<cid::Cid> readCid();

  // Reads an array header that may be indefinite (0x9f): nullopt then, and
  // the caller reads items until atBreak() and then readBreak().
  [[nodiscard]] Result<std::optional<uint64_t>> readArrayHeaderOrIndefinite();
  bool atBreak() const { return pos_ < in_.size() && in_[pos_] == 0xff; }
  [[nodiscard]] Status readBreak();

  // Validates one whole item and returns its bytes.
  [[nodiscard]] Result<BytesView> readRaw();
  [[nodiscard]] Status skip();

  const CborLimits& limits() const { return limits_; }
  bool atEnd() const { return pos_ == in_.size(); }
  size_t position() const { return pos_; }
  size_t remaining() const { return in_.size() - pos_; }
  [[nodiscard]] Status expectEnd() const;

  // Builds an error that names the byte offset.
  Error error(CborError kind, std::string_view what) const;

 private:
  struct Head {
    MajorType type;
    uint8_t info;       // low 5 bits of the initial byte
    uint64_t argument;  // value, length or count
  };
  [[nodiscard]] Result<Head> readHead();
  [[nodiscard]] Result<uint64_t> readHeadOf(MajorType expected, std::string_view what);
  [[nodiscard]] Status skipItem(size_t depth);

  BytesView in_;
  size_t pos_ = 0;
  CborLimits limits_;
};

// Whether `a` sorts before `b` as DAG-CBOR map keys: shorter first, then bytewise.
bool cborKeyLess(std::string_view a, std::string_view b);

}  // namespace fil::codec
