// ChaCha20-Poly1305 IETF AEAD (RFC 8439): one-shot functions (libsodium)
// and a prepared key for streams of messages (OpenSSL): Noise transport.
#pragma once

#include <memory>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/crypto/crypto_error.h"

namespace fil::crypto::chachapoly {

using Key = ByteArray<32>;
using Nonce = ByteArray<12>;
inline constexpr size_t kTagSize = 16;

// Appends ciphertext || tag to `out`.
void seal(const Key& key, const Nonce& nonce, BytesView plaintext, BytesView associated_data,
          Bytes& out);

// Appends the plaintext to `out`; kDecryptionFailed when the tag is wrong.
[[nodiscard]] Status open(const Key& key, const Nonce& nonce, BytesView ciphertext,
                          BytesView associated_data, Bytes& out);

// A key prepared for many messages, through OpenSSL's EVP interface: its
// AVX2/AVX-512 code is several times faster than libsodium 1.0.18 on large
// messages (Noise transport frames of 64 KiB). One object per user; it is
// not for concurrent use.
class Cipher {
 public:
  explicit Cipher(const Key& key);
  ~Cipher();
  Cipher(Cipher&&) noexcept;
  Cipher& operator=(Cipher&&) noexcept;

  // Writes ciphertext || tag, plaintext.size() + kTagSize bytes, to `out`
  // (which must not overlap the plaintext).
  void sealTo(const Nonce& nonce, BytesView plaintext, BytesView associated_data, uint8_t* out);
  // Writes ciphertext.size() - kTagSize bytes of plaintext to `out`;
  // kDecryptionFailed when the tag is wrong (what was written is garbage then).
  [[nodiscard]] Status openTo(const Nonce& nonce, BytesView ciphertext, BytesView associated_data, uint8_t* out);

 private:
  struct Contexts;
  std::unique_ptr<Contexts> contexts_;
};

// Noise's nonce form: 4 zero bytes then the 64-bit counter little-endian.
Nonce noiseNonce(uint64_t counter);

}  // namespace fil::crypto::chachapoly
