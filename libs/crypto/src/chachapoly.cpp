#include "fil/crypto/chachapoly.h"

#include <cstdlib>

#include <fmt/format.h>
#include <openssl/evp.h>

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

struct Cipher::Contexts {
  Key key;
  EVP_CIPHER_CTX* seal = nullptr;  // made on first use: a handshake key may only ever open
  EVP_CIPHER_CTX* open = nullptr;
  ~Contexts() {
    EVP_CIPHER_CTX_free(seal);
    EVP_CIPHER_CTX_free(open);
  }
  EVP_CIPHER_CTX* context(bool encrypt) {
    EVP_CIPHER_CTX*& ctx = encrypt ? seal : open;
    if (ctx == nullptr) {
      ctx = EVP_CIPHER_CTX_new();
      if (ctx == nullptr || EVP_CipherInit_ex(ctx, EVP_chacha20_poly1305(), nullptr, key.data(), nullptr,
                                              encrypt ? 1 : 0) != 1) {
        std::abort();  // allocation failure inside OpenSSL
      }
    }
    return ctx;
  }
};

Cipher::Cipher(const Key& key) : contexts_(std::make_unique<Contexts>()) { contexts_->key = key; }
Cipher::~Cipher() = default;
Cipher::Cipher(Cipher&&) noexcept = default;
Cipher& Cipher::operator=(Cipher&&) noexcept = default;

namespace {
// EVP takes int lengths; Noise frames are at most 64 KiB, callers split larger input.
int evpLength(size_t n) {
  if (n > static_cast<size_t>(INT32_MAX)) std::abort();
  return static_cast<int>(n);
}
}  // namespace

void Cipher::sealTo(const Nonce& nonce, BytesView plaintext, BytesView associated_data, uint8_t* out) {
  EVP_CIPHER_CTX* ctx = contexts_->context(true);
  int n = 0;
  int tail = 0;
  if (EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce.data()) != 1 ||
      (!associated_data.empty() &&
       EVP_EncryptUpdate(ctx, nullptr, &n, associated_data.data(), evpLength(associated_data.size())) != 1) ||
      EVP_EncryptUpdate(ctx, out, &n, plaintext.data(), evpLength(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx, out + n, &tail) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, kTagSize, out + plaintext.size()) != 1) {
    std::abort();  // cannot fail with a valid key and nonce
  }
}

Status Cipher::openTo(const Nonce& nonce, BytesView ciphertext, BytesView associated_data, uint8_t* out) {
  if (ciphertext.size() < kTagSize) {
    return fail(CryptoError::kInvalidLength,
                fmt::format("ciphertext of {} bytes is shorter than the 16-byte tag", ciphertext.size()));
  }
  EVP_CIPHER_CTX* ctx = contexts_->context(false);
  const size_t length = ciphertext.size() - kTagSize;
  ByteArray<kTagSize> tag;
  std::copy_n(ciphertext.begin() + static_cast<std::ptrdiff_t>(length), kTagSize, tag.begin());
  int n = 0;
  int tail = 0;
  if (EVP_DecryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce.data()) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, kTagSize, tag.data()) != 1 ||
      (!associated_data.empty() &&
       EVP_DecryptUpdate(ctx, nullptr, &n, associated_data.data(), evpLength(associated_data.size())) != 1) ||
      EVP_DecryptUpdate(ctx, out, &n, ciphertext.data(), evpLength(length)) != 1) {
    std::abort();  // cannot fail before the tag check
  }
  if (EVP_DecryptFinal_ex(ctx, out + n, &tail) != 1) return fail(CryptoError::kDecryptionFailed);
  return ok();
}

Nonce noiseNonce(uint64_t counter) {
  Nonce nonce{};
  for (int i = 0; i < 8; ++i) nonce[4 + i] = static_cast<uint8_t>(counter >> (8 * i));
  return nonce;
}

}  // namespace fil::crypto::chachapoly
