#include "fil/codec/cbor_encoder.h"

#include <bit>
#include <cstring>

namespace fil::codec {

CborEncoder& CborEncoder::header(MajorType type, uint64_t argument) {
  const auto major = static_cast<uint8_t>(static_cast<uint8_t>(type) << 5);
  if (argument < 24) {
    out_.push_back(major | static_cast<uint8_t>(argument));
  } else if (argument <= 0xff) {
    out_.push_back(major | 24);
    out_.push_back(static_cast<uint8_t>(argument));
  } else if (argument <= 0xffff) {
    out_.push_back(major | 25);
    out_.push_back(static_cast<uint8_t>(argument >> 8));
    out_.push_back(static_cast<uint8_t>(argument));
  } else if (argument <= 0xffffffff) {
    out_.push_back(major | 26);
    putU32BE(out_, static_cast<uint32_t>(argument));
  } else {
    out_.push_back(major | 27);
    putU64BE(out_, argument);
  }
  return *this;
}

CborEncoder& CborEncoder::writeInt(int64_t v) {
  if (v >= 0) return writeUint(static_cast<uint64_t>(v));
  // -1 - n = v  =>  n = -1 - v, computed without overflow for INT64_MIN.
  return writeNegative(~static_cast<uint64_t>(v));
}

CborEncoder& CborEncoder::writeBytes(BytesView b) {
  header(MajorType::kBytes, b.size());
  append(out_, b);
  return *this;
}

CborEncoder& CborEncoder::writeText(std::string_view s) {
  header(MajorType::kText, s.size());
  append(out_, asBytes(s));
  return *this;
}

CborEncoder& CborEncoder::writeBool(bool b) {
  out_.push_back(b ? 0xf5 : 0xf4);
  return *this;
}

CborEncoder& CborEncoder::writeNull() {
  out_.push_back(0xf6);
  return *this;
}

CborEncoder& CborEncoder::writeFloat64(double d) {
  out_.push_back(0xfb);
  putU64BE(out_, std::bit_cast<uint64_t>(d));
  return *this;
}

CborEncoder& CborEncoder::writeCid(const cid::Cid& c) {
  header(MajorType::kTag, kCidTag);
  // The tag's content is a byte string: a 0x00 multibase-identity prefix, then the binary CID.
  Bytes content;
  content.reserve(40);
  content.push_back(0x00);
  c.appendTo(content);
  return writeBytes(content);
}

CborEncoder& CborEncoder::writeRaw(BytesView encoded) {
  append(out_, encoded);
  return *this;
}

}  // namespace fil::codec
