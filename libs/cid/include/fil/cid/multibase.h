// Multibase text: a one-character prefix naming the base, then the text.
#pragma once

#include <string>
#include <string_view>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/cid/cid_error.h"

namespace fil::cid {

enum class Multibase : char {
  kBase16 = 'f',
  kBase16Upper = 'F',
  kBase32 = 'b',
  kBase32Upper = 'B',
  kBase58Btc = 'z',
  kBase64 = 'm',
  kBase64Pad = 'M',
  kBase64Url = 'u',
  kBase64UrlPad = 'U',
};

std::string multibaseEncode(Multibase base, BytesView bytes);

struct MultibaseDecoded {
  Multibase base;
  Bytes bytes;
};
[[nodiscard]] Result<MultibaseDecoded> multibaseDecode(std::string_view text);

}  // namespace fil::cid
