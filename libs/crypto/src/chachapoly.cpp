#include "fil/crypto/chachapoly.h"

#include <fmt/format.h>

#include "sodium_init.h"

namespace fil::crypto::chachapoly {

void seal(const Key& key, const Nonce& nonce, BytesView plaintext, BytesView associated_data,
          Bytes& out) {
  detail::ensureSodium();
  const size_t start = out.size();
  out.resize(start + plaintext.size() + kTagSize);
  unsigned long long written = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(out.data() + start, &written, plaintext.data(),
                                            plaintext.size(), associated_data.data(),
                                            associated_data.size(), nullptr, nonce.data(), key.data());
  out.resize(start + written);
}

Status open(const Key& key, const Nonce& nonce, BytesView ciphertext, BytesView associated_data,
            Bytes& out) {
  detail::ensureSodium();
  if (ciphertext.size() < kTagSize) {
    return fail(CryptoError::kInvalidLength,
                fmt::format("ciphertext of {} bytes is shorter than the 16-byte tag", ciphertext.size()));
  }
  const size_t start = out.size();
  out.resize(start + ciphertext.size() - kTagSize);
  unsigned long long written = 0;
  if (crypto_aead_chacha20poly1305_ietf_decrypt(out.data() + start, &written, nullptr, ciphertext.data(),
                                                ciphertext.size(), associated_data.data(),
                                                associated_data.size(), nonce.data(), key.data()) != 0) {
    out.resize(start);
    return fail(CryptoError::kDecryptionFailed);
  }
  out.resize(start + written);
  return ok();
}

Nonce noiseNonce(uint64_t counter) {
  Nonce nonce{};
  for (int i = 0; i < 8; ++i) nonce[4 + i] = static_cast<uint8_t>(counter >> (8 * i));
  return nonce;
}

}  // namespace fil::crypto::chachapoly
