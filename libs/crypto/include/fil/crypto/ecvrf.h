// ECVRF-SECP256K1-SHA256-TAI: the elliptic-curve verifiable random function
// of RFC 9381 (section 5) on secp256k1, with SHA-256, try-and-increment
// hash-to-curve and RFC 6979 nonces. RFC 9381 defines the construction but
// no secp256k1 suite; this one uses suite_string 0xFE as the published
// secp256k1 implementations do (atikayda/ecvrf, whose vectors the tests
// check byte for byte).
//
//   auto proof = ecvrf::prove(secret_key, alpha);        // 81 bytes
//   auto beta = ecvrf::verify(public_key, *proof, alpha); // 32 bytes or an error
//
// The proof is Gamma (33-byte compressed point) || c (16 bytes) || s (32
// bytes); the output beta = SHA-256(0xFE || 0x03 || Gamma || 0x00) depends
// only on the key and alpha. The proof itself is not unique (a prover may
// use another nonce), so anything that must not be ground by the prover
// hashes beta, never the proof bytes.
//
// Point arithmetic uses only libsecp256k1's public API (key tweaks and
// combination). Verification treats the identity point as SEC1 does
// (encoded as one 0x00 byte), so every proof RFC 9381 accepts is accepted.
#pragma once

#include <cstdint>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/crypto/crypto_error.h"
#include "fil/crypto/secp256k1.h"

namespace fil::crypto::ecvrf {

inline constexpr uint8_t kSuiteString = 0xfe;
inline constexpr size_t kChallengeSize = 16;  // cLen
inline constexpr size_t kProofSize = 33 + kChallengeSize + 32;

using Proof = ByteArray<kProofSize>;
using Output = ByteArray<32>;

// The proof for `alpha` under `key`: deterministic (RFC 6979 nonce).
// kInvalidKey when `key` is not a valid scalar.
[[nodiscard]] Result<Proof> prove(const secp256k1::PrivateKey& key, BytesView alpha);

// The VRF output if `proof` is valid for `alpha` under `public_key`
// (33-byte compressed or 65-byte uncompressed). kInvalidKey for a bad key,
// kInvalidSignature for a proof that does not decode (length, Gamma not on
// the curve, s not below the group order), kVerificationFailed for a
// well-formed proof that does not verify.
[[nodiscard]] Result<Output> verify(BytesView public_key, BytesView proof, BytesView alpha);

// The output of a proof without verifying it (ECVRF_proof_to_hash): only
// Gamma is decoded. kInvalidSignature when the proof does not decode.
[[nodiscard]] Result<Output> proofToHash(BytesView proof);

// Steps exposed so tests can compare intermediate values with published
// vectors: H = encode_to_curve(PK, alpha) as a compressed point, with the
// try-and-increment counter that found it, and the RFC 6979 nonce k for H.
struct EncodedPoint {
  ByteArray<33> point;
  unsigned counter = 0;
};
[[nodiscard]] Result<EncodedPoint> encodeToCurve(BytesView public_key, BytesView alpha);
[[nodiscard]] Result<ByteArray<32>> nonce(const secp256k1::PrivateKey& key, const ByteArray<33>& h_string);

}  // namespace fil::crypto::ecvrf
