// X25519 Diffie-Hellman (libsodium): Noise handshakes.
#pragma once

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/crypto/crypto_error.h"

namespace fil::crypto::x25519 {

using PrivateKey = ByteArray<32>;
using PublicKey = ByteArray<32>;
using SharedSecret = ByteArray<32>;

struct KeyPair {
  PrivateKey private_key;
  PublicKey public_key;
};

KeyPair generate();
PublicKey derivePublicKey(const PrivateKey& key);

// Fails on a low-order peer key (an all-zero shared secret), as Noise requires.
[[nodiscard]] Result<SharedSecret> sharedSecret(const PrivateKey& ours, const PublicKey& theirs);

}  // namespace fil::crypto::x25519
