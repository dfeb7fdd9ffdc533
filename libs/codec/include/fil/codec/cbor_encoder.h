// A DAG-CBOR writer: shortest integer and length forms, definite lengths,
// CIDs as tag 42. Map key order is the caller's duty (the typed codecs in
// cbor.h and Value sort keys length-first, then bytewise).
#pragma once

#include <cstdint>
#include <string_view>

#include "fil/base/bytes.h"
#include "fil/cid/cid.h"

namespace fil::codec {

enum class MajorType : uint8_t {
  kUnsigned = 0,
  kNegative = 1,
  kBytes = 2,
  kText = 3,
  kArray = 4,
  kMap = 5,
  kTag = 6,
  kSimple = 7,  // false, true, null, floats
};

inline constexpr uint64_t kCidTag = 42;

class CborEncoder {
 public:
  CborEncoder() = default;
  explicit CborEncoder(Bytes initial) : out_(std::move(initial)) {}

  CborEncoder& writeUint(uint64_t v) { return header(MajorType::kUnsigned, v); }
  CborEncoder& writeInt(int64_t v);
  // Writes -1 - n (the whole CBOR negative range, down to -2^64).
  CborEncoder& writeNegative(uint64_t n) { return header(MajorType::kNegative, n); }
  CborEncoder& writeBytes(BytesView b);
  CborEncoder& writeText(std::string_view s);
  CborEncoder& writeArrayHeader(uint64_t n) { return header(MajorType::kArray, n); }
  CborEncoder& writeMapHeader(uint64_t n) { return header(MajorType::kMap, n); }
  CborEncoder& writeBool(bool b);
  CborEncoder& writeNull();
  CborEncoder& writeFloat64(double d);  // DAG-CBOR: always 64-bit
  CborEncoder& writeCid(const cid::Cid& c);
  // Appends bytes that already hold one encoded item.
  CborEncoder& writeRaw(BytesView encoded);

  // The header of an item (major type and argument) in its shortest form.
  CborEncoder& header(MajorType type, uint64_t argument);

  const Bytes& bytes() const& { return out_; }
  Bytes take() && { return std::move(out_); }
  size_t size() const { return out_.size(); }

 private:
  Bytes out_;
};

}  // namespace fil::codec
