// `lotus-seed pre-seal`, `genesis new` and `genesis add-miner` as an
// operator runs them, then the genesis state built from their output.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "fil/chain/network.h"
#include "fil/store/blockstore.h"
#include "fil/testing/paths.h"
#include "fil/testing/process.h"
#include "fil/vm/genesis.h"
#include "fil/vm/state_view.h"

namespace fil {
namespace {

using testing::CommandRun;

class SeedTest : public ::testing::Test {
 protected:
  CommandRun seed(const std::string& args) const {
    const std::string command = "cd " + dir_.path().string() + " && FIL_PROOFS_PARENT_CACHE=" +
                                (dir_.path() / "parents").string() + " " + std::string(FIL_BIN_DIR) + "/lotus-seed " +
                                args;
    return testing::runCommand(command);
  }
  std::string read(const std::string& name) const {
    std::ifstream in(dir_.path() / name);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

  testing::TempDir dir_;
};

TEST_F(SeedTest, PreSealNewAddMinerAndBuildGenesis) {
  auto pre = seed("--sector-dir gs pre-seal --sector-size 2KiB --num-sectors 2 --miner-addr t01000");
  ASSERT_EQ(pre.exit_code, 0) << pre.out;
  EXPECT_NE(pre.out.find("sector 1: CommR bagboea4b5abc"), std::string::npos) << pre.out;
  for (const char* f : {"gs/pre-seal-t01000.json", "gs/pre-seal-t01000.key", "gs/sectorstore.json",
                        "gs/sealed/s-t01000-0", "gs/sealed/s-t01000-1", "gs/cache/s-t01000-1/p_aux"}) {
    EXPECT_TRUE(std::filesystem::exists(dir_.path() / f)) << f;
  }
  auto created = seed("genesis new --network-name localnet localnet.json");
  ASSERT_EQ(created.exit_code, 0) << created.out;
  auto added = seed("genesis add-miner localnet.json gs/pre-seal-t01000.json");
  ASSERT_EQ(added.exit_code, 0) << added.out;

  auto t = vm::genesis::templateFromJson(read("localnet.json"));
  ASSERT_TRUE(t) << t.error().message();
  ASSERT_EQ(t->miners.size(), 1u);
  ASSERT_EQ(t->accounts.size(), 1u);
  EXPECT_EQ(t->accounts[0].balance, primitives::TokenAmount(50'000'000) * primitives::kFilecoinPrecision);
  store::MemoryBlockstore blocks;
  auto g = vm::genesis::buildGenesisState(blocks, *t, chain::devnetParams());
  ASSERT_TRUE(g) << g.error().message();
  auto view = vm::StateView::load(blocks, g->state_root);
  auto power = view->minerPower(primitives::Address::id(1000), chain::devnetParams());
  ASSERT_TRUE(power) << power.error().message();
  EXPECT_EQ(power->miner.raw_byte_power, 4096);

  // The same manifest cannot be added twice: the next miner must be t01001.
  auto again = seed("genesis add-miner localnet.json gs/pre-seal-t01000.json");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.out.find("t01001"), std::string::npos) << again.out;
}

TEST_F(SeedTest, BadArgumentsAreNamed) {
  auto not_id = seed("--sector-dir gs pre-seal --miner-addr t1abc");
  EXPECT_EQ(not_id.exit_code, 1);
  EXPECT_NE(not_id.out.find("--miner-addr"), std::string::npos) << not_id.out;
  auto bad_size = seed("--sector-dir gs pre-seal --sector-size 3KiB");
  EXPECT_EQ(bad_size.exit_code, 1);
  EXPECT_NE(bad_size.out.find("--sector-size"), std::string::npos) << bad_size.out;
  auto missing = seed("genesis add-miner nothere.json gs/x.json");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.out.find("nothere.json"), std::string::npos) << missing.out;
  std::ofstream(dir_.path() / "broken.json") << "{\"Accounts\": 5";
  auto broken = seed("genesis add-miner broken.json gs/x.json");
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.out.find("broken.json"), std::string::npos) << broken.out;
}

}  // namespace
}  // namespace fil
