// The chain store: block headers and messages in the blockstore, tipsets
// loaded from them, and the heaviest tipset (the head) with the head-change
// events a reorganisation produces, as Lotus's chain/store does.
//
//   ChainStore cs(blockstore, metadata, weigh);
//   FIL_TRY(cs.load());                              // the head from before a restart
//   if (!cs.hasHead()) FIL_TRY(cs.setGenesis(genesis_header));
//   FIL_TRY(cs.putBlock(full_block));                // validated elsewhere
//   FIL_ASSIGN_OR_RETURN(bool moved, cs.maybeTakeHeavier(tipset));
//   auto id = cs.subscribe([](const std::vector<HeadChange>& changes) { ... });
//
// The head is written to the metadata datastore (key /head) before
// subscribers hear of it, so a restart resumes from the last head announced.
// A tipset becomes the head when it is heavier than the current one; on
// equal weight the one whose blocks' tickets are smaller, compared block by
// block, wins (Lotus breakWeightTie).
//
// Thread-safety: every method may be called from several threads; head
// changes are serialised and subscribers are called in order, outside the
// store's lock, from the thread that moved the head.
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "fil/base/error.h"
#include "fil/chain/block.h"
#include "fil/chain/chain_randomness.h"
#include "fil/chain/tipset.h"
#include "fil/primitives/big_int.h"
#include "fil/store/blockstore.h"
#include "fil/store/datastore.h"

namespace fil::node {

// Lotus api.HeadChange: {"Type": "current" | "revert" | "apply", "Val": TipSet}.
struct HeadChange {
  enum class Type { kCurrent, kRevert, kApply };
  Type type = Type::kCurrent;
  chain::TipSet tipset;
};
std::string_view headChangeTypeName(HeadChange::Type type);

// The weight of a tipset (consensus: from its parent state's network power).
using WeightFn = std::function<Result<primitives::BigInt>(const chain::TipSet&)>;

class ChainStore final : public chain::ChainReader {
 public:
  ChainStore(store::Blockstore& blocks, store::Datastore& metadata, WeightFn weigh);

  // Reads the head kept by a previous run; hasHead() is false when none was.
  [[nodiscard]] Status load();
  bool hasHead() const;

  // Stores the genesis block and makes it the head (refused once a different genesis is set).
  [[nodiscard]] Status setGenesis(const chain::BlockHeader& genesis);
  [[nodiscard]] Result<chain::TipSet> genesis() const;

  // REQUIRES: hasHead().
  chain::TipSet heaviest() const;

  // Stores a block's header, messages and MsgMeta; refuses a block whose
  // messages do not match its Messages root.
  [[nodiscard]] Status putBlock(const chain::FullBlock& block);
  [[nodiscard]] Result<chain::BlockHeader> getBlock(const cid::Cid& block) const;
  [[nodiscard]] Result<chain::FullBlock> getFullBlock(const cid::Cid& block) const;
  [[nodiscard]] Result<chain::TipSet> loadTipSet(const chain::TipSetKey& key) const override;
  [[nodiscard]] Result<chain::TipSet> tipsetAtHeight(const chain::TipSet& from, chain::ChainEpoch height,
                                                     bool prefer_previous) const override {
    return tipSetAtHeight(height, from, prefer_previous);
  }
  [[nodiscard]] Result<chain::TipSet> parentOf(const chain::TipSet& ts) const;

  // The tipset at `height` on the chain ending at `from`; when that height
  // is a null round, the tipset below it (prev) or above it (!prev).
  [[nodiscard]] Result<chain::TipSet> tipSetAtHeight(chain::ChainEpoch height, const chain::TipSet& from,
                                                     bool prev = true) const;
  // Whether `ts` is on the chain ending at the head.
  [[nodiscard]] Result<bool> isCanonical(const chain::TipSet& ts) const;

  // Makes `ts` the head if it is heavier; its blocks must be stored. Returns
  // whether the head moved.
  [[nodiscard]] Result<bool> maybeTakeHeavier(const chain::TipSet& ts);

  // The tipsets to revert (newest first) and apply (oldest first) to go from `from` to `to`.
  struct ReorgPath {
    std::vector<chain::TipSet> revert;
    std::vector<chain::TipSet> apply;
  };
  [[nodiscard]] Result<ReorgPath> reorgPath(const chain::TipSet& from, const chain::TipSet& to) const;

  using Subscriber = std::function<void(const std::vector<HeadChange>&)>;
  // `fn` first hears {current, head} (when there is a head), then every change.
  uint64_t subscribe(Subscriber fn);
  void unsubscribe(uint64_t id);

 private:
  void remember(const chain::TipSet& ts) const;

  store::Blockstore& blocks_;
  store::Datastore& metadata_;
  WeightFn weigh_;

  mutable std::mutex mutex_;
  std::optional<chain::TipSet> head_;
  std::optional<primitives::BigInt> head_weight_;
  std::optional<cid::Cid> genesis_;

  // A small LRU of loaded tipsets: walks down the chain revisit the same ones.
  mutable std::mutex cache_mutex_;
  mutable std::list<chain::TipSet> cache_order_;
  mutable std::unordered_map<chain::TipSetKey, std::list<chain::TipSet>::iterator> cache_;

  std::mutex notify_mutex_;  // serialises head changes and their delivery
  std::mutex subscribers_mutex_;
  std::map<uint64_t, Subscriber> subscribers_;
  uint64_t next_subscriber_ = 1;
};

}  // namespace fil::node
