// The facts block validation and block production read from the chain's
// state (chain::ConsensusStateView), answered from three state roots of the
// VM's state tree:
//
//   lookback: the state the election looks back to (chain::lookbackState),
//   parent:   the parent tipset's parent state (claims, fee debt, consensus
//             faults, network power),
//   executed: the state after executing the parent tipset (senders).
//
//   StateConsensusView view(blocks, network, lookback_root, parent.parentState(), executed.state_root);
//   FIL_TRY(chain::validateBlock(block, {network, beacon, parent_full, parent_beacon, executed, view, now}));
#pragma once

#include "fil/chain/network.h"
#include "fil/chain/validation.h"
#include "fil/store/blockstore.h"

namespace fil::node {

class StateConsensusView final : public chain::ConsensusStateView {
 public:
  StateConsensusView(store::Blockstore& blocks, const chain::NetworkParams& network, cid::Cid lookback_root,
                     cid::Cid parent_root, cid::Cid executed_root)
      : blocks_(blocks),
        network_(network),
        lookback_root_(std::move(lookback_root)),
        parent_root_(std::move(parent_root)),
        executed_root_(std::move(executed_root)) {}

  Result<chain::LookbackMinerFacts> lookbackMiner(const primitives::Address& miner) const override;
  Result<std::vector<proofs::PublicSectorInfo>> lookbackSectors(const primitives::Address& miner,
                                                                std::span<const uint64_t> positions) const override;
  Result<chain::ParentMinerFacts> parentMiner(const primitives::Address& miner) const override;
  Result<primitives::StoragePower> parentNetworkPower() const override;
  Result<chain::SenderFacts> sender(const primitives::Address& from) const override;

  // The miner's active sectors in the lookback state, by sector number (what
  // winning PoSt challenges pick from).
  [[nodiscard]] Result<std::vector<proofs::PublicSectorInfo>> lookbackActiveSectors(
      const primitives::Address& miner) const;

 private:
  store::Blockstore& blocks_;
  const chain::NetworkParams& network_;
  cid::Cid lookback_root_;
  cid::Cid parent_root_;
  cid::Cid executed_root_;
};

}  // namespace fil::node
