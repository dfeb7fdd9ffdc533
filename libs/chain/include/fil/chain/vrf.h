// The VRF of tickets, election proofs and the devnet beacon.
//
// Lotus's VRF is a BLS signature by the worker key (unique, so hashing the
// proof bytes is safe). Ours is ECVRF-SECP256K1-SHA256-TAI (RFC 9381
// construction, crypto/ecvrf.h) by the worker's secp256k1 key. A proof is
//   compressed public key (33) || Gamma (33) || c (16) || s (32)   = 114 bytes
// so that it can be checked against an f1 address (a hash of the key).
//
// An ECVRF proof is not unique: its prover may pick another nonce and get
// other bytes for the same output. Everything the chain derives from a VRF
// (ticket order, win counts, randomness) therefore uses the proof's output
// beta, never the proof bytes: vrfRandomness() below. Bytes that are not a
// well-formed proof (the genesis ticket, Lotus's BLS tickets in test
// vectors) stand for themselves, which keeps Lotus's rules for them.
#pragma once

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/crypto/secp256k1.h"
#include "fil/primitives/address.h"

namespace fil::chain {

inline constexpr size_t kVrfProofSize = 114;

using VrfOutput = ByteArray<32>;

// The proof of `key` over `input` (deterministic).
[[nodiscard]] Result<Bytes> computeVrf(const crypto::secp256k1::PrivateKey& key, BytesView input);

// Checks that `proof` is a VRF proof over `input` by the key behind
// `signer` (an f1 address); returns its output. ChainError::kInvalidVrf
// names what was wrong.
[[nodiscard]] Result<VrfOutput> verifyVrf(const primitives::Address& signer, BytesView input, BytesView proof);

// As verifyVrf, against a known public key (the beacon's).
[[nodiscard]] Result<VrfOutput> verifyVrfWithKey(const crypto::secp256k1::CompressedPublicKey& key, BytesView input,
                                                 BytesView proof);

// What a VRF proof contributes to consensus: the ECVRF output when `proof`
// is a well-formed proof, else the bytes themselves.
Bytes vrfRandomness(BytesView proof);

}  // namespace fil::chain
