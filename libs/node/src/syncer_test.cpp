#include "fil/node/syncer.h"

#include <gtest/gtest.h>

#include "fil/chain/election.h"
#include "fil/chain/genesis_block.h"
#include "fil/chain/mining.h"
#include "fil/node/consensus_view.h"
#include "fil/proofs/post.h"
#include "fil/store/memory_datastore.h"
#include "fil/testing/paths.h"
#include "fil/vm/genesis.h"
#include "fil/vm/preseal.h"
#include "fil/vm/state_view.h"

namespace fil::node {
namespace {

const chain::NetworkParams& net() { return chain::testDevnetParams(); }

// A devnet with one pre-sealed 2 KiB miner holding all the power; blocks are
// produced here as the block production library will: real elections,
// tickets, beacon entries and winning PoSts over the sealed sectors.
class SyncerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fil::testing::TempDir();
    vm::genesis::PreSealOptions o;
    o.miner = primitives::Address::id(1000);
    o.sectors = 2;
    o.root = dir_->path() / "sectors";
    o.parent_cache_dir = dir_->path() / "parents";
    o.data_seed = 3;
    auto sealed = vm::genesis::preSeal(o);
    ASSERT_TRUE(sealed) << sealed.error().message();
    sealed_ = new vm::genesis::PreSealResult(std::move(*sealed));
  }
  static void TearDownTestSuite() {
    delete sealed_;
    delete dir_;
  }

  void SetUp() override {
    auto t = vm::genesis::newTemplate(std::string(net().name));
    ASSERT_TRUE(vm::genesis::addMiners(t, {{"t01000", sealed_->miner}}, 1000));
    auto g = vm::genesis::buildGenesisState(blocks_, t, net());
    ASSERT_TRUE(g) << g.error().message();
    auto genesis = chain::makeGenesisHeader(blocks_, g->state_root, kGenesisTime, chain::Ticket{Bytes(32, 9)},
                                            signer_.genesisEntry(), net());
    ASSERT_TRUE(genesis) << genesis.error().message();
    chain_ = std::make_unique<ChainStore>(blocks_, *meta_, stateWeight(blocks_));
    ASSERT_TRUE(chain_->setGenesis(*genesis));
    sm_ = std::make_unique<StateManager>(*chain_, blocks_, *meta_, net(), signer_.beacon());
    syncer_ = std::make_unique<Syncer>(*chain_, *sm_, signer_.beacon(), [] { return kGenesisTime + 1'000'000; });
    std::copy(sealed_->key.private_key.begin(), sealed_->key.private_key.end(), worker_key_.begin());
  }

  // The block the miner produces at `epoch` on `parent`, or nullopt when it loses the election.
  std::optional<chain::FullBlock> produce(const chain::TipSet& parent, chain::ChainEpoch epoch,
                                          std::vector<primitives::SignedMessage> messages = {}) {
    auto executed = *sm_->tipSetState(parent);
    auto parent_beacon = *chain::latestBeaconEntry(*chain_, parent);
    chain::BlockTemplate t;
    t.miner = miner_;
    t.epoch = epoch;
    t.beacon_entries = *signer_.entriesForEpoch(parent_beacon, epoch);
    const chain::BeaconEntry& base = t.beacon_entries.empty() ? parent_beacon : t.beacon_entries.back();
    auto lookback = *chain::lookbackState(*chain_, parent, epoch, net());
    StateConsensusView view(blocks_, net(), lookback.state_root.value_or(executed.state_root), parent.parentState(),
                            executed.state_root);
    auto facts = *view.lookbackMiner(miner_);
    t.election_proof =
        *chain::computeElectionProof(worker_key_, chain::electionSeed(base, epoch, miner_), facts.miner_power,
                                     facts.network_power);
    if (t.election_proof.win_count < 1) return std::nullopt;
    t.ticket = *chain::computeTicket(worker_key_, chain::ticketSeed(base, epoch, miner_, parent.minTicket()));
    const auto seed = chain::winningPoStSeed(base, epoch, miner_);
    const auto prover = proofs::proverIdFromActorId(1000);
    auto positions = proofs::winningPoStSectorChallenge(facts.winning_post_proof, seed, prover, facts.active_sectors);
    std::vector<proofs::PrivateSectorInfo> challenged;
    const auto picked = *view.lookbackSectors(miner_, positions);  // kept: the loop must not run over a temporary
    for (const auto& s : picked) {
      challenged.push_back({s, proofs::lotusSectorFiles(dir_->path() / "sectors", 1000, s.sector)});
    }
    auto proof = proofs::generateWinningPoSt(facts.winning_post_proof, seed, prover, challenged);
    EXPECT_TRUE(proof) << proof.error().message();
    t.winning_post_proof = *proof;
    t.messages = std::move(messages);
    chain::FullTipSet parent_full;
    for (const auto& c : parent.cids()) parent_full.blocks.push_back(*chain_->getFullBlock(c));
    auto block = chain::createBlock(t, parent_full, {executed.state_root, executed.receipts_root},
                                    *view.parentNetworkPower(), net(), worker_key_);
    EXPECT_TRUE(block) << block.error().message();
    return *block;
  }

  // Produces and submits blocks until the head is at `height` (null rounds where the miner loses).
  void mineTo(chain::ChainEpoch height) {
    for (chain::ChainEpoch e = chain_->heaviest().height() + 1; chain_->heaviest().height() < height; ++e) {
      auto block = produce(chain_->heaviest(), e);
      if (!block) continue;
      auto moved = syncer_->submitBlock(*block);
      ASSERT_TRUE(moved) << moved.error().message();
      EXPECT_TRUE(*moved);
    }
  }

  static constexpr uint64_t kGenesisTime = 1'700'000'000;
  static fil::testing::TempDir* dir_;
  static vm::genesis::PreSealResult* sealed_;
  store::MemoryBlockstore blocks_;
  std::unique_ptr<store::Datastore> meta_ = store::makeMemoryDatastore();
  chain::DevnetBeaconSigner signer_ = *chain::DevnetBeaconSigner::create(crypto::secp256k1::generatePrivateKey());
  std::unique_ptr<ChainStore> chain_;
  std::unique_ptr<StateManager> sm_;
  std::unique_ptr<Syncer> syncer_;
  primitives::Address miner_ = primitives::Address::id(1000);
  crypto::secp256k1::PrivateKey worker_key_{};
};
fil::testing::TempDir* SyncerTest::dir_ = nullptr;
vm::genesis::PreSealResult* SyncerTest::sealed_ = nullptr;

TEST_F(SyncerTest, AcceptsValidBlocksAndGrowsTheChain) {
  mineTo(4);
  // At least 4: a lost election at epoch 4 makes it a null round and the next block lands above it.
  EXPECT_GE(chain_->heaviest().height(), 4);
  EXPECT_GE(syncer_->status().blocks_accepted, 1u);
  // Weight grows with the chain; the head's state executes.
  EXPECT_GT(chain_->heaviest().parentWeight(), 0);
  EXPECT_TRUE(sm_->tipSetState(chain_->heaviest()));
  // Submitting a block again changes nothing.
  auto head_block = *chain_->getFullBlock(chain_->heaviest().cids()[0]);
  EXPECT_FALSE(*syncer_->submitBlock(head_block));
}

TEST_F(SyncerTest, RefusesInvalidBlocksAndKeepsNothingOfThem) {
  std::optional<chain::FullBlock> block;
  for (chain::ChainEpoch e = 1; !block; ++e) block = produce(chain_->heaviest(), e);
  const chain::TipSet before = chain_->heaviest();

  auto forged = *block;
  forged.header.timestamp += 1;  // no longer what the worker signed (and not the expected time)
  auto r = syncer_->submitBlock(forged);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("invalid"), std::string::npos) << r.error().message();
  EXPECT_FALSE(chain_->getBlock(forged.cid()));

  auto greedy = *block;
  greedy.header.election_proof->win_count += 5;  // claims wins it did not draw
  ASSERT_TRUE(chain::signBlock(greedy.header, worker_key_));
  EXPECT_FALSE(syncer_->submitBlock(greedy));

  auto orphan = *block;
  orphan.header.parents = {cid::Cid::compute(cid::Codec::kDagCbor, asBytes("nowhere"))};
  ASSERT_TRUE(chain::signBlock(orphan.header, worker_key_));
  auto unknown = syncer_->submitBlock(orphan);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message().find("unknown parents"), std::string::npos);

  EXPECT_EQ(chain_->heaviest(), before);
  EXPECT_EQ(syncer_->status().blocks_refused, 3u);
  // The genuine block is still accepted.
  EXPECT_TRUE(*syncer_->submitBlock(*block));
}

}  // namespace
}  // namespace fil::node
