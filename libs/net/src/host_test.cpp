// Two hosts in one io_context over loopback TCP: connecting both ways,
// identify, ping, echo with flow control, limits and the connection manager.
#include "fil/net/host.h"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>

#include "fil/crypto/random.h"
#include "test_util.h"

namespace fil::net {
namespace {

using namespace std::chrono_literals;
using namespace boost::asio::experimental::awaitable_operators;
using testing::fullAddress;
using testing::loopbackConfig;
using testing::run;

constexpr std::string_view kEcho = "/echo/1.0.0";

StreamHandler echoHandler() {
  return [](Stream s) -> Awaitable<void> {
    Bytes buf(64 * 1024);
    for (;;) {
      auto n = co_await s.readSome(buf);
      if (!n || *n == 0) break;
      if (!co_await s.write(BytesView(buf).first(*n))) co_return;
    }
    (void)s.closeWrite();
  };
}

// Writes `data` while reading the echo back; both at once, or the windows fill.
Awaitable<Result<Bytes>> echo(Stream& s, const Bytes& data) {
  auto writer = [&]() -> Awaitable<Status> {
    FIL_CO_TRY(co_await s.write(data));
    co_return s.closeWrite();
  };
  auto reader = [&]() -> Awaitable<Result<Bytes>> { co_return co_await s.readToEnd(data.size() + 1); };
  auto [written, read] = co_await (writer() && reader());
  if (!written) co_return fail(std::move(written).error());
  co_return read;
}

std::unique_ptr<Host> makeHost(asio::io_context& io, HostConfig config = loopbackConfig(),
                               HostKey key = HostKey::generate()) {
  auto host = Host::create(io, std::move(key), std::move(config));
  EXPECT_TRUE(host) << host.error().message();
  EXPECT_TRUE((*host)->listen());
  return std::move(*host);
}

TEST(Host, ConnectPingIdentifyAndEcho) {
  asio::io_context io;
  auto a = makeHost(io);
  auto b = makeHost(io);
  b->setStreamHandler(std::string(kEcho), echoHandler());
  run(io, [&]() -> Awaitable<void> {
    auto peer = co_await a->connect(fullAddress(*b));
    CO_ASSERT_OK(peer);
    EXPECT_EQ(*peer, b->id());
    auto rtt = co_await a->ping(b->id());
    CO_ASSERT_OK(rtt);
    EXPECT_LT(*rtt, 1s);

    auto record = co_await a->identify(b->id());
    CO_ASSERT_OK(record);
    EXPECT_EQ(record->agent_version, "lotus-filstack");
    EXPECT_EQ(record->protocol_version, "ipfs/0.1.0");
    const auto& protos = record->protocols;
    const std::vector<std::string_view> expected{kEcho, kPingProtocol, kIdentifyProtocol, kIdentifyPushProtocol};
    for (auto p : expected) EXPECT_NE(std::find(protos.begin(), protos.end(), p), protos.end()) << p;
    EXPECT_NE(std::find(record->listen_addresses.begin(), record->listen_addresses.end(), b->listenAddresses()[0]),
              record->listen_addresses.end());
    // b identifies a too, and sees how a reached it.
    auto back = co_await b->identify(a->id());
    CO_ASSERT_OK(back);
    EXPECT_TRUE(back->observed_address.has_value());

    const std::vector<std::string> offer{"/nope/1.0.0", std::string(kEcho)};
    auto s = co_await a->newStream(b->id(), offer);
    CO_ASSERT_OK(s);
    EXPECT_EQ(s->protocol(), kEcho);
    Bytes data = crypto::randomBytes(8 * 1024 * 1024 + 123);
    auto got = co_await echo(*s, data);
    CO_ASSERT_OK(got);
    EXPECT_TRUE(*got == data);
  });
  EXPECT_EQ(a->connections().size(), 1u);
  EXPECT_EQ(b->connections().size(), 1u);
  EXPECT_TRUE(b->connections()[0].inbound);
  EXPECT_EQ(a->peers(), std::vector<PeerId>{b->id()});
}

TEST(Host, UnsupportedProtocolIsRefused) {
  asio::io_context io;
  auto a = makeHost(io);
  auto b = makeHost(io);
  run(io, [&]() -> Awaitable<void> {
    CO_ASSERT_OK(co_await a->connect(fullAddress(*b)));
    const std::vector<std::string> offer{"/fil/unknown/1.0.0"};
    auto s = co_await a->newStream(b->id(), offer);
    CO_ASSERT_TRUE(!s);
    EXPECT_TRUE(s.error().is(NetError::kProtocolNotSupported)) << s.error().message();
    // The connection is still good.
    CO_ASSERT_OK(co_await a->ping(b->id()));
  });
}

TEST(Host, MuxerNegotiatedWithMultistreamWhenNotInTheHandshake) {
  asio::io_context io;
  HostConfig plain = loopbackConfig();
  plain.early_muxer_negotiation = false;
  auto a = makeHost(io, plain);
  auto b = makeHost(io);
  auto c = makeHost(io, plain);
  run(io, [&]() -> Awaitable<void> {
    CO_ASSERT_OK(co_await a->connect(fullAddress(*b)));  // dialer without, listener with
    CO_ASSERT_OK(co_await a->ping(b->id()));
    CO_ASSERT_OK(co_await b->connect(fullAddress(*c)));  // dialer with, listener without
    CO_ASSERT_OK(co_await b->ping(c->id()));
  });
}

TEST(Host, Secp256k1PeerConnects) {
  asio::io_context io;
  auto a = makeHost(io, loopbackConfig(), HostKey::generateSecp256k1());
  auto b = makeHost(io);
  EXPECT_TRUE(a->id().toString().starts_with("16Uiu2"));
  run(io, [&]() -> Awaitable<void> {
    CO_ASSERT_OK(co_await a->connect(fullAddress(*b)));
    CO_ASSERT_OK(co_await a->ping(b->id()));  // by now b has registered the connection too
    CO_ASSERT_OK(co_await b->ping(a->id()));
  });
}

TEST(Host, DialsDnsAndRefusesTheWrongPeer) {
  asio::io_context io;
  auto a = makeHost(io);
  auto b = makeHost(io);
  const auto port = b->listenAddresses()[0].valueOf(cid::Protocol::kTcp).value();
  run(io, [&]() -> Awaitable<void> {
    const PeerId stranger = HostKey::generate().peerId();
    const std::vector<cid::Multiaddr> where{b->listenAddresses()[0]};
    auto wrong = co_await a->connect(stranger, where);
    CO_ASSERT_TRUE(!wrong);
    EXPECT_NE(wrong.error().message().find(b->id().toString()), std::string::npos) << wrong.error().message();
    EXPECT_EQ(a->connections().size(), 0u);

    auto dns = *cid::Multiaddr::parse("/dns4/localhost/tcp/" + port + "/p2p/" + b->id().toString());
    auto peer = co_await a->connect(dns);
    CO_ASSERT_OK(peer);
    EXPECT_EQ(*peer, b->id());
    // Nothing listens here.
    auto closed_port = co_await a->connect(*cid::Multiaddr::parse("/ip4/127.0.0.1/tcp/1"));
    EXPECT_TRUE(!closed_port && closed_port.error().is(NetError::kDial));
  });
}

TEST(Host, SlowReaderBoundsWhatIsInFlight) {
  asio::io_context io;
  auto a = makeHost(io);
  auto b = makeHost(io);
  std::optional<Stream> parked;
  b->setStreamHandler("/sink/1.0.0", [&](Stream s) -> Awaitable<void> {
    parked = std::move(s);  // does not read yet
    co_return;
  });
  run(io, [&]() -> Awaitable<void> {
    CO_ASSERT_OK(co_await a->connect(fullAddress(*b)));
    const std::vector<std::string> sink_protocol{"/sink/1.0.0"};
    auto s = co_await a->newStream(b->id(), sink_protocol);
    CO_ASSERT_OK(s);
    const Bytes chunk(64 * 1024, 0x42);
    size_t queued = 0;
    bool writing = true;
    auto writer = [&]() -> Awaitable<void> {
      for (int i = 0; i < 256 && writing; ++i) {  // 16 MiB
        if (!co_await s->write(chunk)) co_return;
        queued += chunk.size();
      }
    };
    auto watcher = [&]() -> Awaitable<void> {
      co_await sleepFor(300ms);
      // One 256 KiB window at the reader, at most the 1 MiB outbox and one
      // frame batch here: far below the 16 MiB the writer wants to send.
      EXPECT_LE(queued, 2u * 1024 * 1024) << "writer was not held back";
      EXPECT_GE(queued, 128u * 1024);
      writing = false;
      CO_ASSERT_TRUE(parked.has_value());
      Bytes sink(1024 * 1024);
      size_t drained = 0;
      while (drained < queued) {
        auto n = co_await parked->readSome(sink);
        if (!n || *n == 0) break;
        drained += *n;
      }
      EXPECT_GE(drained, queued - 64 * 1024);
    };
    co_await (writer() && watcher());
  });
}

TEST(Host, StreamDeadlineEndsAPendingRead) {
  asio::io_context io;
  auto a = makeHost(io);
  auto b = makeHost(io);
  std::optional<Stream> parked;
  b->setStreamHandler("/silent/1.0.0", [&](Stream s) -> Awaitable<void> {
    parked = std::move(s);
    co_return;
  });
  run(io, [&]() -> Awaitable<void> {
    CO_ASSERT_OK(co_await a->connect(fullAddress(*b)));
    const std::vector<std::string> silent{"/silent/1.0.0"};
    auto s = co_await a->newStream(b->id(), silent);
    CO_ASSERT_OK(s);
    s->setDeadline(100ms);
    Bytes buf(10);
    const auto start = std::chrono::steady_clock::now();
    auto n = co_await s->readSome(buf);
    CO_ASSERT_TRUE(!n);
    EXPECT_TRUE(n.error().is(NetError::kTimeout)) << n.error().message();
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
    // The other side sees the reset.
    co_await sleepFor(50ms);
    CO_ASSERT_TRUE(parked.has_value());
    auto r = co_await parked->readSome(buf);
    EXPECT_TRUE(!r && r.error().is(NetError::kStreamReset));
  });
}

TEST(Host, IdentifyPushAnnouncesNewProtocols) {
  asio::io_context io;
  auto a = makeHost(io);
  auto b = makeHost(io);
  run(io, [&]() -> Awaitable<void> {
    CO_ASSERT_OK(co_await a->connect(fullAddress(*b)));
    CO_ASSERT_OK(co_await a->identify(b->id()));
    b->setStreamHandler("/fil/retrieval/qry/1.0.0", echoHandler());
    for (int i = 0; i < 100; ++i) {
      const auto record = a->identifyRecord(b->id());
      const auto& p = record->protocols;
      if (std::find(p.begin(), p.end(), "/fil/retrieval/qry/1.0.0") != p.end()) co_return;
      co_await sleepFor(10ms);
    }
    ADD_FAILURE() << "identify push did not arrive";
  });
}

TEST(Host, StreamLimitPerConnection) {
  asio::io_context io;
  HostConfig limited = loopbackConfig();
  limited.max_inbound_streams_per_connection = 2;
  auto a = makeHost(io);
  auto b = makeHost(io, limited);
  std::vector<Stream> held;
  b->setStreamHandler("/hold/1.0.0", [&](Stream s) -> Awaitable<void> {
    held.push_back(std::move(s));
    co_return;
  });
  run(io, [&]() -> Awaitable<void> {
    CO_ASSERT_OK(co_await a->connect(fullAddress(*b)));
    co_await sleepFor(100ms);  // identify streams come and go first
    const std::vector<std::string> hold{"/hold/1.0.0"};
    auto s1 = co_await a->newStream(b->id(), hold);
    auto s2 = co_await a->newStream(b->id(), hold);
    CO_ASSERT_OK(s1);
    CO_ASSERT_OK(s2);
    auto s3 = co_await a->newStream(b->id(), hold);
    CO_ASSERT_TRUE(!s3);
    EXPECT_TRUE(s3.error().is(NetError::kStreamReset)) << s3.error().message();
    held.clear();  // b closes its two
    s1->close();
    s2->close();
    co_await sleepFor(100ms);
    auto s4 = co_await a->newStream(b->id(), hold);
    CO_ASSERT_OK(s4);
  });
}

TEST(Host, ConnectionsPerPeerAreLimited) {
  asio::io_context io;
  HostConfig limited = loopbackConfig();
  limited.max_connections_per_peer = 1;
  auto a = makeHost(io);
  auto b = makeHost(io, limited);
  testing::LogCapture logs;
  run(io, [&]() -> Awaitable<void> {
    CO_ASSERT_OK(co_await a->connect(b->listenAddresses()[0]));
    CO_ASSERT_OK(co_await a->connect(b->listenAddresses()[0]));  // the upgrade succeeds; b then drops it
    co_await sleepFor(200ms);
    EXPECT_EQ(b->connections().size(), 1u);
    EXPECT_EQ(b->stats().refused_connections, 1u);
    EXPECT_EQ(logs.warnings("already has 1 connections"), 1u);
    CO_ASSERT_OK(co_await a->ping(b->id()));
  });
}

TEST(Host, ConnectionManagerTrimsToLowWater) {
  asio::io_context io;
  HostConfig managed = loopbackConfig();
  managed.conn_mgr_low = 2;
  managed.conn_mgr_high = 3;
  managed.conn_mgr_grace = std::chrono::seconds(0);
  auto server = makeHost(io, managed);
  std::vector<std::unique_ptr<Host>> clients;
  for (int i = 0; i < 4; ++i) clients.push_back(makeHost(io));
  server->protect(clients[0]->id(), "deal");
  run(io, [&]() -> Awaitable<void> {
    for (auto& c : clients) CO_ASSERT_OK(co_await c->connect(fullAddress(*server)));
    co_await sleepFor(300ms);
    EXPECT_EQ(server->connections().size(), 2u);
    EXPECT_EQ(server->stats().trimmed_connections, 2u);
    EXPECT_TRUE(server->connected(clients[0]->id())) << "protected peer was trimmed";
  });
}

TEST(Host, GraceProtectsYoungConnections) {
  asio::io_context io;
  HostConfig managed = loopbackConfig();
  managed.conn_mgr_low = 1;
  managed.conn_mgr_high = 1;
  managed.conn_mgr_grace = std::chrono::seconds(1);
  auto server = makeHost(io, managed);
  auto c1 = makeHost(io);
  auto c2 = makeHost(io);
  run(io, [&]() -> Awaitable<void> {
    CO_ASSERT_OK(co_await c1->connect(fullAddress(*server)));
    CO_ASSERT_OK(co_await c2->connect(fullAddress(*server)));
    co_await sleepFor(200ms);
    EXPECT_EQ(server->connections().size(), 2u) << "trimmed inside the grace period";
    co_await sleepFor(1500ms);
    EXPECT_EQ(server->connections().size(), 1u) << "not trimmed after the grace period";
  });
}

}  // namespace
}  // namespace fil::net

namespace fil::net {
namespace {

TEST(HostListen, SkipsWhatItCannotBindAndFailsWhenNothingBinds) {
  asio::io_context io;
  auto first = Host::create(io, HostKey::generate(), testing::loopbackConfig());
  ASSERT_TRUE(first && (*first)->listen());
  const std::string taken = (*first)->listenAddresses()[0].toString();

  HostConfig mixed;
  mixed.listen_addresses = {taken, "/ip4/127.0.0.1/udp/0/quic-v1", "/ip4/127.0.0.1/tcp/0"};
  auto host = Host::create(io, HostKey::generate(), mixed);
  ASSERT_TRUE(host);
  ASSERT_TRUE((*host)->listen());
  EXPECT_EQ((*host)->listenAddresses().size(), 1u);

  HostConfig hopeless;
  hopeless.listen_addresses = {taken};
  auto refused = Host::create(io, HostKey::generate(), hopeless);
  ASSERT_TRUE(refused);
  auto r = (*refused)->listen();
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(NetError::kAddress));
  EXPECT_NE(r.error().message().find(taken), std::string::npos) << r.error().message();

  HostConfig bad;
  bad.listen_addresses = {"/ip4/127.0.0.1/tcp/notaport"};
  auto malformed = Host::create(io, HostKey::generate(), bad);
  ASSERT_TRUE(malformed);
  EXPECT_FALSE((*malformed)->listen());
}

TEST(HostListen, AnnounceAndNoAnnounce) {
  asio::io_context io;
  // 0.0.0.0 is announced as each interface's address, loopback included.
  HostConfig any;
  any.listen_addresses = {"/ip4/0.0.0.0/tcp/0"};
  auto host = Host::create(io, HostKey::generate(), any);
  ASSERT_TRUE(host && (*host)->listen());
  const auto port = (*host)->listenAddresses()[0].valueOf(cid::Protocol::kTcp).value();
  const auto loopback = *cid::Multiaddr::parse("/ip4/127.0.0.1/tcp/" + port);
  auto announced = (*host)->addresses();
  EXPECT_NE(std::find(announced.begin(), announced.end(), loopback), announced.end());
  for (const auto& a : announced) EXPECT_EQ(a.valueOf(cid::Protocol::kTcp), port) << a.toString();
  (*host)->close();
  host->reset();

  // NoAnnounceAddresses drop an address from what is announced.
  HostConfig quiet;
  quiet.listen_addresses = {"/ip4/0.0.0.0/tcp/" + port};
  quiet.no_announce_addresses = {loopback.toString()};
  auto quiet_host = Host::create(io, HostKey::generate(), quiet);
  ASSERT_TRUE(quiet_host && (*quiet_host)->listen());
  announced = (*quiet_host)->addresses();
  EXPECT_EQ(std::find(announced.begin(), announced.end(), loopback), announced.end());

  // AnnounceAddresses replace them.
  HostConfig announcing;
  announcing.listen_addresses = {"/ip4/127.0.0.1/tcp/0"};
  announcing.announce_addresses = {"/dns4/sp.example.com/tcp/24001"};
  auto announcer = Host::create(io, HostKey::generate(), announcing);
  ASSERT_TRUE(announcer && (*announcer)->listen());
  EXPECT_EQ((*announcer)->addresses(),
            std::vector<cid::Multiaddr>{*cid::Multiaddr::parse("/dns4/sp.example.com/tcp/24001")});
}

TEST(HostConfigCheck, RefusesLowAboveHigh) {
  asio::io_context io;
  HostConfig config;
  config.conn_mgr_low = 200;
  config.conn_mgr_high = 100;
  auto host = Host::create(io, HostKey::generate(), config);
  ASSERT_FALSE(host);
  EXPECT_NE(host.error().message().find("ConnMgrLow"), std::string::npos);
}

}  // namespace
}  // namespace fil::net

namespace fil::net {
namespace {

TEST(Host, ConnectsOverIpv6WhereAvailable) {
  asio::io_context io;
  HostConfig v6;
  v6.listen_addresses = {"/ip6/::1/tcp/0"};
  auto b = Host::create(io, HostKey::generate(), v6);
  ASSERT_TRUE(b);
  if (!(*b)->listen()) GTEST_SKIP() << "no IPv6 loopback on this machine";
  auto a = Host::create(io, HostKey::generate(), v6);
  ASSERT_TRUE(a && (*a)->listen());
  run(io, [&]() -> Awaitable<void> {
    auto peer = co_await (*a)->connect(fullAddress(**b));
    CO_ASSERT_OK(peer);
    CO_ASSERT_OK(co_await (*a)->ping((*b)->id()));
    EXPECT_TRUE((*a)->connections()[0].remote_address.has(cid::Protocol::kIp6));
  });
}

}  // namespace
}  // namespace fil::net
