// Read-only, typed access to a state root: what the node's state API
// serves (Lotus StateGetActor, StateLookupID, StateAccountKey,
// StateMinerInfo, StateMinerSectors, StateSectorGetInfo,
// StateSectorPreCommitInfo, StateMinerDeadlines, StateMinerPartitions,
// StateMinerProvingDeadline, StateMinerAvailableBalance, StateMinerPower,
// StateListMiners, StateListActors, StateMarketDeals,
// StateMarketStorageDeal, StateMarketBalance, StateNetworkName).
//
//   FIL_ASSIGN_OR_RETURN(auto view, StateView::load(blocks, root));
//   FIL_ASSIGN_OR_RETURN(auto info, view.minerInfo(Address::id(1000)));
//
// Errors: VmError::kInvalidState for an address that is not the actor kind
// asked for; ExitCode::kErrNotFound for an address with no actor.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fil/chain/network.h"
#include "fil/vm/actors/market.h"
#include "fil/vm/actors/miner.h"
#include "fil/vm/actors/power.h"
#include "fil/vm/actors/reward.h"
#include "fil/vm/state_tree.h"

namespace fil::vm {

struct MinerPower {
  power::Claim miner;
  power::Claim total;  // the network totals consensus uses
  bool has_min_power = false;
};

class StateView {
 public:
  [[nodiscard]] static Result<StateView> load(store::Blockstore& store, const cid::Cid& root);

  [[nodiscard]] Result<std::optional<Actor>> getActor(const Address& address);
  [[nodiscard]] Result<std::optional<ActorId>> lookupId(const Address& address);
  // The key address behind an account actor.
  [[nodiscard]] Result<Address> accountKey(const Address& address);
  [[nodiscard]] Result<std::vector<Address>> listActors();
  [[nodiscard]] Result<std::string> networkName();

  [[nodiscard]] Result<miner::State> minerState(const Address& miner);
  [[nodiscard]] Result<miner::MinerInfo> minerInfo(const Address& miner);
  [[nodiscard]] Result<std::vector<miner::SectorOnChainInfo>> minerSectors(
      const Address& miner, const std::optional<primitives::BitField>& filter = {});
  [[nodiscard]] Result<std::optional<miner::SectorOnChainInfo>> minerSector(const Address& miner, SectorNumber n);
  [[nodiscard]] Result<std::optional<miner::SectorPreCommitOnChainInfo>> minerPreCommit(const Address& miner,
                                                                                       SectorNumber n);
  [[nodiscard]] Result<std::vector<miner::Deadline>> minerDeadlines(const Address& miner);
  [[nodiscard]] Result<std::vector<miner::Partition>> minerPartitions(const Address& miner, uint64_t deadline);
  [[nodiscard]] Result<miner::DeadlineInfo> minerProvingDeadline(const Address& miner, const chain::NetworkParams& network,
                                                                 chain::ChainEpoch epoch);
  [[nodiscard]] Result<TokenAmount> minerAvailableBalance(const Address& miner);
  [[nodiscard]] Result<MinerPower> minerPower(const Address& miner, const chain::NetworkParams& network);
  [[nodiscard]] Result<std::vector<Address>> listMiners();

  [[nodiscard]] Result<power::State> powerState();
  [[nodiscard]] Result<reward::State> rewardState();
  [[nodiscard]] Result<market::State> marketState();
  [[nodiscard]] Result<std::vector<market::Deal>> marketDeals();
  [[nodiscard]] Result<std::optional<market::Deal>> marketDeal(DealId id);
  [[nodiscard]] Result<market::GetBalanceReturn> marketBalance(const Address& party);

  StateTree& tree() { return tree_; }

 private:
  StateView(store::Blockstore& store, StateTree tree) : store_(&store), tree_(std::move(tree)) {}
  template <typename S>
  Result<S> actorState(const Address& address, ActorType type);

  store::Blockstore* store_;
  StateTree tree_;
};

}  // namespace fil::vm
