#include <gtest/gtest.h>

#include "fil/base/hex.h"
#include "fil/primitives/big_int.h"

namespace fil::primitives {
namespace {

TEST(BigInt, CborForm) {
  EXPECT_EQ(toHex(codec::encode(BigInt(0))), "40");
  EXPECT_EQ(toHex(codec::encode(BigInt(1))), "420001");
  EXPECT_EQ(toHex(codec::encode(BigInt(-1))), "420101");
  // 1e9, the ParentBaseFee of the golden block header (spec/chain.md).
  EXPECT_EQ(toHex(codec::encode(BigInt(1000000000))), "45003b9aca00");
  EXPECT_EQ(toHex(codec::encode(BigInt(100000))), "44000186a0");
  const BigInt big("-123456789012345678901234567890");
  EXPECT_EQ(*codec::decode<BigInt>(codec::encode(big)), big);
}

TEST(BigInt, RejectsNonCanonicalBytes) {
  EXPECT_TRUE(bigIntFromBytes(*fromHex("00")).error().is(PrimitivesError::kInvalidAmount));
  EXPECT_TRUE(bigIntFromBytes(*fromHex("01")).error().is(PrimitivesError::kInvalidAmount));
  EXPECT_TRUE(bigIntFromBytes(*fromHex("000001")).error().is(PrimitivesError::kInvalidAmount));
  EXPECT_TRUE(bigIntFromBytes(*fromHex("0201")).error().is(PrimitivesError::kInvalidAmount));
  EXPECT_TRUE(bigIntFromBytes(Bytes(129, 1)).error().is(PrimitivesError::kInvalidAmount));
  EXPECT_TRUE(codec::decode<BigInt>(*fromHex("4100")).error().is(codec::CborError::kInvalidValue));
}

TEST(BigInt, FilFormatting) {
  EXPECT_EQ(formatFil(BigInt(0)), "0 FIL");
  EXPECT_EQ(formatFil(BigInt("1500000000000000000")), "1.5 FIL");
  EXPECT_EQ(formatFil(BigInt(1)), "0.000000000000000001 FIL");
  EXPECT_EQ(formatFil(BigInt("-2000000000000000000")), "-2 FIL");
  EXPECT_EQ(formatAttoFil(BigInt(250)), "250 attoFIL");
  EXPECT_EQ(formatFilShort(BigInt(250)), "250 aFIL");
  EXPECT_EQ(formatFilShort(BigInt(1234567)), "1.235 pFIL");
  EXPECT_EQ(formatFilShort(BigInt("5000000000000000000")), "5 FIL");
  EXPECT_EQ(formatFilShort(BigInt(0)), "0");
}

TEST(BigInt, ParseFil) {
  EXPECT_EQ(*parseFil("1.5"), BigInt("1500000000000000000"));
  EXPECT_EQ(*parseFil("1.5 FIL"), BigInt("1500000000000000000"));
  EXPECT_EQ(*parseFil("2fil"), BigInt("2000000000000000000"));
  EXPECT_EQ(*parseFil("250 attofil"), BigInt(250));
  EXPECT_EQ(*parseFil("250 aFIL"), BigInt(250));
  EXPECT_EQ(*parseFil(".5"), BigInt("500000000000000000"));
  EXPECT_EQ(*parseFil("-1"), BigInt("-1000000000000000000"));
  EXPECT_EQ(*parseFil("0.000000000000000001"), BigInt(1));
  EXPECT_TRUE(parseFil("0.0000000000000000001").error().is(PrimitivesError::kInvalidAmount));
  EXPECT_TRUE(parseFil("1.5 afil").error().is(PrimitivesError::kInvalidAmount));
  EXPECT_TRUE(parseFil("1 btc").error().is(PrimitivesError::kInvalidAmount));
  EXPECT_TRUE(parseFil("").error().is(PrimitivesError::kInvalidAmount));
  EXPECT_TRUE(parseFil("1.2.3").error().is(PrimitivesError::kInvalidAmount));
  EXPECT_TRUE(parseFil(std::string(60, '1')).error().is(PrimitivesError::kInvalidAmount));
}

TEST(BigInt, Decimal) {
  EXPECT_EQ(*parseDecimal("-42"), BigInt(-42));
  EXPECT_EQ(toDecimal(BigInt("123456789012345678901234567890")), "123456789012345678901234567890");
  EXPECT_FALSE(parseDecimal("4x"));
  EXPECT_FALSE(parseDecimal("-"));
  EXPECT_FALSE(parseDecimal(""));
}

}  // namespace
}  // namespace fil::primitives
