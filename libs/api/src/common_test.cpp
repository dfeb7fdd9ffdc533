#include <gtest/gtest.h>

#include <atomic>

#include "fil/api/common_client.h"
#include "fil/api/common_impl.h"
#include "fil/api/json.h"
#include "fil/api/serve.h"
#include "fil/base/log.h"
#include "fil/crypto/random.h"
#include "fil/rpc/client.h"
#include "fil/rpc/server.h"

namespace fil::api {
namespace {

class CommonApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auth_ = std::make_shared<rpc::JwtAuth>(crypto::randomBytes(rpc::kJwtSecretSize));
    server_ = std::make_unique<rpc::Server>(rpc::ServerOptions{}, auth_);
    impl_ = std::make_unique<CommonImpl>(CommonOptions{
        "1.23.3+filstack", kMinerApiVersion0, 4, auth_, [this] { ++shutdowns_; }, [this] { return server_->describe(); }});
    serveCommonApi(*server_, *impl_);
    addr_ = *server_->start();
    admin_ = auth_->create({rpc::allPermissions(), std::nullopt, std::nullopt});
    client_ = std::move(*rpc::Client::connect({admin_, addr_}));
    api_ = std::make_unique<CommonClient>(*client_);
  }
  void TearDown() override { server_->stop(); }

  std::shared_ptr<rpc::JwtAuth> auth_;
  std::unique_ptr<rpc::Server> server_;
  std::unique_ptr<CommonImpl> impl_;
  std::string addr_;
  std::string admin_;
  std::unique_ptr<rpc::Client> client_;
  std::unique_ptr<CommonClient> api_;
  std::atomic<int> shutdowns_{0};
};

TEST_F(CommonApiTest, VersionAndAuth) {
  auto v = api_->version();
  ASSERT_TRUE(v) << v.error().message();
  EXPECT_EQ(v->version, "1.23.3+filstack");
  EXPECT_EQ(v->api_version, 66816u);  // Lotus's MinerAPIVersion0 (1.5.0)
  EXPECT_EQ(v->block_delay, 4u);

  EXPECT_EQ(*api_->authVerify(admin_), rpc::allPermissions());
  auto token = api_->authNew({"read", "write"});
  ASSERT_TRUE(token);
  EXPECT_EQ(*api_->authVerify(std::string(token->begin(), token->end())), (std::vector<std::string>{"read", "write"}));
  EXPECT_TRUE(api_->authNew({"root"}).error().is(rpc::RpcError::kInvalidParams));
  EXPECT_FALSE(api_->authVerify("forged.token.here"));

  // A read-only caller cannot mint tokens.
  auto reader = std::move(*rpc::Client::connect({auth_->create({{"read"}, std::nullopt, std::nullopt}), addr_}));
  EXPECT_TRUE(CommonClient(*reader).authNew({"admin"}).error().is(rpc::RpcError::kPermissionDenied));
}

TEST_F(CommonApiTest, LogsSessionStartTimeDiscover) {
  fil::log::get("api-test-subsystem");
  auto list = api_->logList();
  ASSERT_TRUE(list);
  EXPECT_NE(std::find(list->begin(), list->end(), "api-test-subsystem"), list->end());
  EXPECT_TRUE(api_->logSetLevel("api-test-subsystem", "debug"));
  EXPECT_FALSE(api_->logSetLevel("api-test-subsystem", "shout"));
  EXPECT_EQ(api_->session()->size(), 36u);
  EXPECT_EQ(*api_->session(), *api_->session());
  auto started = api_->startTime();
  ASSERT_TRUE(started);
  EXPECT_LE(started->time, std::chrono::system_clock::now());
  EXPECT_GT(started->time, std::chrono::system_clock::now() - std::chrono::minutes(1));
  auto doc = api_->discover();
  ASSERT_TRUE(doc);
  EXPECT_NE(doc->text.find("Filecoin.AuthVerify"), std::string::npos);
  EXPECT_TRUE(api_->logAlerts());
}

TEST_F(CommonApiTest, ShutdownAndClosing) {
  auto closing = api_->closing();
  ASSERT_TRUE(closing);
  EXPECT_TRUE(api_->shutdown());
  EXPECT_EQ(shutdowns_, 1);
  impl_->notifyClosing();
  EXPECT_FALSE(closing->next(std::chrono::seconds(10)));
  EXPECT_TRUE(closing->isClosed());
}

TEST(Timestamp, RfcThreeThreeNineRoundTrip) {
  const Timestamp t{std::chrono::system_clock::time_point(std::chrono::seconds(1700000000) + std::chrono::microseconds(123456))};
  const auto j = codec::toJson(t);
  EXPECT_EQ(j, "2023-11-14T22:13:20.123456Z");
  EXPECT_EQ(*codec::fromJson<Timestamp>(j), t);
  EXPECT_EQ(codec::fromJson<Timestamp>(codec::Json("2023-11-14T23:13:20.123456+01:00"))->time, t.time);
  EXPECT_FALSE(codec::fromJson<Timestamp>(codec::Json("yesterday")));
}

}  // namespace
}  // namespace fil::api
