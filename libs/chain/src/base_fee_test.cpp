#include <gtest/gtest.h>

#include "fil/chain/base_fee.h"

namespace fil::chain {
namespace {

using primitives::TokenAmount;

// lotus chain/store/basefee_test.go TestBaseFee (after the Smoke upgrade).
TEST(BaseFee, LotusUtilizationTable) {
  const NetworkParams& p = mainnetParams();
  const int64_t target = p.block_gas_target;
  const int64_t limit = p.block_gas_limit;
  struct Case {
    int64_t base_fee, used;
    size_t blocks;
    int64_t expected;
  };
  for (const Case& c : std::vector<Case>{{100'000'000, 0, 1, 87'500'000},
                                         {100'000'000, 0, 5, 87'500'000},
                                         {100'000'000, target, 1, 100'000'000},
                                         {100'000'000, target * 2, 2, 100'000'000},
                                         {100'000'000, limit * 2, 2, 112'500'000},
                                         {100'000'000, limit * 15 / 10, 2, 106'250'000}}) {
    EXPECT_EQ(nextBaseFeeFromUtilization(c.base_fee, c.used, c.blocks, p), c.expected)
        << c.base_fee << " " << c.used << " " << c.blocks;
  }
  // Never below the minimum, never more than 1/8 either way.
  EXPECT_EQ(nextBaseFeeFromUtilization(100, 0, 1, p), 100);
  EXPECT_EQ(nextBaseFeeFromUtilization(800, limit * 100, 1, p), 900);
  // Extreme gas sums clamp instead of overflowing.
  EXPECT_EQ(nextBaseFeeFromUtilization(800, INT64_MAX, 1, p), 900);
  EXPECT_EQ(nextBaseFeeFromUtilization(800, INT64_MIN, 1, p), 700);
}

// lotus chain/store/basefee_test.go TestNextBaseFeeFromPremium.
TEST(BaseFee, LotusPremiumTable) {
  const NetworkParams& p = devnetParams();
  const std::vector<std::array<int64_t, 3>> cases = {
      {100, 0, 100},   {100, 13, 100},  {100, 14, 101},  {100, 26, 113},  {801, 0, 700},   {801, 20, 720},
      {801, 40, 740},  {801, 60, 760},  {801, 80, 780},  {801, 100, 800}, {801, 120, 820}, {801, 140, 840},
      {801, 160, 860}, {801, 180, 880}, {801, 200, 900}, {801, 201, 901}, {808, 0, 707},   {808, 1, 708},
      {808, 201, 908}, {808, 202, 909}, {808, 203, 909}};
  for (const auto& [fee, premium, expected] : cases) {
    EXPECT_EQ(nextBaseFeeFromPremium(fee, premium, p), expected) << fee << " " << premium;
  }
}

// lotus chain/store/basefee_test.go TestWeightedQuickSelect (index 7,999,999,999).
TEST(BaseFee, LotusPercentileTable) {
  const NetworkParams& p = devnetParams();
  const int64_t index = blockGasTargetIndex(p);
  EXPECT_EQ(index, 7'999'999'999);
  struct Case {
    std::vector<int64_t> premiums, limits;
    int64_t expected;
  };
  const std::vector<Case> cases = {
      {{}, {}, 0},
      {{123, 100}, {5'999'999'999, 2'000'000'000}, 0},
      {{123, 0}, {5'999'999'999, 2'000'000'001}, 0},
      {{123, 100}, {5'999'999'999, 2'000'000'001}, 100},
      {{123, 100}, {7'999'999'999, 2'000'000'001}, 100},
      {{123, 100}, {8'000'000'000, 2'000'000'000}, 123},
      {{123, 100}, {8'000'000'000, 9'000'000'000}, 123},
      {{100, 200, 300, 400, 500, 600, 700},
       {4'000'000'000, 1'000'000'000, 2'000'000'000, 1'000'000'000, 2'000'000'000, 2'000'000'000, 3'000'000'000},
       400},
  };
  for (const auto& c : cases) {
    std::vector<PremiumAndLimit> entries;
    for (size_t i = 0; i < c.premiums.size(); ++i) entries.push_back({c.premiums[i], c.limits[i]});
    EXPECT_EQ(premiumAtGasIndex(entries, index), c.expected);
    std::reverse(entries.begin(), entries.end());  // order does not matter
    EXPECT_EQ(premiumAtGasIndex(entries, index), c.expected);
  }
}

TEST(BaseFee, EffectivePremium) {
  primitives::Message m;
  m.gas_fee_cap = 150;
  m.gas_premium = 30;
  EXPECT_EQ(effectiveGasPremium(m, 100), 30);
  EXPECT_EQ(effectiveGasPremium(m, 130), 20);   // capped by what the fee cap leaves
  EXPECT_EQ(effectiveGasPremium(m, 200), 0);    // fee cap below the base fee
}

primitives::SignedMessage message(uint64_t from, uint64_t nonce, int64_t gas_limit, int64_t premium) {
  primitives::SignedMessage sm;
  sm.message.from = primitives::Address::id(from);
  sm.message.to = primitives::Address::id(99);
  sm.message.nonce = nonce;
  sm.message.gas_limit = gas_limit;
  sm.message.gas_fee_cap = 1'000'000;
  sm.message.gas_premium = premium;
  sm.signature.data = Bytes(65, static_cast<uint8_t>(nonce));
  return sm;
}

FullBlock blockAt(ChainEpoch height, uint8_t ticket, std::vector<primitives::SignedMessage> messages) {
  FullBlock b;
  b.header.height = height;
  b.header.ticket = Ticket{Bytes(32, ticket)};
  b.header.miner = primitives::Address::id(1000 + ticket);
  b.header.parent_base_fee = 1000;
  b.secpk_messages = std::move(messages);
  return b;
}

TEST(BaseFee, FromAParentTipsetsMessages) {
  // FIP-0115 (the devnet): 9e9 gas paying premium 50 covers the 80th percentile.
  const NetworkParams& devnet = devnetParams();
  FullTipSet parent{{blockAt(10, 1, {message(1, 0, 5'000'000'000, 50), message(2, 0, 4'000'000'000, 60)}),
                     // The same (sender, nonce) in a second block counts once.
                     blockAt(10, 2, {message(1, 0, 5'000'000'000, 50)})}};
  // premium 50 - maxAdj 125 < maxAdj: 1000 + 50 - 125.
  EXPECT_EQ(computeBaseFee(parent, devnet), 925);
  // An empty tipset lowers the fee by 1/8.
  EXPECT_EQ(computeBaseFee(FullTipSet{{blockAt(10, 1, {})}}, devnet), 875);

  // Before FIP-0115 (mainnet at this height): by gas used per block, duplicates by CID once.
  const NetworkParams& mainnet = mainnetParams();
  EXPECT_EQ(computeBaseFee(parent, mainnet), nextBaseFeeFromUtilization(1000, 9'000'000'000, 2, mainnet));
}

}  // namespace
}  // namespace fil::chain
