#include "fil/base/base58.h"

#include <array>

#include <fmt/format.h>

#include "describe_char.h"

namespace fil {
namespace {

constexpr std::string_view kAlphabet =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

// Base58 text of more than this is not a peer ID, CID or key we handle; the
// quadratic conversion would let a hostile input burn CPU.
constexpr size_t kMaxTextLength = 8192;

}  // namespace

std::string toBase58(BytesView bytes) {
  size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == 0) ++zeros;
  // log(256)/log(58) ~ 1.366: digits needed, little-endian base-58 accumulator.
  std::vector<uint8_t> digits((bytes.size() - zeros) * 138 / 100 + 1, 0);
  size_t used = 0;
  for (size_t i = zeros; i < bytes.size(); ++i) {
    uint32_t carry = bytes[i];
    size_t j = 0;
    for (; j < used || carry != 0; ++j) {
      carry += 256u * digits[j];
      digits[j] = static_cast<uint8_t>(carry % 58);
      carry /= 58;
    }
    used = j;
  }
  std::string out(zeros, '1');
  for (size_t j = used; j-- > 0;) out.push_back(kAlphabet[digits[j]]);
  return out;
}

Result<Bytes> fromBase58(std::string_view text) {
  static const auto kTable = [] {
    std::array<int8_t, 256> t{};
    t.fill(-1);
    for (size_t i = 0; i < kAlphabet.size(); ++i) t[static_cast<uint8_t>(kAlphabet[i])] = static_cast<int8_t>(i);
    return t;
  }();
  if (text.size() > kMaxTextLength) {
    return fail(EncodingError::kInvalidLength,
                fmt::format("base58 text is {} characters, more than {}", text.size(), kMaxTextLength));
  }
  size_t zeros = 0;
  while (zeros < text.size() && text[zeros] == '1') ++zeros;
  // log(58)/log(256) ~ 0.733: bytes needed, little-endian base-256 accumulator.
  std::vector<uint8_t> bytes((text.size() - zeros) * 733 / 1000 + 1, 0);
  size_t used = 0;
  for (size_t i = zeros; i < text.size(); ++i) {
    const int8_t v = kTable[static_cast<uint8_t>(text[i])];
    if (v < 0) {
      return fail(EncodingError::kInvalidCharacter,
                  fmt::format("invalid base58 character {} at position {}",
                              detail::describeChar(text[i]), i));
    }
    uint32_t carry = static_cast<uint32_t>(v);
    size_t j = 0;
    for (; j < used || carry != 0; ++j) {
      carry += 58u * bytes[j];
      bytes[j] = static_cast<uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    used = j;
  }
  Bytes out(zeros, 0);
  for (size_t j = used; j-- > 0;) out.push_back(bytes[j]);
  return out;
}

}  // namespace fil
