#include "yamux.h"

#include <gtest/gtest.h>

#include "fil/base/hex.h"

namespace fil::net::yamux {
namespace {

using namespace std::chrono_literals;

const Clock::time_point kT0{};

// Two sessions wired back to back: pump() moves each outbox to the other side.
struct Pair {
  Session client{true};
  Session server{false};
  Status pump() {
    for (int i = 0; i < 100; ++i) {
      Bytes a, b;
      client.takeOutbox(a);
      server.takeOutbox(b);
      if (a.empty() && b.empty()) return ok();
      if (!a.empty()) FIL_TRY(server.feed(a, kT0));
      if (!b.empty()) FIL_TRY(client.feed(b, kT0));
    }
    return ok();
  }
};

Bytes frame(FrameType type, uint16_t flags, uint32_t id, uint32_t length, BytesView payload = {}) {
  Bytes out;
  appendHeader(out, Header{type, flags, id, length});
  append(out, payload);
  return out;
}

TEST(Yamux, HeaderLayout) {
  Bytes out;
  appendHeader(out, Header{FrameType::kWindowUpdate, kSyn | kFin, 3, 0x40000});
  EXPECT_EQ(toHex(out), "000100050000000300040000");
  auto h = decodeHeader(out);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->type, FrameType::kWindowUpdate);
  EXPECT_EQ(h->flags, kSyn | kFin);
  EXPECT_EQ(h->stream_id, 3u);
  EXPECT_EQ(h->length, 0x40000u);
  out[0] = 1;
  EXPECT_TRUE(decodeHeader(out).error().is(NetError::kYamux));
  out[0] = 0;
  out[1] = 4;
  EXPECT_TRUE(decodeHeader(out).error().is(NetError::kYamux));
}

TEST(Yamux, OpenWriteReadHalfCloseBothWays) {
  Pair p;
  auto id = p.client.openStream(kT0);
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, 1u);  // the dialer's IDs are odd
  ASSERT_TRUE(p.client.write(*id, asBytes("hello")));
  ASSERT_TRUE(p.client.closeWrite(*id));
  ASSERT_TRUE(p.pump());
  auto accepted = p.server.takeAccepted();
  ASSERT_EQ(accepted, std::vector<uint32_t>{1});
  auto state = p.server.stream(1);
  ASSERT_TRUE(state);
  EXPECT_TRUE(state->remote_closed);
  uint8_t buf[16];
  EXPECT_EQ(p.server.read(1, buf, kT0), 5u);
  EXPECT_EQ(asString(BytesView(buf, 5)), "hello");
  // The server still writes after the client's half-close; the first frame carries ACK.
  ASSERT_TRUE(p.server.write(1, asBytes("world")));
  p.server.release(1);
  ASSERT_TRUE(p.pump());
  EXPECT_EQ(p.server.streamCount(), 0u);  // both FINs seen and released
  EXPECT_EQ(p.client.read(*id, buf, kT0), 5u);
  EXPECT_TRUE(p.client.stream(*id)->remote_closed);
  p.client.release(*id);
  EXPECT_EQ(p.client.streamCount(), 0u);
  EXPECT_TRUE(p.client.write(*id, asBytes("x")).error().is(NetError::kStreamClosed));
}

TEST(Yamux, FlowControlBoundsWhatTheReaderBuffers) {
  Pair p;
  const uint32_t id = *p.client.openStream(kT0);
  Bytes data(1024 * 1024, 0x5a);
  // Only one window fits until the reader consumes.
  auto taken = p.client.write(id, data);
  ASSERT_TRUE(taken);
  EXPECT_EQ(*taken, kInitialWindow);
  EXPECT_EQ(*p.client.write(id, data), 0u);
  ASSERT_TRUE(p.pump());
  p.server.takeAccepted();
  EXPECT_EQ(p.server.stream(id)->readable, kInitialWindow);
  EXPECT_EQ(p.server.stream(id)->receive_window, 0u);
  // Reading less than half a window grants nothing yet.
  Bytes sink(kInitialWindow);
  EXPECT_EQ(p.server.read(id, MutableBytesView(sink).first(1000), kT0), 1000u);
  ASSERT_TRUE(p.pump());
  EXPECT_EQ(p.client.stream(id)->send_window, 0u);
  // Half a window consumed: the writer gets it back.
  EXPECT_EQ(p.server.read(id, MutableBytesView(sink).first(kInitialWindow / 2), kT0), kInitialWindow / 2);
  ASSERT_TRUE(p.pump());
  EXPECT_EQ(p.client.stream(id)->send_window, 1000u + kInitialWindow / 2);
  EXPECT_TRUE(p.client.takeChanged().size() >= 1);
}

TEST(Yamux, WindowGrowsWhileTheReaderKeepsUp) {
  Session client(true);
  Session server(false);
  server.setRtt(10ms);
  const uint32_t id = *client.openStream(kT0);
  Bytes out;
  client.takeOutbox(out);
  ASSERT_TRUE(server.feed(out, kT0));
  Bytes data(kInitialWindow, 1);
  ASSERT_EQ(*client.write(id, data), kInitialWindow);
  client.takeOutbox(out);
  ASSERT_TRUE(server.feed(out, kT0));
  Bytes sink(kInitialWindow);
  server.read(id, sink, kT0 + 1ms);  // within 4 RTTs of the stream's start
  EXPECT_EQ(server.stream(id)->receive_window, 2 * kInitialWindow);
}

TEST(Yamux, SlowReaderWindowDoesNotGrow) {
  Session client(true);
  Session server(false);
  server.setRtt(10ms);
  const uint32_t id = *client.openStream(kT0);
  Bytes out;
  client.takeOutbox(out);
  ASSERT_TRUE(server.feed(out, kT0));
  ASSERT_EQ(*client.write(id, Bytes(kInitialWindow, 1)), kInitialWindow);
  client.takeOutbox(out);
  ASSERT_TRUE(server.feed(out, kT0));
  // Long after the round trip, half a window read, half still waiting.
  Bytes sink(kInitialWindow / 2);
  server.read(id, sink, kT0 + 1s);
  EXPECT_EQ(server.stream(id)->receive_window, kInitialWindow / 2);  // regranted, not grown
}

TEST(Yamux, GrowthStaysWithinTheSessionBudget) {
  Config config;
  config.max_growth = kInitialWindow;  // room for one doubling in all
  Session client(true);
  Session server(false, config);
  std::vector<uint32_t> ids{*client.openStream(kT0), *client.openStream(kT0)};
  Bytes out;
  for (uint32_t id : ids) ASSERT_EQ(*client.write(id, Bytes(kInitialWindow, 1)), kInitialWindow);
  client.takeOutbox(out);
  ASSERT_TRUE(server.feed(out, kT0));
  Bytes sink(kInitialWindow);
  for (uint32_t id : ids) server.read(id, sink, kT0 + 1s);  // each reader caught up
  EXPECT_EQ(server.stream(ids[0])->receive_window, 2 * kInitialWindow);
  EXPECT_EQ(server.stream(ids[1])->receive_window, kInitialWindow);
}

TEST(Yamux, WindowOverrunEndsTheSession) {
  Session server(false);
  Bytes wire = frame(FrameType::kWindowUpdate, kSyn, 1, 0);
  ASSERT_TRUE(server.feed(wire, kT0));
  const Bytes chunk(kInitialWindow, 0);
  ASSERT_TRUE(server.feed(frame(FrameType::kData, 0, 1, kInitialWindow, chunk), kT0));
  auto over = server.feed(frame(FrameType::kData, 0, 1, 1, asBytes("x")), kT0);
  ASSERT_FALSE(over);
  EXPECT_TRUE(over.error().is(NetError::kWindowExceeded));
  EXPECT_TRUE(server.failed());
  Bytes out;
  server.takeOutbox(out);
  // The GoAway with "protocol error" is the last thing queued.
  ASSERT_GE(out.size(), kHeaderSize);
  EXPECT_EQ(toHex(BytesView(out).last(kHeaderSize)), "000300000000000000000001");
}

TEST(Yamux, OversizedFrameIsRefusedAtItsHeader) {
  Session server(false);
  auto r = server.feed(frame(FrameType::kData, kSyn, 1, 0x7fffffff), kT0);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(NetError::kFrameTooLarge));
}

TEST(Yamux, ProtocolViolations) {
  {
    Session s(false);  // listener: peer must open odd IDs
    EXPECT_TRUE(s.feed(frame(FrameType::kWindowUpdate, kSyn, 2, 0), kT0).error().is(NetError::kYamux));
  }
  {
    Session s(false);
    ASSERT_TRUE(s.feed(frame(FrameType::kWindowUpdate, kSyn, 1, 0), kT0));
    EXPECT_TRUE(s.feed(frame(FrameType::kWindowUpdate, kSyn, 1, 0), kT0).error().is(NetError::kYamux));
  }
  {
    Session s(false);
    EXPECT_FALSE(s.feed(frame(FrameType::kData, 0, 0, 0), kT0));
  }
  {
    Session s(false);
    ASSERT_TRUE(s.feed(frame(FrameType::kWindowUpdate, kSyn, 1, 0), kT0));
    EXPECT_FALSE(s.feed(frame(FrameType::kWindowUpdate, 0, 1, 0xffffffff), kT0));  // window overflow
  }
  {
    Session s(false);
    Bytes garbage = *fromHex("474554202f20485454502f312e310d0a");  // "GET / HTTP/1.1\r\n"
    EXPECT_FALSE(s.feed(garbage, kT0));
    EXPECT_FALSE(s.feed(frame(FrameType::kPing, kSyn, 0, 1), kT0));  // dead after an error
  }
}

TEST(Yamux, PingsAreAnsweredAndMatched) {
  Pair p;
  const uint32_t value = p.client.ping();
  ASSERT_TRUE(p.pump());
  EXPECT_EQ(p.client.takePongs(), std::vector<uint32_t>{value});
  EXPECT_TRUE(p.server.takePongs().empty());
}

TEST(Yamux, ResetDropsBufferedDataAndNotifies) {
  Pair p;
  const uint32_t id = *p.client.openStream(kT0);
  ASSERT_TRUE(p.client.write(id, asBytes("abc")));
  ASSERT_TRUE(p.pump());
  p.server.takeAccepted();
  p.server.takeChanged();
  p.client.reset(id);
  ASSERT_TRUE(p.pump());
  EXPECT_EQ(p.server.takeChanged(), std::vector<uint32_t>{id});
  EXPECT_TRUE(p.server.stream(id)->reset);
  EXPECT_EQ(p.server.stream(id)->readable, 0u);
  EXPECT_TRUE(p.server.write(id, asBytes("x")).error().is(NetError::kStreamReset));
  p.server.release(id);
  EXPECT_EQ(p.server.streamCount(), 0u);
}

TEST(Yamux, InboundStreamLimitResetsTheExtraStream) {
  Config config;
  config.max_inbound_streams = 2;
  Session client(true);
  Session server(false, config);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client.openStream(kT0));
  Bytes out;
  client.takeOutbox(out);
  ASSERT_TRUE(server.feed(out, kT0));
  EXPECT_EQ(server.takeAccepted().size(), 2u);
  server.takeOutbox(out);
  ASSERT_TRUE(client.feed(out, kT0));
  EXPECT_TRUE(client.stream(5)->reset);
}

TEST(Yamux, GoAwayStopsNewStreams) {
  Pair p;
  p.server.goAway(GoAwayCode::kNormal);
  ASSERT_TRUE(p.pump());
  EXPECT_TRUE(p.client.remoteGoAway());
  EXPECT_TRUE(p.client.openStream(kT0).error().is(NetError::kGoAway));
  Session s(true);
  EXPECT_TRUE(s.feed(frame(FrameType::kGoAway, 0, 0, 1), kT0).error().is(NetError::kGoAway));
}

TEST(Yamux, ReleasedStreamDropsLateData) {
  Pair p;
  const uint32_t id = *p.client.openStream(kT0);
  ASSERT_TRUE(p.pump());
  p.server.takeAccepted();
  p.server.release(id);  // nothing buffered: a FIN
  ASSERT_TRUE(p.client.write(id, Bytes(1000, 1)));
  ASSERT_TRUE(p.pump());
  EXPECT_EQ(p.server.peek(id).size(), 0u);
  EXPECT_TRUE(p.client.stream(id)->remote_closed);
  ASSERT_TRUE(p.client.closeWrite(id));
  ASSERT_TRUE(p.pump());
  EXPECT_EQ(p.server.streamCount(), 0u);
}

TEST(Yamux, FramesSplitAnywhereDecodeTheSame) {
  Session client(true);
  const uint32_t id = *client.openStream(kT0);
  Bytes data(5000);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i);
  ASSERT_TRUE(client.write(id, data));
  ASSERT_TRUE(client.closeWrite(id));
  Bytes wire;
  client.takeOutbox(wire);
  Session server(false);
  for (uint8_t b : wire) ASSERT_TRUE(server.feed(BytesView(&b, 1), kT0));
  Bytes got(6000);
  EXPECT_EQ(server.read(id, got, kT0), data.size());
  got.resize(data.size());
  EXPECT_EQ(got, data);
  EXPECT_TRUE(server.stream(id)->remote_closed);
}

}  // namespace
}  // namespace fil::net::yamux

namespace fil::net::yamux {
namespace {

// Windows stay consistent through growth, partial reads and interleaving:
// a long transfer with random read sizes never trips the overrun check.
TEST(Yamux, LongTransferWithGrowingWindows) {
  Session client(true);
  Session server(false);
  client.setRtt(std::chrono::milliseconds(1));
  server.setRtt(std::chrono::milliseconds(1));
  Clock::time_point now{};
  const uint32_t id = *client.openStream(now);
  Bytes out;
  Bytes data(64 * 1024, 7);
  Bytes sink(100000);
  size_t sent = 0;
  size_t received = 0;
  uint32_t seed = 1;
  while (received < 64u * 1024 * 1024) {
    now += std::chrono::microseconds(100);
    if (sent < 64u * 1024 * 1024) sent += *client.write(id, data);
    client.takeOutbox(out);
    // Deliver in pieces that cut frames anywhere, reading between pieces.
    for (size_t at = 0; at < out.size();) {
      seed = seed * 1103515245 + 12345;
      const size_t piece = std::min(out.size() - at, size_t{1} + (seed >> 8) % 70000);
      ASSERT_TRUE(server.feed(BytesView(out).subspan(at, piece), now)) << "after " << received;
      at += piece;
      seed = seed * 1103515245 + 12345;
      const size_t want = 1 + (seed >> 8) % sink.size();
      received += server.read(id, MutableBytesView(sink).first(want), now);
    }
    server.takeOutbox(out);
    ASSERT_TRUE(client.feed(out, now));
  }
}

}  // namespace
}  // namespace fil::net::yamux
