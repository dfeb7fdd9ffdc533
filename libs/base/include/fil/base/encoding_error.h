// Errors from decoding text or binary encodings (hex, base32/58/64, varints).
#pragma once

#include <string_view>

#include "fil/base/error.h"

namespace fil {

enum class EncodingError {
  kInvalidCharacter = 1,
  kInvalidLength,
  kNonCanonical,
  kOverflow,
  kTruncated,
};
std::string_view describe(EncodingError e);

}  // namespace fil

FIL_REGISTER_ERROR(fil::EncodingError, "encoding");
