// multistream-select 1.0 messages, without I/O: uvarint(length) + text +
// '\n', the length counting the newline. The negotiation itself (over a
// connection or a stream) is in negotiate.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/net/net_error.h"

namespace fil::net::multistream {

inline constexpr std::string_view kProtocolId = "/multistream/1.0.0";
inline constexpr std::string_view kNotAvailable = "na";
inline constexpr std::string_view kList = "ls";
// Longest message, newline included (js-libp2p's MAX_PROTOCOL_LENGTH).
inline constexpr size_t kMaxMessageLength = 1024;

void appendMessage(Bytes& out, std::string_view text);
Bytes encodeMessage(std::string_view text);

struct Message {
  std::string text;  // without the newline
  size_t size = 0;   // bytes consumed, length prefix included
};

// The first message in `in`; nullopt while `in` holds only part of one.
// Refuses empty and oversized messages and a missing newline.
[[nodiscard]] Result<std::optional<Message>> decodeMessage(BytesView in);

// The reply to "ls": one message whose body is the protocols, each as a
// message of its own, then a newline (as go- and js-multistream write it).
Bytes encodeList(const std::vector<std::string>& protocols);

}  // namespace fil::net::multistream
