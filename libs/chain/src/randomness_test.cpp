#include <gtest/gtest.h>

#include "fil/chain/chain_error.h"
#include "fil/chain/chain_randomness.h"
#include "fil/chain/vrf.h"
#include "fil/crypto/secp256k1.h"

namespace fil::chain {
namespace {

using cid::Cid;

crypto::secp256k1::PrivateKey keyFrom(uint8_t seed) {
  crypto::secp256k1::PrivateKey k{};
  k.fill(seed);
  return k;
}

// A chain 0, 1, 2, (3, 4 null), 5, 6 whose blocks carry VRF tickets and
// the devnet beacon's entries; height 2 has two blocks.
class ChainRandomnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BeaconEntry latest = signer_.genesisEntry();
    std::vector<BlockHeader> genesis{header(0, {}, {latest}, Bytes(32, 0x5a), 1)};
    add(genesis);
    for (ChainEpoch h : {1, 2, 5, 6}) {
      auto entries = *signer_.entriesForEpoch(latest, h);
      latest = entries.back();
      std::vector<BlockHeader> blocks;
      const int count = h == 2 ? 2 : 1;
      for (int i = 0; i < count; ++i) {
        const Bytes ticket = *computeVrf(keyFrom(static_cast<uint8_t>(10 + i)), asBytes(std::to_string(h)));
        blocks.push_back(header(h, tipsets_.back().cids(), entries, ticket, 1000 + i));
      }
      add(blocks);
    }
  }

  static BlockHeader header(ChainEpoch height, std::vector<Cid> parents, std::vector<BeaconEntry> entries,
                            Bytes ticket, uint64_t miner) {
    BlockHeader h;
    h.miner = primitives::Address::id(miner);
    h.height = height;
    h.parents = std::move(parents);
    h.beacon_entries = std::move(entries);
    h.ticket = Ticket{std::move(ticket)};
    h.timestamp = 100 + static_cast<uint64_t>(height);
    h.parent_state_root = Cid::compute(cid::Codec::kDagCbor, asBytes("state before " + std::to_string(height)));
    return h;
  }

  void add(std::vector<BlockHeader> blocks) {
    auto ts = TipSet::create(std::move(blocks));
    ASSERT_TRUE(ts) << ts.error().message();
    chain_.add(*ts);
    tipsets_.push_back(*ts);
  }

  const TipSet& at(ChainEpoch height) const {
    for (const auto& ts : tipsets_) {
      if (ts.height() == height) return ts;
    }
    std::abort();
  }

  const BeaconEntry& entry(uint64_t round) const {
    for (const auto& ts : tipsets_) {
      for (const auto& e : ts.blocks().front().beacon_entries) {
        if (e.round == round) return e;
      }
    }
    std::abort();
  }

  DevnetBeaconSigner signer_ = *DevnetBeaconSigner::create(keyFrom(42));
  MemoryChain chain_;
  std::vector<TipSet> tipsets_;
  const Bytes entropy_ = {1, 2, 3};
};

TEST_F(ChainRandomnessTest, TipsetAtHeightAcrossNullRounds) {
  const TipSet& head = tipsets_.back();
  EXPECT_EQ(chain_.tipsetAtHeight(head, 2, false)->height(), 2);
  EXPECT_EQ(chain_.tipsetAtHeight(head, 3, false)->height(), 5);  // null: the next one
  EXPECT_EQ(chain_.tipsetAtHeight(head, 4, true)->height(), 2);   // null: the previous one
  EXPECT_EQ(chain_.tipsetAtHeight(head, 6, true)->height(), 6);
  EXPECT_EQ(chain_.tipsetAtHeight(head, 0, false)->height(), 0);
  EXPECT_TRUE(chain_.tipsetAtHeight(head, 7, false).error().is(ChainError::kNotFound));
  EXPECT_TRUE(chain_.loadTipSet(TipSetKey()).error().is(ChainError::kNotFound));
}

TEST_F(ChainRandomnessTest, TicketRandomnessUsesTheMinTicketAtOrAfterTheRound) {
  ChainRandomness rand(chain_, tipsets_.back(), signer_.beacon());
  const auto tag = DomainSeparationTag::kSealRandomness;
  const TipSet& two = at(2);
  ASSERT_EQ(two.blocks().size(), 2u);
  // The draw uses the VRF output of the smaller ticket, which is the first block's.
  EXPECT_LE(ticketDigest(*two.blocks()[0].ticket), ticketDigest(*two.blocks()[1].ticket));
  EXPECT_EQ(*rand.fromTickets(tag, 2, entropy_), drawRandomness(vrfRandomness(two.minTicket().vrf_proof), tag, 2, entropy_));
  // Null round 3 draws from tipset 5's ticket, with round 3.
  EXPECT_EQ(*rand.fromTickets(tag, 3, entropy_), drawRandomness(vrfRandomness(at(5).minTicket().vrf_proof), tag, 3, entropy_));
  // Negative rounds draw from genesis, whose ticket is plain bytes.
  EXPECT_EQ(*rand.fromTickets(tag, -5, entropy_), drawRandomness(Bytes(32, 0x5a), tag, -5, entropy_));
  // Not past the head.
  EXPECT_TRUE(rand.fromTickets(tag, 7, entropy_).error().is(ChainError::kFutureRandomness));
  ChainRandomness at_five(chain_, at(5), signer_.beacon());
  EXPECT_TRUE(at_five.fromTickets(tag, 6, entropy_).error().is(ChainError::kFutureRandomness));
  EXPECT_NE(*rand.fromTickets(tag, 2, entropy_), *rand.fromTickets(DomainSeparationTag::kTicketProduction, 2, entropy_));
}

TEST_F(ChainRandomnessTest, BeaconRandomnessUsesTheRoundOfTheEpoch) {
  ChainRandomness rand(chain_, tipsets_.back(), signer_.beacon());
  const auto tag = DomainSeparationTag::kInteractiveSealChallengeSeed;
  for (ChainEpoch e : {1, 2, 3, 4, 5, 6}) {
    const BeaconEntry& want = entry(static_cast<uint64_t>(e));
    EXPECT_EQ(*rand.fromBeacon(tag, e, entropy_), drawRandomness(beaconRandomnessBase(want), tag, e, entropy_)) << e;
  }
  // Epoch 0 and below: the genesis entry (its data is the beacon key).
  EXPECT_EQ(*rand.fromBeacon(tag, 0, entropy_), drawRandomness(signer_.genesisEntry().data, tag, 0, entropy_));
  EXPECT_EQ(*rand.fromBeacon(tag, -1, entropy_), drawRandomness(signer_.genesisEntry().data, tag, -1, entropy_));
  EXPECT_TRUE(rand.fromBeacon(tag, 9, entropy_).error().is(ChainError::kFutureRandomness));
}

TEST_F(ChainRandomnessTest, LatestBeaconEntryAndLookback) {
  EXPECT_EQ(latestBeaconEntry(chain_, at(5))->round, 5u);
  EXPECT_EQ(latestBeaconEntry(chain_, at(0))->round, 0u);

  NetworkParams params = testDevnetParams();
  params.winning_post_sector_set_lookback = 2;
  // A block at 7 on 6 looks back to round 5: the state after 5 (tipset 6's parent state).
  auto lb = lookbackState(chain_, at(6), 7, params);
  ASSERT_TRUE(lb) << lb.error().message();
  EXPECT_EQ(lb->tipset.height(), 5);
  ASSERT_TRUE(lb->state_root);
  EXPECT_EQ(*lb->state_root, at(6).parentState());
  // Round 6 looks back to 4, a null round: the tipset before it (2) and the state after it, held by 5.
  lb = lookbackState(chain_, at(6), 6, params);
  EXPECT_EQ(lb->tipset.height(), 2);
  EXPECT_EQ(*lb->state_root, at(5).parentState());
  // A lookback reaching the parent itself: the caller's executed state.
  lb = lookbackState(chain_, at(2), 4, params);
  EXPECT_EQ(lb->tipset.height(), 2);
  EXPECT_FALSE(lb->state_root);
}

}  // namespace
}  // namespace fil::chain
