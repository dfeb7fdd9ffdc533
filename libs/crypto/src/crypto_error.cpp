#include "fil/crypto/crypto_error.h"

namespace fil::crypto {

std::string_view describe(CryptoError e) {
  switch (e) {
    case CryptoError::kInvalidKey: return "invalid key";
    case CryptoError::kInvalidSignature: return "invalid signature";
    case CryptoError::kVerificationFailed: return "signature verification failed";
    case CryptoError::kDecryptionFailed: return "decryption failed: authentication tag mismatch";
    case CryptoError::kInvalidLength: return "invalid length";
    case CryptoError::kBackend: return "crypto library failure";
  }
  return "unknown crypto error";
}

}  // namespace fil::crypto
