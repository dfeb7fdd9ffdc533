// The identify message (/ipfs/id/1.0.0 and /ipfs/id/push/1.0.0), without I/O.
// A peer may split its record over several length-prefixed messages (go-
// libp2p sends the signed peer record separately when it is large); the
// reader merges them in order.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fil/base/bytes.h"
#include "fil/base/error.h"

namespace fil::net::identify {

inline constexpr std::string_view kProtocolId = "/ipfs/id/1.0.0";
inline constexpr std::string_view kPushProtocolId = "/ipfs/id/push/1.0.0";
inline constexpr std::string_view kProtocolVersion = "ipfs/0.1.0";
inline constexpr size_t kMaxMessageSize = 8 * 1024;  // js-libp2p's limit, and go-libp2p's
inline constexpr size_t kMaxMessages = 10;

struct Message {
  std::optional<Bytes> public_key;       // 1
  std::vector<Bytes> listen_addrs;       // 2, binary multiaddrs
  std::vector<std::string> protocols;    // 3
  std::optional<Bytes> observed_addr;    // 4
  std::optional<std::string> protocol_version;  // 5
  std::optional<std::string> agent_version;     // 6
  std::optional<Bytes> signed_peer_record;      // 8
};

Bytes encode(const Message& message);
[[nodiscard]] Result<Message> decode(BytesView bytes);
// Later messages add to repeated fields and replace the others, as protobuf
// merging does.
void merge(Message& into, Message&& more);

}  // namespace fil::net::identify
