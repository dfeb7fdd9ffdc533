#include "fil/vm/actors/power.h"

#include "actors/actors.h"
#include "fil/base/log.h"
#include "fil/store/amt.h"
#include "fil/store/hamt.h"
#include "fil/vm/actors/init.h"
#include "fil/vm/actors/miner.h"
#include "fil/vm/actors/reward.h"
#include "fil/vm/state_tree.h"

namespace fil::vm::power {
namespace {

const store::HamtOptions kCronHamt{static_cast<int>(kCronQueueHamtBitWidth)};
const store::AmtOptions kCronAmt{kCronQueueAmtBitWidth, store::AmtVersion::kV3};

Result<std::optional<std::vector<CronEvent>>> cronEventsAt(store::Blockstore& store, store::Hamt& queue,
                                                           int64_t epoch) {
  FIL_ASSIGN_OR_RETURN(auto root, queue.getCbor<cid::Cid>(intKey(epoch)));
  if (!root) return std::optional<std::vector<CronEvent>>();
  FIL_ASSIGN_OR_RETURN(auto amt, store::Amt::load(store, *root, kCronAmt));
  std::vector<CronEvent> events;
  FIL_TRY(amt.forEach([&](uint64_t, BytesView v) -> Status {
    FIL_ASSIGN_OR_RETURN(auto e, codec::decode<CronEvent>(v));
    events.push_back(std::move(e));
    return ok();
  }));
  return std::optional<std::vector<CronEvent>>(std::move(events));
}

}  // namespace

Result<State> makeState(store::Blockstore& store) {
  State st;
  FIL_ASSIGN_OR_RETURN(st.claims, store::Hamt(store).flush());
  FIL_ASSIGN_OR_RETURN(st.cron_event_queue, store::Hamt(store, kCronHamt).flush());
  st.this_epoch_qa_power_smoothed = constantEstimate(0);
  return st;
}

Result<std::optional<Claim>> loadClaim(store::Blockstore& store, const State& state, ActorId miner) {
  FIL_ASSIGN_OR_RETURN(auto claims, store::Hamt::load(store, state.claims));
  return claims.getCbor<Claim>(addressKey(Address::id(miner)));
}

Result<std::vector<std::pair<ActorId, Claim>>> loadClaims(store::Blockstore& store, const State& state) {
  FIL_ASSIGN_OR_RETURN(auto claims, store::Hamt::load(store, state.claims));
  std::vector<std::pair<ActorId, Claim>> out;
  FIL_TRY(claims.forEach([&](BytesView k, BytesView v) -> Status {
    FIL_ASSIGN_OR_RETURN(auto a, Address::fromBytes(k));
    FIL_ASSIGN_OR_RETURN(ActorId id, a.idValue());
    FIL_ASSIGN_OR_RETURN(auto c, codec::decode<Claim>(v));
    out.emplace_back(id, std::move(c));
    return ok();
  }));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

std::pair<StoragePower, StoragePower> currentTotalPower(const State& state) {
  if (state.miner_above_min_power_count < kConsensusMinerMinMiners) {
    return {state.total_bytes_committed, state.total_qa_bytes_committed};
  }
  return {state.total_raw_byte_power, state.total_quality_adj_power};
}

Result<bool> minerMeetsConsensusMinimum(store::Blockstore& store, const State& state, ActorId miner,
                                        const StoragePower& consensus_min_power) {
  FIL_ASSIGN_OR_RETURN(auto claim, loadClaim(store, state, miner));
  if (!claim) return false;
  if (claim->raw_byte_power >= consensus_min_power) return true;
  if (state.miner_above_min_power_count >= kConsensusMinerMinMiners) return false;
  return claim->raw_byte_power > 0;
}

namespace {

Status addToClaim(Runtime& rt, State& st, store::Hamt& claims, ActorId miner, const StoragePower& raw,
                  const StoragePower& qa) {
  const Bytes key = addressKey(Address::id(miner));
  FIL_ASSIGN_OR_RETURN(auto old_claim, claims.getCbor<Claim>(key));
  if (!old_claim) return exitError(ExitCode::kErrNotFound, fmt::format("no claim for actor f0{}", miner));
  st.total_qa_bytes_committed += qa;
  st.total_bytes_committed += raw;
  Claim claim = *old_claim;
  claim.raw_byte_power += raw;
  claim.quality_adj_power += qa;
  const StoragePower& min_power = rt.network().consensus_miner_min_power;
  const bool prev_below = old_claim->raw_byte_power < min_power;
  const bool still_below = claim.raw_byte_power < min_power;
  if (prev_below && !still_below) {
    st.miner_above_min_power_count += 1;
    st.total_quality_adj_power += claim.quality_adj_power;
    st.total_raw_byte_power += claim.raw_byte_power;
  } else if (!prev_below && still_below) {
    st.miner_above_min_power_count -= 1;
    st.total_quality_adj_power -= old_claim->quality_adj_power;
    st.total_raw_byte_power -= old_claim->raw_byte_power;
  } else if (!prev_below && !still_below) {
    st.total_quality_adj_power += qa;
    st.total_raw_byte_power += raw;
  }
  if (claim.raw_byte_power < 0 || claim.quality_adj_power < 0) {
    return exitError(ExitCode::kErrIllegalState,
                     fmt::format("negative claimed power for f0{}: raw {} qa {}", miner, claim.raw_byte_power.str(),
                                 claim.quality_adj_power.str()));
  }
  FIL_TRY(claims.setCbor(key, claim));
  return ok();
}

Result<Bytes> createMiner(Runtime& rt, const CreateMinerParams& params) {
  miner::ConstructorParams ctor{params.owner, params.worker, {}, params.window_post_proof_type, params.peer,
                                params.multiaddrs};
  init::ExecParams exec{codeCid(ActorType::kMiner), codec::encode(ctor)};
  FIL_ASSIGN_OR_RETURN(Bytes raw, rt.sendCbor(initActorAddress(), init::kExec, exec, rt.valueReceived()));
  FIL_ASSIGN_OR_RETURN(auto created, decodeReturn<init::ExecReturn>(raw));
  FIL_ASSIGN_OR_RETURN(ActorId id, created.id_address.idValue());

  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  FIL_ASSIGN_OR_RETURN(auto claims, store::Hamt::load(rt.store(), st.claims));
  FIL_TRY(claims.setCbor(addressKey(Address::id(id)), Claim{params.window_post_proof_type, 0, 0}));
  FIL_ASSIGN_OR_RETURN(st.claims, claims.flush());
  st.miner_count += 1;
  if (rt.network().consensus_miner_min_power <= 0) st.miner_above_min_power_count += 1;
  FIL_TRY(rt.saveState(st));
  return encodeReturn(CreateMinerReturn{created.id_address, created.robust_address});
}

Result<Bytes> updateClaimedPower(Runtime& rt, const UpdateClaimedPowerParams& params) {
  FIL_TRY(rt.validateCallerType({ActorType::kMiner}));
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  FIL_ASSIGN_OR_RETURN(auto claims, store::Hamt::load(rt.store(), st.claims));
  FIL_TRY(addToClaim(rt, st, claims, rt.callerId(), params.raw_byte_delta, params.quality_adjusted_delta));
  FIL_ASSIGN_OR_RETURN(st.claims, claims.flush());
  FIL_TRY(rt.saveState(st));
  return Bytes{};
}

Result<Bytes> enrollCronEvent(Runtime& rt, const EnrollCronEventParams& params) {
  FIL_TRY(rt.validateCallerType({ActorType::kMiner}));
  if (params.event_epoch < 0) {
    return exitError(ExitCode::kErrIllegalArgument,
                     fmt::format("cron event epoch {} cannot be less than zero", params.event_epoch));
  }
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  FIL_ASSIGN_OR_RETURN(auto queue, store::Hamt::load(rt.store(), st.cron_event_queue, kCronHamt));
  FIL_ASSIGN_OR_RETURN(auto root, queue.getCbor<cid::Cid>(intKey(params.event_epoch)));
  store::Amt events(rt.store(), kCronAmt);
  if (root) {
    FIL_ASSIGN_OR_RETURN(events, store::Amt::load(rt.store(), *root, kCronAmt));
  }
  FIL_TRY(events.setCbor(events.count(), CronEvent{rt.caller(), params.payload}));
  FIL_ASSIGN_OR_RETURN(cid::Cid new_root, events.flush());
  FIL_TRY(queue.setCbor(intKey(params.event_epoch), new_root));
  FIL_ASSIGN_OR_RETURN(st.cron_event_queue, queue.flush());
  FIL_TRY(rt.saveState(st));
  return Bytes{};
}

Result<Bytes> cronTick(Runtime& rt) {
  FIL_TRY(rt.validateCallerIs({kCronActorId}));
  FIL_ASSIGN_OR_RETURN(Bytes raw_reward, rt.send(rewardActorAddress(), reward::kThisEpochReward, {}, 0));
  FIL_ASSIGN_OR_RETURN(auto this_reward, decodeReturn<reward::ThisEpochRewardReturn>(raw_reward));

  // Deferred miner events due up to now, removed from the queue before they run.
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  std::vector<CronEvent> due;
  {
    FIL_ASSIGN_OR_RETURN(auto queue, store::Hamt::load(rt.store(), st.cron_event_queue, kCronHamt));
    FIL_ASSIGN_OR_RETURN(auto claims, store::Hamt::load(rt.store(), st.claims));
    for (int64_t epoch = st.first_cron_epoch; epoch <= rt.epoch(); ++epoch) {
      FIL_ASSIGN_OR_RETURN(auto events, cronEventsAt(rt.store(), queue, epoch));
      if (!events) continue;
      for (auto& e : *events) {
        FIL_ASSIGN_OR_RETURN(auto has_claim, claims.get(addressKey(e.miner_addr)));
        if (has_claim) due.push_back(std::move(e));
      }
      FIL_TRY(queue.remove(intKey(epoch)));
    }
    st.first_cron_epoch = rt.epoch() + 1;
    FIL_ASSIGN_OR_RETURN(st.cron_event_queue, queue.flush());
    FIL_TRY(rt.saveState(st));
  }
  std::vector<Address> failed;
  for (const auto& e : due) {
    miner::DeferredCronEventParams params{e.callback_payload, this_reward.this_epoch_reward_smoothed,
                                          st.this_epoch_qa_power_smoothed};
    auto r = rt.sendCbor(e.miner_addr, miner::kOnDeferredCronEvent, params, 0);
    if (!r) {
      if (isFatal(r.error())) return fail(std::move(r).error());
      log::get("vm").warn("OnDeferredCronEvent failed for miner {}: {}", e.miner_addr.toString(), r.error().message());
      failed.push_back(e.miner_addr);
    }
  }
  FIL_ASSIGN_OR_RETURN(st, rt.state<State>());
  if (!failed.empty()) {
    // A miner whose cron fails loses its claim and stays frozen (builtin-actors).
    FIL_ASSIGN_OR_RETURN(auto claims, store::Hamt::load(rt.store(), st.claims));
    for (const auto& a : failed) {
      FIL_ASSIGN_OR_RETURN(auto claim, claims.getCbor<Claim>(addressKey(a)));
      if (!claim) continue;
      FIL_ASSIGN_OR_RETURN(ActorId id, a.idValue());
      FIL_TRY(addToClaim(rt, st, claims, id, -claim->raw_byte_power, -claim->quality_adj_power));
      FIL_TRY(claims.remove(addressKey(a)));
      st.miner_count -= 1;
    }
    FIL_ASSIGN_OR_RETURN(st.claims, claims.flush());
  }
  auto [raw, qa] = currentTotalPower(st);
  st.this_epoch_pledge_collateral = st.total_pledge_collateral;
  st.this_epoch_quality_adj_power = qa;
  st.this_epoch_raw_byte_power = raw;
  st.this_epoch_qa_power_smoothed = constantEstimate(qa);
  FIL_TRY(rt.saveState(st));
  FIL_TRY(rt.send(rewardActorAddress(), reward::kUpdateNetworkKpi, codec::encode(st.this_epoch_raw_byte_power), 0)
              .map_error([](Error e) { return std::move(e).withContext("failed to update network KPI with reward actor"); }));
  return Bytes{};
}

Result<Bytes> updatePledgeTotal(Runtime& rt, const TokenAmount& delta) {
  FIL_TRY(rt.validateCallerType({ActorType::kMiner}));
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  FIL_ASSIGN_OR_RETURN(auto claim, loadClaim(rt.store(), st, rt.callerId()));
  if (!claim) {
    return exitError(ExitCode::kErrForbidden,
                     fmt::format("unknown miner f0{} forbidden to interact with power actor", rt.callerId()));
  }
  st.total_pledge_collateral += delta;
  if (st.total_pledge_collateral < 0) {
    return exitError(ExitCode::kErrIllegalState,
                     "negative total pledge collateral " + st.total_pledge_collateral.str());
  }
  FIL_TRY(rt.saveState(st));
  return Bytes{};
}

}  // namespace

Result<Bytes> invoke(Runtime& rt, MethodNum method, BytesView params) {
  switch (method) {
    case kConstructor: {
      FIL_TRY(rt.validateCallerIs({kSystemActorId}));
      FIL_ASSIGN_OR_RETURN(State st, withExitCode(makeState(rt.store()), ExitCode::kErrIllegalState, "power state"));
      FIL_TRY(rt.saveState(st));
      return Bytes{};
    }
    case kCreateMiner:
    case kCreateMinerExported:
      return withParams<CreateMinerParams>(params, [&](const auto& p) { return createMiner(rt, p); });
    case kUpdateClaimedPower:
      return withParams<UpdateClaimedPowerParams>(params, [&](const auto& p) { return updateClaimedPower(rt, p); });
    case kEnrollCronEvent:
      return withParams<EnrollCronEventParams>(params, [&](const auto& p) { return enrollCronEvent(rt, p); });
    case kCronTick:
      return cronTick(rt);
    case kUpdatePledgeTotal:
      return withParams<TokenAmount>(params, [&](const auto& p) { return updatePledgeTotal(rt, p); });
    case kCurrentTotalPower: {
      FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
      return encodeReturn(CurrentTotalPowerReturn{st.this_epoch_raw_byte_power, st.this_epoch_quality_adj_power,
                                                  st.this_epoch_pledge_collateral, st.this_epoch_qa_power_smoothed});
    }
    case kNetworkRawPowerExported: {
      FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
      return encodeReturn(st.this_epoch_raw_byte_power);
    }
    case kMinerRawPowerExported:
      return withParams<MinerRawPowerParams>(params, [&](const auto& p) -> Result<Bytes> {
        FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
        FIL_ASSIGN_OR_RETURN(auto claim, loadClaim(rt.store(), st, p.miner));
        if (!claim) return exitError(ExitCode::kErrIllegalArgument, fmt::format("no claim for actor: {}", p.miner));
        FIL_ASSIGN_OR_RETURN(bool meets, minerMeetsConsensusMinimum(rt.store(), st, p.miner,
                                                                    rt.network().consensus_miner_min_power));
        return encodeReturn(MinerRawPowerReturn{claim->raw_byte_power, meets});
      });
    case kMinerCountExported: {
      FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
      return encodeReturn(st.miner_count);
    }
    case kMinerConsensusCountExported: {
      FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
      return encodeReturn(st.miner_above_min_power_count);
    }
    default:
      return unhandledMethod(method);
  }
}

}  // namespace fil::vm::power
