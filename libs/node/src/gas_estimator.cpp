#include "fil/node/gas_estimator.h"

#include <algorithm>
#include <cmath>
#include <random>

#include <fmt/format.h>

#include "fil/node/mpool.h"

namespace fil::node {

using primitives::TokenAmount;

TokenAmount medianGasPremium(std::vector<GasMeta> prices, size_t blocks, int64_t block_gas_target) {
  std::stable_sort(prices.begin(), prices.end(), [](const GasMeta& a, const GasMeta& b) { return a.premium > b.premium; });
  const auto n = static_cast<int64_t>(blocks);
  int64_t at = block_gas_target * n / 2;          // 50% of the capacity
  at += block_gas_target * n / (2 * 20);          // + 2.5%
  TokenAmount prev1 = 0, prev2 = 0;
  for (const auto& p : prices) {
    prev2 = prev1;
    prev1 = p.premium;
    at -= p.limit;
    if (at < 0) break;
  }
  if (prev2 != 0) return (prev1 + prev2) / 2;
  return prev1;
}

void capGasFee(primitives::Message& m, const TokenAmount& max_fee, bool maximize_fee_cap) {
  if (m.gas_limit > 0) {
    const TokenAmount limit = m.gas_limit;
    if (maximize_fee_cap || m.gas_fee_cap * limit > max_fee) m.gas_fee_cap = max_fee / limit;
  }
  m.gas_premium = std::min(m.gas_fee_cap, m.gas_premium);
}

Result<int64_t> GasEstimator::estimateGasLimit(const primitives::Message& in) const {
  primitives::Message m = in;
  m.gas_limit = chain_.blockGasLimit();
  m.gas_fee_cap = 0;
  m.gas_premium = 0;
  auto used = chain_.gasUsed(m, pool_.pendingTotals(in.from));
  if (!used) return fail(std::move(used).error().withContext("gas estimation failed"));
  return *used;
}

Result<TokenAmount> GasEstimator::estimateGasPremium(uint64_t blocks_to_inclusion) const {
  const uint64_t n = std::clamp<uint64_t>(blocks_to_inclusion, 1, kMaxGasHistory);
  FIL_ASSIGN_OR_RETURN(auto history, chain_.recentGas(2 * n));
  std::vector<GasMeta> prices;
  size_t blocks = 0;
  for (auto& ts : history) {
    blocks += ts.blocks;
    prices.insert(prices.end(), ts.messages.begin(), ts.messages.end());
  }
  TokenAmount premium = medianGasPremium(std::move(prices), blocks, chain_.blockGasTarget());
  if (premium < kMinGasPremium) {
    premium = n == 1 ? 2 * kMinGasPremium : n == 2 ? 3 * kMinGasPremium / 2 : kMinGasPremium;
  }
  if (config_.premium_noise) {
    // Lotus: x (1 + N(0, 0.005)) in 32-bit fixed point.
    thread_local std::mt19937_64 rng{std::random_device{}()};
    std::normal_distribution<double> normal(0.0, 1.0);
    const double noise = std::max(0.0, 1 + normal(rng) * 0.005);
    constexpr int kPrecision = 32;
    premium = premium * (static_cast<uint64_t>(noise * static_cast<double>(uint64_t{1} << kPrecision)) + 1);
    premium >>= kPrecision;
  }
  return premium;
}

TokenAmount GasEstimator::estimateFeeCap(const primitives::Message& message, int64_t max_queue_blocks) const {
  // Lotus: BaseFeeMaxChangeDenom = 8, the factor in 8-bit fixed point.
  const double increase = std::pow(1.0 + 1.0 / 8.0, static_cast<double>(max_queue_blocks));
  TokenAmount out = chain_.headParentBaseFee() * static_cast<uint64_t>(increase * 256) / 256;
  return out + message.gas_premium;
}

Result<primitives::Message> GasEstimator::estimateMessageGas(primitives::Message m, const MessageSendSpec& spec) const {
  if (!m.to.defined()) return fail(MpoolError::kInvalidMessage, "message To address is undefined");
  if (!m.from.defined()) return fail(MpoolError::kInvalidMessage, "message From address is undefined");
  if (m.gas_limit == 0) {
    FIL_ASSIGN_OR_RETURN(int64_t used, estimateGasLimit(m));
    m.gas_limit = std::min(static_cast<int64_t>(static_cast<double>(used) * config_.gas_limit_overestimation),
                           chain_.blockGasLimit());
  }
  if (m.gas_premium == 0) {
    auto premium = estimateGasPremium(10);
    if (!premium) return fail(std::move(premium).error().withContext("estimating gas price"));
    m.gas_premium = std::move(*premium);
  }
  if (m.gas_fee_cap == 0) m.gas_fee_cap = estimateFeeCap(m, 20);
  capGasFee(m, spec.max_fee == 0 ? config_.default_max_fee : spec.max_fee, spec.maximize_fee_cap);
  return m;
}

}  // namespace fil::node
