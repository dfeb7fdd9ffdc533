// secp256k1 ECDSA with public-key recovery, as Filecoin signs messages:
// a 65-byte signature r || s || v (v = recovery id 0..3) over a 32-byte
// digest (blake2b-256 of the bytes being signed, chosen by the caller).
// Signing is deterministic (RFC 6979 nonces) and produces low-s signatures.
#pragma once

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/crypto/crypto_error.h"

namespace fil::crypto::secp256k1 {

using PrivateKey = ByteArray<32>;
using PublicKey = ByteArray<65>;  // uncompressed: 0x04 || X || Y
using CompressedPublicKey = ByteArray<33>;
using Signature = ByteArray<65>;
using Digest = ByteArray<32>;

// A new random private key (valid scalar).
PrivateKey generatePrivateKey();

[[nodiscard]] Result<PublicKey> derivePublicKey(const PrivateKey& key);

[[nodiscard]] Result<Signature> sign(const PrivateKey& key, const Digest& digest);

// The public key that made `signature` over `digest`.
[[nodiscard]] Result<PublicKey> recover(const Signature& signature, const Digest& digest);

// True when `signature` over `digest` recovers to `public_key`.
bool verify(const Signature& signature, const Digest& digest, const PublicKey& public_key);

// The DER form of an ECDSA signature (BIP-62), as libp2p signs with
// secp256k1 identity keys: libp2p passes sha256 of the message as `digest`.
[[nodiscard]] Result<Bytes> signDer(const PrivateKey& key, const Digest& digest);

// Verifies a DER signature. A high-s signature is accepted after
// normalisation, as go-libp2p (btcec) accepts it; malformed DER is false.
bool verifyDer(BytesView der, const Digest& digest, const PublicKey& public_key);

// Parses a 33-byte compressed or 65-byte uncompressed key.
[[nodiscard]] Result<PublicKey> parsePublicKey(BytesView bytes);
CompressedPublicKey compress(const PublicKey& key);

[[nodiscard]] Result<Signature> signatureFromBytes(BytesView bytes);

}  // namespace fil::crypto::secp256k1
