#include "fil/mining/block_producer.h"

#include <gtest/gtest.h>

#include <thread>

#include "fil/node/full_node.h"
#include "fil/node/full_node_impl.h"
#include "fil/repo/repo.h"
#include "fil/testing/paths.h"
#include "fil/vm/genesis.h"
#include "fil/vm/preseal.h"

namespace fil::mining {
namespace {

using primitives::Address;

const chain::NetworkParams& net() { return chain::testDevnetParams(); }

uint64_t unixNow() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

// A full node over a temp repo whose genesis has one pre-sealed 2 KiB miner
// (t01000, all the power), the worker key in the node's wallet, and the
// API answered in-process.
class BlockProducerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fil::testing::TempDir();
    vm::genesis::PreSealOptions o;
    o.miner = Address::id(1000);
    o.sectors = 2;
    o.root = dir_->path() / "sectors";
    o.parent_cache_dir = dir_->path() / "parents";
    o.data_seed = 5;
    auto sealed = vm::genesis::preSeal(o);
    ASSERT_TRUE(sealed) << sealed.error().message();
    sealed_ = new vm::genesis::PreSealResult(std::move(*sealed));
  }
  static void TearDownTestSuite() {
    delete sealed_;
    delete dir_;
  }

  // `genesis_age`: how many seconds ago the chain began (its epochs up to
  // about that many are already due).
  void open(uint64_t genesis_age) {
    ASSERT_TRUE(repo::Repo::init(path_, repo::RepoType::kFullNode));
    auto r = repo::Repo::open(path_, repo::RepoType::kFullNode);
    ASSERT_TRUE(r) << r.error().message();
    repo_ = std::move(*r);
    auto t = vm::genesis::newTemplate("localnet", unixNow() - genesis_age);
    ASSERT_TRUE(vm::genesis::addMiners(t, {{"t01000", sealed_->miner}}, 1000));
    auto node = node::FullNode::open(*repo_, net(),
                                     {.make_genesis = tmp_.path() / "devgen.car", .genesis_template = t});
    ASSERT_TRUE(node) << node.error().message();
    node_ = std::move(*node);
    impl_ = std::make_unique<node::FullNodeImpl>(*node_);
    auto worker = impl_->walletImport(sealed_->key);
    ASSERT_TRUE(worker) << worker.error().message();
    worker_ = *worker;
    producer_ = std::make_unique<BlockProducer>(*impl_, ProducerConfig{.miner = miner_, .network = &net()},
                                                localWinningProver(dir_->path() / "sectors"));
  }

  // Mines on the head until `blocks` more blocks are in the chain; returns them.
  std::vector<chain::BlockMsg> mine(int blocks) {
    std::vector<chain::BlockMsg> out;
    chain::ChainEpoch epoch = node_->chain().heaviest().height() + 1;
    while (static_cast<int>(out.size()) < blocks) {
      auto mined = producer_->mineOne(node_->chain().heaviest(), epoch);
      EXPECT_TRUE(mined) << mined.error().message();
      if (!mined) return out;
      if (*mined) {
        auto submitted = impl_->syncSubmitBlock(**mined);
        EXPECT_TRUE(submitted) << submitted.error().message();
        out.push_back(**mined);
      }
      ++epoch;  // a lost round is a null round
    }
    return out;
  }

  static fil::testing::TempDir* dir_;
  static vm::genesis::PreSealResult* sealed_;
  fil::testing::TempDir tmp_;
  std::filesystem::path path_ = tmp_.path() / "lotus";
  std::unique_ptr<repo::Repo> repo_;
  std::unique_ptr<node::FullNode> node_;
  std::unique_ptr<node::FullNodeImpl> impl_;
  std::unique_ptr<BlockProducer> producer_;
  Address miner_ = Address::id(1000);
  Address worker_;
};
fil::testing::TempDir* BlockProducerTest::dir_ = nullptr;
vm::genesis::PreSealResult* BlockProducerTest::sealed_ = nullptr;

TEST_F(BlockProducerTest, MinesValidBlocksThroughTheApi) {
  open(1000);
  const auto blocks = mine(3);
  ASSERT_EQ(blocks.size(), 3u);
  const auto head = node_->chain().heaviest();
  EXPECT_EQ(head.cids()[0], blocks.back().cid());
  EXPECT_EQ(node_->syncer().status().blocks_accepted, 3u);
  for (const auto& b : blocks) {
    EXPECT_EQ(b.header.miner, miner_);
    EXPECT_GE(b.header.election_proof->win_count, 1);
    EXPECT_FALSE(b.header.win_post_proof.empty());
  }
  // The base info names the challenged sectors and the worker's key.
  auto info = impl_->minerGetBaseInfo(miner_, head.height() + 1, {});
  ASSERT_TRUE(info && info->has_value()) << (info ? "null" : info.error().message());
  EXPECT_EQ((*info)->worker_key, worker_);
  EXPECT_EQ((*info)->sector_size, 2048u);
  EXPECT_TRUE((*info)->eligible_for_mining);
  EXPECT_EQ((*info)->sectors.size(), 1u);  // 2 KiB winning PoSt challenges one sector
}

TEST_F(BlockProducerTest, BlocksCarryPendingMessagesAndTheyExecute) {
  open(1000);
  mine(1);
  auto to = impl_->walletNew("secp256k1");
  ASSERT_TRUE(to);
  primitives::Message m;
  m.from = worker_;
  m.to = *to;
  m.value = primitives::kFilecoinPrecision * 3;
  auto pushed = impl_->mpoolPushMessage(m, std::nullopt);
  ASSERT_TRUE(pushed) << pushed.error().message();
  const auto blocks = mine(2);  // included by the first, executed under the second
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].secpk_messages.size(), 1u);
  auto found = impl_->stateSearchMsg({}, pushed->cid(), -1, true);
  ASSERT_TRUE(found && found->has_value()) << (found ? "not found" : found.error().message());
  EXPECT_EQ((*found)->receipt.exit_code, chain::ExitCode::kOk);
  EXPECT_EQ((*found)->message, pushed->cid());  // the signed message's CID, as asked (the CLI says "replaced" otherwise)
  EXPECT_EQ(*impl_->walletBalance(*to), primitives::kFilecoinPrecision * 3);
}

// The full node API's reads over the chain those blocks made (the node's
// side of what lotus-miner and the CLI ask).
TEST_F(BlockProducerTest, TheApiReadsWhatTheChainHolds) {
  open(1000);
  mine(1);
  auto to = *impl_->walletNew("secp256k1");
  primitives::Message m;
  m.from = worker_;
  m.to = to;
  m.value = 5;
  auto pushed = impl_->mpoolPushMessage(m, std::nullopt);
  ASSERT_TRUE(pushed) << pushed.error().message();
  EXPECT_EQ(impl_->mpoolPending({})->size(), 1u);
  const auto blocks = mine(2);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_TRUE(impl_->mpoolPending({})->empty());

  auto msgs = impl_->chainGetBlockMessages(blocks[0].cid());
  ASSERT_TRUE(msgs);
  ASSERT_EQ(msgs->cids.size(), 1u);
  EXPECT_EQ(msgs->cids[0], pushed->cid());
  auto parent_msgs = impl_->chainGetParentMessages(blocks[1].cid());
  ASSERT_TRUE(parent_msgs);
  ASSERT_EQ(parent_msgs->size(), 1u);
  EXPECT_EQ((*parent_msgs)[0].cid, pushed->cid());
  auto receipts = impl_->chainGetParentReceipts(blocks[1].cid());
  ASSERT_TRUE(receipts) << receipts.error().message();
  ASSERT_EQ(receipts->size(), 1u);
  EXPECT_EQ((*receipts)[0].exit_code, chain::ExitCode::kOk);
  EXPECT_EQ(*impl_->chainGetMessage(pushed->cid()), pushed->message);
  EXPECT_TRUE(*impl_->chainHasObj(blocks[1].cid()));
  EXPECT_EQ(impl_->chainGetTipSetByHeight(blocks[0].header.height, {})->cids()[0], blocks[0].cid());

  // State at the head (its parent state).
  EXPECT_EQ(*impl_->stateListMiners({}), std::vector<Address>{miner_});
  auto info = impl_->stateMinerInfo(miner_, {});
  ASSERT_TRUE(info);
  EXPECT_EQ(info->sector_size, 2048u);
  auto power = impl_->stateMinerPower(miner_, {});
  ASSERT_TRUE(power);
  EXPECT_EQ(power->miner_power.raw_byte_power, 4096);
  EXPECT_EQ(power->total_power.raw_byte_power, 4096);
  auto totals = impl_->stateMinerPower(Address{}, {});  // no miner: the network's totals
  ASSERT_TRUE(totals) << totals.error().message();
  EXPECT_EQ(totals->total_power.raw_byte_power, 4096);
  EXPECT_EQ(impl_->stateMinerSectors(miner_, std::nullopt, {})->size(), 2u);
  auto deadline = impl_->stateMinerProvingDeadline(miner_, {});
  ASSERT_TRUE(deadline);
  EXPECT_EQ(deadline->wpost_period_deadlines, net().wpost_period_deadlines);
  EXPECT_EQ(*impl_->stateLookupId(worker_, {}), *impl_->stateLookupId(*impl_->stateAccountKey(worker_, {}), {}));
  auto missing = impl_->stateGetActor(Address::id(99999), {});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("actor not found"), std::string::npos);
  EXPECT_EQ(*impl_->walletBalance(to), 5);

  // Market funds: a reservation beyond the free escrow sends one AddBalance.
  auto topped = impl_->marketReserveFunds(worker_, worker_, 1000);
  ASSERT_TRUE(topped) << topped.error().message();
  EXPECT_TRUE(topped->defined());
  EXPECT_EQ(*impl_->marketGetReserved(worker_), 1000);
  EXPECT_FALSE(impl_->marketReleaseFunds(worker_, 1001));
  EXPECT_TRUE(impl_->marketReleaseFunds(worker_, 1000));
  EXPECT_EQ(*impl_->marketGetReserved(worker_), 0);

  // Backups are refused without a writer; the node has no peer ID yet.
  EXPECT_FALSE(impl_->createBackup("/tmp/x"));
  EXPECT_NE(impl_->id().error().message().find("no libp2p host"), std::string::npos);
}

TEST_F(BlockProducerTest, TheLoopFollowsTheClockAndStops) {
  open(3);  // a chain only 3 epochs old: the loop must wait for each epoch's time
  const auto start_height = node_->chain().heaviest().height();
  producer_->start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (producer_->stats().submitted < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  producer_->stop();
  const auto stats = producer_->stats();
  EXPECT_GE(stats.submitted, 3u) << stats.last_error;
  EXPECT_EQ(stats.errors, 0u) << stats.last_error;
  const auto head = node_->chain().heaviest();
  EXPECT_GT(head.height(), start_height);
  // Never ahead of the clock: no block's time is in the future.
  EXPECT_LE(head.minTimestamp(), unixNow());
  // Stopped: nothing more is produced.
  const auto stopped_at = node_->chain().heaviest().height();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(node_->chain().heaviest().height(), stopped_at);
}

TEST_F(BlockProducerTest, NothingToMineForAnUnknownMinerAndNoKeyNoBlock) {
  open(1000);
  BlockProducer stranger(*impl_, {.miner = Address::id(1234), .network = &net()},
                         localWinningProver(dir_->path() / "sectors"));
  auto none = stranger.mineOne(node_->chain().heaviest(), 1);
  ASSERT_TRUE(none) << none.error().message();
  EXPECT_FALSE(none->has_value());

  // Without the worker key in the wallet, the node cannot compute its VRF.
  ASSERT_TRUE(impl_->walletDelete(worker_));
  auto keyless = producer_->mineOne(node_->chain().heaviest(), 1);
  ASSERT_FALSE(keyless);
}

}  // namespace
}  // namespace fil::mining
