#include "fil/chain/chain_randomness.h"

#include <algorithm>

#include <fmt/format.h>

#include "fil/chain/chain_error.h"
#include "fil/chain/vrf.h"

namespace fil::chain {
namespace {

// Lotus looks this many tipsets back for beacon entries.
constexpr int kBeaconSearchDepth = 20;

}  // namespace

Result<TipSet> ChainReader::tipsetAtHeight(const TipSet& from, ChainEpoch height, bool prefer_previous) const {
  if (height > from.height()) {
    return fail(ChainError::kNotFound,
                fmt::format("height {} is above the tipset at {} the search starts from", height, from.height()));
  }
  // Walk down to the lowest tipset at or above `height`.
  TipSet at = from;
  while (at.height() > height) {
    if (at.height() == 0) break;
    FIL_ASSIGN_OR_RETURN(TipSet parent, loadTipSet(at.parents()));
    if (parent.height() >= at.height()) {
      return fail(ChainError::kMalformed, fmt::format("tipset {} at height {} has a parent at height {}",
                                                      at.key().toString(), at.height(), parent.height()));
    }
    if (parent.height() < height) {
      // `height` is a null round between parent and at.
      if (prefer_previous) return parent;
      return at;
    }
    at = std::move(parent);
  }
  return at;
}

Result<BeaconEntry> latestBeaconEntry(const ChainReader& chain, const TipSet& ts) {
  TipSet current = ts;
  for (int i = 0; i < kBeaconSearchDepth; ++i) {
    const auto& entries = current.blocks().front().beacon_entries;
    if (!entries.empty()) return entries.back();
    if (current.height() == 0) {
      return fail(ChainError::kNotFound, "reached genesis without finding a beacon entry");
    }
    FIL_ASSIGN_OR_RETURN(current, chain.loadTipSet(current.parents()));
  }
  return fail(ChainError::kNotFound,
              fmt::format("no beacon entry in the {} tipsets up to {}", kBeaconSearchDepth, ts.key().toString()));
}

Result<LookbackState> lookbackState(const ChainReader& chain, const TipSet& parent, ChainEpoch round,
                                    const NetworkParams& params) {
  const ChainEpoch lookback = params.winning_post_sector_set_lookback;
  const ChainEpoch lookback_round = round > lookback ? round - lookback : 0;
  if (lookback_round >= parent.height()) return LookbackState{parent, std::nullopt};
  // The tipset after the lookback round (or the next non-null one) holds the
  // lookback tipset's state as its parent state.
  FIL_ASSIGN_OR_RETURN(TipSet next, chain.tipsetAtHeight(parent, lookback_round + 1, false));
  FIL_ASSIGN_OR_RETURN(TipSet lookback_ts, chain.loadTipSet(next.parents()));
  return LookbackState{std::move(lookback_ts), next.parentState()};
}

Result<TipSet> ChainRandomness::tipsetFor(ChainEpoch round) const {
  if (round > head_.height()) {
    return fail(ChainError::kFutureRandomness,
                fmt::format("cannot draw randomness for epoch {} from a chain whose head is at {}", round, head_.height()));
  }
  return chain_.tipsetAtHeight(head_, std::max<ChainEpoch>(round, 0), false);
}

Result<Randomness> ChainRandomness::fromTickets(DomainSeparationTag tag, ChainEpoch round, BytesView entropy) const {
  FIL_ASSIGN_OR_RETURN(TipSet ts, tipsetFor(round));
  return drawRandomness(vrfRandomness(ts.minTicket().vrf_proof), tag, round, entropy);
}

Result<Randomness> ChainRandomness::fromBeacon(DomainSeparationTag tag, ChainEpoch round, BytesView entropy) const {
  FIL_ASSIGN_OR_RETURN(TipSet ts, tipsetFor(round));
  if (round < 0) {
    FIL_ASSIGN_OR_RETURN(auto entry, latestBeaconEntry(chain_, ts));
    return drawRandomness(beaconRandomnessBase(entry), tag, round, entropy);
  }
  const uint64_t wanted = beacon_.maxRoundForEpoch(round);
  for (int i = 0; i < kBeaconSearchDepth; ++i) {
    for (const auto& entry : ts.blocks().front().beacon_entries) {
      if (entry.round == wanted) return drawRandomness(beaconRandomnessBase(entry), tag, round, entropy);
    }
    if (ts.height() == 0) break;
    FIL_ASSIGN_OR_RETURN(ts, chain_.loadTipSet(ts.parents()));
  }
  return fail(ChainError::kNotFound, fmt::format("no beacon entry for round {} (epoch {}) in the chain", wanted, round));
}

Result<TipSet> MemoryChain::loadTipSet(const TipSetKey& key) const {
  auto it = tipsets_.find(key);
  if (it == tipsets_.end()) return fail(ChainError::kNotFound, "tipset " + key.toString() + " is not in the chain");
  return it->second;
}

}  // namespace fil::chain
