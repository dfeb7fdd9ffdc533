#include "fil/node/chain_store.h"

#include <gtest/gtest.h>

#include "fil/chain/messages.h"
#include "fil/store/blockstore.h"
#include "fil/store/memory_datastore.h"

namespace fil::node {
namespace {

using chain::BlockHeader;
using chain::TipSet;

// Weight: 10 per epoch of height plus one per block, unless a test says otherwise.
class ChainStoreTest : public ::testing::Test {
 protected:
  ChainStoreTest() { reset(); }

  void reset() {
    cs_ = std::make_unique<ChainStore>(blocks_, *meta_, [this](const TipSet& ts) -> Result<primitives::BigInt> {
      if (auto it = weights_.find(ts.key()); it != weights_.end()) return it->second;
      return primitives::BigInt(ts.height() * 10 + static_cast<int64_t>(ts.blocks().size()));
    });
  }

  BlockHeader header(chain::ChainEpoch height, const std::vector<cid::Cid>& parents, uint8_t ticket) {
    BlockHeader h;
    h.miner = primitives::Address::id(1000 + ticket);
    h.ticket = chain::Ticket{Bytes(32, ticket)};
    h.election_proof = chain::ElectionProof{1, Bytes(32, ticket)};
    h.parents = parents;
    h.height = height;
    h.parent_state_root = chain::emptyAmtV0Root();
    h.parent_message_receipts = chain::emptyAmtV0Root();
    h.messages = *chain::storeMsgMeta(blocks_, {}, {});
    h.timestamp = 1000 + static_cast<uint64_t>(height);
    return h;
  }

  TipSet add(chain::ChainEpoch height, const TipSet& parent, std::vector<uint8_t> tickets) {
    std::vector<BlockHeader> hs;
    for (uint8_t t : tickets) {
      auto h = header(height, parent.cids(), t);
      EXPECT_TRUE(cs_->putBlock(chain::FullBlock{h, {}, {}}));
      hs.push_back(h);
    }
    return *TipSet::create(hs);
  }

  store::MemoryBlockstore blocks_;
  std::unique_ptr<store::Datastore> meta_ = store::makeMemoryDatastore();
  std::map<chain::TipSetKey, primitives::BigInt> weights_;
  std::unique_ptr<ChainStore> cs_;
};

TEST_F(ChainStoreTest, GrowsReorgsAndResumes) {
  ASSERT_TRUE(cs_->load());
  EXPECT_FALSE(cs_->hasHead());
  auto genesis = header(0, {}, 0);
  ASSERT_TRUE(cs_->setGenesis(genesis));
  ASSERT_TRUE(cs_->hasHead());
  const TipSet g = cs_->heaviest();

  std::vector<HeadChange> heard;
  cs_->subscribe([&](const std::vector<HeadChange>& changes) { heard.insert(heard.end(), changes.begin(), changes.end()); });
  ASSERT_EQ(heard.size(), 1u);
  EXPECT_EQ(heard[0].type, HeadChange::Type::kCurrent);
  heard.clear();

  TipSet t1 = add(1, g, {1});
  TipSet t2 = add(2, t1, {2});
  EXPECT_TRUE(*cs_->maybeTakeHeavier(t2));  // both applied, in order
  ASSERT_EQ(heard.size(), 2u);
  EXPECT_EQ(heard[0].type, HeadChange::Type::kApply);
  EXPECT_EQ(heard[0].tipset, t1);
  EXPECT_EQ(heard[1].tipset, t2);
  heard.clear();

  // Two competing tipsets at height 3: a with one block, b with two (heavier).
  TipSet a = add(3, t2, {3});
  ASSERT_TRUE(*cs_->maybeTakeHeavier(a));
  TipSet b = add(3, t2, {4, 5});
  EXPECT_FALSE(*cs_->maybeTakeHeavier(t1));  // lighter: nothing happens
  heard.clear();
  ASSERT_TRUE(*cs_->maybeTakeHeavier(b));
  ASSERT_EQ(heard.size(), 2u);
  EXPECT_EQ(heard[0].type, HeadChange::Type::kRevert);
  EXPECT_EQ(heard[0].tipset, a);
  EXPECT_EQ(heard[1].type, HeadChange::Type::kApply);
  EXPECT_EQ(heard[1].tipset, b);
  EXPECT_TRUE(*cs_->isCanonical(b));
  EXPECT_FALSE(*cs_->isCanonical(a));

  // A restart resumes at b.
  reset();
  ASSERT_TRUE(cs_->load());
  EXPECT_EQ(cs_->heaviest(), b);
  EXPECT_EQ(*cs_->genesis(), g);
  // Another genesis is refused.
  EXPECT_FALSE(cs_->setGenesis(header(0, {}, 9)));
}

TEST_F(ChainStoreTest, EqualWeightGoesToTheSmallerTicket) {
  ASSERT_TRUE(cs_->setGenesis(header(0, {}, 0)));
  const TipSet g = cs_->heaviest();
  TipSet high = add(1, g, {7});
  TipSet low = add(1, g, {6});
  ASSERT_TRUE(*cs_->maybeTakeHeavier(high));
  // The same weight; the ticket digests decide, whichever arrives first.
  const bool low_wins = chain::ticketDigest(*low.blocks()[0].ticket) < chain::ticketDigest(*high.blocks()[0].ticket);
  EXPECT_EQ(*cs_->maybeTakeHeavier(low), low_wins);
  EXPECT_EQ(cs_->heaviest(), low_wins ? low : high);
  EXPECT_FALSE(*cs_->maybeTakeHeavier(low_wins ? high : low));
}

TEST_F(ChainStoreTest, HeightsAcrossNullRounds) {
  ASSERT_TRUE(cs_->setGenesis(header(0, {}, 0)));
  const TipSet g = cs_->heaviest();
  TipSet t1 = add(1, g, {1});
  TipSet t4 = add(4, t1, {2});  // 2 and 3 are null rounds
  TipSet t5 = add(5, t4, {3});
  ASSERT_TRUE(*cs_->maybeTakeHeavier(t5));
  EXPECT_EQ(*cs_->tipSetAtHeight(4, t5), t4);
  EXPECT_EQ(*cs_->tipSetAtHeight(2, t5, true), t1);
  EXPECT_EQ(*cs_->tipSetAtHeight(3, t5, false), t4);
  EXPECT_EQ(*cs_->tipSetAtHeight(0, t5), g);
  EXPECT_FALSE(cs_->tipSetAtHeight(6, t5));
  auto path = *cs_->reorgPath(t5, t1);
  EXPECT_EQ(path.revert.size(), 2u);
  EXPECT_TRUE(path.apply.empty());
}

TEST_F(ChainStoreTest, RefusesBlocksWhoseMessagesDoNotMatch) {
  ASSERT_TRUE(cs_->setGenesis(header(0, {}, 0)));
  auto h = header(1, cs_->heaviest().cids(), 1);
  primitives::Message m;
  m.to = primitives::Address::id(1);
  m.from = primitives::Address::id(2);
  auto r = cs_->putBlock(chain::FullBlock{h, {m}, {}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("names messages"), std::string::npos) << r.error().message();
  EXPECT_FALSE(cs_->getBlock(h.cid()));
  // Loading an unknown tipset names the block.
  EXPECT_FALSE(cs_->loadTipSet(chain::TipSetKey({h.cid()})));
}

}  // namespace
}  // namespace fil::node
