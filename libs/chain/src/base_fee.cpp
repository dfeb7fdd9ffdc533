#include "fil/chain/base_fee.h"

#include <algorithm>
#include <limits>
#include <set>
#include <utility>

namespace fil::chain {

using primitives::TokenAmount;

namespace {

// Go's big.Div: rounds towards negative infinity for a positive divisor.
TokenAmount divFloor(const TokenAmount& a, const TokenAmount& b) {
  TokenAmount q = a / b;
  if (a < 0 && q * b != a) q -= 1;
  return q;
}

}  // namespace

TokenAmount nextBaseFeeFromUtilization(const TokenAmount& base_fee, int64_t gas_limit_used, size_t blocks,
                                       const NetworkParams& params) {
  const int64_t target = params.block_gas_target;
  const int64_t per_block = gas_limit_used / static_cast<int64_t>(std::max<size_t>(blocks, 1));
  // clamp(per_block - target, -target, target), without overflowing.
  const int64_t delta = std::clamp<int64_t>(per_block, 0, 2 * target) - target;
  TokenAmount change = base_fee * delta;
  change = divFloor(change, target);
  change = divFloor(change, kBaseFeeMaxChangeDenom);
  return std::max<TokenAmount>(base_fee + change, params.minimum_base_fee);
}

TokenAmount nextBaseFeeFromPremium(const TokenAmount& base_fee, const TokenAmount& percentile_premium,
                                   const NetworkParams& params) {
  const TokenAmount max_adjustment = divFloor(base_fee + (kBaseFeeMaxChangeDenom - 1), kBaseFeeMaxChangeDenom);
  return std::max<TokenAmount>(params.minimum_base_fee,
                               base_fee + std::min<TokenAmount>(max_adjustment, percentile_premium - max_adjustment));
}

TokenAmount effectiveGasPremium(const primitives::Message& message, const TokenAmount& base_fee) {
  const TokenAmount available = std::max<TokenAmount>(message.gas_fee_cap - base_fee, 0);
  return std::min<TokenAmount>(message.gas_premium, available);
}

TokenAmount premiumAtGasIndex(std::vector<PremiumAndLimit> entries, int64_t index) {
  // Lotus finds it with a weighted quickselect; sorting gives the same value.
  std::stable_sort(entries.begin(), entries.end(),
                   [](const PremiumAndLimit& a, const PremiumAndLimit& b) { return a.premium > b.premium; });
  TokenAmount position = 0;  // big: the limits of unchecked messages may overflow int64
  for (const auto& e : entries) {
    position += e.gas_limit;
    if (index < position) return e.premium;
  }
  return 0;
}

int64_t blockGasTargetIndex(const NetworkParams& params) { return params.block_gas_limit * 80 / 100 - 1; }

TokenAmount computeBaseFee(const FullTipSet& parent, const NetworkParams& params) {
  const BlockHeader& first = parent.blocks.front().header;
  const TokenAmount& base_fee = first.parent_base_fee;
  if (first.height < params.premium_base_fee_height) {
    TokenAmount total_limit = 0;  // big: unchecked messages may overflow int64
    std::set<cid::Cid> seen;
    auto count = [&](const primitives::Message& m, const cid::Cid& c) {
      if (seen.insert(c).second) total_limit += m.gas_limit;
    };
    for (const auto& b : parent.blocks) {
      for (const auto& m : b.bls_messages) count(m, m.cid());
      for (const auto& m : b.secpk_messages) count(m.message, m.cid());
    }
    const TokenAmount clamped = std::clamp<TokenAmount>(total_limit, std::numeric_limits<int64_t>::min(),
                                                        std::numeric_limits<int64_t>::max());
    return nextBaseFeeFromUtilization(base_fee, static_cast<int64_t>(clamped), parent.blocks.size(), params);
  }
  std::vector<PremiumAndLimit> entries;
  std::set<std::pair<primitives::Address, uint64_t>> seen;
  auto add = [&](const primitives::Message& m) {
    if (seen.insert({m.from, m.nonce}).second) entries.push_back({effectiveGasPremium(m, base_fee), m.gas_limit});
  };
  for (const auto& b : parent.blocks) {
    for (const auto& m : b.bls_messages) add(m);
    for (const auto& m : b.secpk_messages) add(m.message);
  }
  return nextBaseFeeFromPremium(base_fee, premiumAtGasIndex(std::move(entries), blockGasTargetIndex(params)),
                                params);
}

}  // namespace fil::chain
