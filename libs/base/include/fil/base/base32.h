// RFC 4648 base32.
//
// Filecoin and multibase use the lower-case alphabet without padding
// ("bafy...", "f1abc..."); the Lotus keystore names files with Go's
// base32.RawStdEncoding, the upper-case alphabet without padding.
#pragma once

#include <string>
#include <string_view>

#include "fil/base/bytes.h"
#include "fil/base/encoding_error.h"

namespace fil {

enum class Base32Case { kLower, kUpper };

std::string toBase32(BytesView bytes, Base32Case letter_case = Base32Case::kLower);

// Decodes unpadded base32 in the given case only; the other case is an error
// so that two spellings never name the same thing. Trailing bits that are not
// zero are refused (non-canonical text).
[[nodiscard]] Result<Bytes> fromBase32(std::string_view text,
                                       Base32Case letter_case = Base32Case::kLower);

}  // namespace fil
