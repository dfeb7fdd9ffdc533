#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "fil/repo/repo.h"
#include "fil/rpc/jwt.h"
#include "fil/testing/paths.h"

namespace fil::repo {
namespace {

TEST(Repo, InitLayoutAndReopen) {
  testing::TempDir dir;
  const auto path = dir.path() / "miner";
  ASSERT_TRUE(Repo::init(path, RepoType::kStorageMiner));
  EXPECT_TRUE(Repo::init(path, RepoType::kStorageMiner).error().is(RepoError::kAlreadyInitialized));
  EXPECT_TRUE(std::filesystem::exists(path / "config.toml"));
  struct stat st{};
  ASSERT_EQ(::stat((path / "keystore").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  std::ifstream config(path / "config.toml");
  std::string first;
  std::getline(config, first);
  EXPECT_EQ(first, "[API]");

  auto repo = Repo::open(path, RepoType::kStorageMiner);
  ASSERT_TRUE(repo) << repo.error().message();
  auto secret = (*repo)->apiSecret();
  ASSERT_TRUE(secret);
  EXPECT_EQ(secret->size(), 32u);
  EXPECT_EQ(*(*repo)->apiSecret(), *secret);  // stable
  ASSERT_EQ(::stat((path / "token").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream token_file(path / "token");
  std::string token;
  std::getline(token_file, token);
  EXPECT_EQ(rpc::JwtAuth(*secret).verify(token)->allow, rpc::allPermissions());

  ASSERT_TRUE((*repo)->setApiEndpoint("/ip4/127.0.0.1/tcp/2345/http"));
  EXPECT_TRUE(std::filesystem::exists(path / "api"));
  auto ds = (*repo)->datastore();
  ASSERT_TRUE(ds);
  ASSERT_TRUE((*ds)->put(store::Key("/metadata/miner-address"), asBytes("t01000")));
  ASSERT_TRUE((*repo)->setStorageConfig({{{"/data/sealed"}}}));
  EXPECT_EQ((*repo)->storageConfig()->storage_paths.at(0).path, "/data/sealed");
  repo->reset();
  EXPECT_FALSE(std::filesystem::exists(path / "api"));  // removed on close

  auto again = Repo::open(path, RepoType::kStorageMiner);
  ASSERT_TRUE(again);
  EXPECT_EQ(asString(*(*(*again)->datastore())->get(store::Key("/metadata/miner-address"))), "t01000");
}

TEST(Repo, OneProcessAtATime) {
  testing::TempDir dir;
  ASSERT_TRUE(Repo::init(dir.path(), RepoType::kFullNode));
  auto held = Repo::open(dir.path(), RepoType::kFullNode);
  ASSERT_TRUE(held);
  // Another process (the lock is per open file, so fork to test it for real).
  const pid_t child = ::fork();
  if (child == 0) {
    auto second = Repo::open(dir.path(), RepoType::kFullNode);
    const bool refused = !second && second.error().is(RepoError::kLocked) &&
                         second.error().message().find(std::to_string(::getppid())) != std::string::npos;
    ::_exit(refused ? 0 : 1);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the second process was not refused with the holder's pid";
  held->reset();
  EXPECT_TRUE(Repo::open(dir.path(), RepoType::kFullNode));
}

TEST(Repo, RefusesMissingRepoAndBadStorageJson) {
  testing::TempDir dir;
  auto missing = Repo::open(dir.path() / "nope", RepoType::kFullNode);
  ASSERT_FALSE(missing);
  EXPECT_TRUE(missing.error().is(RepoError::kNotInitialized));
  ASSERT_TRUE(Repo::init(dir.path(), RepoType::kStorageMiner));
  std::ofstream(dir.path() / "storage.json") << "{not json";
  auto repo = *Repo::open(dir.path(), RepoType::kStorageMiner);
  EXPECT_TRUE(repo->storageConfig().error().is(RepoError::kInvalid));
}

}  // namespace
}  // namespace fil::repo
