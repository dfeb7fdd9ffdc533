#include "multistream.h"

#include <fmt/format.h>

#include "fil/base/varint.h"

namespace fil::net::multistream {

void appendMessage(Bytes& out, std::string_view text) {
  putUvarint(out, text.size() + 1);
  append(out, asBytes(text));
  out.push_back('\n');
}

Bytes encodeMessage(std::string_view text) {
  Bytes out;
  appendMessage(out, text);
  return out;
}

Result<std::optional<Message>> decodeMessage(BytesView in) {
  auto length = decodeUvarint(in.first(std::min<size_t>(in.size(), 3)));
  if (!length) {
    if (length.error().is(EncodingError::kTruncated) && in.size() < 3) return std::nullopt;
    return fail(NetError::kMultistream, "multistream message length is not a valid varint");
  }
  if (length->value == 0) return fail(NetError::kMultistream, "empty multistream message");
  if (length->value > kMaxMessageLength) {
    return fail(NetError::kMultistream, fmt::format("multistream message of {} bytes exceeds the {}-byte limit",
                                                    length->value, kMaxMessageLength));
  }
  const size_t total = length->size + length->value;
  if (in.size() < total) return std::nullopt;
  if (in[total - 1] != '\n') return fail(NetError::kMultistream, "multistream message does not end with a newline");
  return Message{std::string(asString(in.subspan(length->size, length->value - 1))), total};
}

Bytes encodeList(const std::vector<std::string>& protocols) {
  Bytes body;
  for (const auto& p : protocols) appendMessage(body, p);
  body.push_back('\n');
  Bytes out;
  putUvarint(out, body.size());
  append(out, body);
  return out;
}

}  // namespace fil::net::multistream
