// multistream-select over an in-memory channel: what the peer wrote is
// scripted, what we write is recorded.
#include "channel.h"

#include <boost/asio/io_context.hpp>

#include "byte_queue.h"
#include "cbor_item.h"
#include "fil/base/hex.h"
#include "multistream.h"
#include "test_util.h"

namespace fil::net {
namespace {

class ScriptedChannel final : public ByteChannel {
 public:
  // `incoming` arrives in pieces of `piece` bytes, one per fill().
  ScriptedChannel(Bytes incoming, size_t piece) : incoming_(std::move(incoming)), piece_(piece) {}
  BytesView buffered() const override { return buffer_.view(); }
  void consume(size_t n) override { buffer_.consume(n); }
  Awaitable<Status> fill() override {
    if (next_ >= incoming_.size()) co_return fail(NetError::kEndOfStream, "script ended");
    const size_t n = std::min(piece_, incoming_.size() - next_);
    buffer_.append(BytesView(incoming_).subspan(next_, n));
    next_ += n;
    co_return ok();
  }
  Awaitable<Status> write(BytesView data) override {
    append(written, data);
    co_return ok();
  }
  Bytes written;

 private:
  Bytes incoming_;
  size_t piece_;
  size_t next_ = 0;
  ByteQueue buffer_;
};

Bytes messages(std::initializer_list<std::string_view> texts) {
  Bytes out;
  for (auto t : texts) multistream::appendMessage(out, t);
  return out;
}

// What js-libp2p's optimistic select sends: header, protocol and the first
// application bytes in one write. The bytes after the negotiation stay in
// the channel for the protocol.
TEST(Negotiation, ListenerKeepsOptimisticData) {
  for (size_t piece : {size_t{1}, size_t{7}, size_t{1000}}) {
    asio::io_context io;
    Bytes incoming = messages({multistream::kProtocolId, "/ipfs/ping/1.0.0"});
    append(incoming, asBytes("PING-PAYLOAD"));
    ScriptedChannel channel(incoming, piece);
    const std::vector<std::string> supported{"/echo/1.0.0", "/ipfs/ping/1.0.0"};
    testing::run(io, [&]() -> Awaitable<void> {
      auto chosen = co_await acceptProtocol(channel, supported);
      CO_ASSERT_OK(chosen);
      EXPECT_EQ(*chosen, "/ipfs/ping/1.0.0");
      while (channel.buffered().size() < 12) CO_ASSERT_OK(co_await channel.fill());
      EXPECT_EQ(asString(channel.buffered()), "PING-PAYLOAD");
    });
    EXPECT_EQ(channel.written, messages({multistream::kProtocolId, "/ipfs/ping/1.0.0"}));
  }
}

TEST(Negotiation, ListenerAnswersNaAndLs) {
  asio::io_context io;
  ScriptedChannel channel(messages({multistream::kProtocolId, "/unknown", "ls", "/b"}), 64);
  const std::vector<std::string> supported{"/a", "/b"};
  testing::run(io, [&]() -> Awaitable<void> {
    auto chosen = co_await acceptProtocol(channel, supported);
    CO_ASSERT_OK(chosen);
    EXPECT_EQ(*chosen, "/b");
  });
  Bytes expected = messages({multistream::kProtocolId, "na"});
  append(expected, multistream::encodeList(supported));
  multistream::appendMessage(expected, "/b");
  EXPECT_EQ(toHex(channel.written), toHex(expected));
}

TEST(Negotiation, DialerTriesProtocolsInOrder) {
  asio::io_context io;
  ScriptedChannel channel(messages({multistream::kProtocolId, "na", "/fil/storage/mk/1.2.0"}), 5);
  const std::vector<std::string> offer{"/fil/storage/mk/1.2.1", "/fil/storage/mk/1.2.0"};
  testing::run(io, [&]() -> Awaitable<void> {
    auto chosen = co_await selectProtocol(channel, offer);
    CO_ASSERT_OK(chosen);
    EXPECT_EQ(*chosen, "/fil/storage/mk/1.2.0");
  });
  EXPECT_EQ(channel.written, messages({multistream::kProtocolId, "/fil/storage/mk/1.2.1", "/fil/storage/mk/1.2.0"}));
}

TEST(Negotiation, RefusesWrongHeadersAtOnce) {
  asio::io_context io;
  ScriptedChannel tls(*fromHex("160301020001"), 2);  // a TLS ClientHello
  ScriptedChannel all_refused(messages({multistream::kProtocolId, "na"}), 100);
  const std::vector<std::string> supported{"/a"};
  testing::run(io, [&]() -> Awaitable<void> {
    auto r = co_await acceptProtocol(tls, supported);
    CO_ASSERT_TRUE(!r);
    EXPECT_TRUE(r.error().is(NetError::kMultistream)) << r.error().message();
    auto none = co_await selectProtocol(all_refused, supported);
    CO_ASSERT_TRUE(!none);
    EXPECT_TRUE(none.error().is(NetError::kProtocolNotSupported));
  });
  EXPECT_TRUE(tls.written.empty());
}

TEST(Negotiation, LengthPrefixedMessages) {
  asio::io_context io;
  Bytes wire;
  appendLengthPrefixed(wire, asBytes("first"));
  appendLengthPrefixed(wire, Bytes(300, 1));
  ScriptedChannel channel(wire, 3);
  testing::run(io, [&]() -> Awaitable<void> {
    auto a = co_await readLengthPrefixed(channel, 1000);
    CO_ASSERT_OK(a);
    EXPECT_EQ(asString(*a), "first");
    auto b = co_await readLengthPrefixedOrEnd(channel, 1000);
    CO_ASSERT_OK(b);
    EXPECT_EQ(b->value().size(), 300u);
    auto end = co_await readLengthPrefixedOrEnd(channel, 1000);
    CO_ASSERT_OK(end);
    EXPECT_FALSE(end->has_value());
  });
  ScriptedChannel big(*fromHex("ffff03"), 3);
  testing::run(io, [&]() -> Awaitable<void> {
    auto r = co_await readLengthPrefixed(big, 1000);
    EXPECT_TRUE(!r && r.error().is(NetError::kMessageTooLarge));
  });
}

TEST(CborItem, FindsTheEndOfOneItem) {
  // [1, "two", [h'03', h''], {"k": [true, null, 1.5]}]
  const Bytes item = *fromHex("84016374776f82410340a1616b83f5f6f93e00");
  for (size_t cut = 0; cut < item.size(); ++cut) {
    auto r = cborItemSize(BytesView(item).first(cut));
    ASSERT_TRUE(r) << cut;
    EXPECT_FALSE(r->has_value()) << cut;
  }
  Bytes with_more = item;
  with_more.push_back(0x01);
  auto r = cborItemSize(with_more);
  ASSERT_TRUE(r && *r);
  EXPECT_EQ(**r, item.size());
  EXPECT_FALSE(cborItemSize(*fromHex("9f01ff")));  // indefinite array
  EXPECT_FALSE(cborItemSize(*fromHex("1c")));      // reserved additional info
  Bytes deep(100, 0x81);
  deep.push_back(0x01);
  EXPECT_FALSE(cborItemSize(deep));

  // Byte by byte, the scanner claims exactly the item's bytes.
  CborItemScanner scanner;
  size_t taken = 0;
  for (uint8_t b : with_more) {
    auto n = scanner.feed(BytesView(&b, 1));
    ASSERT_TRUE(n);
    taken += *n;
  }
  EXPECT_TRUE(scanner.done());
  EXPECT_EQ(taken, item.size());
}

}  // namespace
}  // namespace fil::net
