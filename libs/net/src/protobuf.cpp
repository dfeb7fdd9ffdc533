#include "protobuf.h"

#include <fmt/format.h>

namespace fil::net::pb {

void putVarint(Bytes& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<uint8_t>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<uint8_t>(value));
}

void Writer::tag(uint32_t field, WireType type) {
  putVarint(out_, (static_cast<uint64_t>(field) << 3) | static_cast<uint8_t>(type));
}

void Writer::varint(uint32_t field, uint64_t value) {
  tag(field, WireType::kVarint);
  putVarint(out_, value);
}

void Writer::bytes(uint32_t field, BytesView value) {
  tag(field, WireType::kLengthDelimited);
  putVarint(out_, value.size());
  append(out_, value);
}

Result<uint64_t> Reader::readVarint() {
  uint64_t value = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (pos_ >= in_.size()) return fail(NetError::kProtobuf, "protobuf varint cut short");
    const uint8_t b = in_[pos_++];
    if (shift == 63 && b > 1) return fail(NetError::kProtobuf, "protobuf varint overflows 64 bits");
    value |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return value;
  }
  return fail(NetError::kProtobuf, "protobuf varint longer than 10 bytes");
}

Result<bool> Reader::next(Field& out) {
  if (pos_ == in_.size()) return false;
  FIL_ASSIGN_OR_RETURN(const uint64_t key, readVarint());
  const uint64_t number = key >> 3;
  if (number == 0 || number > 0x1fffffff) {
    return fail(NetError::kProtobuf, fmt::format("protobuf field number {} is invalid", number));
  }
  out = Field{};
  out.number = static_cast<uint32_t>(number);
  switch (key & 7) {
    case 0: {
      out.type = WireType::kVarint;
      FIL_ASSIGN_OR_RETURN(out.value, readVarint());
      return true;
    }
    case 1:
    case 5: {
      const size_t width = (key & 7) == 1 ? 8 : 4;
      if (in_.size() - pos_ < width) return fail(NetError::kProtobuf, "protobuf fixed-width field cut short");
      out.type = (key & 7) == 1 ? WireType::kFixed64 : WireType::kFixed32;
      pos_ += width;
      return true;
    }
    case 2: {
      FIL_ASSIGN_OR_RETURN(const uint64_t length, readVarint());
      if (length > in_.size() - pos_) {
        return fail(NetError::kProtobuf,
                    fmt::format("protobuf field {} claims {} bytes, {} remain", number, length, in_.size() - pos_));
      }
      out.type = WireType::kLengthDelimited;
      out.bytes = in_.subspan(pos_, length);
      pos_ += length;
      return true;
    }
    default:
      return fail(NetError::kProtobuf, fmt::format("protobuf wire type {} is not supported", key & 7));
  }
}


}  // namespace fil::net::pb
