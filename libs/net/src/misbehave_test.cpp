// Peers that break the protocol: each is refused cleanly, logged once, and
// the host goes on serving well-behaved peers.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "fil/crypto/random.h"
#include "fil/crypto/x25519.h"
#include "fil/net/host.h"
#include "multistream.h"
#include "test_util.h"
#include "upgrade.h"
#include "yamux.h"

namespace fil::net {
namespace {

using namespace std::chrono_literals;
using testing::fullAddress;
using testing::loopbackConfig;
using testing::run;

std::unique_ptr<Host> makeHost(asio::io_context& io, HostConfig config = loopbackConfig()) {
  auto host = Host::create(io, HostKey::generate(), std::move(config));
  EXPECT_TRUE(host) << host.error().message();
  EXPECT_TRUE((*host)->listen());
  return std::move(*host);
}

Awaitable<Result<Tcp::socket>> rawConnect(const Host& host) {
  auto executor = co_await asio::this_coro::executor;
  Tcp::socket socket(executor);
  const auto port = static_cast<uint16_t>(std::stoul(*host.listenAddresses()[0].valueOf(cid::Protocol::kTcp)));
  auto [ec] = co_await socket.async_connect(Tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), kUseTuple);
  if (ec) co_return fail(GenericError::kIo, ec.message());
  co_return std::move(socket);
}

// Reads until the host closes the connection; true if it did within `limit`.
Awaitable<bool> closedByPeer(Tcp::socket& socket, std::chrono::milliseconds limit = 3000ms) {
  bool timed_out = false;
  Deadline deadline(socket.get_executor());
  deadline.start(limit, [&] {
    timed_out = true;
    boost::system::error_code ignored;
    socket.close(ignored);
  });
  Bytes buf(4096);
  for (;;) {
    auto [ec, n] = co_await socket.async_read_some(asio::buffer(buf), kUseTuple);
    if (ec) co_return !timed_out;
  }
}

// A well-behaved peer still gets served.
Awaitable<void> expectServing(Host& host, asio::io_context& io) {
  auto good = Host::create(io, HostKey::generate(), loopbackConfig());
  CO_ASSERT_OK(good);
  CO_ASSERT_OK(co_await (*good)->connect(fullAddress(host)));
  CO_ASSERT_OK(co_await (*good)->ping(host.id()));
}

TEST(Misbehaving, GarbageInsteadOfAHandshake) {
  asio::io_context io;
  auto host = makeHost(io);
  testing::LogCapture logs;
  run(io, [&]() -> Awaitable<void> {
    auto socket = co_await rawConnect(*host);
    CO_ASSERT_OK(socket);
    const std::string garbage = "GET / HTTP/1.1\r\nHost: example\r\n\r\n";
    co_await asio::async_write(*socket, asio::buffer(garbage), kUseTuple);
    EXPECT_TRUE(co_await closedByPeer(*socket));

    // An endless multistream line is cut off at 1024 bytes, not buffered.
    auto second = co_await rawConnect(*host);
    CO_ASSERT_OK(second);
    Bytes header = multistream::encodeMessage(multistream::kProtocolId);
    header.push_back(0xff);  // a 2-byte varint: 16383 bytes announced
    header.push_back(0x7f);
    co_await asio::async_write(*second, asio::buffer(header), kUseTuple);
    EXPECT_TRUE(co_await closedByPeer(*second));

    co_await expectServing(*host, io);
  });
  EXPECT_EQ(host->stats().failed_handshakes, 2u);
  EXPECT_EQ(logs.warnings("refused inbound connection"), 2u) << logs.all();
  EXPECT_EQ(logs.warnings("multistream"), 2u) << logs.all();
}

TEST(Misbehaving, BadIdentitySignature) {
  asio::io_context io;
  auto host = makeHost(io);
  testing::LogCapture logs;
  run(io, [&]() -> Awaitable<void> {
    auto socket = co_await rawConnect(*host);
    CO_ASSERT_OK(socket);
    BufferedSocket raw(*socket);
    const std::vector<std::string> noise_protocol{std::string(noise::kProtocolId)};
    CO_ASSERT_OK(co_await selectProtocol(raw, noise_protocol));
    const auto static_key = crypto::x25519::generate();
    noise::XXHandshake handshake(true, static_key, {});
    auto frame = [](BytesView m) {
      Bytes out{static_cast<uint8_t>(m.size() >> 8), static_cast<uint8_t>(m.size())};
      append(out, m);
      return out;
    };
    CO_ASSERT_OK(co_await raw.write(frame(*handshake.writeMessage({}))));
    while (raw.buffered().size() < 2 || raw.buffered().size() < 2 + ((raw.buffered()[0] << 8) | raw.buffered()[1])) {
      CO_ASSERT_OK(co_await raw.fill());
    }
    const size_t length = (raw.buffered()[0] << 8) | raw.buffered()[1];
    CO_ASSERT_OK(handshake.readMessage(raw.buffered().subspan(2, length)));
    raw.consume(2 + length);
    // Our key, but a signature over some other Noise key.
    const HostKey identity = HostKey::generate();
    auto payload = noise::makePayload(identity, crypto::x25519::generate().public_key, {});
    CO_ASSERT_OK(co_await raw.write(frame(*handshake.writeMessage(noise::encodePayload(payload)))));
    EXPECT_TRUE(co_await closedByPeer(*socket));
    co_await expectServing(*host, io);
  });
  EXPECT_EQ(host->stats().failed_handshakes, 1u);
  EXPECT_EQ(logs.warnings("identity signature"), 1u) << logs.all();
}

TEST(Misbehaving, DialerChecksThePeerId) {
  asio::io_context io;
  auto host = makeHost(io);
  auto dialer = makeHost(io);
  run(io, [&]() -> Awaitable<void> {
    const auto impostor = HostKey::generate().peerId();
    const std::vector<cid::Multiaddr> where{host->listenAddresses()[0]};
    auto r = co_await dialer->connect(impostor, where);
    CO_ASSERT_TRUE(!r);
    EXPECT_NE(r.error().message().find("dialed " + impostor.toString()), std::string::npos) << r.error().message();
    EXPECT_FALSE(dialer->connected(impostor));
    co_await expectServing(*host, io);
  });
}

// A peer that completes the upgrade and then sends raw yamux frames.
struct RawPeer {
  Tcp::socket socket;
  SecureConnection secure;

  Awaitable<Status> send(const Bytes& plain) {
    Bytes cipher;
    FIL_CO_TRY(noise::encryptFrames(secure.send, plain, cipher));
    auto [ec, n] = co_await asio::async_write(socket, asio::buffer(cipher), kUseTuple);
    if (ec) co_return fail(GenericError::kIo, ec.message());
    co_return ok();
  }

  // Reads what the host sends until it closes, through a yamux session of
  // our own; returns that session's verdict (the host's GoAway, if any).
  Awaitable<Status> readUntilClosed() {
    yamux::Session session(true);
    Bytes cipher = std::move(secure.ciphertext);
    Bytes buf(65536);
    for (;;) {
      Bytes plain;
      auto used = noise::decryptFrames(secure.receive, cipher, plain);
      if (!used) co_return fail(std::move(used).error());
      cipher.erase(cipher.begin(), cipher.begin() + static_cast<std::ptrdiff_t>(*used));
      FIL_CO_TRY(session.feed(plain, yamux::Clock::now()));
      auto [ec, n] = co_await socket.async_read_some(asio::buffer(buf), kUseTuple);
      if (ec) co_return ok();
      cipher.insert(cipher.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
    }
  }
};

Awaitable<Result<RawPeer>> upgradedPeer(const Host& host, const HostKey& key) {
  FIL_CO_ASSIGN_OR_RETURN(auto socket, co_await rawConnect(host));
  UpgradeOptions options{&key, host.id(), true};
  FIL_CO_ASSIGN_OR_RETURN(auto secure, co_await upgradeOutbound(socket, options));
  RawPeer peer{std::move(socket), std::move(secure)};
  co_return peer;
}

Bytes frame(yamux::FrameType type, uint16_t flags, uint32_t id, uint32_t length, size_t payload = 0) {
  Bytes out;
  yamux::appendHeader(out, yamux::Header{type, flags, id, length});
  out.resize(out.size() + payload, 0x77);
  return out;
}

void expectProtocolErrorGoAway(const Status& verdict) {
  ASSERT_FALSE(verdict);
  EXPECT_TRUE(verdict.error().is(NetError::kGoAway)) << verdict.error().message();
  EXPECT_NE(verdict.error().message().find("protocol error"), std::string::npos) << verdict.error().message();
}

TEST(Misbehaving, OversizedFrame) {
  asio::io_context io;
  auto host = makeHost(io);
  testing::LogCapture logs;
  const HostKey key = HostKey::generate();
  run(io, [&]() -> Awaitable<void> {
    auto peer = co_await upgradedPeer(*host, key);
    CO_ASSERT_OK(peer);
    CO_ASSERT_OK(co_await peer->send(frame(yamux::FrameType::kData, yamux::kSyn, 1, 0x7fffffff)));
    expectProtocolErrorGoAway(co_await peer->readUntilClosed());
    co_await expectServing(*host, io);
  });
  EXPECT_EQ(host->stats().protocol_violations, 1u);
  EXPECT_EQ(logs.warnings("exceeds any window"), 1u) << logs.all();
}

TEST(Misbehaving, WindowOverrun) {
  asio::io_context io;
  auto host = makeHost(io);
  std::optional<Stream> parked;
  host->setStreamHandler("/hold/1.0.0", [&](Stream s) -> Awaitable<void> {
    parked = std::move(s);  // never reads
    co_return;
  });
  testing::LogCapture logs;
  const HostKey key = HostKey::generate();
  run(io, [&]() -> Awaitable<void> {
    auto peer = co_await upgradedPeer(*host, key);
    CO_ASSERT_OK(peer);
    // Open a stream and negotiate it properly...
    Bytes mss = multistream::encodeMessage(multistream::kProtocolId);
    multistream::appendMessage(mss, "/hold/1.0.0");
    Bytes wire = frame(yamux::FrameType::kWindowUpdate, yamux::kSyn, 1, 0);
    append(wire, frame(yamux::FrameType::kData, 0, 1, static_cast<uint32_t>(mss.size()), mss.size()));
    std::copy(mss.begin(), mss.end(), wire.end() - static_cast<std::ptrdiff_t>(mss.size()));
    CO_ASSERT_OK(co_await peer->send(wire));
    for (int i = 0; i < 100 && !parked; ++i) co_await sleepFor(10ms);
    CO_ASSERT_TRUE(parked.has_value());
    // ...then send one byte more than the window allows, never waiting for updates.
    const uint32_t left = yamux::kInitialWindow - static_cast<uint32_t>(mss.size());
    wire = frame(yamux::FrameType::kData, 0, 1, left, left);
    append(wire, frame(yamux::FrameType::kData, 0, 1, 1, 1));
    CO_ASSERT_OK(co_await peer->send(wire));
    expectProtocolErrorGoAway(co_await peer->readUntilClosed());
    co_await expectServing(*host, io);
  });
  EXPECT_EQ(host->stats().protocol_violations, 1u);
  EXPECT_EQ(logs.warnings("window has 0 left"), 1u) << logs.all();
}

TEST(Misbehaving, TamperedTransportFrame) {
  asio::io_context io;
  auto host = makeHost(io);
  testing::LogCapture logs;
  const HostKey key = HostKey::generate();
  run(io, [&]() -> Awaitable<void> {
    auto peer = co_await upgradedPeer(*host, key);
    CO_ASSERT_OK(peer);
    Bytes cipher;
    CO_ASSERT_OK(noise::encryptFrames(peer->secure.send, frame(yamux::FrameType::kPing, yamux::kSyn, 0, 1), cipher));
    cipher[4] ^= 0x01;
    co_await asio::async_write(peer->socket, asio::buffer(cipher), kUseTuple);
    EXPECT_TRUE(co_await closedByPeer(peer->socket));
    co_await expectServing(*host, io);
  });
  EXPECT_EQ(host->stats().protocol_violations, 1u);
  EXPECT_EQ(logs.warnings("failed authentication"), 1u) << logs.all();
}

TEST(Misbehaving, SilentPeerTimesOutOfTheHandshake) {
  asio::io_context io;
  HostConfig config = loopbackConfig();
  config.handshake_timeout = 300ms;
  auto host = makeHost(io, config);
  testing::LogCapture logs;
  run(io, [&]() -> Awaitable<void> {
    auto socket = co_await rawConnect(*host);  // and says nothing
    CO_ASSERT_OK(socket);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(co_await closedByPeer(*socket));
    EXPECT_GE(std::chrono::steady_clock::now() - start, 250ms);
    co_await expectServing(*host, io);
  });
  EXPECT_EQ(host->stats().failed_handshakes, 1u);
  EXPECT_EQ(logs.warnings("did not finish within 300 ms"), 1u) << logs.all();
}

TEST(Misbehaving, HalfOpenConnectionIsDropped) {
  asio::io_context io;
  HostConfig config = loopbackConfig();
  config.keepalive_interval = 100ms;
  config.keepalive_timeout = 300ms;
  auto host = makeHost(io, config);
  testing::LogCapture logs;
  const HostKey key = HostKey::generate();
  run(io, [&]() -> Awaitable<void> {
    // Upgrades, then neither reads nor answers: a peer whose machine vanished.
    auto peer = co_await upgradedPeer(*host, key);
    CO_ASSERT_OK(peer);
    for (int i = 0; i < 50 && host->connections().empty(); ++i) co_await sleepFor(10ms);
    EXPECT_EQ(host->connections().size(), 1u);
    co_await sleepFor(800ms);
    EXPECT_EQ(host->connections().size(), 0u);
    co_await expectServing(*host, io);
  });
  EXPECT_EQ(logs.warnings("keep-alive"), 1u) << logs.all();
}

}  // namespace
}  // namespace fil::net
