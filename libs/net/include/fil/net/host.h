// The libp2p host of the markets node: TCP + Noise + yamux, identify and
// ping, stream handlers per protocol, and a connection manager.
//
//   boost::asio::io_context io;
//   auto host = Host::create(io, HostKey::fromKeyInfo(ki).value(), config).value();
//   FIL_TRY(host->listen());
//   host->setStreamHandler("/fil/storage/ask/1.1.0", [](Stream s) -> boost::asio::awaitable<void> { ... });
//   auto stream = co_await host->newStream(peer, {"/fil/retrieval/qry/1.0.0"});
//
// Thread model: one io_context; every call is made on the thread running it
// (handlers run there too). Destroy the host before its io_context. The host keeps working while connections to
// misbehaving peers are refused; each refusal is logged once on the "net"
// logger and counted in stats().
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "fil/base/error.h"
#include "fil/cid/multiaddr.h"
#include "fil/net/net_error.h"
#include "fil/net/peer_id.h"
#include "fil/net/stream.h"

namespace boost::asio {
class io_context;
}

namespace fil::net {

inline constexpr std::string_view kPingProtocol = "/ipfs/ping/1.0.0";
inline constexpr std::string_view kIdentifyProtocol = "/ipfs/id/1.0.0";
inline constexpr std::string_view kIdentifyPushProtocol = "/ipfs/id/push/1.0.0";

// Lotus's [Libp2p] section (same names and defaults), and the limits that
// go-libp2p's resource manager would otherwise set.
struct HostConfig {
  std::vector<std::string> listen_addresses{"/ip4/0.0.0.0/tcp/0", "/ip6/::/tcp/0"};
  std::vector<std::string> announce_addresses;     // announced instead of the listen addresses
  std::vector<std::string> no_announce_addresses;  // never announced
  uint32_t conn_mgr_low = 150;   // trim down to this many connections...
  uint32_t conn_mgr_high = 180;  // ...once there are more than this
  std::chrono::seconds conn_mgr_grace{20};  // connections younger than this are not trimmed

  size_t max_connections = 1024;           // beyond this, new inbound connections are refused
  size_t max_connections_per_peer = 8;
  size_t max_pending_handshakes = 64;      // inbound connections still upgrading
  size_t max_inbound_streams_per_connection = 256;
  size_t max_outbound_streams_per_connection = 1024;
  uint32_t max_stream_window = 16 * 1024 * 1024;         // a fast reader's window may grow to this...
  uint64_t max_connection_window_growth = 32 * 1024 * 1024;  // ...within this much growth per connection

  std::chrono::milliseconds dial_timeout{15000};         // TCP connect + upgrade
  std::chrono::milliseconds handshake_timeout{10000};    // an inbound upgrade
  std::chrono::milliseconds negotiation_timeout{10000};  // choosing a stream's protocol; identify
  std::chrono::milliseconds keepalive_interval{30000};
  std::chrono::milliseconds keepalive_timeout{30000};    // no pong: the connection is dead
  std::chrono::milliseconds write_timeout{10000};        // peer reads nothing: the connection is dead

  std::string agent_version = "lotus-filstack";
  bool early_muxer_negotiation = true;  // name yamux in the Noise handshake
};

// What a peer told us about itself through identify.
struct IdentifyRecord {
  PeerId peer;
  std::string agent_version;
  std::string protocol_version;
  std::vector<std::string> protocols;
  std::vector<cid::Multiaddr> listen_addresses;
  std::optional<cid::Multiaddr> observed_address;  // how the peer sees us
};

struct ConnectionInfo {
  PeerId peer;
  cid::Multiaddr local_address;
  cid::Multiaddr remote_address;
  bool inbound = false;
  std::chrono::steady_clock::duration age{};
  size_t streams = 0;
  std::optional<std::chrono::steady_clock::duration> rtt;
};

struct HostStats {
  uint64_t inbound_connections = 0;   // upgraded and accepted
  uint64_t outbound_connections = 0;
  uint64_t refused_connections = 0;   // limits: too many connections or handshakes
  uint64_t failed_handshakes = 0;     // garbage, bad signatures, timeouts
  uint64_t failed_dials = 0;
  uint64_t protocol_violations = 0;   // connections closed for breaking yamux or Noise
  uint64_t trimmed_connections = 0;   // closed by the connection manager
};

using StreamHandler = std::function<boost::asio::awaitable<void>(Stream)>;

class Host {
 public:
  [[nodiscard]] static Result<std::unique_ptr<Host>> create(boost::asio::io_context& io, HostKey key,
                                                            HostConfig config);
  ~Host();
  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

  const PeerId& id() const;
  const HostKey& key() const;

  // Binds the TCP listen addresses. Others (QUIC, WebSocket) and addresses
  // that cannot be bound are skipped with a warning; it fails when none is bound.
  [[nodiscard]] Status listen();
  // The bound addresses, ports resolved (/ip4/0.0.0.0/tcp/41235).
  std::vector<cid::Multiaddr> listenAddresses() const;
  // What we announce: AnnounceAddresses if set, else the listen addresses
  // with 0.0.0.0 and :: expanded to this machine's interface addresses;
  // minus NoAnnounceAddresses.
  std::vector<cid::Multiaddr> addresses() const;

  void setStreamHandler(std::string protocol, StreamHandler handler);
  void removeStreamHandler(std::string_view protocol);
  std::vector<std::string> protocols() const;

  // Connects to `peer` at one of `addresses` unless already connected;
  // kPeerIdMismatch when someone else answers.
  boost::asio::awaitable<Status> connect(const PeerId& peer, std::vector<cid::Multiaddr> addresses);
  // `address` ending in /p2p/<peer ID>; without that part, whoever answers
  // is accepted. Returns the peer's ID.
  boost::asio::awaitable<Result<PeerId>> connect(const cid::Multiaddr& address);
  // A stream to `peer` (dialing its known addresses if not connected),
  // negotiated to the first of `protocols` the peer accepts.
  boost::asio::awaitable<Result<Stream>> newStream(const PeerId& peer, std::vector<std::string> protocols);
  // One /ipfs/ping/1.0.0 round trip.
  boost::asio::awaitable<Result<std::chrono::steady_clock::duration>> ping(const PeerId& peer);
  // The peer's identify record, waiting for the exchange that follows a new
  // connection if it has not finished yet.
  boost::asio::awaitable<Result<IdentifyRecord>> identify(const PeerId& peer);

  // Called (on the io_context thread) each time a peer's identify record
  // arrives or a push updates it.
  void onIdentified(std::function<void(const IdentifyRecord&)> callback);

  void addAddresses(const PeerId& peer, const std::vector<cid::Multiaddr>& addresses);
  std::vector<cid::Multiaddr> peerAddresses(const PeerId& peer) const;
  std::optional<IdentifyRecord> identifyRecord(const PeerId& peer) const;
  std::vector<ConnectionInfo> connections() const;
  std::vector<PeerId> peers() const;
  bool connected(const PeerId& peer) const;
  // Protected peers' connections are never trimmed.
  void protect(const PeerId& peer, std::string tag);
  void unprotect(const PeerId& peer, std::string_view tag);
  void disconnect(const PeerId& peer);
  HostStats stats() const;

  // Stops listening and closes every connection. Also done by the destructor.
  void close();

  class Impl;

 private:
  explicit Host(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace fil::net
