#include "fil/node/consensus_view.h"

#include <algorithm>

#include <fmt/format.h>

#include "fil/proofs/commp.h"
#include "fil/vm/state_view.h"

namespace fil::node {
namespace {

// Whether `address` names a miner actor in `view`.
Result<bool> isMiner(vm::StateView& view, const primitives::Address& address) {
  FIL_ASSIGN_OR_RETURN(auto actor, view.getActor(address));
  return actor && vm::actorTypeOf(actor->code) == vm::ActorType::kMiner;
}

}  // namespace

Result<std::vector<proofs::PublicSectorInfo>> StateConsensusView::lookbackActiveSectors(
    const primitives::Address& miner) const {
  FIL_ASSIGN_OR_RETURN(auto view, vm::StateView::load(blocks_, lookback_root_));
  FIL_ASSIGN_OR_RETURN(auto deadlines, view.minerDeadlines(miner));
  primitives::BitField active;
  for (uint64_t d = 0; d < deadlines.size(); ++d) {
    FIL_ASSIGN_OR_RETURN(auto partitions, view.minerPartitions(miner, d));
    for (const auto& p : partitions) active = active.unite(p.activeSectors());
  }
  std::vector<proofs::PublicSectorInfo> out;
  if (active.empty()) return out;
  FIL_ASSIGN_OR_RETURN(auto sectors, view.minerSectors(miner, active));
  out.reserve(sectors.size());
  for (const auto& s : sectors) {
    FIL_ASSIGN_OR_RETURN(auto comm_r, proofs::commitmentFromSealedCid(s.sealed_cid));
    out.push_back({static_cast<proofs::RegisteredSealProof>(s.seal_proof), s.sector_number, comm_r});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.sector < b.sector; });
  return out;
}

Result<chain::LookbackMinerFacts> StateConsensusView::lookbackMiner(const primitives::Address& miner) const {
  FIL_ASSIGN_OR_RETURN(auto view, vm::StateView::load(blocks_, lookback_root_));
  chain::LookbackMinerFacts facts;
  FIL_ASSIGN_OR_RETURN(bool found, isMiner(view, miner));
  if (!found) return facts;
  facts.found = true;
  FIL_ASSIGN_OR_RETURN(auto info, view.minerInfo(miner));
  FIL_ASSIGN_OR_RETURN(facts.worker, view.accountKey(info.worker));
  FIL_ASSIGN_OR_RETURN(auto power, view.minerPower(miner, network_));
  facts.has_claim = true;
  facts.miner_power = power.miner.quality_adj_power;
  facts.network_power = power.total.quality_adj_power;
  facts.meets_consensus_minimum = power.has_min_power;
  FIL_ASSIGN_OR_RETURN(auto sectors, lookbackActiveSectors(miner));
  facts.active_sectors = sectors.size();
  if (!sectors.empty()) {
    FIL_ASSIGN_OR_RETURN(facts.winning_post_proof, proofs::winningPoStProofFor(sectors.front().proof));
  }
  return facts;
}

Result<std::vector<proofs::PublicSectorInfo>> StateConsensusView::lookbackSectors(
    const primitives::Address& miner, std::span<const uint64_t> positions) const {
  FIL_ASSIGN_OR_RETURN(auto sectors, lookbackActiveSectors(miner));
  std::vector<proofs::PublicSectorInfo> out;
  out.reserve(positions.size());
  for (uint64_t p : positions) {
    if (p >= sectors.size()) {
      return fail(GenericError::kOutOfRange,
                  fmt::format("miner {} has {} active sectors; position {} asked", miner.toString(), sectors.size(), p));
    }
    out.push_back(sectors[p]);
  }
  return out;
}

Result<chain::ParentMinerFacts> StateConsensusView::parentMiner(const primitives::Address& miner) const {
  FIL_ASSIGN_OR_RETURN(auto view, vm::StateView::load(blocks_, parent_root_));
  chain::ParentMinerFacts facts;
  FIL_ASSIGN_OR_RETURN(bool found, isMiner(view, miner));
  if (!found) return facts;
  FIL_ASSIGN_OR_RETURN(auto power, view.minerPower(miner, network_));
  facts.has_claim = true;
  facts.power = power.miner.quality_adj_power;
  FIL_ASSIGN_OR_RETURN(auto state, view.minerState(miner));
  facts.has_fee_debt = state.fee_debt > 0;
  FIL_ASSIGN_OR_RETURN(auto info, view.minerInfo(miner));
  facts.consensus_fault_elapsed = info.consensus_fault_elapsed;
  return facts;
}

Result<primitives::StoragePower> StateConsensusView::parentNetworkPower() const {
  FIL_ASSIGN_OR_RETURN(auto view, vm::StateView::load(blocks_, parent_root_));
  FIL_ASSIGN_OR_RETURN(auto power, view.powerState());
  return power.total_quality_adj_power;
}

Result<chain::SenderFacts> StateConsensusView::sender(const primitives::Address& from) const {
  FIL_ASSIGN_OR_RETURN(auto view, vm::StateView::load(blocks_, executed_root_));
  chain::SenderFacts facts;
  FIL_ASSIGN_OR_RETURN(auto actor, view.getActor(from));
  if (!actor) return facts;
  facts.found = true;
  FIL_ASSIGN_OR_RETURN(auto id, view.lookupId(from));
  if (id) facts.id = primitives::Address::id(*id);
  facts.can_send = vm::actorTypeOf(actor->code) == vm::ActorType::kAccount;
  facts.nonce = actor->nonce;
  if (facts.can_send) {
    FIL_ASSIGN_OR_RETURN(facts.key_address, view.accountKey(from));
  }
  return facts;
}

}  // namespace fil::node
