#include "fil/base/varint.h"

#include <fmt/format.h>

namespace fil {

void putUvarint(Bytes& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<uint8_t>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<uint8_t>(value));
}

Bytes encodeUvarint(uint64_t value) {
  Bytes out;
  putUvarint(out, value);
  return out;
}

size_t uvarintSize(uint64_t value) {
  size_t n = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++n;
  }
  return n;
}

Result<DecodedUvarint> decodeUvarint(BytesView in) {
  uint64_t value = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    if (i == kMaxVarintBytes) {
      return fail(EncodingError::kOverflow,
                  fmt::format("varint longer than {} bytes", kMaxVarintBytes));
    }
    const uint8_t b = in[i];
    value |= uint64_t{b & 0x7fu} << (7 * i);
    if ((b & 0x80) == 0) {
      // A last byte of zero after the first means the value had a shorter form.
      if (b == 0 && i > 0) {
        return fail(EncodingError::kNonCanonical, "varint is not minimally encoded");
      }
      return DecodedUvarint{value, i + 1};
    }
  }
  if (in.size() >= kMaxVarintBytes) {
    return fail(EncodingError::kOverflow,
                fmt::format("varint longer than {} bytes", kMaxVarintBytes));
  }
  return fail(EncodingError::kTruncated, "input ends inside a varint");
}

Result<uint64_t> readUvarint(BytesView& in) {
  FIL_ASSIGN_OR_RETURN(auto decoded, decodeUvarint(in));
  in = in.subspan(decoded.size);
  return decoded.value;
}

}  // namespace fil
