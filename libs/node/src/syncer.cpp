#include "fil/node/syncer.h"

#include <fmt/format.h>

#include "fil/base/log.h"
#include "fil/chain/chain_randomness.h"
#include "fil/chain/election.h"
#include "fil/chain/messages.h"
#include "fil/chain/validation.h"
#include "fil/node/consensus_view.h"
#include "fil/vm/state_view.h"

namespace fil::node {
namespace {

spdlog::logger& logger() { return log::get("sync"); }

uint64_t systemNow() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

}  // namespace

WeightFn stateWeight(store::Blockstore& blocks) {
  return [&blocks](const chain::TipSet& ts) -> Result<primitives::BigInt> {
    FIL_ASSIGN_OR_RETURN(auto view, vm::StateView::load(blocks, ts.parentState()));
    FIL_ASSIGN_OR_RETURN(auto power, view.powerState());
    // A genesis without miners (a chain that cannot grow) weighs what its
    // header says; Lotus's weight has no value without power.
    if (power.total_quality_adj_power <= 0) return ts.parentWeight();
    return chain::tipsetWeight(ts, power.total_quality_adj_power);
  };
}

Syncer::Syncer(ChainStore& chain, StateManager& state, const chain::RandomBeacon& beacon, Clock now)
    : chain_(chain), state_(state), beacon_(beacon), now_(now ? std::move(now) : Clock(systemNow)) {}

Result<chain::FullBlock> Syncer::fullBlock(const chain::BlockMsg& msg) const {
  chain::FullBlock block{msg.header, {}, {}};
  for (const auto& c : msg.bls_messages) {
    FIL_ASSIGN_OR_RETURN(auto bytes, state_.blocks().get(c));
    FIL_ASSIGN_OR_RETURN(auto m, codec::decode<primitives::Message>(bytes));
    block.bls_messages.push_back(std::move(m));
  }
  for (const auto& c : msg.secpk_messages) {
    auto bytes = state_.blocks().get(c);
    if (!bytes) return fail(std::move(bytes).error().withContext("block message " + c.toString()));
    FIL_ASSIGN_OR_RETURN(auto m, codec::decode<primitives::SignedMessage>(*bytes));
    block.secpk_messages.push_back(std::move(m));
  }
  return block;
}

Status Syncer::validate(const chain::FullBlock& block, const chain::TipSet& parent) {
  chain::FullTipSet parent_full;
  for (const auto& c : parent.cids()) {
    FIL_ASSIGN_OR_RETURN(auto b, chain_.getFullBlock(c));
    parent_full.blocks.push_back(std::move(b));
  }
  FIL_ASSIGN_OR_RETURN(auto executed, state_.tipSetState(parent));
  FIL_ASSIGN_OR_RETURN(auto parent_beacon, chain::latestBeaconEntry(chain_, parent));
  FIL_ASSIGN_OR_RETURN(auto lookback, chain::lookbackState(chain_, parent, block.header.height, state_.network()));
  StateConsensusView view(state_.blocks(), state_.network(), lookback.state_root.value_or(executed.state_root),
                          parent.parentState(), executed.state_root);
  const chain::ParentExecution parent_execution{executed.state_root, executed.receipts_root};
  return chain::validateBlock(block, chain::BlockValidationInputs{state_.network(), beacon_, parent_full,
                                                                  parent_beacon, parent_execution, view, now_()});
}

Result<bool> Syncer::submitBlock(const chain::FullBlock& block) {
  std::lock_guard lock(mutex_);
  const cid::Cid c = block.cid();
  auto record = [&](const Error& e) {
    std::lock_guard s(status_mutex_);
    ++refused_;
    last_error_ = fmt::format("block {}: {}", c.toString(), e.message());
  };
  if (!validated_.contains(c)) {
    auto parent = chain_.loadTipSet(chain::TipSetKey(block.header.parents));
    if (!parent) {
      auto e = std::move(parent).error().withContext("block " + c.toString() + " has unknown parents");
      record(e);
      return fail(std::move(e));
    }
    if (auto valid = validate(block, *parent); !valid) {
      auto e = std::move(valid).error().withContext(fmt::format("block {} at height {} from {} is invalid",
                                                                c.toString(), block.header.height,
                                                                block.header.miner.toString()));
      logger().warn("{}", e.message());
      record(e);
      return fail(std::move(e));
    }
    FIL_TRY(chain_.putBlock(block));
    validated_.insert(c);
    siblings_[{chain::TipSetKey(block.header.parents), block.header.height}].push_back(block.header);
    std::lock_guard s(status_mutex_);
    ++accepted_;
  }
  const auto& group = siblings_[{chain::TipSetKey(block.header.parents), block.header.height}];
  FIL_ASSIGN_OR_RETURN(auto ts, chain::TipSet::create(group));
  FIL_ASSIGN_OR_RETURN(bool moved, chain_.maybeTakeHeavier(ts));
  if (moved) logger().info("new head at height {}: {} ({} blocks)", ts.height(), ts.key().toString(), ts.blocks().size());
  return moved;
}

SyncStatus Syncer::status() const {
  std::lock_guard s(status_mutex_);
  return SyncStatus{chain_.heaviest(), accepted_, refused_, last_error_};
}

}  // namespace fil::node
