// Filecoin randomness: a draw mixes a base (a ticket's VRF proof or a
// beacon entry) with a domain-separation tag, an epoch and entropy:
//   blake2b256(int64BE(tag) || blake2b256(base) || int64BE(round) || entropy)
// The chain supplies bases through RandomnessSource; actors and consensus
// draw through it.
#pragma once

#include <cstdint>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/chain/network.h"

namespace fil::chain {

enum class DomainSeparationTag : int64_t {
  kTicketProduction = 1,
  kElectionProofProduction = 2,
  kWinningPoStChallengeSeed = 3,
  kWindowedPoStChallengeSeed = 4,
  kSealRandomness = 5,
  kInteractiveSealChallengeSeed = 6,
  kWindowedPoStDeadlineAssignment = 7,
  kMarketDealCronSeed = 8,
  kPoStChainCommit = 9,
  kEvmPrevRandao = 10,
};

using Randomness = ByteArray<32>;

Randomness drawRandomness(BytesView base, DomainSeparationTag tag, ChainEpoch round, BytesView entropy);

// What the VM asks the chain for (Lotus's Rand interface): randomness from
// the tickets or the beacon of the chain being executed, at an epoch at or
// before the current one.
class RandomnessSource {
 public:
  virtual ~RandomnessSource() = default;
  [[nodiscard]] virtual Result<Randomness> fromTickets(DomainSeparationTag tag, ChainEpoch round, BytesView entropy) const = 0;
  [[nodiscard]] virtual Result<Randomness> fromBeacon(DomainSeparationTag tag, ChainEpoch round, BytesView entropy) const = 0;
};

}  // namespace fil::chain
