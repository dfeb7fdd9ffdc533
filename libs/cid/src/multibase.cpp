#include "fil/cid/multibase.h"

#include <fmt/format.h>

#include "fil/base/base32.h"
#include "fil/base/base58.h"
#include "fil/base/base64.h"
#include "fil/base/hex.h"

namespace fil::cid {

std::string multibaseEncode(Multibase base, BytesView bytes) {
  std::string out(1, static_cast<char>(base));
  switch (base) {
    case Multibase::kBase16: out += toHex(bytes); break;
    case Multibase::kBase16Upper: {
      std::string hex = toHex(bytes);
      for (auto& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out += hex;
      break;
    }
    case Multibase::kBase32: out += toBase32(bytes); break;
    case Multibase::kBase32Upper: out += toBase32(bytes, Base32Case::kUpper); break;
    case Multibase::kBase58Btc: out += toBase58(bytes); break;
    case Multibase::kBase64: out += toBase64(bytes, Base64Alphabet::kStandard, Base64Padding::kUnpadded); break;
    case Multibase::kBase64Pad: out += toBase64(bytes, Base64Alphabet::kStandard, Base64Padding::kPadded); break;
    case Multibase::kBase64Url: out += toBase64(bytes, Base64Alphabet::kUrl, Base64Padding::kUnpadded); break;
    case Multibase::kBase64UrlPad: out += toBase64(bytes, Base64Alphabet::kUrl, Base64Padding::kPadded); break;
  }
  return out;
}

Result<MultibaseDecoded> multibaseDecode(std::string_view text) {
  if (text.empty()) return fail(CidError::kUnknownMultibase, "empty multibase text");
  const auto base = static_cast<Multibase>(text[0]);
  const std::string_view body = text.substr(1);
  Result<Bytes> bytes = fail(CidError::kUnknownMultibase);
  switch (base) {
    case Multibase::kBase16: {
      for (char c : body) {
        if (c >= 'A' && c <= 'F') return fail(CidError::kUnknownMultibase, "upper-case digits under the lower-case base16 prefix 'f'");
      }
      bytes = fromHex(body);
      break;
    }
    case Multibase::kBase16Upper: {
      for (char c : body) {
        if (c >= 'a' && c <= 'f') return fail(CidError::kUnknownMultibase, "lower-case digits under the upper-case base16 prefix 'F'");
      }
      bytes = fromHex(body);
      break;
    }
    case Multibase::kBase32: bytes = fromBase32(body); break;
    case Multibase::kBase32Upper: bytes = fromBase32(body, Base32Case::kUpper); break;
    case Multibase::kBase58Btc: bytes = fromBase58(body); break;
    case Multibase::kBase64: bytes = fromBase64(body, Base64Alphabet::kStandard, Base64Padding::kUnpadded); break;
    case Multibase::kBase64Pad: bytes = fromBase64(body, Base64Alphabet::kStandard, Base64Padding::kPadded); break;
    case Multibase::kBase64Url: bytes = fromBase64(body, Base64Alphabet::kUrl, Base64Padding::kUnpadded); break;
    case Multibase::kBase64UrlPad: bytes = fromBase64(body, Base64Alphabet::kUrl, Base64Padding::kPadded); break;
    default:
      return fail(CidError::kUnknownMultibase, fmt::format("unknown multibase prefix '{}'", text[0]));
  }
  if (!bytes) return fail(std::move(bytes).error().withContext(fmt::format("multibase '{}'", text[0])));
  return MultibaseDecoded{base, std::move(*bytes)};
}

}  // namespace fil::cid
