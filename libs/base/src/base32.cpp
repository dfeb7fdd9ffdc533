#include "fil/base/base32.h"

#include <array>

#include <fmt/format.h>

#include "describe_char.h"

namespace fil {
namespace {

constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz234567";
constexpr std::string_view kUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::array<int8_t, 256> makeTable(std::string_view alphabet) {
  std::array<int8_t, 256> table{};
  table.fill(-1);
  for (size_t i = 0; i < alphabet.size(); ++i) {
    table[static_cast<uint8_t>(alphabet[i])] = static_cast<int8_t>(i);
  }
  return table;
}

}  // namespace

std::string toBase32(BytesView bytes, Base32Case letter_case) {
  const std::string_view alphabet = letter_case == Base32Case::kLower ? kLower : kUpper;
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  uint32_t buffer = 0;
  int bits = 0;
  for (uint8_t b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(alphabet[(buffer >> bits) & 31]);
    }
  }
  if (bits > 0) out.push_back(alphabet[(buffer << (5 - bits)) & 31]);
  return out;
}

Result<Bytes> fromBase32(std::string_view text, Base32Case letter_case) {
  static const auto kLowerTable = makeTable(kLower);
  static const auto kUpperTable = makeTable(kUpper);
  const auto& table = letter_case == Base32Case::kLower ? kLowerTable : kUpperTable;

  // Unpadded base32 never leaves 1, 3 or 6 characters in the last group.
  const size_t tail = text.size() % 8;
  if (tail == 1 || tail == 3 || tail == 6) {
    return fail(EncodingError::kInvalidLength,
                fmt::format("base32 text of {} characters cannot be complete", text.size()));
  }
  Bytes out;
  out.reserve(text.size() * 5 / 8);
  uint32_t buffer = 0;
  int bits = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const int8_t v = table[static_cast<uint8_t>(text[i])];
    if (v < 0) {
      return fail(EncodingError::kInvalidCharacter,
                  fmt::format("invalid base32 character {} at position {}",
                              detail::describeChar(text[i]), i));
    }
    buffer = (buffer << 5) | static_cast<uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(buffer >> bits));
    }
  }
  if ((buffer & ((1u << bits) - 1)) != 0) {
    return fail(EncodingError::kNonCanonical, "base32 text has non-zero trailing bits");
  }
  return out;
}

}  // namespace fil
