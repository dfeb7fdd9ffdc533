#include "fil/api/api_host.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <future>

#include "fil/api/common_client.h"
#include "fil/repo/repo.h"
#include "fil/rpc/client.h"
#include "fil/testing/paths.h"

namespace fil::api {
namespace {

std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class ApiHostTest : public ::testing::Test {
 protected:
  void SetUp() override {
    blockTerminationSignals();
    path_ = dir_.path() / "repo";
    ASSERT_TRUE(repo::Repo::init(path_, repo::RepoType::kFullNode));
    repo_ = std::move(*repo::Repo::open(path_, repo::RepoType::kFullNode));
    auto host = ApiHost::create(*repo_, {.listen = "/ip4/127.0.0.1/tcp/0/http", .version = "test"});
    ASSERT_TRUE(host) << host.error().message();
    host_ = std::move(*host);
    auto bound = host_->start();
    ASSERT_TRUE(bound) << bound.error().message();
    bound_ = *bound;
  }

  testing::TempDir dir_;
  std::filesystem::path path_;
  std::unique_ptr<repo::Repo> repo_;
  std::unique_ptr<ApiHost> host_;
  std::string bound_;
};

TEST_F(ApiHostTest, ServesWithTheRepoTokenAndStopsOnShutdown) {
  EXPECT_EQ(readFile(path_ / "api"), bound_);
  const std::string token = readFile(path_ / "token");
  auto client = rpc::Client::connect({token, bound_});
  ASSERT_TRUE(client) << client.error().message();
  CommonClient api(**client);
  EXPECT_EQ(api.version()->version, "test");

  auto waiting = std::async(std::launch::async, [this] { host_->waitForShutdown(); });
  EXPECT_EQ(waiting.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
  ASSERT_TRUE(api.shutdown());
  EXPECT_EQ(waiting.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  host_->stop();
}

TEST_F(ApiHostTest, StopsOnSigterm) {
  auto waiting = std::async(std::launch::async, [this] { host_->waitForShutdown(); });
  ASSERT_EQ(kill(getpid(), SIGTERM), 0);
  EXPECT_EQ(waiting.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  host_->stop();
  // The api file goes with the repo.
  host_.reset();
  repo_.reset();
  EXPECT_FALSE(std::filesystem::exists(path_ / "api"));
}

}  // namespace
}  // namespace fil::api
