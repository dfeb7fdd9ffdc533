#include "fil/crypto/x25519.h"

#include "sodium_init.h"

namespace fil::crypto::x25519 {

KeyPair generate() {
  detail::ensureSodium();
  KeyPair pair;
  randombytes_buf(pair.private_key.data(), pair.private_key.size());
  pair.public_key = derivePublicKey(pair.private_key);
  return pair;
}

PublicKey derivePublicKey(const PrivateKey& key) {
  detail::ensureSodium();
  PublicKey pub;
  crypto_scalarmult_base(pub.data(), key.data());
  return pub;
}

Result<SharedSecret> sharedSecret(const PrivateKey& ours, const PublicKey& theirs) {
  detail::ensureSodium();
  SharedSecret out;
  if (crypto_scalarmult(out.data(), ours.data(), theirs.data()) != 0) {
    return fail(CryptoError::kInvalidKey, "X25519 peer key has low order (shared secret is zero)");
  }
  return out;
}

}  // namespace fil::crypto::x25519
