#include "fil/primitives/big_int.h"

#include <algorithm>

#include <fmt/format.h>

namespace fil::primitives {
namespace {

// Go's big.Rat FloatString(n) then the trailing-zero trim Lotus applies.
std::string fixedPoint(const BigInt& value, const BigInt& unit, int decimals_kept) {
  const bool negative = value < 0;
  const BigInt magnitude = negative ? BigInt(-value) : value;
  BigInt whole = magnitude / unit;
  BigInt rest = magnitude % unit;
  // Digits of `rest` padded to the unit's width, then rounded to decimals_kept.
  const size_t width = unit.str().size() - 1;
  std::string frac = width == 0 ? std::string() : rest.str();
  frac.insert(0, width - frac.size(), '0');
  if (static_cast<size_t>(decimals_kept) < width) {
    // Round half away from zero, as big.Rat.FloatString does.
    const bool round_up = frac[decimals_kept] >= '5';
    frac.resize(decimals_kept);
    if (round_up) {
      BigInt f = frac.empty() ? BigInt(0) : BigInt(frac);
      f += 1;
      std::string bumped = f.str();
      if (bumped.size() > frac.size()) {
        whole += 1;
        bumped = std::string(frac.size(), '0');
      } else {
        bumped.insert(0, frac.size() - bumped.size(), '0');
      }
      frac = bumped;
    }
  }
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  std::string out = (negative && (whole != 0 || !frac.empty()) ? "-" : "") + whole.str();
  if (!frac.empty()) out += "." + frac;
  return out;
}

}  // namespace

Bytes bigIntToBytes(const BigInt& v) {
  if (v == 0) return {};
  Bytes out{static_cast<uint8_t>(v < 0 ? 1 : 0)};
  const BigInt magnitude = v < 0 ? BigInt(-v) : v;
  export_bits(magnitude, std::back_inserter(out), 8);
  return out;
}

Result<BigInt> bigIntFromBytes(BytesView bytes) {
  if (bytes.empty()) return BigInt(0);
  if (bytes.size() > kBigIntMaxSerializedLength) {
    return fail(PrimitivesError::kInvalidAmount,
                fmt::format("big integer of {} bytes exceeds the {}-byte limit", bytes.size(),
                            kBigIntMaxSerializedLength));
  }
  if (bytes[0] > 1) {
    return fail(PrimitivesError::kInvalidAmount, fmt::format("big integer sign byte is {}, must be 0 or 1", bytes[0]));
  }
  const BytesView magnitude = bytes.subspan(1);
  if (magnitude.empty() || magnitude[0] == 0) {
    return fail(PrimitivesError::kInvalidAmount,
                "big integer is not in canonical form (zero is the empty string; no leading zero bytes)");
  }
  BigInt v;
  import_bits(v, magnitude.begin(), magnitude.end(), 8);
  if (bytes[0] == 1) v = -v;
  return v;
}

std::string toDecimal(const BigInt& v) { return v.str(); }

Result<BigInt> parseDecimal(std::string_view text) {
  std::string_view digits = text;
  if (!digits.empty() && digits[0] == '-') digits.remove_prefix(1);
  if (digits.empty() || digits.size() > 320 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return fail(PrimitivesError::kInvalidAmount, fmt::format("'{}' is not a decimal integer", text));
  }
  return BigInt(std::string(text));
}

std::string formatFil(const TokenAmount& amount) {
  if (amount == 0) return "0 FIL";
  return fixedPoint(amount, kFilecoinPrecision, 18) + " FIL";
}

std::string formatAttoFil(const TokenAmount& amount) { return amount.str() + " attoFIL"; }

std::string formatFilShort(const TokenAmount& amount) {
  static constexpr std::string_view kPrefixes[] = {"a", "f", "p", "n", "\xce\xbc", "m"};
  const BigInt magnitude = amount < 0 ? BigInt(-amount) : amount;
  BigInt unit = 1;
  std::string_view prefix;
  for (auto p : kPrefixes) {
    if (magnitude < unit * 1000) {
      prefix = p;
      break;
    }
    unit *= 1000;
  }
  if (amount == 0) return "0";
  return fixedPoint(amount, unit, 3) + " " + std::string(prefix) + "FIL";
}

Result<TokenAmount> parseFil(std::string_view text) {
  const size_t number_end = text.find_first_not_of("-.0123456789");
  std::string_view number = text.substr(0, number_end);
  std::string suffix(number_end == std::string_view::npos ? "" : text.substr(number_end));
  suffix.erase(0, suffix.find_first_not_of(' '));
  while (!suffix.empty() && suffix.back() == ' ') suffix.pop_back();
  std::transform(suffix.begin(), suffix.end(), suffix.begin(), [](unsigned char c) { return std::tolower(c); });
  bool atto = false;
  if (suffix == "attofil" || suffix == "afil") {
    atto = true;
  } else if (!suffix.empty() && suffix != "fil") {
    return fail(PrimitivesError::kInvalidAmount, fmt::format("unrecognized suffix '{}' in '{}'", suffix, text));
  }
  if (number.size() > 50) {
    return fail(PrimitivesError::kInvalidAmount, fmt::format("amount '{}' is too long", text));
  }
  bool negative = false;
  if (!number.empty() && number[0] == '-') {
    negative = true;
    number.remove_prefix(1);
  }
  const size_t dot = number.find('.');
  std::string whole(number.substr(0, dot));
  std::string frac(dot == std::string_view::npos ? "" : number.substr(dot + 1));
  const auto all_digits = [](const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if ((whole.empty() && frac.empty()) || !all_digits(whole) || !all_digits(frac)) {
    return fail(PrimitivesError::kInvalidAmount, fmt::format("failed to parse '{}' as a decimal number", text));
  }
  const size_t scale = atto ? 0 : 18;
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  if (frac.size() > scale) {
    return fail(PrimitivesError::kInvalidAmount,
                fmt::format("invalid {}FIL value: '{}' is finer than one attoFIL", atto ? "atto" : "", text));
  }
  frac.append(scale - frac.size(), '0');
  std::string digits = whole + frac;
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size()));
  BigInt v = digits.empty() ? BigInt(0) : BigInt(digits);
  return negative ? BigInt(-v) : v;
}

}  // namespace fil::primitives

namespace fil::codec {

Status CborCodec<primitives::BigInt>::decode(CborDecoder& d, primitives::BigInt& out) {
  FIL_ASSIGN_OR_RETURN(auto bytes, d.readBytes());
  auto v = primitives::bigIntFromBytes(bytes);
  if (!v) return fail(d.error(CborError::kInvalidValue, v.error().message()));
  out = std::move(*v);
  return ok();
}

}  // namespace fil::codec
