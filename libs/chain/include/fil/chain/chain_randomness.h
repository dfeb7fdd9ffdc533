// Randomness drawn from a chain (Lotus chain/rand, rules of network
// version 14 and later), through a small read interface to the chain.
//
//   ChainRandomness rand(chain_store, head, beacon);
//   FIL_ASSIGN_OR_RETURN(auto seed, rand.fromBeacon(DomainSeparationTag::kInteractiveSealChallengeSeed,
//                                                   seed_epoch, cbor_of_miner));
//
// Ticket randomness at epoch e uses the minimum ticket of the tipset at e,
// or for a null round the first tipset after it. Beacon randomness at e
// uses the beacon entry of round maxRoundForEpoch(e), found in the tipset
// at e (or after it) or up to 20 tipsets before. Negative epochs draw from
// genesis. Neither may look past the chain's head.
#pragma once

#include <map>
#include <optional>

#include "fil/base/error.h"
#include "fil/chain/beacon.h"
#include "fil/chain/randomness.h"
#include "fil/chain/tipset.h"

namespace fil::chain {

// Read access to a chain's tipsets.
class ChainReader {
 public:
  virtual ~ChainReader() = default;
  // ChainError::kNotFound when the chain does not have the tipset.
  [[nodiscard]] virtual Result<TipSet> loadTipSet(const TipSetKey& key) const = 0;

  // The tipset at `height` on the chain that ends at `from` (height <=
  // from.height()). When `height` is a null round: the first tipset after
  // it, or the last one before it when `prefer_previous`. The default walks
  // parents; a store with a height index should override it.
  [[nodiscard]] virtual Result<TipSet> tipsetAtHeight(const TipSet& from, ChainEpoch height,
                                                      bool prefer_previous) const;
};

// The latest beacon entry at `ts`: the last entry of its first block, or
// of an ancestor's within 20 tipsets (Lotus GetLatestBeaconEntry).
[[nodiscard]] Result<BeaconEntry> latestBeaconEntry(const ChainReader& chain, const TipSet& ts);

// The state a block at `round` on `parent` takes its election facts from
// (Lotus GetLookbackTipSetForRound): the parent state of the first tipset
// after round - WinningPoStSectorSetLookback, with that lookback tipset.
// When the lookback reaches `parent` itself, state_root is empty: it is
// the state after executing `parent`, which the caller has.
struct LookbackState {
  TipSet tipset;
  std::optional<cid::Cid> state_root;
};
[[nodiscard]] Result<LookbackState> lookbackState(const ChainReader& chain, const TipSet& parent, ChainEpoch round,
                                                  const NetworkParams& params);

class ChainRandomness final : public RandomnessSource {
 public:
  // `chain` and `beacon` must outlive this object.
  ChainRandomness(const ChainReader& chain, TipSet head, const RandomBeacon& beacon)
      : chain_(chain), head_(std::move(head)), beacon_(beacon) {}

  Result<Randomness> fromTickets(DomainSeparationTag tag, ChainEpoch round, BytesView entropy) const override;
  Result<Randomness> fromBeacon(DomainSeparationTag tag, ChainEpoch round, BytesView entropy) const override;

 private:
  Result<TipSet> tipsetFor(ChainEpoch round) const;

  const ChainReader& chain_;
  TipSet head_;
  const RandomBeacon& beacon_;
};

// Tipsets held in memory (tests, genesis tooling).
class MemoryChain final : public ChainReader {
 public:
  void add(const TipSet& ts) { tipsets_[ts.key()] = ts; }
  Result<TipSet> loadTipSet(const TipSetKey& key) const override;

 private:
  std::map<TipSetKey, TipSet> tipsets_;
};

}  // namespace fil::chain
