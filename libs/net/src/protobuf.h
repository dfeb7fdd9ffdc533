// The little of protobuf that libp2p needs: varint and length-delimited
// fields, written in field order (canonical for the messages we send) and
// read in any order with unknown fields skipped, as proto2 parsers do.
#pragma once

#include <cstdint>
#include <string_view>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/net/net_error.h"

namespace fil::net::pb {

enum class WireType : uint8_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

class Writer {
 public:
  void varint(uint32_t field, uint64_t value);
  void bytes(uint32_t field, BytesView value);
  void string(uint32_t field, std::string_view value) { bytes(field, asBytes(value)); }
  const Bytes& data() const { return out_; }
  Bytes take() { return std::move(out_); }

 private:
  void tag(uint32_t field, WireType type);
  Bytes out_;
};

struct Field {
  uint32_t number = 0;
  WireType type = WireType::kVarint;
  uint64_t value = 0;  // for varint fields
  BytesView bytes;     // for length-delimited fields (points into the input)
};

class Reader {
 public:
  explicit Reader(BytesView in) : in_(in) {}
  // The next field into `out`; false at the end of the message. Fixed-width
  // fields are returned with empty bytes; groups (deprecated) are refused.
  [[nodiscard]] Result<bool> next(Field& out);

 private:
  [[nodiscard]] Result<uint64_t> readVarint();
  BytesView in_;
  size_t pos_ = 0;
};

// Protobuf varints may take up to 10 bytes; libp2p length prefixes use the
// same LEB128 form (fil/base/varint.h is the stricter multiformats flavour).
void putVarint(Bytes& out, uint64_t value);

}  // namespace fil::net::pb
