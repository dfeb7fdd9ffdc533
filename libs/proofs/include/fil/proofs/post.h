// Proofs of spacetime over sealed sectors (rust-fil-proofs' FallbackPoSt),
// as vanilla proofs: for each challenged sector, tree_r_last inclusion
// proofs of the challenged leaves plus comm_c and comm_r_last, so that the
// verifier checks comm_r = H(comm_c, comm_r_last) and every path.
//
//   WinningPoSt: 1 sector picked from the miner's set by the randomness,
//                66 leaf challenges.
//   WindowPoSt:  10 leaf challenges per sector, sectors in partitions of 2
//                (2 KiB to 512 MiB), 2349 (32 GiB) or 2300 (64 GiB).
//
// Randomness has its top two bits cleared before use, as Lotus does before
// calling the proofs library. Verification needs only public inputs.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/codec/reflect.h"
#include "fil/proofs/porep.h"
#include "fil/proofs/registered_proof.h"

namespace fil::proofs {

using PoStRandomness = ByteArray<32>;

// A sector as the chain knows it.
struct PublicSectorInfo {
  RegisteredSealProof proof = RegisteredSealProof::kStackedDrg2KiBV1_1;
  SectorNumber sector = 0;
  Commitment comm_r{};
};

// A sector as its owner holds it.
struct PrivateSectorInfo {
  PublicSectorInfo info;
  SectorFiles files;  // sealed file and cache (tree_r_last, p_aux)
};

// Lotus's proof.PoStProof: the type and the proof bytes.
// CBOR [PoStProof, ProofBytes] as in block headers and SubmitWindowedPoSt.
struct PoStProof {
  RegisteredPoStProof proof = RegisteredPoStProof::kStackedDrgWinning2KiBV1;
  Bytes proof_bytes;
  friend bool operator==(const PoStProof&, const PoStProof&) = default;
};
FIL_CBOR_TUPLE(PoStProof, (proof, "PoStProof"), (proof_bytes, "ProofBytes"))

// The indexes (into the sorted eligible set of `sector_count` sectors) that
// WinningPoSt challenges.
std::vector<uint64_t> winningPoStSectorChallenge(RegisteredPoStProof proof, const PoStRandomness& randomness,
                                                 const ProverId& prover_id, uint64_t sector_count);

// The leaf challenges of a sector.
std::vector<uint64_t> postLeafChallenges(const PoStProofInfo& info, const PoStRandomness& randomness,
                                         SectorNumber sector, size_t sector_index_in_proof);

// WinningPoSt over the challenged sectors (as winningPoStSectorChallenge
// picked them from the set).
[[nodiscard]] Result<std::vector<PoStProof>> generateWinningPoSt(RegisteredPoStProof proof,
                                                                 const PoStRandomness& randomness,
                                                                 const ProverId& prover_id,
                                                                 std::span<const PrivateSectorInfo> sectors);
[[nodiscard]] Status verifyWinningPoSt(RegisteredPoStProof proof, const PoStRandomness& randomness,
                                       const ProverId& prover_id, std::span<const PublicSectorInfo> challenged,
                                       std::span<const PoStProof> proofs);

// WindowPoSt: one proof per partition. A sector whose sealed file or cache
// is missing or corrupt makes generation fail with ProofsError::kFaultySectors
// naming it; `faulty` (if given) receives all such sectors.
[[nodiscard]] Result<std::vector<PoStProof>> generateWindowPoSt(RegisteredPoStProof proof,
                                                                const PoStRandomness& randomness,
                                                                const ProverId& prover_id,
                                                                std::span<const PrivateSectorInfo> sectors,
                                                                std::vector<SectorNumber>* faulty = nullptr);
[[nodiscard]] Status verifyWindowPoSt(RegisteredPoStProof proof, const PoStRandomness& randomness,
                                      const ProverId& prover_id, std::span<const PublicSectorInfo> sectors,
                                      std::span<const PoStProof> proofs);

}  // namespace fil::proofs
