// Arbitrary-precision integers (Boost.Multiprecision) and Filecoin's token
// amounts in attoFIL (1 FIL = 10^18 attoFIL).
//
// CBOR form (go-state-types big.Int): a byte string, empty for zero,
// otherwise a sign byte (0x00 positive, 0x01 negative) and the big-endian
// magnitude without leading zeros; at most 128 bytes.
#pragma once

#include <string>
#include <string_view>

#include <boost/multiprecision/cpp_int.hpp>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/codec/cbor.h"
#include "fil/primitives/primitives_error.h"

namespace fil::primitives {

using BigInt = boost::multiprecision::cpp_int;
using TokenAmount = BigInt;    // attoFIL
using StoragePower = BigInt;   // bytes

inline constexpr size_t kBigIntMaxSerializedLength = 128;
inline const BigInt kFilecoinPrecision = BigInt(1000000000000000000ull);  // attoFIL per FIL

Bytes bigIntToBytes(const BigInt& v);
// Refuses a bad sign byte, leading zero bytes, negative zero and more than 128 bytes.
[[nodiscard]] Result<BigInt> bigIntFromBytes(BytesView bytes);

// Decimal text ("-123"), as Lotus JSON writes big integers.
std::string toDecimal(const BigInt& v);
[[nodiscard]] Result<BigInt> parseDecimal(std::string_view text);

// "1.5 FIL", "0 FIL": Lotus's types.FIL String().
std::string formatFil(const TokenAmount& amount);
// "250 attoFIL".
std::string formatAttoFil(const TokenAmount& amount);
// "1.234 mFIL", "250 aFIL": Lotus's types.FIL Short(), three decimals at most.
std::string formatFilShort(const TokenAmount& amount);

// Lotus's ParseFIL: "1.5", "1.5 FIL", "250 attofil", "250 afil" (case
// insensitive). A FIL value finer than one attoFIL is an error.
[[nodiscard]] Result<TokenAmount> parseFil(std::string_view text);

}  // namespace fil::primitives

template <>
struct fil::codec::CborCodec<fil::primitives::BigInt> {
  static void encode(CborEncoder& e, const primitives::BigInt& v) { e.writeBytes(primitives::bigIntToBytes(v)); }
  static Status decode(CborDecoder& d, primitives::BigInt& out);
};
