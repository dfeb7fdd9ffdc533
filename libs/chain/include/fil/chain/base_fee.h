// The base fee a tipset's children carry (ParentBaseFee), from the parent
// tipset's messages and its own ParentBaseFee (Lotus chain/store/basefee.go).
//
// Before NetworkParams::premium_base_fee_height: the EIP-1559 utilization
// rule (the fee moves by up to 1/8 towards the gas target). From it on
// (FIP-0115; our devnet from genesis): the fee follows the gas premium
// paid at the 80th percentile of the block gas limit.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "fil/chain/network.h"
#include "fil/chain/tipset.h"
#include "fil/primitives/big_int.h"
#include "fil/primitives/message.h"

namespace fil::chain {

inline constexpr int64_t kBaseFeeMaxChangeDenom = 8;

// Utilization rule: delta = gasLimitUsed / blocks - target, clamped to
// +-target; next = max(minimum, fee + fee * delta / target / 8).
primitives::TokenAmount nextBaseFeeFromUtilization(const primitives::TokenAmount& base_fee, int64_t gas_limit_used,
                                                   size_t blocks, const NetworkParams& params);

// FIP-0115: maxAdj = ceil(fee / 8); next = max(minimum, fee + min(maxAdj, premium - maxAdj)).
primitives::TokenAmount nextBaseFeeFromPremium(const primitives::TokenAmount& base_fee,
                                               const primitives::TokenAmount& percentile_premium,
                                               const NetworkParams& params);

// What a message pays above the base fee per gas: min(GasPremium, max(GasFeeCap - baseFee, 0)).
primitives::TokenAmount effectiveGasPremium(const primitives::Message& message, const primitives::TokenAmount& base_fee);

struct PremiumAndLimit {
  primitives::TokenAmount premium;
  int64_t gas_limit = 0;
};
// The premium at weighted position `index` when each entry covers
// gas_limit positions, ordered by premium from the highest; 0 when the
// entries cover no more than `index` positions.
primitives::TokenAmount premiumAtGasIndex(std::vector<PremiumAndLimit> entries, int64_t index);

// BlockGasLimit * 80 / 100 - 1: the gas position FIP-0115 reads.
int64_t blockGasTargetIndex(const NetworkParams& params);

// The base fee of `parent`'s children, from its messages. Messages count
// once: by CID for the utilization rule, by (sender, nonce) for FIP-0115.
primitives::TokenAmount computeBaseFee(const FullTipSet& parent, const NetworkParams& params);

}  // namespace fil::chain
