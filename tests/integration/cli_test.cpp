// `lotus` and `lotus-miner` CLI frames against a live API server: tokens,
// API info, version, logs, config, and commands that are not built yet.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>

#include "fil/api/common_impl.h"
#include "fil/api/serve.h"
#include "fil/base/log.h"
#include "fil/crypto/random.h"
#include "fil/rpc/api_info.h"
#include "fil/rpc/server.h"
#include "fil/testing/paths.h"
#include "fil/testing/process.h"

namespace fil {
namespace {

using testing::CommandRun;
CommandRun run(const std::string& command) { return testing::runCommand(command); }

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auth_ = std::make_shared<rpc::JwtAuth>(crypto::randomBytes(rpc::kJwtSecretSize));
    server_ = std::make_unique<rpc::Server>(rpc::ServerOptions{}, auth_);
    common_ = std::make_unique<api::CommonImpl>(
        api::CommonOptions{"1.23.3+filstack.0.1.0", api::kMinerApiVersion0, 4, auth_, nullptr, nullptr});
    api::serveCommonApi(*server_, *common_);
    addr_ = *server_->start();
    // A repo as a running node leaves it: the API address and an admin token.
    std::ofstream(repo_.path() / "api") << addr_;
    std::ofstream(repo_.path() / "token") << auth_->create({rpc::allPermissions(), std::nullopt, std::nullopt});
  }
  void TearDown() override { server_->stop(); }

  std::string miner(const std::string& args) const {
    return "env -u MINER_API_INFO LOTUS_MINER_PATH=" + repo_.path().string() + " " + std::string(FIL_BIN_DIR) +
           "/lotus-miner " + args;
  }

  testing::TempDir repo_;
  std::shared_ptr<rpc::JwtAuth> auth_;
  std::unique_ptr<rpc::Server> server_;
  std::unique_ptr<api::CommonImpl> common_;
  std::string addr_;
};

TEST_F(CliTest, AuthCreateTokenAndApiInfo) {
  const CommandRun token = run(miner("auth create-token --perm write"));
  ASSERT_EQ(token.exit_code, 0) << token.out;
  auto claims = auth_->verify(token.out.substr(0, token.out.find('\n')));
  ASSERT_TRUE(claims) << token.out;
  EXPECT_EQ(claims->allow, (std::vector<std::string>{"read", "write"}));

  // The operator guide's: export APISEALER=`./lotus-miner auth api-info --perm=admin`
  const CommandRun info = run(miner("auth api-info --perm=admin"));
  ASSERT_EQ(info.exit_code, 0) << info.out;
  ASSERT_TRUE(info.out.starts_with("MINER_API_INFO=")) << info.out;
  const auto parsed = rpc::parseApiInfo(info.out);
  ASSERT_TRUE(parsed) << info.out;
  EXPECT_EQ(parsed->addr, addr_);
  EXPECT_EQ(auth_->verify(parsed->token)->allow, rpc::allPermissions());

  const CommandRun missing = run(miner("auth create-token"));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.out.find("ERROR: --perm flag not set"), std::string::npos) << missing.out;
  const CommandRun bad = run(miner("auth create-token --perm root"));
  EXPECT_NE(bad.out.find("--perm flag has to be one of"), std::string::npos) << bad.out;
}

TEST_F(CliTest, VersionAndLogs) {
  const CommandRun version = run(miner("version"));
  ASSERT_EQ(version.exit_code, 0) << version.out;
  EXPECT_NE(version.out.find("Daemon:  1.23.3+filstack.0.1.0+api1.5.0\n"), std::string::npos) << version.out;
  EXPECT_NE(version.out.find("Local: lotus-miner version 1.23.3+filstack.0.1.0"), std::string::npos) << version.out;

  fil::log::get("cli-test-subsystem");
  const CommandRun list = run(miner("log list"));
  ASSERT_EQ(list.exit_code, 0) << list.out;
  EXPECT_NE(list.out.find("cli-test-subsystem\n"), std::string::npos) << list.out;
  EXPECT_EQ(run(miner("log set-level --system cli-test-subsystem debug")).exit_code, 0);
  EXPECT_TRUE(fil::log::get("cli-test-subsystem").should_log(spdlog::level::debug));
  const CommandRun bad = run(miner("log set-level --system cli-test-subsystem loud"));
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find("unknown log level 'loud'"), std::string::npos) << bad.out;
}

TEST_F(CliTest, TokensFromTheEnvironmentWinOverTheRepo) {
  const std::string read_only = auth_->create({{"read"}, std::nullopt, std::nullopt});
  const CommandRun r = run("MINER_API_INFO=" + read_only + ":" + addr_ + " " + std::string(FIL_BIN_DIR) +
                    "/lotus-miner auth create-token --perm admin");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("missing permission to invoke 'Filecoin.AuthNew' (need 'admin')"), std::string::npos) << r.out;
}

TEST_F(CliTest, ConfigCommands) {
  const CommandRun def = run(miner("config default"));
  ASSERT_EQ(def.exit_code, 0);
  EXPECT_NE(def.out.find("#EnableMarkets = true"), std::string::npos);
  const CommandRun plain = run(miner("config default --no-comment"));
  EXPECT_NE(plain.out.find("  EnableMarkets = true\n"), std::string::npos);
  std::ofstream(repo_.path() / "config.toml") << "[Subsystems]\n  EnableMarkets = false\n";
  const CommandRun updated = run(miner("config updated"));
  ASSERT_EQ(updated.exit_code, 0) << updated.out;
  EXPECT_NE(updated.out.find("\n  EnableMarkets = false\n"), std::string::npos) << updated.out;
  EXPECT_NE(updated.out.find("\n  #EnableMining = true\n"), std::string::npos);
  std::ofstream(repo_.path() / "config.toml") << "[Subsystems]\n  EnableMarket = false\n";
  const CommandRun typo = run(miner("config updated"));
  EXPECT_EQ(typo.exit_code, 1);
  EXPECT_NE(typo.out.find("unknown key Subsystems.EnableMarket (line 2)"), std::string::npos) << typo.out;
}

TEST_F(CliTest, CommandsNotBuiltSaySo) {
  const CommandRun r = run(miner("sectors list"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("'lotus-miner sectors' is not built yet"), std::string::npos) << r.out;
  const CommandRun client = run(std::string(FIL_BIN_DIR) + "/lotus client");
  EXPECT_EQ(client.exit_code, 1);
  EXPECT_NE(client.out.find("'lotus client' is not built yet"), std::string::npos) << client.out;
}

}  // namespace
}  // namespace fil
