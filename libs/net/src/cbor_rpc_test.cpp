// One-CBOR-item request/response over a stream, as Boost's protocols use it.
#include "fil/net/cbor_rpc.h"

#include <boost/asio/io_context.hpp>

#include "fil/codec/reflect.h"
#include "test_util.h"

namespace fil::net::rpc_test {

struct AskRequest {
  std::string miner;
  friend bool operator==(const AskRequest&, const AskRequest&) = default;
};
FIL_CBOR_MAP(AskRequest, (miner, "Miner"))

struct AskResponse {
  std::string miner;
  uint64_t price = 0;
  Bytes blob;
};
FIL_CBOR_MAP(AskResponse, (miner, "Miner"), (price, "Price"), (blob, "Blob"))

}  // namespace fil::net::rpc_test

namespace fil::net {
namespace {

using namespace std::chrono_literals;
using rpc_test::AskRequest;
using rpc_test::AskResponse;
using testing::fullAddress;
using testing::loopbackConfig;
using testing::run;

constexpr std::string_view kAsk = "/fil/storage/ask/1.1.0";

std::unique_ptr<Host> makeHost(asio::io_context& io) {
  auto host = Host::create(io, HostKey::generate(), loopbackConfig());
  EXPECT_TRUE(host && (*host)->listen());
  return std::move(*host);
}

TEST(CborRpc, RequestAndResponse) {
  asio::io_context io;
  auto client = makeHost(io);
  auto provider = makeHost(io);
  std::optional<PeerId> asked_by;
  serveCbor<AskRequest, AskResponse>(*provider, std::string(kAsk),
                                     [&](const PeerId& from, AskRequest r) -> Awaitable<Result<AskResponse>> {
                                       asked_by = from;
                                       // Big enough to span several yamux frames.
                                       AskResponse response{r.miner, 42, Bytes(300000, 0xab)};
                                       co_return response;
                                     });
  run(io, [&]() -> Awaitable<void> {
    CO_ASSERT_OK(co_await client->connect(fullAddress(*provider)));
    const std::vector<std::string> protocols{std::string(kAsk)};
    // Named, not a braced temporary: g++ 12 destroys those twice when they
    // are part of a co_await expression.
    const AskRequest request{"f01000"};
    auto response = co_await cborRequest<AskResponse>(*client, provider->id(), protocols, request);
    CO_ASSERT_OK(response);
    EXPECT_EQ(response->miner, "f01000");
    EXPECT_EQ(response->price, 42u);
    EXPECT_EQ(response->blob.size(), 300000u);
  });
  EXPECT_EQ(asked_by, client->id());
}

TEST(CborRpc, ProviderClosesOnAMalformedRequest) {
  asio::io_context io;
  auto client = makeHost(io);
  auto provider = makeHost(io);
  bool called = false;
  serveCbor<AskRequest, AskResponse>(*provider, std::string(kAsk),
                                     [&](const PeerId&, AskRequest) -> Awaitable<Result<AskResponse>> {
                                       called = true;
                                       co_return AskResponse();
                                     });
  run(io, [&]() -> Awaitable<void> {
    CO_ASSERT_OK(co_await client->connect(fullAddress(*provider)));
    const std::vector<std::string> protocols{std::string(kAsk)};
    // A well-formed CBOR item that is not an AskRequest.
    const uint64_t not_a_request = 7;
    auto r = co_await cborRequest<AskResponse>(*client, provider->id(), protocols, not_a_request);
    CO_ASSERT_TRUE(!r);
    EXPECT_TRUE(r.error().is(NetError::kStreamReset)) << r.error().message();
  });
  EXPECT_FALSE(called);
}

TEST(CborRpc, DeadlinesBoundBothSides) {
  asio::io_context io;
  auto client = makeHost(io);
  auto provider = makeHost(io);
  // A provider that never answers.
  provider->setStreamHandler(std::string(kAsk), [](Stream s) -> Awaitable<void> {
    co_await sleepFor(5s);
  });
  // A provider whose client never sends a whole request.
  serveCbor<AskRequest, AskResponse>(
      *provider, "/fil/storage/ask/slow",
      [](const PeerId&, AskRequest) -> Awaitable<Result<AskResponse>> { co_return AskResponse(); }, 200ms);
  run(io, [&]() -> Awaitable<void> {
    CO_ASSERT_OK(co_await client->connect(fullAddress(*provider)));
    const std::vector<std::string> silent{std::string(kAsk)};
    const AskRequest request{"f01000"};
    auto r = co_await cborRequest<AskResponse>(*client, provider->id(), silent, request, 200ms);
    CO_ASSERT_TRUE(!r);
    EXPECT_TRUE(r.error().is(NetError::kTimeout)) << r.error().message();

    const std::vector<std::string> slow{"/fil/storage/ask/slow"};
    auto s = co_await client->newStream(provider->id(), slow);
    CO_ASSERT_OK(s);
    const Bytes partial{0xa1, 0x65};  // a map whose key never arrives
    CO_ASSERT_OK(co_await s->write(partial));
    Bytes buf(16);
    auto n = co_await s->readSome(buf);
    CO_ASSERT_TRUE(!n);
    EXPECT_TRUE(n.error().is(NetError::kStreamReset)) << n.error().message();
  });
}

}  // namespace
}  // namespace fil::net
