// `lotus daemon` as an operator runs it on a devnet, with the real binaries
// in a temporary directory: lotus-seed makes a pre-sealed genesis miner, the
// daemon makes the genesis and serves its API, a second daemon on the same
// repo is refused, `lotus daemon stop` and SIGTERM stop it cleanly, SIGKILL
// loses nothing, and a restart from the genesis CAR resumes the same chain.
#include <gtest/gtest.h>
#include <signal.h>

#include <memory>

#include "fil/testing/paths.h"
#include "fil/testing/process.h"

namespace fil {
namespace {

using testing::BackgroundProcess;
using testing::CommandRun;
using testing::readText;

class DaemonTest : public ::testing::Test {
 protected:
  std::string env() const {
    return "cd " + dir_.path().string() + " && LOTUS_PATH=" + repo().string() +
           " FIL_PROOFS_PARENT_CACHE=" + (dir_.path() / "parents").string() + " ";
  }
  std::filesystem::path repo() const { return dir_.path() / "lotus"; }

  CommandRun run(const std::string& binary, const std::string& args) const {
    return testing::runCommand(env() + std::string(FIL_BIN_DIR) + "/" + binary + " " + args);
  }

  // Starts `lotus daemon <args>` in the background; output to `log`.
  std::unique_ptr<BackgroundProcess> startDaemon(const std::string& args, const std::string& log) {
    return std::make_unique<BackgroundProcess>(
        env() + "exec " + std::string(FIL_BIN_DIR) + "/lotus daemon --network=test-devnet --api 0 " + args, dir_.path() / log);
  }

  testing::TempDir dir_;
};

TEST_F(DaemonTest, MakesGenesisServesStopsAndResumes) {
  auto pre = run("lotus-seed", "--sector-dir gs pre-seal --sector-size 2KiB --num-sectors 1 --miner-addr t01000");
  ASSERT_EQ(pre.exit_code, 0) << pre.out;
  ASSERT_EQ(run("lotus-seed", "genesis new localnet.json").exit_code, 0);
  auto added = run("lotus-seed", "genesis add-miner localnet.json gs/pre-seal-t01000.json");
  ASSERT_EQ(added.exit_code, 0) << added.out;

  // A new repo needs a genesis, and says how to give one.
  auto bare = run("lotus", "daemon --network=test-devnet --api 0");
  EXPECT_NE(bare.exit_code, 0);
  EXPECT_NE(bare.out.find("--genesis=devgen.car"), std::string::npos) << bare.out;

  auto daemon = startDaemon("--lotus-make-genesis=devgen.car --genesis-template=localnet.json", "d1.log");
  ASSERT_TRUE(daemon->waitFor("API on")) << daemon->output();
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "devgen.car"));
  EXPECT_TRUE(std::filesystem::exists(repo() / "api"));
  EXPECT_NE(daemon->output().find("chain head at height 0"), std::string::npos);

  // The CLI reaches it through the repo's api and token files.
  auto version = run("lotus", "version");
  EXPECT_EQ(version.exit_code, 0) << version.out;
  EXPECT_NE(version.out.find("Daemon:"), std::string::npos) << version.out;

  // A second daemon on the same repo is refused, naming the holder.
  auto second = run("lotus", "daemon --network=test-devnet --api 0 --genesis=devgen.car");
  EXPECT_NE(second.exit_code, 0);
  EXPECT_NE(second.out.find("lock"), std::string::npos) << second.out;

  // `lotus daemon stop` stops it; the api file goes.
  auto stop = run("lotus", "daemon stop");
  EXPECT_EQ(stop.exit_code, 0) << stop.out;
  EXPECT_EQ(daemon->wait(), 0) << daemon->output();
  EXPECT_FALSE(std::filesystem::exists(repo() / "api"));

  // Again from the CAR: SIGTERM stops it cleanly.
  daemon = startDaemon("--genesis=devgen.car", "d2.log");
  ASSERT_TRUE(daemon->waitFor("API on")) << daemon->output();
  daemon->signal(SIGTERM);
  EXPECT_EQ(daemon->wait(), 0) << daemon->output();

  // SIGKILL: the next start finds the repo usable and the same chain.
  daemon = startDaemon("", "d3.log");
  ASSERT_TRUE(daemon->waitFor("API on")) << daemon->output();
  daemon->signal(SIGKILL);
  daemon->wait();
  daemon = startDaemon("--genesis=devgen.car", "d4.log");
  ASSERT_TRUE(daemon->waitFor("API on")) << daemon->output();
  EXPECT_NE(daemon->output().find("chain head at height 0"), std::string::npos);
  daemon->signal(SIGTERM);
  EXPECT_EQ(daemon->wait(), 0);

  // Another genesis is refused for this repo.
  ASSERT_EQ(run("lotus-seed", "genesis new other.json").exit_code, 0);
  auto other = run("lotus", "daemon --network=test-devnet --api 0 --lotus-make-genesis=other.car "
                            "--genesis-template=other.json");
  EXPECT_NE(other.exit_code, 0);
  EXPECT_NE(other.out.find("already has a chain"), std::string::npos) << other.out;
}

}  // namespace
}  // namespace fil
