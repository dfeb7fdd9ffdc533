#include "fil/vm/state_view.h"

#include <fmt/format.h>

#include "fil/vm/actors/account.h"
#include "fil/vm/actors/init.h"
#include "fil/vm/exit.h"

namespace fil::vm {

Result<StateView> StateView::load(store::Blockstore& store, const cid::Cid& root) {
  FIL_ASSIGN_OR_RETURN(auto tree, StateTree::load(store, root));
  return StateView(store, std::move(tree));
}

template <typename S>
Result<S> StateView::actorState(const Address& address, ActorType type) {
  FIL_ASSIGN_OR_RETURN(auto actor, tree_.getActor(address));
  if (!actor) return fail(ExitCode::kErrNotFound, fmt::format("actor not found: {}", address.toString()));
  if (actorTypeOf(actor->code) != type) {
    return fail(VmError::kInvalidState, fmt::format("actor {} is not a {} actor", address.toString(), actorTypeName(type)));
  }
  return store::getCbor<S>(*store_, actor->head);
}

Result<std::optional<Actor>> StateView::getActor(const Address& address) { return tree_.getActor(address); }

Result<std::optional<ActorId>> StateView::lookupId(const Address& address) { return tree_.lookupId(address); }

Result<Address> StateView::accountKey(const Address& address) {
  if (address.defined() && (address.protocol() == primitives::AddressProtocol::kSecp256k1 ||
                            address.protocol() == primitives::AddressProtocol::kBls)) {
    return address;
  }
  FIL_ASSIGN_OR_RETURN(auto st, actorState<account::State>(address, ActorType::kAccount));
  return st.address;
}

Result<std::vector<Address>> StateView::listActors() {
  std::vector<Address> out;
  FIL_TRY(tree_.forEach([&](ActorId id, const Actor&) {
    out.push_back(Address::id(id));
    return ok();
  }));
  std::sort(out.begin(), out.end(), [](const Address& a, const Address& b) { return *a.idValue() < *b.idValue(); });
  return out;
}

Result<std::string> StateView::networkName() {
  FIL_ASSIGN_OR_RETURN(auto st, actorState<init::State>(initActorAddress(), ActorType::kInit));
  return st.network_name;
}

Result<miner::State> StateView::minerState(const Address& miner) {
  return actorState<miner::State>(miner, ActorType::kMiner);
}

Result<miner::MinerInfo> StateView::minerInfo(const Address& miner) {
  FIL_ASSIGN_OR_RETURN(auto st, minerState(miner));
  return miner::loadInfo(*store_, st);
}

Result<std::vector<miner::SectorOnChainInfo>> StateView::minerSectors(const Address& miner,
                                                                      const std::optional<primitives::BitField>& filter) {
  FIL_ASSIGN_OR_RETURN(auto st, minerState(miner));
  return miner::loadSectors(*store_, st, filter);
}

Result<std::optional<miner::SectorOnChainInfo>> StateView::minerSector(const Address& miner, SectorNumber n) {
  FIL_ASSIGN_OR_RETURN(auto st, minerState(miner));
  return miner::loadSector(*store_, st, n);
}

Result<std::optional<miner::SectorPreCommitOnChainInfo>> StateView::minerPreCommit(const Address& miner, SectorNumber n) {
  FIL_ASSIGN_OR_RETURN(auto st, minerState(miner));
  return miner::loadPreCommit(*store_, st, n);
}

Result<std::vector<miner::Deadline>> StateView::minerDeadlines(const Address& miner) {
  FIL_ASSIGN_OR_RETURN(auto st, minerState(miner));
  return miner::loadDeadlines(*store_, st);
}

Result<std::vector<miner::Partition>> StateView::minerPartitions(const Address& miner, uint64_t deadline) {
  FIL_ASSIGN_OR_RETURN(auto deadlines, minerDeadlines(miner));
  if (deadline >= deadlines.size()) {
    return fail(ExitCode::kErrIllegalArgument, fmt::format("deadline {} out of range (miner has {})", deadline, deadlines.size()));
  }
  return miner::loadPartitions(*store_, deadlines[deadline]);
}

Result<miner::DeadlineInfo> StateView::minerProvingDeadline(const Address& miner, const chain::NetworkParams& network,
                                                             chain::ChainEpoch epoch) {
  FIL_ASSIGN_OR_RETURN(auto st, minerState(miner));
  return miner::nextNotElapsed(network, miner::currentDeadlineInfo(network, st, epoch));
}

Result<TokenAmount> StateView::minerAvailableBalance(const Address& miner) {
  FIL_ASSIGN_OR_RETURN(auto st, minerState(miner));
  FIL_ASSIGN_OR_RETURN(auto actor, tree_.getActor(miner));
  return miner::availableBalance(st, actor->balance);
}

Result<MinerPower> StateView::minerPower(const Address& miner, const chain::NetworkParams& network) {
  FIL_ASSIGN_OR_RETURN(auto id, tree_.lookupId(miner));
  if (!id) return fail(ExitCode::kErrNotFound, fmt::format("actor not found: {}", miner.toString()));
  FIL_ASSIGN_OR_RETURN(auto ps, powerState());
  FIL_ASSIGN_OR_RETURN(auto claim, power::loadClaim(*store_, ps, *id));
  if (!claim) return fail(ExitCode::kErrNotFound, fmt::format("no power claim for {}", miner.toString()));
  MinerPower out;
  out.miner = *claim;
  auto [raw, qa] = power::currentTotalPower(ps);
  out.total = {claim->window_post_proof_type, raw, qa};
  FIL_ASSIGN_OR_RETURN(out.has_min_power,
                       power::minerMeetsConsensusMinimum(*store_, ps, *id, network.consensus_miner_min_power));
  return out;
}

Result<std::vector<Address>> StateView::listMiners() {
  FIL_ASSIGN_OR_RETURN(auto ps, powerState());
  FIL_ASSIGN_OR_RETURN(auto claims, power::loadClaims(*store_, ps));
  std::vector<Address> out;
  for (const auto& [id, claim] : claims) out.push_back(Address::id(id));
  return out;
}

Result<power::State> StateView::powerState() { return actorState<power::State>(powerActorAddress(), ActorType::kPower); }
Result<reward::State> StateView::rewardState() { return actorState<reward::State>(rewardActorAddress(), ActorType::kReward); }
Result<market::State> StateView::marketState() { return actorState<market::State>(marketActorAddress(), ActorType::kMarket); }

Result<std::vector<market::Deal>> StateView::marketDeals() {
  FIL_ASSIGN_OR_RETURN(auto st, marketState());
  return market::loadDeals(*store_, st);
}

Result<std::optional<market::Deal>> StateView::marketDeal(DealId id) {
  FIL_ASSIGN_OR_RETURN(auto st, marketState());
  FIL_ASSIGN_OR_RETURN(auto proposal, market::loadProposal(*store_, st, id));
  if (!proposal) return std::optional<market::Deal>();
  FIL_ASSIGN_OR_RETURN(auto state, market::loadDealState(*store_, st, id));
  return std::optional<market::Deal>(market::Deal{id, std::move(*proposal), state ? *state : market::DealState{}});
}

Result<market::GetBalanceReturn> StateView::marketBalance(const Address& party) {
  FIL_ASSIGN_OR_RETURN(auto id, tree_.lookupId(party));
  if (!id) return market::GetBalanceReturn{};
  FIL_ASSIGN_OR_RETURN(auto st, marketState());
  return market::loadBalance(*store_, st, *id);
}

}  // namespace fil::vm
