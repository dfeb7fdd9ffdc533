// Errors of the crypto library.
#pragma once

#include <string_view>

#include "fil/base/error.h"

namespace fil::crypto {

enum class CryptoError {
  kInvalidKey = 1,
  kInvalidSignature,
  kVerificationFailed,
  kDecryptionFailed,
  kInvalidLength,
  kBackend,
};
std::string_view describe(CryptoError e);

}  // namespace fil::crypto

FIL_REGISTER_ERROR(fil::crypto::CryptoError, "crypto");
