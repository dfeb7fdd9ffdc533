#include "fil/base/encoding_error.h"

namespace fil {

std::string_view describe(EncodingError e) {
  switch (e) {
    case EncodingError::kInvalidCharacter: return "invalid character";
    case EncodingError::kInvalidLength: return "invalid length";
    case EncodingError::kNonCanonical: return "non-canonical encoding";
    case EncodingError::kOverflow: return "value overflows";
    case EncodingError::kTruncated: return "truncated input";
  }
  return "unknown encoding error";
}

}  // namespace fil
