// RFC 4648 base64, standard and URL-safe alphabets, with or without padding.
//
// Lotus JSON puts bytes in padded standard base64 (Go's encoding/json);
// multibase 'm' is unpadded standard, 'u' unpadded URL-safe; JWTs use
// unpadded URL-safe.
#pragma once

#include <string>
#include <string_view>

#include "fil/base/bytes.h"
#include "fil/base/encoding_error.h"

namespace fil {

enum class Base64Alphabet { kStandard, kUrl };
enum class Base64Padding { kPadded, kUnpadded };

std::string toBase64(BytesView bytes, Base64Alphabet alphabet = Base64Alphabet::kStandard,
                     Base64Padding padding = Base64Padding::kPadded);

// Decodes in the given alphabet. Padded mode requires correct padding;
// unpadded mode refuses '='. Non-zero trailing bits are refused.
[[nodiscard]] Result<Bytes> fromBase64(std::string_view text,
                                       Base64Alphabet alphabet = Base64Alphabet::kStandard,
                                       Base64Padding padding = Base64Padding::kPadded);

}  // namespace fil
