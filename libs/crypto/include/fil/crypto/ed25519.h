// Ed25519 signatures (libsodium): libp2p host identities.
#pragma once

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/crypto/crypto_error.h"

namespace fil::crypto::ed25519 {

using Seed = ByteArray<32>;        // the private key as libp2p and RFC 8032 store it
using PublicKey = ByteArray<32>;
using Signature = ByteArray<64>;

struct KeyPair {
  Seed seed;
  PublicKey public_key;
};

KeyPair generate();
KeyPair fromSeed(const Seed& seed);

Signature sign(const Seed& seed, BytesView message);
bool verify(const Signature& signature, BytesView message, const PublicKey& public_key);

}  // namespace fil::crypto::ed25519
