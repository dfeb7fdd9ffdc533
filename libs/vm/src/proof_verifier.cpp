#include "fil/vm/proof_verifier.h"

namespace fil::vm {
namespace {

class VanillaProofVerifier final : public ProofVerifier {
 public:
  Status verifySeal(const proofs::SealVerifyInfo& info, BytesView proof) const override {
    return proofs::verifySeal(info, proof);
  }
  Status verifyWindowPoSt(proofs::RegisteredPoStProof type, const proofs::PoStRandomness& randomness,
                          const proofs::ProverId& prover, std::span<const proofs::PublicSectorInfo> sectors,
                          std::span<const proofs::PoStProof> proofs) const override {
    return proofs::verifyWindowPoSt(type, randomness, prover, sectors, proofs);
  }
};

}  // namespace

const ProofVerifier& vanillaProofVerifier() {
  static const VanillaProofVerifier verifier;
  return verifier;
}

}  // namespace fil::vm
