#include "fil/net/host.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <fmt/format.h>

#include "channel.h"
#include "connection.h"
#include "fil/base/log.h"
#include "fil/crypto/random.h"
#include "identify.h"
#include "upgrade.h"

namespace fil::net {
namespace {

using detail::Clock;
using detail::Connection;
using detail::StreamImpl;

constexpr size_t kMaxAddressesPerPeer = 64;
constexpr size_t kMaxIdlePeers = 4096;  // peers remembered while not connected
constexpr size_t kPingSize = 32;

spdlog::logger& logger() { return log::get("net"); }

template <typename D>
long long millis(D d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

cid::Multiaddr endpointToMultiaddr(const Tcp::endpoint& endpoint) {
  const auto ip = endpoint.address();
  const std::string text = ip.is_v4() ? fmt::format("/ip4/{}/tcp/{}", ip.to_string(), endpoint.port())
                                      : fmt::format("/ip6/{}/tcp/{}", ip.to_v6().to_string(), endpoint.port());
  auto ma = cid::Multiaddr::parse(text);
  if (!ma) std::abort();  // asio prints addresses multiaddr accepts
  return *ma;
}

// Where a multiaddr points: host (IP or DNS name), port, and which families fit.
struct DialTarget {
  std::string host;
  uint16_t port = 0;
  bool dns = false;
  bool want_v4 = true;
  bool want_v6 = true;
  std::optional<PeerId> peer;  // from a /p2p suffix
};

Result<DialTarget> dialTarget(const cid::Multiaddr& address) {
  DialTarget t;
  const auto components = address.components();
  size_t i = 0;
  auto bad = [&](std::string why) {
    return fail(NetError::kAddress, fmt::format("cannot dial {}: {}", address.toString(), why));
  };
  if (components.empty()) return bad("empty address");
  switch (components[0].protocol) {
    case cid::Protocol::kIp4: t.want_v6 = false; break;
    case cid::Protocol::kIp6: t.want_v4 = false; break;
    case cid::Protocol::kDns4: t.dns = true; t.want_v6 = false; break;
    case cid::Protocol::kDns6: t.dns = true; t.want_v4 = false; break;
    case cid::Protocol::kDns: t.dns = true; break;
    default: return bad("only ip4, ip6, dns, dns4 and dns6 addresses can be dialed");
  }
  t.host = components[0].valueText();
  if (components.size() < 2 || components[1].protocol != cid::Protocol::kTcp) return bad("only TCP is supported");
  const auto port = components[1].valueText();
  t.port = static_cast<uint16_t>(std::stoul(port));
  i = 2;
  if (i < components.size() && components[i].protocol == cid::Protocol::kP2p) {
    FIL_ASSIGN_OR_RETURN(t.peer, PeerId::fromBytes(components[i].value));
    ++i;
  }
  if (i != components.size()) return bad(fmt::format("'{}' after the TCP port is not supported",
                                                     cid::protocolName(components[i].protocol)));
  return t;
}

// The local interface addresses that an unspecified listen address covers.
std::vector<asio::ip::address> interfaceAddresses(bool v6) {
  std::vector<asio::ip::address> out;
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return out;
  for (ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr || (i->ifa_flags & IFF_UP) == 0) continue;
    if (!v6 && i->ifa_addr->sa_family == AF_INET) {
      const auto* sin = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
      asio::ip::address_v4::bytes_type bytes;
      std::memcpy(bytes.data(), &sin->sin_addr, 4);
      out.emplace_back(asio::ip::address_v4(bytes));
    } else if (v6 && i->ifa_addr->sa_family == AF_INET6) {
      const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(i->ifa_addr);
      asio::ip::address_v6::bytes_type bytes;
      std::memcpy(bytes.data(), &sin6->sin6_addr, 16);
      const asio::ip::address_v6 a(bytes);
      if (a.is_link_local()) continue;  // unusable without a zone
      out.emplace_back(a);
    }
  }
  ::freeifaddrs(list);
  return out;
}

bool isViolation(const Error& e) {
  return e.is(NetError::kYamux) || e.is(NetError::kWindowExceeded) || e.is(NetError::kFrameTooLarge) ||
         e.is(NetError::kDecrypt);
}

void logException(const std::exception_ptr& e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    logger().error("stream handler threw: {}", ex.what());
  } catch (...) {
    logger().error("stream handler threw a non-standard exception");
  }
}

}  // namespace

class Host::Impl : public std::enable_shared_from_this<Host::Impl> {
 public:
  Impl(asio::io_context& io, HostKey key, HostConfig config)
      : io_(io), key_(std::move(key)), config_(std::move(config)), trim_timer_(io) {}

  struct PeerEntry {
    std::vector<std::shared_ptr<Connection>> connections;
    std::vector<cid::Multiaddr> addresses;
    std::optional<IdentifyRecord> identify;
    std::set<std::string, std::less<>> protect_tags;
  };
  struct PendingDial {
    Signal done;
    bool finished = false;
  };

  asio::io_context& io_;
  HostKey key_;
  HostConfig config_;
  std::vector<std::unique_ptr<Tcp::acceptor>> acceptors_;
  std::vector<cid::Multiaddr> listen_addresses_;
  std::vector<cid::Multiaddr> announce_;
  std::vector<cid::Multiaddr> no_announce_;
  std::map<std::string, StreamHandler, std::less<>> handlers_;
  std::unordered_map<PeerId, PeerEntry> peers_;
  std::unordered_map<PeerId, std::shared_ptr<PendingDial>> dials_;
  size_t connection_count_ = 0;
  size_t pending_handshakes_ = 0;
  Signal identified_;
  std::vector<std::function<void(const IdentifyRecord&)>> identify_callbacks_;
  HostStats stats_;
  asio::steady_timer trim_timer_;
  bool trim_scheduled_ = false;
  bool closed_ = false;

  // ---- set-up ----

  Status init() {
    for (const auto& text : config_.announce_addresses) {
      FIL_ASSIGN_OR_RETURN(auto ma, cid::Multiaddr::parse(text));
      announce_.push_back(std::move(ma));
    }
    for (const auto& text : config_.no_announce_addresses) {
      FIL_ASSIGN_OR_RETURN(auto ma, cid::Multiaddr::parse(text));
      no_announce_.push_back(std::move(ma));
    }
    if (config_.conn_mgr_low > config_.conn_mgr_high) {
      return fail(GenericError::kInvalidArgument, fmt::format("ConnMgrLow ({}) is above ConnMgrHigh ({})",
                                                              config_.conn_mgr_low, config_.conn_mgr_high));
    }
    auto self = weak_from_this();
    handlers_[std::string(identify::kProtocolId)] = [self](Stream s) -> Awaitable<void> {
      if (auto h = self.lock()) co_await h->serveIdentify(std::move(s));
    };
    handlers_[std::string(identify::kPushProtocolId)] = [self](Stream s) -> Awaitable<void> {
      if (auto h = self.lock()) co_await h->receiveIdentifyPush(std::move(s));
    };
    handlers_[std::string(kPingProtocol)] = [](Stream s) -> Awaitable<void> { co_await servePing(std::move(s)); };
    return ok();
  }

  Status listen() {
    if (closed_) return fail(NetError::kConnectionClosed, "host is closed");
    // As go-libp2p: an address that cannot be bound is reported and skipped,
    // and listening fails only when none can be (a machine without IPv6
    // still serves the default IPv4 address).
    std::optional<Error> first_error;
    size_t bound = 0;
    for (const auto& text : config_.listen_addresses) {
      auto ma = cid::Multiaddr::parse(text);
      if (!ma) return fail(NetError::kAddress, fmt::format("listen address '{}': {}", text, ma.error().message()));
      const auto components = ma->components();
      if (components.size() != 2 || components[1].protocol != cid::Protocol::kTcp ||
          (components[0].protocol != cid::Protocol::kIp4 && components[0].protocol != cid::Protocol::kIp6)) {
        logger().warn("skipping listen address {}: only /ip4|ip6/.../tcp/... addresses are supported", text);
        continue;
      }
      auto acceptor = bind(text, components);
      if (!acceptor) {
        logger().warn("{}", acceptor.error().message());
        if (!first_error) first_error = std::move(acceptor).error();
        continue;
      }
      listen_addresses_.push_back(endpointToMultiaddr((*acceptor)->local_endpoint()));
      asio::co_spawn(io_, acceptLoop(shared_from_this(), **acceptor), logException);
      acceptors_.push_back(std::move(*acceptor));
      ++bound;
    }
    if (bound == 0 && first_error) return fail(std::move(*first_error));
    if (bound == 0 && !config_.listen_addresses.empty()) {
      return fail(NetError::kAddress, "none of the listen addresses is a TCP address");
    }
    for (const auto& a : listen_addresses_) {
      logger().info("libp2p host {} listening on {}", key_.peerId().toString(), a.toString());
    }
    return ok();
  }

  Result<std::unique_ptr<Tcp::acceptor>> bind(const std::string& text,
                                              const std::vector<cid::MultiaddrComponent>& components) {
    boost::system::error_code ec;
    const auto ip = asio::ip::make_address(components[0].valueText(), ec);
    if (ec) return fail(NetError::kAddress, fmt::format("listen address '{}': {}", text, ec.message()));
    const Tcp::endpoint endpoint(ip, static_cast<uint16_t>(std::stoul(components[1].valueText())));
    auto acceptor = std::make_unique<Tcp::acceptor>(io_);
    auto failed = [&](std::string_view step) {
      return fail(NetError::kAddress, fmt::format("cannot listen on {}: {} failed: {}", text, step, ec.message()));
    };
    if (acceptor->open(endpoint.protocol(), ec)) return failed("open");
    acceptor->set_option(Tcp::acceptor::reuse_address(true), ec);
    if (ip.is_v6()) acceptor->set_option(asio::ip::v6_only(true), ec);
    if (acceptor->bind(endpoint, ec)) return failed("bind");
    if (acceptor->listen(asio::socket_base::max_listen_connections, ec)) return failed("listen");
    return acceptor;
  }

  std::vector<cid::Multiaddr> addresses() const {
    std::vector<cid::Multiaddr> out;
    if (!announce_.empty()) {
      out = announce_;
    } else {
      for (const auto& listen : listen_addresses_) {
        const auto components = listen.components();
        boost::system::error_code ec;
        const auto ip = asio::ip::make_address(components[0].valueText(), ec);
        if (ec || !ip.is_unspecified()) {
          out.push_back(listen);
          continue;
        }
        const uint16_t port = static_cast<uint16_t>(std::stoul(components[1].valueText()));
        for (const auto& a : interfaceAddresses(ip.is_v6())) out.push_back(endpointToMultiaddr(Tcp::endpoint(a, port)));
      }
    }
    std::erase_if(out, [&](const cid::Multiaddr& a) {
      return std::find(no_announce_.begin(), no_announce_.end(), a) != no_announce_.end();
    });
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  std::vector<std::string> protocols() const {
    std::vector<std::string> out;
    for (const auto& [p, h] : handlers_) out.push_back(p);
    return out;
  }

  detail::ConnectionOptions connectionOptions() const {
    detail::ConnectionOptions o;
    o.yamux.max_window = std::max<uint32_t>(config_.max_stream_window, yamux::kInitialWindow);
    o.yamux.max_growth = config_.max_connection_window_growth;
    o.yamux.max_inbound_streams = config_.max_inbound_streams_per_connection;
    o.yamux.max_outbound_streams = config_.max_outbound_streams_per_connection;
    o.keepalive_interval = config_.keepalive_interval;
    o.keepalive_timeout = config_.keepalive_timeout;
    o.write_timeout = config_.write_timeout;
    return o;
  }

  UpgradeOptions upgradeOptions(std::optional<PeerId> expected) const {
    return UpgradeOptions{&key_, std::move(expected), config_.early_muxer_negotiation};
  }

  // ---- connections ----

  static Awaitable<void> acceptLoop(std::shared_ptr<Impl> self, Tcp::acceptor& acceptor) {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(kUseTuple);
      if (self->closed_) co_return;
      if (ec) {
        if (ec == asio::error::operation_aborted) co_return;
        logger().warn("accepting a connection failed: {}; retrying shortly", ec.message());
        co_await sleepFor(std::chrono::milliseconds(100));  // e.g. out of file descriptors
        continue;
      }
      if (self->pending_handshakes_ >= self->config_.max_pending_handshakes ||
          self->connection_count_ >= self->config_.max_connections) {
        ++self->stats_.refused_connections;
        boost::system::error_code peer_ec;
        const auto remote = socket.remote_endpoint(peer_ec);
        logger().warn("refusing connection from {}: {} connections and {} handshakes already",
                      peer_ec ? "unknown" : endpointToMultiaddr(remote).toString(), self->connection_count_,
                      self->pending_handshakes_);
        socket.close(peer_ec);
        continue;
      }
      asio::co_spawn(self->io_, handleInbound(self, std::move(socket)), logException);
    }
  }

  static Awaitable<void> handleInbound(std::shared_ptr<Impl> self, Tcp::socket socket) {
    ++self->pending_handshakes_;
    struct Done {
      Impl& h;
      ~Done() { --h.pending_handshakes_; }
    } done{*self};
    boost::system::error_code ec;
    const auto remote_endpoint = socket.remote_endpoint(ec);
    if (ec) co_return;
    const auto local_endpoint = socket.local_endpoint(ec);
    socket.set_option(Tcp::no_delay(true), ec);
    const auto remote = endpointToMultiaddr(remote_endpoint);

    bool timed_out = false;
    Deadline deadline(socket.get_executor());
    deadline.start(self->config_.handshake_timeout, [&] {
      timed_out = true;
      boost::system::error_code ignored;
      socket.close(ignored);
    });
    auto secure = co_await upgradeInbound(socket, self->upgradeOptions(std::nullopt));
    deadline.cancel();
    if (self->closed_) co_return;
    if (!secure || timed_out) {
      ++self->stats_.failed_handshakes;
      logger().warn("refused inbound connection from {}: {}", remote.toString(),
                    timed_out ? fmt::format("handshake did not finish within {} ms", millis(self->config_.handshake_timeout))
                              : secure.error().message());
      co_return;
    }
    auto& entry = self->peers_[secure->remote.peer];
    if (entry.connections.size() >= self->config_.max_connections_per_peer) {
      ++self->stats_.refused_connections;
      logger().warn("refused inbound connection from {} ({}): it already has {} connections",
                    secure->remote.peer.toString(), remote.toString(), entry.connections.size());
      socket.close(ec);
      co_return;
    }
    self->addConnection(std::move(socket), std::move(*secure), true, endpointToMultiaddr(local_endpoint), remote);
  }

  std::shared_ptr<Connection> addConnection(Tcp::socket socket, SecureConnection secure, bool inbound,
                                            cid::Multiaddr local, cid::Multiaddr remote) {
    const PeerId peer = secure.remote.peer;
    detail::ConnectionEvents events;
    std::weak_ptr<Impl> weak = weak_from_this();
    events.on_stream = [weak](std::shared_ptr<StreamImpl> s) {
      if (auto h = weak.lock(); h && !h->closed_) {
        asio::co_spawn(h->io_, serveStream(h, std::move(s)), logException);
      }
    };
    events.on_closed = [weak](Connection& c) {
      if (auto h = weak.lock()) h->onClosed(c);
    };
    auto connection = std::make_shared<Connection>(std::move(socket), std::move(secure), inbound, std::move(local),
                                                   remote, connectionOptions(), std::move(events));
    auto& entry = peers_[peer];
    entry.connections.push_back(connection);
    if (!inbound) rememberAddress(entry, remote);
    ++connection_count_;
    ++(inbound ? stats_.inbound_connections : stats_.outbound_connections);
    logger().debug("connected to {} at {} ({})", peer.toString(), remote.toString(), inbound ? "inbound" : "outbound");
    connection->start();
    asio::co_spawn(io_, runIdentify(shared_from_this(), connection), logException);
    trim();
    return connection;
  }

  static void rememberAddress(PeerEntry& entry, const cid::Multiaddr& address) {
    if (std::find(entry.addresses.begin(), entry.addresses.end(), address) != entry.addresses.end()) return;
    if (entry.addresses.size() >= kMaxAddressesPerPeer) entry.addresses.erase(entry.addresses.begin());
    entry.addresses.push_back(address);
  }

  void onClosed(Connection& c) {
    auto it = peers_.find(c.remotePeer());
    if (it != peers_.end()) {
      auto& conns = it->second.connections;
      const auto before = conns.size();
      std::erase_if(conns, [&](const auto& p) { return p.get() == &c; });
      if (conns.size() != before) --connection_count_;
    }
    if (it != peers_.end() && it->second.connections.empty() && it->second.protect_tags.empty() &&
        peers_.size() > kMaxIdlePeers && !dials_.contains(c.remotePeer())) {
      peers_.erase(it);  // forget the disconnected once the table is large
    }
    const Error reason = c.closeReason() ? *c.closeReason() : Error(NetError::kConnectionClosed);
    if (isViolation(reason)) {
      ++stats_.protocol_violations;
      logger().warn("closed connection to {} ({}): {}", c.remotePeer().toString(), c.remoteAddress().toString(),
                    reason.message());
    } else if (reason.is(NetError::kTimeout)) {
      // A dead or stuck peer: worth the operator's attention, not an attack.
      logger().warn("dropped connection to {} ({}): {}", c.remotePeer().toString(), c.remoteAddress().toString(),
                    reason.message());
    } else {
      logger().debug("connection to {} ({}) closed: {}", c.remotePeer().toString(), c.remoteAddress().toString(),
                     reason.message());
    }
  }

  std::shared_ptr<Connection> liveConnection(const PeerId& peer) const {
    auto it = peers_.find(peer);
    if (it == peers_.end()) return nullptr;
    // The newest connection that takes new streams.
    for (auto c = it->second.connections.rbegin(); c != it->second.connections.rend(); ++c) {
      if ((*c)->usable()) return *c;
    }
    return nullptr;
  }

  Awaitable<Result<std::shared_ptr<Connection>>> dialAddress(const cid::Multiaddr& address,
                                                              const std::optional<PeerId>& expected) {
    auto self = shared_from_this();
    FIL_CO_ASSIGN_OR_RETURN(const DialTarget target, dialTarget(address));
    if (target.peer && expected && *target.peer != *expected) {
      co_return fail(NetError::kPeerIdMismatch, fmt::format("address {} names peer {}, not {}", address.toString(),
                                                            target.peer->toString(), expected->toString()));
    }
    const std::optional<PeerId> want = expected ? expected : target.peer;
    Tcp::socket socket(io_);
    Tcp::resolver resolver(io_);
    bool timed_out = false;
    Deadline deadline(io_.get_executor());
    deadline.start(config_.dial_timeout, [&] {
      timed_out = true;
      boost::system::error_code ignored;
      socket.close(ignored);
      resolver.cancel();
    });
    auto timeout = [&]() {
      return fail(NetError::kTimeout,
                  fmt::format("dialing {} took longer than {} ms", address.toString(), millis(config_.dial_timeout)));
    };

    std::vector<Tcp::endpoint> endpoints;
    if (target.dns) {
      auto [ec, results] = co_await resolver.async_resolve(target.host, std::to_string(target.port), kUseTuple);
      if (timed_out) co_return timeout();
      if (ec) co_return fail(NetError::kDial, fmt::format("resolving {}: {}", target.host, ec.message()));
      for (const auto& r : results) {
        const auto& e = r.endpoint();
        if ((e.address().is_v4() && target.want_v4) || (e.address().is_v6() && target.want_v6)) endpoints.push_back(e);
      }
      if (endpoints.empty()) co_return fail(NetError::kDial, fmt::format("{} has no usable address", target.host));
    } else {
      boost::system::error_code ec;
      const auto ip = asio::ip::make_address(target.host, ec);
      if (ec) co_return fail(NetError::kAddress, fmt::format("{}: {}", target.host, ec.message()));
      endpoints.emplace_back(ip, target.port);
    }

    boost::system::error_code connect_error;
    bool connected = false;
    for (const auto& endpoint : endpoints) {
      boost::system::error_code ec;
      if (socket.is_open()) socket.close(ec);
      auto [cec] = co_await socket.async_connect(endpoint, kUseTuple);
      if (timed_out) co_return timeout();
      if (!cec) {
        connected = true;
        break;
      }
      connect_error = cec;
    }
    if (!connected) {
      co_return fail(NetError::kDial, fmt::format("connecting to {}: {}", address.toString(), connect_error.message()));
    }
    boost::system::error_code ec;
    socket.set_option(Tcp::no_delay(true), ec);
    const auto local = socket.local_endpoint(ec);
    auto secure = co_await upgradeOutbound(socket, upgradeOptions(want));
    deadline.cancel();
    if (timed_out) co_return timeout();
    if (!secure) co_return fail(std::move(secure).error().withContext(fmt::format("dialing {}", address.toString())));
    if (closed_) co_return fail(NetError::kConnectionClosed, "host is closing");
    co_return addConnection(std::move(socket), std::move(*secure), false, endpointToMultiaddr(local),
                            address.decapsulate(cid::Protocol::kP2p));
  }

  Awaitable<Result<std::shared_ptr<Connection>>> connectionTo(const PeerId& peer) {
    auto self = shared_from_this();
    for (;;) {
      if (closed_) co_return fail(NetError::kConnectionClosed, "host is closed");
      if (auto c = liveConnection(peer)) co_return c;
      auto pending = dials_.find(peer);
      if (pending == dials_.end()) break;
      auto dial = pending->second;
      while (!dial->finished) co_await dial->done.wait();
      if (auto c = liveConnection(peer)) co_return c;
      // That dial failed; try ourselves (addresses may have changed).
      if (dials_.contains(peer)) continue;
      break;
    }
    const auto known = peers_.find(peer);
    const auto addresses = known == peers_.end() ? std::vector<cid::Multiaddr>{} : known->second.addresses;
    if (addresses.empty()) {
      co_return fail(NetError::kDial, fmt::format("no addresses known for peer {}", peer.toString()));
    }
    auto dial = std::make_shared<PendingDial>();
    dials_[peer] = dial;
    std::vector<std::string> errors;
    std::shared_ptr<Connection> connection;
    for (const auto& address : addresses) {
      auto c = co_await dialAddress(address, peer);
      if (c) {
        connection = *c;
        break;
      }
      errors.push_back(c.error().message());
    }
    dials_.erase(peer);
    dial->finished = true;
    dial->done.notifyAll();
    if (!connection) {
      ++stats_.failed_dials;
      co_return fail(NetError::kDial, fmt::format("could not reach {}: {}", peer.toString(), fmt::join(errors, "; ")));
    }
    co_return connection;
  }

  // ---- streams ----

  static Awaitable<void> serveStream(std::shared_ptr<Impl> self, std::shared_ptr<StreamImpl> stream) {
    stream->setDeadline(self->config_.negotiation_timeout);
    auto chosen = co_await acceptProtocol(*stream, self->protocols());
    if (!chosen) {
      logger().debug("stream from {}: negotiation failed: {}", stream->connection().remotePeer().toString(),
                     chosen.error().message());
      stream->reset();
      co_return;
    }
    stream->clearDeadline();
    auto it = self->handlers_.find(*chosen);
    if (it == self->handlers_.end()) {
      stream->reset();
      co_return;
    }
    stream->setProtocol(*chosen);
    const StreamHandler handler = it->second;
    co_await handler(Stream(std::move(stream)));
  }

  Awaitable<Result<Stream>> openStream(std::shared_ptr<Connection> connection, std::vector<std::string> protocols) {
    auto self = shared_from_this();
    FIL_CO_ASSIGN_OR_RETURN(auto stream, connection->openStream());
    stream->setDeadline(config_.negotiation_timeout);
    auto chosen = co_await selectProtocol(*stream, protocols);
    if (!chosen) {
      stream->reset();
      co_return fail(std::move(chosen).error().withContext(
          fmt::format("opening {} to {}", fmt::join(protocols, "|"), connection->remotePeer().toString())));
    }
    stream->clearDeadline();
    stream->setProtocol(*chosen);
    co_return Stream(std::move(stream));
  }

  // ---- identify ----

  identify::Message ourIdentify(const Connection& c) const {
    identify::Message m;
    m.public_key = key_.publicKey().toProtobuf();
    for (const auto& a : addresses()) m.listen_addrs.push_back(a.toBytes());
    m.protocols = protocols();
    m.observed_addr = c.remoteAddress().toBytes();
    m.protocol_version = std::string(identify::kProtocolVersion);
    m.agent_version = config_.agent_version;
    return m;
  }

  Awaitable<void> serveIdentify(Stream s) {
    auto self = shared_from_this();
    Bytes out;
    appendLengthPrefixed(out, identify::encode(ourIdentify(s.impl()->connection())));
    s.setDeadline(config_.negotiation_timeout);
    if (auto w = co_await s.write(out); !w) co_return;
    (void)s.closeWrite();
  }

  static Awaitable<Result<identify::Message>> readIdentify(StreamImpl& stream) {
    identify::Message merged;
    for (size_t i = 0; i < identify::kMaxMessages; ++i) {
      FIL_CO_ASSIGN_OR_RETURN(auto bytes, co_await readLengthPrefixedOrEnd(stream, identify::kMaxMessageSize));
      if (!bytes) break;
      FIL_CO_ASSIGN_OR_RETURN(auto message, identify::decode(*bytes));
      identify::merge(merged, std::move(message));
    }
    co_return merged;
  }

  static Awaitable<void> runIdentify(std::shared_ptr<Impl> self, std::shared_ptr<Connection> connection) {
    // Named, not a braced temporary: g++ 12 miscompiles initializer lists
    // that live across a co_await.
    std::vector<std::string> protocols{std::string(identify::kProtocolId)};
    auto stream = co_await self->openStream(connection, std::move(protocols));
    if (!stream) {
      logger().debug("identify with {} failed: {}", connection->remotePeer().toString(), stream.error().message());
      co_return;
    }
    stream->setDeadline(self->config_.negotiation_timeout);
    auto message = co_await readIdentify(*stream->impl());
    stream->close();
    if (!message) {
      logger().debug("identify with {} failed: {}", connection->remotePeer().toString(), message.error().message());
      co_return;
    }
    self->consumeIdentify(*connection, std::move(*message), false);
  }

  Awaitable<void> receiveIdentifyPush(Stream s) {
    auto self = shared_from_this();
    s.setDeadline(config_.negotiation_timeout);
    auto message = co_await readIdentify(*s.impl());
    if (!message) {
      logger().debug("identify push from {} failed: {}", s.remotePeer().toString(), message.error().message());
      co_return;
    }
    consumeIdentify(s.impl()->connection(), std::move(*message), true);
  }

  void consumeIdentify(const Connection& c, identify::Message m, bool push) {
    if (m.public_key) {
      auto key = PublicKey::fromProtobuf(*m.public_key);
      if (!key || !c.remotePeer().matches(*key)) {
        logger().warn("ignoring identify from {}: its public key is not the connection's", c.remotePeer().toString());
        return;
      }
    } else if (!push) {
      logger().debug("identify from {} carries no public key", c.remotePeer().toString());
    }
    auto& entry = peers_[c.remotePeer()];
    IdentifyRecord record = entry.identify.value_or(IdentifyRecord{c.remotePeer(), {}, {}, {}, {}, {}});
    if (m.agent_version) record.agent_version = *m.agent_version;
    if (m.protocol_version) record.protocol_version = *m.protocol_version;
    if (!push || !m.protocols.empty()) record.protocols = std::move(m.protocols);
    if (!push || !m.listen_addrs.empty()) {
      record.listen_addresses.clear();
      for (const auto& bytes : m.listen_addrs) {
        if (auto a = cid::Multiaddr::fromBytes(bytes); a && record.listen_addresses.size() < kMaxAddressesPerPeer) {
          record.listen_addresses.push_back(*a);
        }
      }
    }
    if (m.observed_addr) {
      if (auto a = cid::Multiaddr::fromBytes(*m.observed_addr)) record.observed_address = *a;
    }
    for (const auto& a : record.listen_addresses) rememberAddress(entry, a);
    entry.identify = std::move(record);
    identified_.notifyAll();
    const IdentifyRecord copy = *entry.identify;  // callbacks may change peers_
    for (const auto& callback : identify_callbacks_) callback(copy);
  }

  void pushIdentify() {
    for (auto& [peer, entry] : peers_) {
      if (!entry.identify) continue;
      const auto& protos = entry.identify->protocols;
      if (std::find(protos.begin(), protos.end(), identify::kPushProtocolId) == protos.end()) continue;
      if (auto c = liveConnection(peer)) {
        asio::co_spawn(io_, sendPush(shared_from_this(), c), logException);
      }
    }
  }

  static Awaitable<void> sendPush(std::shared_ptr<Impl> self, std::shared_ptr<Connection> c) {
    std::vector<std::string> protocols{std::string(identify::kPushProtocolId)};
    auto stream = co_await self->openStream(c, std::move(protocols));
    if (!stream) co_return;
    Bytes out;
    appendLengthPrefixed(out, identify::encode(self->ourIdentify(*c)));
    stream->setDeadline(self->config_.negotiation_timeout);
    (void)co_await stream->write(out);
    stream->close();
  }

  // ---- ping ----

  static Awaitable<void> servePing(Stream s) {
    uint8_t buffer[kPingSize];
    for (;;) {
      // go-libp2p gives each round a minute.
      s.setDeadline(std::chrono::seconds(60));
      auto n = co_await s.readSome(buffer);
      if (!n || *n == 0) co_return;
      if (*n < kPingSize) {
        if (!co_await s.readExactly(MutableBytesView(buffer).subspan(*n))) co_return;
      }
      if (!co_await s.write(buffer)) co_return;
    }
  }

  // ---- connection manager ----

  bool isProtected(const PeerId& peer) const {
    auto it = peers_.find(peer);
    return it != peers_.end() && !it->second.protect_tags.empty();
  }

  void trim() {
    if (connection_count_ <= config_.conn_mgr_high || closed_) return;
    const auto now = Clock::now();
    std::vector<std::shared_ptr<Connection>> candidates;
    size_t young = 0;
    for (const auto& [peer, entry] : peers_) {
      if (!entry.protect_tags.empty()) continue;
      for (const auto& c : entry.connections) {
        if (c->closed()) continue;
        if (now - c->openedAt() < config_.conn_mgr_grace) {
          ++young;
          continue;
        }
        candidates.push_back(c);
      }
    }
    // Idle connections go first, then the newest (the oldest have proven useful).
    std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
      if (a->streamCount() != b->streamCount()) return a->streamCount() < b->streamCount();
      return a->openedAt() > b->openedAt();
    });
    size_t excess = connection_count_ - config_.conn_mgr_low;
    for (const auto& c : candidates) {
      if (excess == 0) break;
      ++stats_.trimmed_connections;
      logger().debug("connection manager closes connection to {} ({} connections, high water {})",
                     c->remotePeer().toString(), connection_count_, config_.conn_mgr_high);
      c->closeGracefully();
      --excess;
    }
    if (excess > 0 && young > 0 && !trim_scheduled_) {
      // Connections still in their grace period: look again when it ends.
      trim_scheduled_ = true;
      trim_timer_.expires_after(config_.conn_mgr_grace);
      trim_timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
        if (ec) return;
        if (auto h = weak.lock()) {
          h->trim_scheduled_ = false;
          h->trim();
        }
      });
    }
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    trim_timer_.cancel();
    boost::system::error_code ec;
    for (auto& a : acceptors_) a->close(ec);
    std::vector<std::shared_ptr<Connection>> all;
    for (auto& [peer, entry] : peers_) all.insert(all.end(), entry.connections.begin(), entry.connections.end());
    for (auto& c : all) c->close(Error(NetError::kConnectionClosed, "host is shutting down"));
    for (auto& [peer, dial] : dials_) dial->done.notifyAll();
    identified_.notifyAll();
  }
};

// ---- Host ----

Host::Host(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

Host::~Host() { close(); }

Result<std::unique_ptr<Host>> Host::create(asio::io_context& io, HostKey key, HostConfig config) {
  auto impl = std::make_shared<Impl>(io, std::move(key), std::move(config));
  FIL_TRY(impl->init());
  return std::unique_ptr<Host>(new Host(std::move(impl)));
}

const PeerId& Host::id() const { return impl_->key_.peerId(); }
const HostKey& Host::key() const { return impl_->key_; }
Status Host::listen() { return impl_->listen(); }
std::vector<cid::Multiaddr> Host::listenAddresses() const { return impl_->listen_addresses_; }
std::vector<cid::Multiaddr> Host::addresses() const { return impl_->addresses(); }

void Host::setStreamHandler(std::string protocol, StreamHandler handler) {
  impl_->handlers_[std::move(protocol)] = std::move(handler);
  impl_->pushIdentify();
}

void Host::removeStreamHandler(std::string_view protocol) {
  if (auto it = impl_->handlers_.find(protocol); it != impl_->handlers_.end()) {
    impl_->handlers_.erase(it);
    impl_->pushIdentify();
  }
}

std::vector<std::string> Host::protocols() const { return impl_->protocols(); }

Awaitable<Status> Host::connect(const PeerId& peer, std::vector<cid::Multiaddr> addresses) {
  auto impl = impl_;
  auto& entry = impl->peers_[peer];
  for (const auto& a : addresses) Impl::rememberAddress(entry, a.decapsulate(cid::Protocol::kP2p));
  FIL_CO_TRY(co_await impl->connectionTo(peer));
  co_return ok();
}

Awaitable<Result<PeerId>> Host::connect(const cid::Multiaddr& address) {
  auto impl = impl_;
  FIL_CO_ASSIGN_OR_RETURN(const DialTarget target, dialTarget(address));
  if (target.peer) {
    std::vector<cid::Multiaddr> addresses{address};
    FIL_CO_TRY(co_await connect(*target.peer, std::move(addresses)));
    co_return *target.peer;
  }
  auto connection = co_await impl->dialAddress(address, std::nullopt);
  if (!connection) {
    ++impl->stats_.failed_dials;
    co_return fail(std::move(connection).error());
  }
  co_return (*connection)->remotePeer();
}

Awaitable<Result<Stream>> Host::newStream(const PeerId& peer, std::vector<std::string> protocols) {
  auto impl = impl_;
  FIL_CO_ASSIGN_OR_RETURN(auto connection, co_await impl->connectionTo(peer));
  co_return co_await impl->openStream(std::move(connection), std::move(protocols));
}

Awaitable<Result<std::chrono::steady_clock::duration>> Host::ping(const PeerId& peer) {
  auto impl = impl_;
  std::vector<std::string> protocols{std::string(kPingProtocol)};
  FIL_CO_ASSIGN_OR_RETURN(Stream stream, co_await newStream(peer, std::move(protocols)));
  stream.setDeadline(impl->config_.negotiation_timeout);
  const auto payload = crypto::randomArray<kPingSize>();
  const auto start = Clock::now();
  FIL_CO_TRY(co_await stream.write(payload));
  ByteArray<kPingSize> echo;
  auto read = co_await stream.readExactly(echo);
  if (!read) co_return fail(NetError::kPing, "no ping reply: " + read.error().message());
  const auto rtt = Clock::now() - start;
  if (echo != payload) co_return fail(NetError::kPing, "peer answered the ping with different bytes");
  co_return rtt;
}

Awaitable<Result<IdentifyRecord>> Host::identify(const PeerId& peer) {
  auto impl = impl_;
  bool expired = false;
  Deadline deadline(impl->io_.get_executor());
  deadline.start(impl->config_.negotiation_timeout, [&] {
    expired = true;
    impl->identified_.notifyAll();
  });
  for (;;) {
    if (auto record = identifyRecord(peer)) co_return *record;
    if (impl->closed_) co_return fail(NetError::kConnectionClosed, "host is closed");
    if (!impl->liveConnection(peer)) {
      co_return fail(NetError::kIdentify, fmt::format("not connected to {}", peer.toString()));
    }
    if (expired) co_return fail(NetError::kTimeout, fmt::format("{} did not complete identify", peer.toString()));
    co_await impl->identified_.wait();
  }
}

void Host::onIdentified(std::function<void(const IdentifyRecord&)> callback) {
  impl_->identify_callbacks_.push_back(std::move(callback));
}

void Host::addAddresses(const PeerId& peer, const std::vector<cid::Multiaddr>& addresses) {
  auto& entry = impl_->peers_[peer];
  for (const auto& a : addresses) Impl::rememberAddress(entry, a.decapsulate(cid::Protocol::kP2p));
}

std::vector<cid::Multiaddr> Host::peerAddresses(const PeerId& peer) const {
  auto it = impl_->peers_.find(peer);
  return it == impl_->peers_.end() ? std::vector<cid::Multiaddr>{} : it->second.addresses;
}

std::optional<IdentifyRecord> Host::identifyRecord(const PeerId& peer) const {
  auto it = impl_->peers_.find(peer);
  return it == impl_->peers_.end() ? std::nullopt : it->second.identify;
}

std::vector<ConnectionInfo> Host::connections() const {
  std::vector<ConnectionInfo> out;
  const auto now = Clock::now();
  for (const auto& [peer, entry] : impl_->peers_) {
    for (const auto& c : entry.connections) {
      if (c->closed()) continue;
      out.push_back(ConnectionInfo{peer, c->localAddress(), c->remoteAddress(), c->inbound(), now - c->openedAt(),
                                   c->streamCount(), c->rtt()});
    }
  }
  return out;
}

std::vector<PeerId> Host::peers() const {
  std::vector<PeerId> out;
  for (const auto& [peer, entry] : impl_->peers_) {
    if (impl_->liveConnection(peer)) out.push_back(peer);
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool Host::connected(const PeerId& peer) const { return impl_->liveConnection(peer) != nullptr; }

void Host::protect(const PeerId& peer, std::string tag) { impl_->peers_[peer].protect_tags.insert(std::move(tag)); }

void Host::unprotect(const PeerId& peer, std::string_view tag) {
  auto it = impl_->peers_.find(peer);
  if (it == impl_->peers_.end()) return;
  if (auto t = it->second.protect_tags.find(tag); t != it->second.protect_tags.end()) it->second.protect_tags.erase(t);
}

void Host::disconnect(const PeerId& peer) {
  auto it = impl_->peers_.find(peer);
  if (it == impl_->peers_.end()) return;
  auto conns = it->second.connections;
  for (auto& c : conns) c->closeGracefully();
}

HostStats Host::stats() const { return impl_->stats_; }

void Host::close() {
  if (impl_) impl_->close();
}

}  // namespace fil::net
