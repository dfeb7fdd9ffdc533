// Reward actor (f02): pays the block reward and the block's gas tips to the
// winning miner.
//
// Our schedule (docs/actors.md): instead of builtin-actors' simple +
// baseline minting, the reward for one epoch halves every
// kRewardHalvingEpochs: ThisEpochReward(e) = kInitialEpochReward >>
// (e / kRewardHalvingEpochs), paid in shares of WinCount / 5 (five expected
// winners per epoch) from the actor's balance. The state keeps
// builtin-actors' v12 layout; baseline fields stay zero.
#pragma once

#include "fil/codec/cbor.h"
#include "fil/store/blockstore.h"
#include "fil/vm/actors/common.h"

namespace fil::vm::reward {

inline constexpr MethodNum kConstructor = 1;
inline constexpr MethodNum kAwardBlockReward = 2;
inline constexpr MethodNum kThisEpochReward = 3;
inline constexpr MethodNum kUpdateNetworkKpi = 4;

inline constexpr int64_t kExpectedLeadersPerEpoch = 5;
inline constexpr uint64_t kPenaltyMultiplier = 3;
// 100 FIL per epoch at first, halving every six years of 30-second epochs.
inline const TokenAmount kInitialEpochReward = TokenAmount(100) * primitives::kFilecoinPrecision;
inline constexpr int64_t kRewardHalvingEpochs = 6 * 365 * 2880;
// What the reward actor holds at genesis (Lotus: FilAllocStorageMining).
inline const TokenAmount kStorageMiningAllocation = TokenAmount(1'400'000'000) * primitives::kFilecoinPrecision;

TokenAmount epochReward(int64_t epoch);

struct State {
  BigInt cumsum_baseline;
  BigInt cumsum_realized;
  int64_t effective_network_time = 0;
  StoragePower effective_baseline_power;
  TokenAmount this_epoch_reward;
  FilterEstimate this_epoch_reward_smoothed;
  StoragePower this_epoch_baseline_power;
  int64_t epoch = 0;
  TokenAmount total_storage_power_reward;
  TokenAmount simple_total;
  TokenAmount baseline_total;
};
FIL_CBOR_TUPLE(State, (cumsum_baseline, "CumsumBaseline"), (cumsum_realized, "CumsumRealized"),
               (effective_network_time, "EffectiveNetworkTime"), (effective_baseline_power, "EffectiveBaselinePower"),
               (this_epoch_reward, "ThisEpochReward"), (this_epoch_reward_smoothed, "ThisEpochRewardSmoothed"),
               (this_epoch_baseline_power, "ThisEpochBaselinePower"), (epoch, "Epoch"),
               (total_storage_power_reward, "TotalStoragePowerReward"), (simple_total, "SimpleTotal"),
               (baseline_total, "BaselineTotal"))

State makeState();

struct AwardBlockRewardParams {
  Address miner;
  TokenAmount penalty;
  TokenAmount gas_reward;
  int64_t win_count = 0;
};
FIL_CBOR_TUPLE(AwardBlockRewardParams, (miner, "Miner"), (penalty, "Penalty"), (gas_reward, "GasReward"),
               (win_count, "WinCount"))

struct ThisEpochRewardReturn {
  FilterEstimate this_epoch_reward_smoothed;
  StoragePower this_epoch_baseline_power;
};
FIL_CBOR_TUPLE(ThisEpochRewardReturn, (this_epoch_reward_smoothed, "ThisEpochRewardSmoothed"),
               (this_epoch_baseline_power, "ThisEpochBaselinePower"))

}  // namespace fil::vm::reward
