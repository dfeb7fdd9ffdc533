// Expected consensus: tickets, election proofs, win counts and chain weight
// (Lotus chain/types/electionproof.go, chain/consensus/filcns).
//
// Seeds (drawRandomness over the beacon entry the block builds on):
//   ticket        tag 1, round height - 1, entropy CBOR(miner) || parent min ticket's VRF randomness
//   election      tag 2, round height,     entropy CBOR(miner)
//   winning PoSt  tag 3, round height,     entropy CBOR(miner)
// The miner's worker key proves a VRF over the ticket and election seeds
// (vrf.h). The number of wins is a Poisson draw with rate
// 5 * minerPower / networkPower, computed in Q.256 fixed point exactly as
// Lotus does, from blake2b-256 of the election proof's VRF randomness.
#pragma once

#include <cstdint>
#include <optional>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/chain/block.h"
#include "fil/chain/randomness.h"
#include "fil/chain/tipset.h"
#include "fil/crypto/secp256k1.h"
#include "fil/primitives/big_int.h"

namespace fil::chain {

inline constexpr int64_t kBlocksPerEpoch = 5;  // expected winners per epoch
inline constexpr int64_t kMaxWinCount = 3 * kBlocksPerEpoch;
inline constexpr ChainEpoch kTicketRandomnessLookback = 1;
inline constexpr uint64_t kAllowableClockDriftSeconds = 1;

// CBOR of the miner's address, the entropy of every election draw.
Bytes minerEntropy(const primitives::Address& miner);

Randomness ticketSeed(const BeaconEntry& beacon, ChainEpoch height, const primitives::Address& miner,
                      const Ticket& parent_min_ticket);
Randomness electionSeed(const BeaconEntry& beacon, ChainEpoch height, const primitives::Address& miner);
Randomness winningPoStSeed(const BeaconEntry& beacon, ChainEpoch height, const primitives::Address& miner);

// lambda = (power * 5 << 256) / total, in Q.256. total must be positive.
primitives::BigInt winLambda(const primitives::StoragePower& power, const primitives::StoragePower& total);
// e^-x for x in Q.256, in Q.256 (Lotus's rational approximation).
primitives::BigInt expNeg(const primitives::BigInt& x);
// 1 - CDF of Poisson(lambda) at k = 0, 1, 2, ... in Q.256, computed
// incrementally as Lotus does (pmf(k) = pmf(k-1) * lambda / k).
class PoissonTail {
 public:
  explicit PoissonTail(primitives::BigInt lambda);
  // 1 - P(X <= k) for the current k (0 after construction).
  const primitives::BigInt& value() const { return tail_; }
  // Moves to k + 1 and returns its value.
  const primitives::BigInt& next();

 private:
  primitives::BigInt lambda_, pmf_, tail_;
  int64_t k_ = 0;
};

// Wins for the digest blake2b-256(vrf_randomness); 0 when total power is
// not positive. At most kMaxWinCount.
int64_t computeWinCount(BytesView vrf_randomness, const primitives::StoragePower& power,
                        const primitives::StoragePower& total);
// The wins an election proof is entitled to (from its VRF randomness).
int64_t computeWinCount(const ElectionProof& proof, const primitives::StoragePower& power,
                        const primitives::StoragePower& total);

// A miner's ticket for the block it is building.
[[nodiscard]] Result<Ticket> computeTicket(const crypto::secp256k1::PrivateKey& worker_key, const Randomness& seed);
// The miner's election proof; WinCount 0 means it did not win this round.
[[nodiscard]] Result<ElectionProof> computeElectionProof(const crypto::secp256k1::PrivateKey& worker_key,
                                                         const Randomness& seed,
                                                         const primitives::StoragePower& miner_power,
                                                         const primitives::StoragePower& network_power);

// The election proof for a VRF proof computed elsewhere (by the wallet that
// holds the worker key): its win count for these powers.
ElectionProof electionProofFromVrf(Bytes vrf_proof, const primitives::StoragePower& miner_power,
                                   const primitives::StoragePower& network_power);

// Weight of `ts` (Lotus filcns.Weight): ParentWeight + (log2P << 8) +
// ((log2P << 8) * sum(WinCount)) / 10, where log2P = bitlen(P) - 1 and P
// is the network's quality-adjusted power in ts's parent state. kMalformed
// when P is not positive (a chain with no power has no weight rule).
[[nodiscard]] Result<primitives::BigInt> tipsetWeight(const TipSet& ts, const primitives::StoragePower& network_power);

}  // namespace fil::chain
