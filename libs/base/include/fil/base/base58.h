// Base58 with the Bitcoin alphabet (base58btc): peer IDs, CIDv0.
#pragma once

#include <string>
#include <string_view>

#include "fil/base/bytes.h"
#include "fil/base/encoding_error.h"

namespace fil {

std::string toBase58(BytesView bytes);
[[nodiscard]] Result<Bytes> fromBase58(std::string_view text);

}  // namespace fil
