#include "fil/vm/actors/reward.h"

#include "actors/actors.h"
#include "fil/base/log.h"
#include "fil/vm/actors/miner.h"

namespace fil::vm::reward {

TokenAmount epochReward(int64_t epoch) {
  const int64_t halvings = std::max<int64_t>(epoch, 0) / kRewardHalvingEpochs;
  if (halvings >= 128) return 0;
  return kInitialEpochReward >> static_cast<unsigned>(halvings);
}

State makeState() {
  State st;
  st.this_epoch_reward = epochReward(0);
  st.this_epoch_reward_smoothed = constantEstimate(st.this_epoch_reward);
  st.simple_total = kStorageMiningAllocation;
  return st;
}

namespace {

Result<Bytes> awardBlockReward(Runtime& rt, const AwardBlockRewardParams& params) {
  FIL_TRY(rt.validateCallerIs({kSystemActorId}));
  FIL_ASSIGN_OR_RETURN(TokenAmount prior_balance, rt.currentBalance());
  if (params.penalty < 0) return exitError(ExitCode::kErrIllegalArgument, "negative penalty " + params.penalty.str());
  if (params.gas_reward < 0) {
    return exitError(ExitCode::kErrIllegalArgument, "negative gas reward " + params.gas_reward.str());
  }
  if (prior_balance < params.gas_reward) {
    return exitError(ExitCode::kErrIllegalState,
                     fmt::format("actor balance {} insufficient to pay gas reward {}", prior_balance.str(),
                                 params.gas_reward.str()));
  }
  if (params.win_count <= 0) {
    return exitError(ExitCode::kErrIllegalArgument, fmt::format("invalid win count {}", params.win_count));
  }
  FIL_ASSIGN_OR_RETURN(auto miner_id, rt.resolveAddress(params.miner));
  if (!miner_id) return exitError(ExitCode::kErrNotFound, "failed to resolve given owner address");
  const TokenAmount penalty = params.penalty * kPenaltyMultiplier;

  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  TokenAmount block_reward = st.this_epoch_reward * params.win_count / kExpectedLeadersPerEpoch;
  TokenAmount total_reward = params.gas_reward + block_reward;
  if (total_reward > prior_balance) {
    // The reward actor runs dry: pay out what is left.
    total_reward = prior_balance;
    block_reward = total_reward - params.gas_reward;
  }
  st.total_storage_power_reward += block_reward;
  FIL_TRY(rt.saveState(st));

  const miner::ApplyRewardParams reward_params{total_reward, penalty};
  auto applied = rt.sendCbor(Address::id(*miner_id), miner::kApplyRewards, reward_params, total_reward);
  if (!applied) {
    if (isFatal(applied.error())) return fail(std::move(applied).error());
    log::get("vm").warn("ApplyRewards to miner f0{} failed ({}); burning the reward", *miner_id,
                        applied.error().message());
    auto burnt = rt.send(burntFundsActorAddress(), kMethodSend, {}, total_reward);
    if (!burnt && isFatal(burnt.error())) return fail(std::move(burnt).error());
  }
  return Bytes{};
}

Result<Bytes> updateNetworkKpi(Runtime& rt, const std::optional<StoragePower>& power) {
  FIL_TRY(rt.validateCallerIs({kPowerActorId}));
  if (!power) return exitError(ExitCode::kErrIllegalArgument, "argument cannot be None");
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  // Catch up over null rounds, then move to the next epoch, whose reward
  // this one computes.
  st.epoch = std::max(st.epoch, rt.epoch()) + 1;
  st.this_epoch_reward = epochReward(st.epoch);
  st.this_epoch_reward_smoothed = constantEstimate(st.this_epoch_reward);
  st.cumsum_realized += *power;
  st.effective_network_time = st.epoch;
  FIL_TRY(rt.saveState(st));
  return Bytes{};
}

}  // namespace

Result<Bytes> invoke(Runtime& rt, MethodNum method, BytesView params) {
  switch (method) {
    case kConstructor:
      return withParams<std::optional<StoragePower>>(params, [&](const auto&) -> Result<Bytes> {
        FIL_TRY(rt.validateCallerIs({kSystemActorId}));
        FIL_TRY(rt.saveState(makeState()));
        return Bytes{};
      });
    case kAwardBlockReward:
      return withParams<AwardBlockRewardParams>(params, [&](const auto& p) { return awardBlockReward(rt, p); });
    case kThisEpochReward: {
      FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
      return encodeReturn(ThisEpochRewardReturn{st.this_epoch_reward_smoothed, st.this_epoch_baseline_power});
    }
    case kUpdateNetworkKpi:
      return withParams<std::optional<StoragePower>>(params, [&](const auto& p) { return updateNetworkKpi(rt, p); });
    default:
      return unhandledMethod(method);
  }
}

}  // namespace fil::vm::reward
