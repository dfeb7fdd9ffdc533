// Proof checks the VM makes, behind an interface as Lotus's Verifier is, so
// a node can count or cache them; the real one runs fil::proofs' vanilla
// verifiers.
#pragma once

#include <span>

#include "fil/base/error.h"
#include "fil/proofs/porep.h"
#include "fil/proofs/post.h"

namespace fil::vm {

class ProofVerifier {
 public:
  virtual ~ProofVerifier() = default;
  [[nodiscard]] virtual Status verifySeal(const proofs::SealVerifyInfo& info, BytesView proof) const = 0;
  [[nodiscard]] virtual Status verifyWindowPoSt(proofs::RegisteredPoStProof type,
                                                const proofs::PoStRandomness& randomness,
                                                const proofs::ProverId& prover,
                                                std::span<const proofs::PublicSectorInfo> sectors,
                                                std::span<const proofs::PoStProof> proofs) const = 0;
};

// fil::proofs::verifySeal and verifyWindowPoSt.
const ProofVerifier& vanillaProofVerifier();

}  // namespace fil::vm
