#include "fil/vm/tipset.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "fil/store/amt.h"
#include "fil/vm/actors/cron.h"
#include "fil/vm/actors/reward.h"

namespace fil::vm {

primitives::Message cronMessage(chain::ChainEpoch epoch) {
  primitives::Message m;
  m.to = cronActorAddress();
  m.from = systemActorAddress();
  m.nonce = static_cast<uint64_t>(epoch);
  m.gas_limit = kImplicitMessageGasLimit;
  m.method = cron::kEpochTick;
  return m;
}

primitives::Message rewardMessage(chain::ChainEpoch epoch, const Address& miner, const TokenAmount& penalty,
                                  const TokenAmount& gas_reward, int64_t win_count) {
  primitives::Message m;
  m.to = rewardActorAddress();
  m.from = systemActorAddress();
  m.nonce = static_cast<uint64_t>(epoch);
  m.gas_limit = int64_t{1} << 30;
  m.method = reward::kAwardBlockReward;
  m.params = codec::encode(reward::AwardBlockRewardParams{miner, penalty, gas_reward, win_count});
  return m;
}

Result<cid::Cid> emptyReceiptsRoot(store::Blockstore& store) {
  return store::Amt(store, {3, store::AmtVersion::kV0}).flush();
}

TokenAmount nextBaseFee(const TokenAmount& parent_base_fee, int64_t gas_limit_total, size_t block_count,
                        const chain::NetworkParams& network) {
  constexpr int64_t kBaseFeeMaxChangeDenom = 8;
  const int64_t target = network.block_gas_target;
  int64_t delta = gas_limit_total / static_cast<int64_t>(std::max<size_t>(block_count, 1)) - target;
  delta = std::clamp(delta, -target, target);
  // go-state-types big.Div is Euclidean: it rounds a negative change down,
  // where C++ truncates toward zero.
  auto floor_div = [](const TokenAmount& a, int64_t b) {
    TokenAmount q = a / b;
    if (a < 0 && q * b != a) q -= 1;
    return q;
  };
  const TokenAmount change = floor_div(floor_div(parent_base_fee * delta, target), kBaseFeeMaxChangeDenom);
  const TokenAmount next = parent_base_fee + change;
  return next < network.minimum_base_fee ? network.minimum_base_fee : next;
}

TokenAmount nextBaseFee(const TokenAmount& parent_base_fee, const std::vector<BlockMessages>& blocks,
                        const chain::NetworkParams& network) {
  // A message in several blocks counts once (by its CID as carried: the
  // signed CID for secp256k1 messages, as Lotus's ComputeBaseFee).
  std::set<cid::Cid> seen;
  int64_t total = 0;
  for (const auto& b : blocks) {
    for (const auto& m : b.bls_messages) {
      if (seen.insert(m.cid()).second) total += m.gas_limit;
    }
    for (const auto& m : b.secp_messages) {
      if (seen.insert(m.cid()).second) total += m.message.gas_limit;
    }
  }
  return nextBaseFee(parent_base_fee, total, blocks.size(), network);
}

namespace {

Status runImplicit(Vm& vm, const primitives::Message& m, const ExecMonitor& monitor, std::string_view what) {
  FIL_ASSIGN_OR_RETURN(ApplyRet r, vm.applyImplicitMessage(m));
  if (monitor) monitor(m.cid(), m, r, true);
  if (r.receipt.exit_code != ExitCode::kOk) {
    return fail(VmError::kFatal, fmt::format("{} at epoch {} failed with exit code {}: {}", what, vm.epoch(),
                                             static_cast<int64_t>(r.receipt.exit_code), r.error));
  }
  return ok();
}

}  // namespace

Result<TipSetResult> applyTipSet(store::Blockstore& store, const TipSetExecution& execution,
                                 const chain::NetworkParams& network, const chain::RandomnessSource& randomness,
                                 const ProofVerifier* verifier, const ExecMonitor& monitor) {
  if (execution.epoch <= execution.parent_epoch) {
    return fail(VmError::kInvalidMessage, fmt::format("tipset epoch {} is not after its parent's {}", execution.epoch,
                                                      execution.parent_epoch));
  }
  VmOptions options{execution.parent_epoch, execution.base_fee, &network, &randomness, verifier};
  cid::Cid state = execution.parent_state;
  // Null rounds still run cron.
  for (chain::ChainEpoch e = execution.parent_epoch + 1; e < execution.epoch; ++e) {
    options.epoch = e;
    FIL_ASSIGN_OR_RETURN(auto vm, Vm::load(store, state, options));
    FIL_TRY(runImplicit(*vm, cronMessage(e), monitor, "cron"));
    FIL_ASSIGN_OR_RETURN(state, vm->flush());
  }

  options.epoch = execution.epoch;
  FIL_ASSIGN_OR_RETURN(auto vm, Vm::load(store, state, options));
  TipSetResult out;
  std::set<cid::Cid> applied;
  for (const auto& block : execution.blocks) {
    TokenAmount penalty = 0;
    TokenAmount gas_reward = 0;
    auto record = [&](const primitives::Message& m, const cid::Cid& c, ApplyRet r) {
      if (monitor) monitor(c, m, r, false);
      out.gas_used += r.receipt.gas_used;
      penalty += r.gas.miner_penalty;
      gas_reward += r.gas.miner_tip;
      out.receipts.push_back(std::move(r.receipt));
      out.message_cids.push_back(c);
    };
    for (const auto& m : block.bls_messages) {
      const cid::Cid c = m.cid();
      if (!applied.insert(c).second) continue;
      FIL_ASSIGN_OR_RETURN(ApplyRet r, vm->applyMessage(m, codec::encode(m).size()));
      record(m, c, std::move(r));
    }
    for (const auto& sm : block.secp_messages) {
      const cid::Cid c = sm.message.cid();
      if (!applied.insert(c).second) continue;
      FIL_ASSIGN_OR_RETURN(ApplyRet r, vm->applyMessage(sm));
      record(sm.message, c, std::move(r));
    }
    FIL_TRY(runImplicit(*vm, rewardMessage(execution.epoch, block.miner, penalty, gas_reward, block.win_count),
                        monitor, "block reward"));
  }
  FIL_TRY(runImplicit(*vm, cronMessage(execution.epoch), monitor, "cron"));

  store::Amt receipts(store, {3, store::AmtVersion::kV0});
  for (size_t i = 0; i < out.receipts.size(); ++i) FIL_TRY(receipts.setCbor(i, out.receipts[i]));
  FIL_ASSIGN_OR_RETURN(out.receipts_root, receipts.flush());
  FIL_ASSIGN_OR_RETURN(out.state_root, vm->flush());
  return out;
}

}  // namespace fil::vm
