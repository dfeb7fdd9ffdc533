#include "fil/chain/vrf.h"

#include <fmt/format.h>

#include "fil/chain/chain_error.h"
#include "fil/crypto/ecvrf.h"

namespace fil::chain {
namespace {

constexpr size_t kKeySize = 33;

Error invalid(std::string message) { return Error(ChainError::kInvalidVrf, std::move(message)); }

}  // namespace

Result<Bytes> computeVrf(const crypto::secp256k1::PrivateKey& key, BytesView input) {
  FIL_ASSIGN_OR_RETURN(auto pub, crypto::secp256k1::derivePublicKey(key));
  FIL_ASSIGN_OR_RETURN(auto proof, crypto::ecvrf::prove(key, input));
  Bytes out;
  out.reserve(kVrfProofSize);
  append(out, crypto::secp256k1::compress(pub));
  append(out, proof);
  return out;
}

Result<VrfOutput> verifyVrfWithKey(const crypto::secp256k1::CompressedPublicKey& key, BytesView input,
                                   BytesView proof) {
  if (proof.size() != kVrfProofSize) {
    return fail(invalid(fmt::format("VRF proof is {} bytes, must be {}", proof.size(), kVrfProofSize)));
  }
  if (!equal(proof.first(kKeySize), key)) return fail(invalid("VRF proof is by another key"));
  auto out = crypto::ecvrf::verify(key, proof.subspan(kKeySize), input);
  if (!out) return fail(invalid(out.error().message()));
  return *out;
}

Result<VrfOutput> verifyVrf(const primitives::Address& signer, BytesView input, BytesView proof) {
  if (!signer.defined() || signer.protocol() != primitives::AddressProtocol::kSecp256k1) {
    return fail(invalid(fmt::format("VRF signer {} is not a secp256k1 (f1) address", signer.toString())));
  }
  if (proof.size() != kVrfProofSize) {
    return fail(invalid(fmt::format("VRF proof is {} bytes, must be {}", proof.size(), kVrfProofSize)));
  }
  auto pub = crypto::secp256k1::parsePublicKey(proof.first(kKeySize));
  if (!pub) return fail(invalid("VRF proof's public key: " + pub.error().message()));
  FIL_ASSIGN_OR_RETURN(auto address, primitives::Address::secp256k1(*pub));
  if (address != signer) {
    return fail(invalid(fmt::format("VRF proof is by {}, not {}", address.toString(), signer.toString())));
  }
  return verifyVrfWithKey(crypto::secp256k1::compress(*pub), input, proof);
}

Bytes vrfRandomness(BytesView proof) {
  if (proof.size() == kVrfProofSize && crypto::secp256k1::parsePublicKey(proof.first(kKeySize))) {
    if (auto beta = crypto::ecvrf::proofToHash(proof.subspan(kKeySize))) return Bytes(beta->begin(), beta->end());
  }
  return Bytes(proof.begin(), proof.end());
}

}  // namespace fil::chain
