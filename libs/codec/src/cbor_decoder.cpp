#include "fil/codec/cbor_decoder.h"

#include <bit>
#include <cmath>

#include <fmt/format.h>

namespace fil::codec {
namespace {

std::string_view typeName(MajorType t) {
  switch (t) {
    case MajorType::kUnsigned: return "unsigned integer";
    case MajorType::kNegative: return "negative integer";
    case MajorType::kBytes: return "byte string";
    case MajorType::kText: return "text string";
    case MajorType::kArray: return "array";
    case MajorType::kMap: return "map";
    case MajorType::kTag: return "tag";
    case MajorType::kSimple: return "simple value or float";
  }
  return "?";
}

// Strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool validUtf8(BytesView s) {
  size_t i = 0;
  while (i < s.size()) {
    const uint8_t c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n = 0;
    uint32_t cp = 0;
    if ((c & 0xe0) == 0xc0) {
      n = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // continuation bytes i+1..i+n must exist
    for (size_t k = 1; k <= n; ++k) {
      const uint8_t cc = s[i + k];
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n + 1;
  }
  return true;
}

}  // namespace

bool cborKeyLess(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

Error CborDecoder::error(CborError kind, std::string_view what) const {
  return Error(kind, fmt::format("{} (at byte {})", what, pos_));
}

Result<MajorType> CborDecoder::peekType() const {
  if (pos_ >= in_.size()) return fail(error(CborError::kTruncated, "expected a CBOR item, input ended"));
  return static_cast<MajorType>(in_[pos_] >> 5);
}

Result<CborDecoder::Head> CborDecoder::readHead() {
  if (pos_ >= in_.size()) return fail(error(CborError::kTruncated, "expected a CBOR item, input ended"));
  const size_t start = pos_;
  const uint8_t initial = in_[pos_];
  Head head{static_cast<MajorType>(initial >> 5), static_cast<uint8_t>(initial & 0x1f), 0};
  if (head.info < 24) {
    head.argument = head.info;
    ++pos_;
    return head;
  }
  if (head.info > 27) {
    if (head.info == 31) {
      return fail(error(CborError::kIndefiniteLength,
                        fmt::format("indefinite-length {} is not allowed in DAG-CBOR", typeName(head.type))));
    }
    return fail(error(CborError::kUnsupported, fmt::format("reserved additional information {}", head.info)));
  }
  const size_t size = size_t{1} << (head.info - 24);
  if (in_.size() - pos_ - 1 < size) {
    return fail(error(CborError::kTruncated, fmt::format("{}-byte argument cut short", size)));
  }
  const uint8_t* p = in_.data() + pos_ + 1;
  switch (size) {
    case 1: head.argument = p[0]; break;
    case 2: head.argument = (uint64_t{p[0]} << 8) | p[1]; break;
    case 4: head.argument = readU32BE(p); break;
    default: head.argument = readU64BE(p); break;
  }
  pos_ += 1 + size;
  // Floats (major 7, info 25-27) are not integers: minimality does not apply.
  if (head.type != MajorType::kSimple) {
    const uint64_t min = size == 1 ? 24 : size == 2 ? 0x100 : size == 4 ? 0x10000 : 0x100000000ull;
    if (head.argument < min) {
      pos_ = start;
      return fail(error(CborError::kNonCanonical,
                        fmt::format("{} argument {} is not in its shortest form", typeName(head.type),
                                    head.argument)));
    }
  }
  return head;
}

Result<uint64_t> CborDecoder::readHeadOf(MajorType expected, std::string_view what) {
  const size_t start = pos_;
  FIL_ASSIGN_OR_RETURN(auto head, readHead());
  if (head.type != expected) {
    pos_ = start;
    return fail(error(CborError::kWrongType,
                      fmt::format("expected {} ({}), found {}", what, typeName(expected), typeName(head.type))));
  }
  return head.argument;
}

Result<uint64_t> CborDecoder::readUint() { return readHeadOf(MajorType::kUnsigned, "unsigned integer"); }

Result<CborDecoder::AnyInt> CborDecoder::readAnyInt() {
  const size_t start = pos_;
  FIL_ASSIGN_OR_RETURN(auto head, readHead());
  if (head.type != MajorType::kUnsigned && head.type != MajorType::kNegative) {
    pos_ = start;
    return fail(error(CborError::kWrongType, fmt::format("expected an integer, found {}", typeName(head.type))));
  }
  return AnyInt{head.type == MajorType::kNegative, head.argument};
}

Result<int64_t> CborDecoder::readInt() {
  const size_t start = pos_;
  FIL_ASSIGN_OR_RETURN(auto v, readAnyInt());
  if (v.argument > static_cast<uint64_t>(INT64_MAX)) {
    pos_ = start;
    return fail(error(CborError::kOutOfRange, "integer does not fit in 64 signed bits"));
  }
  const auto a = static_cast<int64_t>(v.argument);
  return v.negative ? -1 - a : a;
}

Result<BytesView> CborDecoder::readBytes() {
  const size_t start = pos_;
  FIL_ASSIGN_OR_RETURN(auto length, readHeadOf(MajorType::kBytes, "byte string"));
  if (length > remaining()) {
    const size_t left = remaining();
    pos_ = start;
    return fail(error(CborError::kTruncated, fmt::format("byte string of {} bytes, only {} left", length, left)));
  }
  BytesView out = in_.subspan(pos_, length);
  pos_ += length;
  return out;
}

Result<std::string_view> CborDecoder::readText() {
  const size_t start = pos_;
  FIL_ASSIGN_OR_RETURN(auto length, readHeadOf(MajorType::kText, "text string"));
  if (length > remaining()) {
    pos_ = start;
    return fail(error(CborError::kTruncated, fmt::format("text string of {} bytes, input ends first", length)));
  }
  BytesView out = in_.subspan(pos_, length);
  if (!validUtf8(out)) {
    pos_ = start;
    return fail(error(CborError::kInvalidUtf8, "text string is not valid UTF-8"));
  }
  pos_ += length;
  return asString(out);
}

Result<uint64_t> CborDecoder::readArrayHeader() {
  const size_t start = pos_;
  FIL_ASSIGN_OR_RETURN(auto count, readHeadOf(MajorType::kArray, "array"));
  // Every element takes at least one byte: a count beyond the input is a lie
  // that would otherwise make a caller reserve gigabytes.
  if (count > remaining()) {
    pos_ = start;
    return fail(error(CborError::kTooLarge, fmt::format("array of {} items in {} bytes", count, remaining())));
  }
  return count;
}

Result<uint64_t> CborDecoder::readMapHeader() {
  const size_t start = pos_;
  FIL_ASSIGN_OR_RETURN(auto count, readHeadOf(MajorType::kMap, "map"));
  if (count > remaining() / 2) {
    pos_ = start;
    return fail(error(CborError::kTooLarge, fmt::format("map of {} entries in {} bytes", count, remaining())));
  }
  return count;
}

Result<std::optional<uint64_t>> CborDecoder::readArrayHeaderOrIndefinite() {
  if (pos_ < in_.size() && in_[pos_] == 0x9f) {
    ++pos_;
    return std::optional<uint64_t>();
  }
  FIL_ASSIGN_OR_RETURN(auto count, readArrayHeader());
  return std::optional<uint64_t>(count);
}

Status CborDecoder::readBreak() {
  if (!atBreak()) return fail(error(CborError::kWrongType, "expected the break (0xff) ending an indefinite array"));
  ++pos_;
  return ok();
}

Result<bool> CborDecoder::readBool() {
  if (pos_ < in_.size() && (in_[pos_] == 0xf4 || in_[pos_] == 0xf5)) return in_[pos_++] == 0xf5;
  if (pos_ >= in_.size()) return fail(error(CborError::kTruncated, "expected a boolean, input ended"));
  return fail(error(CborError::kWrongType, "expected a boolean"));
}

Status CborDecoder::readNull() {
  if (peekNull()) {
    ++pos_;
    return ok();
  }
  if (pos_ >= in_.size()) return fail(error(CborError::kTruncated, "expected null, input ended"));
  return fail(error(CborError::kWrongType, "expected null"));
}

Result<double> CborDecoder::readFloat64() {
  if (pos_ >= in_.size()) return fail(error(CborError::kTruncated, "expected a float, input ended"));
  const uint8_t initial = in_[pos_];
  if (initial == 0xf9 || initial == 0xfa) {
    return fail(error(CborError::kUnsupported, "DAG-CBOR floats must be 64-bit"));
  }
  if (initial != 0xfb) return fail(error(CborError::kWrongType, "expected a 64-bit float"));
  if (remaining() < 9) return fail(error(CborError::kTruncated, "float cut short"));
  const double d = std::bit_cast<double>(readU64BE(in_.data() + pos_ + 1));
  if (!std::isfinite(d)) return fail(error(CborError::kUnsupported, "NaN and infinities are not allowed in DAG-CBOR"));
  pos_ += 9;
  return d;
}

Result<cid::Cid> CborDecoder::readCid() {
  const size_t start = pos_;
  FIL_ASSIGN_OR_RETURN(auto tag, readHeadOf(MajorType::kTag, "CID (tag 42)"));
  if (tag != kCidTag) {
    pos_ = start;
    return fail(error(CborError::kUnsupported, fmt::format("tag {} where a CID (tag 42) belongs", tag)));
  }
  auto content = readBytes();
  if (!content) {
    pos_ = start;
    return fail(std::move(content).error().withContext("CID tag content"));
  }
  if (content->empty() || (*content)[0] != 0x00) {
    pos_ = start;
    return fail(error(CborError::kInvalidCid, "CID bytes must start with the 0x00 multibase prefix"));
  }
  auto c = cid::Cid::fromBytes(content->subspan(1));
  if (!c) {
    pos_ = start;
    return fail(error(CborError::kInvalidCid, c.error().message()));
  }
  return std::move(*c);
}

Status CborDecoder::skipItem(size_t depth) {
  if (depth > limits_.max_depth) {
    return fail(error(CborError::kTooDeep, fmt::format("nesting deeper than {}", limits_.max_depth)));
  }
  FIL_ASSIGN_OR_RETURN(auto type, peekType());
  switch (type) {
    case MajorType::kUnsigned:
    case MajorType::kNegative: return readAnyInt().map([](auto) {});
    case MajorType::kBytes: return readBytes().map([](auto) {});
    case MajorType::kText: return readText().map([](auto) {});
    case MajorType::kArray: {
      FIL_ASSIGN_OR_RETURN(auto count, readArrayHeader());
      for (uint64_t i = 0; i < count; ++i) FIL_TRY(skipItem(depth + 1));
      return ok();
    }
    case MajorType::kMap: {
      FIL_ASSIGN_OR_RETURN(auto count, readMapHeader());
      std::string_view previous;
      for (uint64_t i = 0; i < count; ++i) {
        const size_t key_at = pos_;
        auto key = readText();
        if (!key) {
          if (key.error().is(CborError::kWrongType)) {
            return fail(error(CborError::kWrongType, "DAG-CBOR map keys must be text strings"));
          }
          return fail(std::move(key).error());
        }
        if (i > 0 && !cborKeyLess(previous, *key)) {
          pos_ = key_at;
          return fail(error(CborError::kNonCanonical,
                            previous == *key ? fmt::format("duplicate map key \"{}\"", *key)
                                             : fmt::format("map key \"{}\" out of order after \"{}\"", *key, previous)));
        }
        previous = *key;
        FIL_TRY(skipItem(depth + 1));
      }
      return ok();
    }
    case MajorType::kTag: return readCid().map([](auto) {});
    case MajorType::kSimple: {
      const uint8_t initial = in_[pos_];
      if (initial >= 0xf4 && initial <= 0xf6) {
        ++pos_;
        return ok();
      }
      if (initial >= 0xf9 && initial <= 0xfb) return readFloat64().map([](auto) {});
      if (initial == 0xff) return fail(error(CborError::kIndefiniteLength, "unexpected break (0xff)"));
      return fail(error(CborError::kUnsupported, fmt::format("simple value 0x{:02x} is not allowed in DAG-CBOR", initial)));
    }
  }
  return ok();
}

Status CborDecoder::skip() { return skipItem(0); }

Result<BytesView> CborDecoder::readRaw() {
  const size_t start = pos_;
  const Status skipped = skip();
  if (!skipped) {
    pos_ = start;
    return fail(skipped.error());
  }
  return in_.subspan(start, pos_ - start);
}

Status CborDecoder::expectEnd() const {
  if (atEnd()) return ok();
  return fail(error(CborError::kTrailingBytes, fmt::format("{} bytes after the CBOR item", remaining())));
}

}  // namespace fil::codec
