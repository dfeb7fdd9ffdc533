#include "fil/base/base64.h"

#include <array>

#include <fmt/format.h>

#include "describe_char.h"

namespace fil {
namespace {

constexpr std::string_view kStandard =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrl =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::array<int8_t, 256> makeTable(std::string_view alphabet) {
  std::array<int8_t, 256> table{};
  table.fill(-1);
  for (size_t i = 0; i < alphabet.size(); ++i) {
    table[static_cast<uint8_t>(alphabet[i])] = static_cast<int8_t>(i);
  }
  return table;
}

}  // namespace

std::string toBase64(BytesView bytes, Base64Alphabet alphabet, Base64Padding padding) {
  const std::string_view a = alphabet == Base64Alphabet::kStandard ? kStandard : kUrl;
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = (uint32_t{bytes[i]} << 16) | (uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    out.push_back(a[v >> 18]);
    out.push_back(a[(v >> 12) & 63]);
    out.push_back(a[(v >> 6) & 63]);
    out.push_back(a[v & 63]);
  }
  const size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t v = uint32_t{bytes[i]} << 16;
    if (rest == 2) v |= uint32_t{bytes[i + 1]} << 8;
    out.push_back(a[v >> 18]);
    out.push_back(a[(v >> 12) & 63]);
    if (rest == 2) out.push_back(a[(v >> 6) & 63]);
    if (padding == Base64Padding::kPadded) out.append(rest == 1 ? "==" : "=");
  }
  return out;
}

Result<Bytes> fromBase64(std::string_view text, Base64Alphabet alphabet, Base64Padding padding) {
  static const auto kStandardTable = makeTable(kStandard);
  static const auto kUrlTable = makeTable(kUrl);
  const auto& table = alphabet == Base64Alphabet::kStandard ? kStandardTable : kUrlTable;

  std::string_view body = text;
  if (padding == Base64Padding::kPadded) {
    if (text.size() % 4 != 0) {
      return fail(EncodingError::kInvalidLength,
                  fmt::format("padded base64 text of {} characters is not a multiple of 4",
                              text.size()));
    }
    size_t pad = 0;
    while (pad < 2 && pad < body.size() && body[body.size() - 1 - pad] == '=') ++pad;
    body = body.substr(0, body.size() - pad);
  } else if (text.size() % 4 == 1) {
    return fail(EncodingError::kInvalidLength,
                fmt::format("base64 text of {} characters cannot be complete", text.size()));
  }

  Bytes out;
  out.reserve(body.size() * 3 / 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (size_t i = 0; i < body.size(); ++i) {
    const int8_t v = table[static_cast<uint8_t>(body[i])];
    if (v < 0) {
      return fail(EncodingError::kInvalidCharacter,
                  fmt::format("invalid base64 character {} at position {}",
                              detail::describeChar(body[i]), i));
    }
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(buffer >> bits));
    }
  }
  if ((buffer & ((1u << bits) - 1)) != 0) {
    return fail(EncodingError::kNonCanonical, "base64 text has non-zero trailing bits");
  }
  return out;
}

}  // namespace fil
