// ChaCha20-Poly1305 IETF AEAD (RFC 8439, libsodium): Noise transport.
#pragma once

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

// Noise's nonce form: 4 zero bytes then the 64-bit counter little-endian.
Nonce noiseNonce(uint64_t counter);

}  // namespace fil::crypto::chachapoly
