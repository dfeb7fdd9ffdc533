// Hexadecimal (base16) text: lower case out, either case in.
#pragma once

#include <string>
#include <string_view>

#include "fil/base/bytes.h"
#include "fil/base/encoding_error.h"

namespace fil {

std::string toHex(BytesView bytes);

// Accepts upper and lower case; a "0x" prefix is not accepted (callers that
// allow it strip it), so that a stray prefix is reported, not guessed.
[[nodiscard]] Result<Bytes> fromHex(std::string_view text);

}  // namespace fil
