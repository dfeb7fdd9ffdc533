#include "cbor_item.h"

#include <fmt/format.h>

#include "fil/net/net_error.h"

namespace fil::net {

void CborItemScanner::settle() {
  while (!due_.empty() && due_.back() == 0) due_.pop_back();
  if (due_.empty()) done_ = true;
}

Result<size_t> CborItemScanner::feed(BytesView in) {
  size_t pos = 0;
  while (!done_ && pos < in.size()) {
    if (skip_ > 0) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(skip_, in.size() - pos));
      pos += n;
      skip_ -= n;
      if (skip_ == 0) settle();
      continue;
    }
    head_[head_have_++] = in[pos++];
    const uint8_t major = head_[0] >> 5;
    const uint8_t info = head_[0] & 0x1f;
    if (info >= 28) {
      return fail(NetError::kProtobuf,
                  info == 31 ? "CBOR item uses an indefinite length, which DAG-CBOR forbids"
                             : "CBOR item uses a reserved encoding");
    }
    const size_t need = 1 + (info >= 24 ? size_t{1} << (info - 24) : 0);
    if (head_have_ < need) continue;
    uint64_t argument = info;
    if (need > 1) {
      argument = 0;
      for (size_t i = 1; i < need; ++i) argument = (argument << 8) | head_[i];
    }
    head_have_ = 0;
    --due_.back();
    switch (major) {
      case 2:  // byte string
      case 3:  // text string
        skip_ = argument;
        if (skip_ == 0) settle();
        break;
      case 4:  // array
      case 5:  // map: keys and values
      case 6:  // tag: one item follows
        if (due_.size() > max_depth_) return fail(NetError::kProtobuf, fmt::format("CBOR nesting deeper than {}", max_depth_));
        if (major == 5 && argument > UINT64_MAX / 2) return fail(NetError::kProtobuf, "CBOR map too large");
        due_.push_back(major == 4 ? argument : major == 5 ? argument * 2 : 1);
        settle();
        break;
      default:  // integers, simple values and floats carry nothing more
        settle();
        break;
    }
  }
  return pos;
}

Result<std::optional<size_t>> cborItemSize(BytesView in, size_t max_depth) {
  CborItemScanner scanner(max_depth);
  FIL_ASSIGN_OR_RETURN(const size_t n, scanner.feed(in));
  if (!scanner.done()) return std::nullopt;
  return n;
}

}  // namespace fil::net
