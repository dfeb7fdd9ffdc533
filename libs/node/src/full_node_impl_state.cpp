// The state methods of the full node API: typed reads of a tipset's parent
// state (vm::StateView) shaped as Lotus's API returns them, calls, message
// lookups and randomness.
#include <chrono>

#include <fmt/format.h>

#include "fil/chain/chain_randomness.h"
#include "fil/node/full_node_impl.h"
#include "fil/vm/actors/market.h"
#include "fil/chain/receipt.h"
#include "fil/vm/state_view.h"

namespace fil::node {
namespace {

// Lotus's MsgLookup.Message names the message as the chain holds it: the
// signed message's CID for a secp256k1 message, which is what clients ask
// with. Lookups here find the message by the CID asked (no replacement
// search), so that is the CID to answer.
api::MsgLookup apiLookup(const MessageLookup& found, const cid::Cid& asked) {
  api::MsgLookup out;
  out.message = asked;
  out.receipt = found.receipt;
  out.tipset = found.tipset.key();
  out.height = found.height;
  return out;
}

api::PowerClaim apiClaim(const vm::power::Claim& claim) { return {claim.raw_byte_power, claim.quality_adj_power}; }

// An actor that is not there is an error naming it, as Lotus's
// "actor not found".
template <typename T>
Result<T> present(Result<std::optional<T>> found, const primitives::Address& address) {
  FIL_ASSIGN_OR_RETURN(auto value, std::move(found));
  if (!value) return fail(chain::ExitCode::kErrNotFound, fmt::format("actor not found: {}", address.toString()));
  return std::move(*value);
}

}  // namespace

Result<vm::StateView> FullNodeImpl::stateAt(const api::TipSetKey& key) {
  FIL_ASSIGN_OR_RETURN(auto ts, tipset(key));
  return vm::StateView::load(node_.blocks(), ts.parentState());
}

Result<api::InvocResult> FullNodeImpl::stateCall(const primitives::Message& message, const api::TipSetKey& key) {
  FIL_ASSIGN_OR_RETURN(auto ts, tipset(key));
  const auto started = std::chrono::steady_clock::now();
  FIL_ASSIGN_OR_RETURN(auto ret, node_.state().call(message, ts));
  api::InvocResult out;
  out.msg_cid = message.cid();
  out.msg = message;
  out.msg_rct = ret.receipt;
  out.gas_cost.message = out.msg_cid;
  out.gas_cost.gas_used = ret.receipt.gas_used;
  out.gas_cost.base_fee_burn = ret.gas.base_fee_burn;
  out.gas_cost.over_estimation_burn = ret.gas.over_estimation_burn;
  out.gas_cost.miner_penalty = ret.gas.miner_penalty;
  out.gas_cost.miner_tip = ret.gas.miner_tip;
  out.gas_cost.refund = ret.gas.refund;
  out.gas_cost.total_cost = ret.gas.base_fee_burn + ret.gas.over_estimation_burn + ret.gas.miner_tip;
  out.error = ret.error;
  out.duration = std::chrono::steady_clock::now() - started;
  return out;
}

Result<api::MsgLookup> FullNodeImpl::stateWaitMsg(const cid::Cid& message, const uint64_t& confidence,
                                                  const api::ChainEpoch& limit, const bool&) {
  FIL_ASSIGN_OR_RETURN(auto found, node_.state().waitMessage(message, confidence, limit, options_.wait_timeout));
  return apiLookup(found, message);
}

Result<std::optional<api::MsgLookup>> FullNodeImpl::stateSearchMsg(const api::TipSetKey& from,
                                                                   const cid::Cid& message,
                                                                   const api::ChainEpoch& limit, const bool&) {
  FIL_ASSIGN_OR_RETURN(auto ts, tipset(from));
  FIL_ASSIGN_OR_RETURN(auto found, node_.state().searchMessage(ts, message, limit));
  if (!found) return std::optional<api::MsgLookup>{};
  return std::optional<api::MsgLookup>{apiLookup(*found, message)};
}

Result<vm::Actor> FullNodeImpl::stateGetActor(const api::Address& actor, const api::TipSetKey& key) {
  FIL_ASSIGN_OR_RETURN(auto view, stateAt(key));
  return present(view.getActor(actor), actor);
}

Result<api::Address> FullNodeImpl::stateLookupId(const api::Address& address, const api::TipSetKey& key) {
  FIL_ASSIGN_OR_RETURN(auto view, stateAt(key));
  FIL_ASSIGN_OR_RETURN(auto id, present(view.lookupId(address), address));
  return primitives::Address::id(id);
}

Result<api::Address> FullNodeImpl::stateAccountKey(const api::Address& address, const api::TipSetKey& key) {
  FIL_ASSIGN_OR_RETURN(auto view, stateAt(key));
  return view.accountKey(address);
}

Result<api::MinerInfo> FullNodeImpl::stateMinerInfo(const api::Address& miner, const api::TipSetKey& key) {
  FIL_ASSIGN_OR_RETURN(auto view, stateAt(key));
  FIL_ASSIGN_OR_RETURN(auto info, view.minerInfo(miner));
  return api::minerInfoFromState(info);
}

Result<api::MinerPower> FullNodeImpl::stateMinerPower(const api::Address& miner, const api::TipSetKey& key) {
  FIL_ASSIGN_OR_RETURN(auto view, stateAt(key));
  if (!miner.defined()) {
    // No miner (`lotus state power` without one): the network's totals only, as Lotus's GetPower.
    FIL_ASSIGN_OR_RETURN(auto ps, view.powerState());
    return api::MinerPower{{}, {ps.total_raw_byte_power, ps.total_quality_adj_power}, false};
  }
  FIL_ASSIGN_OR_RETURN(auto power, view.minerPower(miner, node_.network()));
  return api::MinerPower{apiClaim(power.miner), apiClaim(power.total), power.has_min_power};
}

Result<std::vector<api::Address>> FullNodeImpl::stateListMiners(const api::TipSetKey& key) {
  FIL_ASSIGN_OR_RETURN(auto view, stateAt(key));
  return view.listMiners();
}

Result<std::vector<api::SectorOnChainInfo>> FullNodeImpl::stateMinerSectors(
    const api::Address& miner, const std::optional<primitives::BitField>& filter, const api::TipSetKey& key) {
  FIL_ASSIGN_OR_RETURN(auto view, stateAt(key));
  FIL_ASSIGN_OR_RETURN(auto sectors, view.minerSectors(miner, filter));
  std::vector<api::SectorOnChainInfo> out;
  out.reserve(sectors.size());
  for (const auto& s : sectors) out.push_back(api::sectorInfoFromState(s));
  return out;
}

Result<std::optional<api::SectorOnChainInfo>> FullNodeImpl::stateSectorGetInfo(const api::Address& miner,
                                                                               const api::SectorNumber& sector,
                                                                               const api::TipSetKey& key) {
  FIL_ASSIGN_OR_RETURN(auto view, stateAt(key));
  FIL_ASSIGN_OR_RETURN(auto found, view.minerSector(miner, sector));
  if (!found) return std::optional<api::SectorOnChainInfo>{};
  return std::optional<api::SectorOnChainInfo>{api::sectorInfoFromState(*found)};
}

Result<std::optional<vm::miner::SectorPreCommitOnChainInfo>> FullNodeImpl::stateSectorPreCommitInfo(
    const api::Address& miner, const api::SectorNumber& sector, const api::TipSetKey& key) {
  FIL_ASSIGN_OR_RETURN(auto view, stateAt(key));
  return view.minerPreCommit(miner, sector);
}

Result<api::DeadlineInfo> FullNodeImpl::stateMinerProvingDeadline(const api::Address& miner,
                                                                  const api::TipSetKey& key) {
  FIL_ASSIGN_OR_RETURN(auto ts, tipset(key));
  FIL_ASSIGN_OR_RETURN(auto view, vm::StateView::load(node_.blocks(), ts.parentState()));
  const auto& net = node_.network();
  FIL_ASSIGN_OR_RETURN(auto d, view.minerProvingDeadline(miner, net, ts.height()));
  return api::DeadlineInfo{.current_epoch = d.current_epoch,
                           .period_start = d.period_start,
                           .index = d.index,
                           .open = d.open,
                           .close = d.close,
                           .challenge = d.challenge,
                           .fault_cutoff = d.fault_cutoff,
                           .wpost_period_deadlines = net.wpost_period_deadlines,
                           .wpost_proving_period = net.wpost_proving_period,
                           .wpost_challenge_window = net.wpost_challenge_window,
                           .wpost_challenge_lookback = net.wpost_challenge_lookback,
                           .fault_declaration_cutoff = net.fault_declaration_cutoff};
}

Result<std::vector<api::Deadline>> FullNodeImpl::stateMinerDeadlines(const api::Address& miner,
                                                                     const api::TipSetKey& key) {
  FIL_ASSIGN_OR_RETURN(auto view, stateAt(key));
  FIL_ASSIGN_OR_RETURN(auto deadlines, view.minerDeadlines(miner));
  std::vector<api::Deadline> out;
  out.reserve(deadlines.size());
  // Proofs are checked when submitted (no optimistic acceptance), so none is disputable.
  for (const auto& d : deadlines) out.push_back({d.partitions_posted, 0});
  return out;
}

Result<std::vector<api::Partition>> FullNodeImpl::stateMinerPartitions(const api::Address& miner,
                                                                       const uint64_t& deadline,
                                                                       const api::TipSetKey& key) {
  FIL_ASSIGN_OR_RETURN(auto view, stateAt(key));
  FIL_ASSIGN_OR_RETURN(auto partitions, view.minerPartitions(miner, deadline));
  std::vector<api::Partition> out;
  out.reserve(partitions.size());
  for (const auto& p : partitions) {
    // As builtin-actors' Partition: live = all - terminated, active = live - faulty - unproven.
    const auto live = p.sectors.subtract(p.terminated);
    out.push_back({.all_sectors = p.sectors,
                   .faulty_sectors = p.faults,
                   .recovering_sectors = p.recoveries,
                   .live_sectors = live,
                   .active_sectors = live.subtract(p.faults).subtract(p.unproven)});
  }
  return out;
}

Result<primitives::BitField> FullNodeImpl::stateMinerFaults(const api::Address& miner, const api::TipSetKey& key) {
  FIL_ASSIGN_OR_RETURN(auto view, stateAt(key));
  FIL_ASSIGN_OR_RETURN(auto deadlines, view.minerDeadlines(miner));
  primitives::BitField faults;
  for (uint64_t d = 0; d < deadlines.size(); ++d) {
    FIL_ASSIGN_OR_RETURN(auto partitions, view.minerPartitions(miner, d));
    for (const auto& p : partitions) faults = faults.unite(p.faults);
  }
  return faults;
}

Result<api::TokenAmount> FullNodeImpl::stateMinerAvailableBalance(const api::Address& miner,
                                                                  const api::TipSetKey& key) {
  FIL_ASSIGN_OR_RETURN(auto view, stateAt(key));
  return view.minerAvailableBalance(miner);
}

Result<api::MarketBalance> FullNodeImpl::stateMarketBalance(const api::Address& address, const api::TipSetKey& key) {
  FIL_ASSIGN_OR_RETURN(auto view, stateAt(key));
  FIL_ASSIGN_OR_RETURN(auto id, view.lookupId(address));
  if (!id) return api::MarketBalance{};  // an address not on chain has no escrow (Lotus answers zero)
  FIL_ASSIGN_OR_RETURN(auto balance, view.marketBalance(primitives::Address::id(*id)));
  return api::MarketBalance{balance.balance, balance.locked};
}

Result<api::MarketDeal> FullNodeImpl::stateMarketStorageDeal(const api::DealId& deal, const api::TipSetKey& key) {
  FIL_ASSIGN_OR_RETURN(auto view, stateAt(key));
  FIL_ASSIGN_OR_RETURN(auto found, view.marketDeal(deal));
  if (!found) return fail(chain::ExitCode::kErrNotFound, fmt::format("deal {} not found", deal));
  return api::MarketDeal{found->proposal, found->state};
}

Result<api::MarketDeals> FullNodeImpl::stateMarketDeals(const api::TipSetKey& key) {
  FIL_ASSIGN_OR_RETURN(auto view, stateAt(key));
  FIL_ASSIGN_OR_RETURN(auto deals, view.marketDeals());
  api::MarketDeals out;
  for (auto& d : deals) out.emplace(d.id, api::MarketDeal{std::move(d.proposal), std::move(d.state)});
  return out;
}

Result<api::DealCollateralBounds> FullNodeImpl::stateDealProviderCollateralBounds(const uint64_t& padded_piece_size,
                                                                                  const bool&,
                                                                                  const api::TipSetKey& key) {
  FIL_TRY(tipset(key));
  if (padded_piece_size == 0) return fail(GenericError::kInvalidArgument, "piece size 0");
  // The bounds this chain's market actor enforces (docs/decisions.md: no
  // circulating-supply model, so no supply-share minimum).
  const auto bounds = vm::market::providerCollateralBounds();
  return api::DealCollateralBounds{bounds.min, bounds.max};
}

Result<api::NetworkVersion> FullNodeImpl::stateNetworkVersion(const api::TipSetKey& key) {
  FIL_TRY(tipset(key));
  return static_cast<api::NetworkVersion>(node_.network().network_version);
}

Result<std::string> FullNodeImpl::stateNetworkName() {
  FIL_ASSIGN_OR_RETURN(auto view, stateAt({}));
  return view.networkName();
}

Result<Bytes> FullNodeImpl::randomness(bool from_beacon, chain::DomainSeparationTag personalization,
                                       chain::ChainEpoch epoch, const Bytes& entropy, const api::TipSetKey& key) {
  FIL_ASSIGN_OR_RETURN(auto ts, tipset(key));
  chain::ChainRandomness rand(node_.chain(), ts, node_.beacon());
  FIL_ASSIGN_OR_RETURN(auto r, from_beacon ? rand.fromBeacon(personalization, epoch, entropy)
                                           : rand.fromTickets(personalization, epoch, entropy));
  return Bytes(r.begin(), r.end());
}

Result<Bytes> FullNodeImpl::stateGetRandomnessFromTickets(const chain::DomainSeparationTag& personalization,
                                                          const api::ChainEpoch& epoch, const Bytes& entropy,
                                                          const api::TipSetKey& key) {
  return randomness(false, personalization, epoch, entropy, key);
}

Result<Bytes> FullNodeImpl::stateGetRandomnessFromBeacon(const chain::DomainSeparationTag& personalization,
                                                         const api::ChainEpoch& epoch, const Bytes& entropy,
                                                         const api::TipSetKey& key) {
  return randomness(true, personalization, epoch, entropy, key);
}

}  // namespace fil::node
