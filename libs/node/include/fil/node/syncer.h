// Accepting blocks into the chain (Lotus's syncer for the blocks this node
// hears of: SyncSubmitBlock, and gossip once the full node has a libp2p
// host): each block is validated in full against its parent's executed
// state (every header field, the election, the winning PoSt, the messages),
// stored, and joins the tipset of the blocks with the same parents and
// height; that tipset becomes the head when it is heavier.
//
//   Syncer syncer(chain, state, beacon);
//   FIL_TRY(syncer.submitBlock(full_block));
//   auto status = syncer.status();
//
// Blocks on unknown parents are refused (this node has no chain exchange
// yet: a devnet node sees every block). A block from the future (beyond the
// clock's allowance) is refused with chain::BlockError::kFromTheFuture; the
// caller may submit it again later.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <set>

#include "fil/base/error.h"
#include "fil/chain/beacon.h"
#include "fil/chain/block.h"
#include "fil/node/chain_store.h"
#include "fil/node/state_manager.h"

namespace fil::node {

// The chain weight of a tipset from its parent state's network power
// (chain::tipsetWeight), what ChainStore compares.
WeightFn stateWeight(store::Blockstore& blocks);

struct SyncStatus {
  chain::TipSet head;
  uint64_t blocks_accepted = 0;
  uint64_t blocks_refused = 0;
  std::string last_error;
};

class Syncer {
 public:
  using Clock = std::function<uint64_t()>;  // Unix seconds
  Syncer(ChainStore& chain, StateManager& state, const chain::RandomBeacon& beacon, Clock now = {});

  // Validates, stores, and offers the block's tipset as the head. Returns
  // whether the head moved.
  [[nodiscard]] Result<bool> submitBlock(const chain::FullBlock& block);
  // The block with its messages, loaded from the blockstore by their CIDs
  // (what SyncSubmitBlock receives).
  [[nodiscard]] Result<chain::FullBlock> fullBlock(const chain::BlockMsg& msg) const;

  SyncStatus status() const;

 private:
  [[nodiscard]] Status validate(const chain::FullBlock& block, const chain::TipSet& parent);

  ChainStore& chain_;
  StateManager& state_;
  const chain::RandomBeacon& beacon_;
  Clock now_;

  std::mutex mutex_;  // one block at a time: validation reads what the previous one stored
  std::set<cid::Cid> validated_;
  // Validated blocks by (parents, height): the tipsets they can form.
  std::map<std::pair<chain::TipSetKey, chain::ChainEpoch>, std::vector<chain::BlockHeader>> siblings_;
  mutable std::mutex status_mutex_;
  uint64_t accepted_ = 0;
  uint64_t refused_ = 0;
  std::string last_error_;
};

}  // namespace fil::node
