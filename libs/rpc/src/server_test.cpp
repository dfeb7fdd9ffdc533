#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast.hpp>

#include "fil/crypto/random.h"
#include "fil/rpc/client.h"
#include "fil/rpc/server.h"

namespace fil::rpc {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

class TestApi {
 public:
  virtual ~TestApi() = default;
  virtual Result<std::string> echo(const std::string& s) = 0;
  virtual Result<uint64_t> add(uint64_t a, uint64_t b) = 0;
  virtual Result<std::string> sign(const std::string& s) = 0;
  virtual Result<std::string> secret() = 0;
  virtual Result<void> broken() = 0;
  virtual Result<Channel<uint64_t>> count(uint64_t n) = 0;
  virtual Result<uint64_t> slow(uint64_t ms) = 0;
  virtual Result<std::vector<std::string>> whoami() = 0;
};

inline constexpr auto kEcho = method<&TestApi::echo>("Echo", Perm::kRead);
inline constexpr auto kAdd = method<&TestApi::add>("Add", Perm::kWrite);
inline constexpr auto kSign = method<&TestApi::sign>("Sign", Perm::kSign);
inline constexpr auto kSecret = method<&TestApi::secret>("Secret", Perm::kAdmin);
inline constexpr auto kBroken = method<&TestApi::broken>("Broken", Perm::kRead);
inline constexpr auto kCount = method<&TestApi::count>("Count", Perm::kRead);
inline constexpr auto kSlow = method<&TestApi::slow>("Slow", Perm::kRead);
inline constexpr auto kWhoami = method<&TestApi::whoami>("Whoami", Perm::kRead);
inline constexpr auto kTestMethods = std::make_tuple(kEcho, kAdd, kSign, kSecret, kBroken, kCount, kSlow, kWhoami);

class TestImpl final : public TestApi {
 public:
  Result<std::string> echo(const std::string& s) override { return s; }
  Result<uint64_t> add(uint64_t a, uint64_t b) override { return a + b; }
  Result<std::string> sign(const std::string& s) override { return "signed:" + s; }
  Result<std::string> secret() override { return "42"; }
  Result<void> broken() override { return fail(GenericError::kInternal, "it broke on purpose"); }
  Result<Channel<uint64_t>> count(uint64_t n) override {
    Channel<uint64_t> ch(4);
    producers.emplace_back([ch, n, this] {
      for (uint64_t i = 0; i < n; ++i) {
        if (!ch.push(i)) {
          stopped_early = true;
          return;
        }
      }
      ch.close();
    });
    return ch;
  }
  Result<uint64_t> slow(uint64_t ms) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    ++slow_done;
    return ms;
  }
  Result<std::vector<std::string>> whoami() override { return currentCall()->claims.allow; }
  ~TestImpl() override {
    for (auto& t : producers) t.join();
  }
  std::vector<std::thread> producers;
  std::atomic<bool> stopped_early{false};
  std::atomic<int> slow_done{0};
};

struct HttpReply {
  int status;
  std::string body;
};

HttpReply post(const ApiInfo& where, const std::string& target, const std::string& body, const std::string& token = {}) {
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  auto hp = *where.hostPort();
  stream.connect(tcp::endpoint(boost::asio::ip::make_address(hp.first), hp.second));
  http::request<http::string_body> req{http::verb::post, target, 11};
  req.set(http::field::host, hp.first);
  req.set(http::field::content_type, "application/json");
  if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
  req.body() = body;
  req.prepare_payload();
  beast::error_code ec;
  http::write(stream, req, ec);  // a server refusing a large body may stop reading early
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(1 << 30);
  http::read(stream, buffer, parser);
  return {static_cast<int>(parser.get().result_int()), parser.get().body()};
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auth_ = std::make_shared<JwtAuth>(crypto::randomBytes(kJwtSecretSize));
    server_ = std::make_unique<Server>(ServerOptions{.max_request_bytes = 1 << 20, .worker_threads = 8}, auth_);
    server_->registerApi(impl_, kTestMethods);
    auto bound = server_->start();
    ASSERT_TRUE(bound) << bound.error().message();
    addr_ = *bound;
  }
  void TearDown() override { server_->stop(); }

  ApiInfo info(Perm p) const { return ApiInfo{auth_->create({permissionsUpTo(p), std::nullopt, std::nullopt}), addr_}; }
  std::unique_ptr<Client> client(const ApiInfo& i) {
    auto c = Client::connect(i);
    EXPECT_TRUE(c) << c.error().message();
    return c ? std::move(*c) : nullptr;
  }

  TestImpl impl_;
  std::shared_ptr<JwtAuth> auth_;
  std::unique_ptr<Server> server_;
  std::string addr_;
};

TEST_F(ServerTest, PermissionsAtEveryLevel) {
  auto read = client(info(Perm::kRead));
  EXPECT_EQ(*read->call(kEcho, std::string("hi")), "hi");
  auto denied = read->call(kAdd, uint64_t{1}, uint64_t{2});
  ASSERT_FALSE(denied);
  EXPECT_TRUE(denied.error().is(RpcError::kPermissionDenied));
  EXPECT_EQ(denied.error().message(), "missing permission to invoke 'Filecoin.Add' (need 'write')");

  auto write = client(info(Perm::kWrite));
  EXPECT_EQ(*write->call(kAdd, uint64_t{1}, uint64_t{2}), 3u);
  EXPECT_EQ(write->call(kSign, std::string("x")).error().message(),
            "missing permission to invoke 'Filecoin.Sign' (need 'sign')");

  auto sign = client(info(Perm::kSign));
  EXPECT_EQ(*sign->call(kSign, std::string("x")), "signed:x");
  EXPECT_TRUE(sign->call(kSecret).error().is(RpcError::kPermissionDenied));

  auto admin = client(info(Perm::kAdmin));
  EXPECT_EQ(*admin->call(kSecret), "42");
  EXPECT_EQ(*admin->call(kWhoami), allPermissions());
}

TEST_F(ServerTest, NoTokenIsReadOnlyAndBadTokenIs401) {
  auto anonymous = client(ApiInfo{"", addr_});
  EXPECT_EQ(*anonymous->call(kWhoami), std::vector<std::string>{"read"});
  EXPECT_TRUE(anonymous->call(kAdd, uint64_t{1}, uint64_t{1}).error().is(RpcError::kPermissionDenied));

  const JwtAuth stranger(crypto::randomBytes(kJwtSecretSize));
  auto forged = Client::connect(ApiInfo{stranger.create({allPermissions(), std::nullopt, std::nullopt}), addr_});
  ASSERT_FALSE(forged);
  EXPECT_TRUE(forged.error().is(RpcError::kUnauthorized));
  auto expired = Client::connect(
      ApiInfo{auth_->create({allPermissions(), std::nullopt, std::chrono::system_clock::now() - std::chrono::minutes(1)}), addr_});
  EXPECT_TRUE(expired.error().is(RpcError::kUnauthorized));

  const auto where = *parseApiInfo(addr_);
  EXPECT_EQ(post(where, "/rpc/v0", R"({"jsonrpc":"2.0","id":1,"method":"Filecoin.Echo","params":["x"]})", "not.a.token").status, 401);
  // The server keeps serving after refusing.
  EXPECT_EQ(*anonymous->call(kEcho, std::string("still here")), "still here");
}

TEST_F(ServerTest, NarrowedTokens) {
  const auto token = auth_->create({allPermissions(), std::vector<std::string>{"Filecoin.Add"}, std::nullopt});
  auto c = client(ApiInfo{token, addr_});
  EXPECT_EQ(*c->call(kAdd, uint64_t{2}, uint64_t{2}), 4u);
  auto refused = c->call(kEcho, std::string("x"));
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("limited to other methods"), std::string::npos);
}

TEST_F(ServerTest, HttpPostSingleBatchAndNotifications) {
  const auto where = *parseApiInfo(addr_);
  const auto token = info(Perm::kAdmin).token;
  auto single = post(where, "/rpc/v0", R"({"jsonrpc":"2.0","id":7,"method":"Filecoin.Add","params":[40,2]})", token);
  EXPECT_EQ(single.status, 200);
  EXPECT_EQ(Json::parse(single.body), Json::parse(R"({"jsonrpc":"2.0","id":7,"result":42})"));

  auto batch = post(where, "/rpc/v1",
                    R"([{"jsonrpc":"2.0","id":1,"method":"Filecoin.Echo","params":["a"]},)"
                    R"({"jsonrpc":"2.0","method":"Filecoin.Echo","params":["notification"]},)"
                    R"({"jsonrpc":"2.0","id":"two","method":"Filecoin.Broken","params":[]}])",
                    token);
  const auto answers = Json::parse(batch.body);
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(answers[0]["result"], "a");
  EXPECT_EQ(answers[1]["id"], "two");
  EXPECT_EQ(answers[1]["error"]["code"], 1);
  EXPECT_EQ(answers[1]["error"]["message"], "it broke on purpose");

  auto note = post(where, "/rpc/v0", R"({"jsonrpc":"2.0","method":"Filecoin.Echo","params":["n"]})", token);
  EXPECT_EQ(note.status, 200);
  EXPECT_TRUE(note.body.empty());
  // Channels need a WebSocket.
  auto chan = Json::parse(post(where, "/rpc/v0", R"({"jsonrpc":"2.0","id":1,"method":"Filecoin.Count","params":[3]})").body);
  EXPECT_EQ(chan["error"]["code"], -32601);
}

TEST_F(ServerTest, MalformedRequestsGetClearErrors) {
  const auto where = *parseApiInfo(addr_);
  auto code = [&](const std::string& body) { return Json::parse(post(where, "/rpc/v0", body).body)["error"]["code"]; };
  EXPECT_EQ(code("{not json"), -32700);
  EXPECT_EQ(code("[]"), -32600);
  EXPECT_EQ(code(R"({"jsonrpc":"2.0","id":1})"), -32600);
  EXPECT_EQ(code(R"({"jsonrpc":"2.0","id":1,"method":"Filecoin.Nope","params":[]})"), -32601);
  EXPECT_EQ(code(R"({"jsonrpc":"2.0","id":1,"method":"Filecoin.Echo","params":[]})"), -32602);
  EXPECT_EQ(code(R"({"jsonrpc":"2.0","id":1,"method":"Filecoin.Echo","params":[5]})"), -32602);
  EXPECT_EQ(code(R"({"jsonrpc":"2.0","id":{"x":1},"method":"Filecoin.Echo","params":["a"]})"), -32600);

  auto wrong = client(info(Perm::kRead))->callJson("Filecoin.Echo", Json::array({1, 2}));
  ASSERT_FALSE(wrong);
  EXPECT_TRUE(wrong.error().is(RpcError::kInvalidParams));
  EXPECT_EQ(wrong.error().message(), "wrong param count (method 'Filecoin.Echo'): 2 != 1");

  auto unknown = client(info(Perm::kRead))->callJson("Filecoin.Missing", Json::array());
  EXPECT_TRUE(unknown.error().is(RpcError::kMethodNotFound));
}

TEST_F(ServerTest, OversizedRequestsAreRefused) {
  const auto where = *parseApiInfo(addr_);
  const std::string huge = R"({"jsonrpc":"2.0","id":1,"method":"Filecoin.Echo","params":[")" + std::string(2 << 20, 'x') + "\"]}";
  auto reply = post(where, "/rpc/v0", huge);
  EXPECT_EQ(reply.status, 413);
  EXPECT_NE(reply.body.find("request bigger than maximum"), std::string::npos);
  auto c = client(info(Perm::kRead));
  EXPECT_FALSE(c->call(kEcho, std::string(2 << 20, 'y')));  // the WebSocket refuses it too
  EXPECT_EQ(*client(info(Perm::kRead))->call(kEcho, std::string("fine")), "fine");
}

TEST_F(ServerTest, ConcurrentClients) {
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      auto c = Client::connect(info(Perm::kWrite));
      if (!c) return;
      for (uint64_t i = 0; i < 100; ++i) {
        auto r = (*c)->call(kAdd, uint64_t(t), i);
        if (r && *r == uint64_t(t) + i) ++good;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good, 1600);
}

TEST(Channel, TryPushReachesAnAttachedSink) {
  Channel<int> ch(2);
  EXPECT_TRUE(ch.tryPush(1));  // queued
  std::vector<int> got;
  ch.setSink([&](int&& v) { got.push_back(v); return got.size() < 3; }, [] {});
  for (int v = 2; v <= 5; ++v) ch.tryPush(v);  // more than the queue holds: the sink takes them
  EXPECT_EQ(got, (std::vector<int>{1, 2, 3}));  // the sink refused the third: closed
  EXPECT_TRUE(ch.isClosed());
  EXPECT_FALSE(ch.tryPush(6));
}

// A slow call (StateWaitMsg, say) holds neither its own connection nor
// anyone else's: handlers run on the worker pool, not the I/O thread.
TEST_F(ServerTest, ASlowCallDoesNotHoldUpOthers) {
  auto shared = client(info(Perm::kWrite));
  auto other = client(info(Perm::kWrite));
  ASSERT_TRUE(shared && other);
  std::thread slow([&] { EXPECT_EQ(*shared->call(kSlow, uint64_t{3000}), 3000u); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the slow call is in its handler
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(*shared->call(kAdd, uint64_t{1}, uint64_t{2}), 3u);  // same connection
  EXPECT_EQ(*other->call(kAdd, uint64_t{2}, uint64_t{2}), 4u);   // another connection
  EXPECT_EQ(post(ApiInfo{"", addr_}, "/rpc/v0", R"({"jsonrpc":"2.0","id":1,"method":"Filecoin.Echo","params":["x"]})")
                .status,
            200);  // and plain HTTP
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1500));
  EXPECT_EQ(impl_.slow_done.load(), 0);
  slow.join();
}

TEST_F(ServerTest, ChannelsStreamAndCancel) {
  auto c = client(info(Perm::kRead));
  auto ch = c->call(kCount, uint64_t{100});
  ASSERT_TRUE(ch) << ch.error().message();
  for (uint64_t i = 0; i < 100; ++i) {
    auto v = ch->next(std::chrono::seconds(10));
    ASSERT_TRUE(v) << i;
    EXPECT_EQ(*v, i);
  }
  EXPECT_FALSE(ch->next(std::chrono::seconds(10)));  // closed by xrpc.ch.close
  EXPECT_TRUE(ch->isClosed());

  // A consumer that goes away: the producer is told to stop.
  {
    auto endless = client(info(Perm::kRead));
    auto stream = endless->call(kCount, uint64_t{1} << 40);
    ASSERT_TRUE(stream);
    EXPECT_TRUE(stream->next(std::chrono::seconds(10)));
  }
  for (int i = 0; i < 200 && !impl_.stopped_early; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  EXPECT_TRUE(impl_.stopped_early);
}

TEST_F(ServerTest, MetricsAndDiscover) {
  auto c = client(info(Perm::kRead));
  ASSERT_TRUE(c->call(kEcho, std::string("m")));
  const auto where = *parseApiInfo(addr_);
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  auto hp = *where.hostPort();
  stream.connect(tcp::endpoint(boost::asio::ip::make_address(hp.first), hp.second));
  http::request<http::empty_body> req{http::verb::get, "/debug/metrics", 11};
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  EXPECT_NE(res.body().find(R"(rpc_requests_total{method="Filecoin.Echo",status="ok"})"), std::string::npos) << res.body();
  EXPECT_NE(res.body().find("rpc_request_duration_seconds_bucket"), std::string::npos);

  auto discover = c->callJson("rpc.discover", Json::array());
  ASSERT_TRUE(discover);
  EXPECT_EQ((*discover)["methods"].size(), std::tuple_size_v<decltype(kTestMethods)>);
}

TEST_F(ServerTest, GracefulShutdownFinishesCallsInFlight) {
  auto c = client(info(Perm::kRead));
  std::thread caller([&] { EXPECT_EQ(*c->call(kSlow, uint64_t{300}), 300u); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  server_->stop(std::chrono::seconds(5));
  caller.join();
  EXPECT_EQ(impl_.slow_done, 1);
  EXPECT_FALSE(Client::connect(info(Perm::kRead)));  // no longer listening
}

}  // namespace
}  // namespace fil::rpc
