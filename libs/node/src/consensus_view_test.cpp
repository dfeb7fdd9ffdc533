#include "fil/node/consensus_view.h"

#include <gtest/gtest.h>

#include "fil/primitives/key_info.h"
#include "fil/testing/paths.h"
#include "fil/vm/genesis.h"
#include "fil/vm/preseal.h"

namespace fil::node {
namespace {

// A genesis with one pre-sealed 2 KiB miner (two real sectors), read back
// as consensus sees it.
TEST(StateConsensusView, AnswersFromAPreSealedGenesis) {
  testing::TempDir dir;
  const auto& net = chain::testDevnetParams();
  vm::genesis::PreSealOptions o;
  o.miner = primitives::Address::id(1000);
  o.sectors = 2;
  o.root = dir.path() / "sectors";
  o.parent_cache_dir = dir.path() / "parents";
  o.data_seed = 1;
  auto sealed = vm::genesis::preSeal(o);
  ASSERT_TRUE(sealed) << sealed.error().message();
  auto t = vm::genesis::newTemplate(std::string(net.name));
  ASSERT_TRUE(vm::genesis::addMiners(t, {{"t01000", sealed->miner}}, 1000));
  store::MemoryBlockstore blocks;
  auto g = vm::genesis::buildGenesisState(blocks, t, net);
  ASSERT_TRUE(g) << g.error().message();

  StateConsensusView view(blocks, net, g->state_root, g->state_root, g->state_root);
  auto miner = view.lookbackMiner(o.miner);
  ASSERT_TRUE(miner) << miner.error().message();
  EXPECT_TRUE(miner->found);
  EXPECT_EQ(miner->worker, *primitives::addressOf(sealed->key));
  EXPECT_TRUE(miner->has_claim);
  EXPECT_EQ(miner->miner_power, 2 * 2048);
  EXPECT_EQ(miner->network_power, 2 * 2048);
  EXPECT_EQ(miner->active_sectors, 2u);
  EXPECT_EQ(miner->winning_post_proof, proofs::RegisteredPoStProof::kStackedDrgWinning2KiBV1);

  auto sectors = view.lookbackSectors(o.miner, std::vector<uint64_t>{1, 0});
  ASSERT_TRUE(sectors) << sectors.error().message();
  ASSERT_EQ(sectors->size(), 2u);
  EXPECT_EQ((*sectors)[0].sector, sealed->miner.sectors[1].sector_id);
  EXPECT_EQ((*sectors)[1].sector, sealed->miner.sectors[0].sector_id);
  EXPECT_FALSE(view.lookbackSectors(o.miner, std::vector<uint64_t>{2}));

  auto parent = view.parentMiner(o.miner);
  ASSERT_TRUE(parent);
  EXPECT_TRUE(parent->has_claim);
  EXPECT_FALSE(parent->has_fee_debt);
  EXPECT_EQ(*view.parentNetworkPower(), 2 * 2048);

  // The owner's account sends; a miner actor does not; strangers are unknown.
  auto owner = view.sender(*primitives::addressOf(sealed->key));
  ASSERT_TRUE(owner);
  EXPECT_TRUE(owner->found);
  EXPECT_TRUE(owner->can_send);
  EXPECT_TRUE(owner->id.isId());
  EXPECT_FALSE(view.sender(o.miner)->can_send);
  EXPECT_FALSE(view.sender(*primitives::addressOf(primitives::newSecp256k1Key()))->found);
  EXPECT_FALSE(view.lookbackMiner(primitives::Address::id(1001))->found);
}

}  // namespace
}  // namespace fil::node
