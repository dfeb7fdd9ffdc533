#include "fil/crypto/ed25519.h"

#include "sodium_init.h"

namespace fil::crypto::ed25519 {

KeyPair generate() {
  detail::ensureSodium();
  Seed seed;
  randombytes_buf(seed.data(), seed.size());
  return fromSeed(seed);
}

KeyPair fromSeed(const Seed& seed) {
  detail::ensureSodium();
  KeyPair pair{seed, {}};
  unsigned char secret[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(pair.public_key.data(), secret, seed.data());
  sodium_memzero(secret, sizeof secret);
  return pair;
}

Signature sign(const Seed& seed, BytesView message) {
  detail::ensureSodium();
  unsigned char pub[crypto_sign_PUBLICKEYBYTES];
  unsigned char secret[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(pub, secret, seed.data());
  Signature sig;
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret);
  sodium_memzero(secret, sizeof secret);
  return sig;
}

bool verify(const Signature& signature, BytesView message, const PublicKey& public_key) {
  detail::ensureSodium();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     public_key.data()) == 0;
}

}  // namespace fil::crypto::ed25519
