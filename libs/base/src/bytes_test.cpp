#include <gtest/gtest.h>

#include "fil/base/bytes.h"
#include "fil/base/hex.h"

namespace fil {
namespace {

TEST(Bytes, CompareIsLexicographicThenShorterFirst) {
  EXPECT_EQ(compare(asBytes("a"), asBytes("a")), 0);
  EXPECT_LT(compare(asBytes("a"), asBytes("ab")), 0);
  EXPECT_GT(compare(asBytes("b"), asBytes("ab")), 0);
  EXPECT_LT(compare({}, asBytes("a")), 0);
}

TEST(Bytes, ConstantTimeEquality) {
  EXPECT_TRUE(equalConstantTime(asBytes("secret"), asBytes("secret")));
  EXPECT_FALSE(equalConstantTime(asBytes("secret"), asBytes("secreT")));
  EXPECT_FALSE(equalConstantTime(asBytes("secret"), asBytes("secrets")));
}

TEST(Bytes, FixedWidthIntegers) {
  Bytes out;
  putU32BE(out, 0x01020304);
  putU64LE(out, 0x0807060504030201ull);
  EXPECT_EQ(toHex(out), "010203040102030405060708");
  EXPECT_EQ(readU32BE(out.data()), 0x01020304u);
  EXPECT_EQ(readU64LE(out.data() + 4), 0x0807060504030201ull);
  Bytes be;
  putU64BE(be, 0x0102030405060708ull);
  EXPECT_EQ(readU64BE(be.data()), 0x0102030405060708ull);
  Bytes le;
  putU32LE(le, 7);
  EXPECT_EQ(readU32LE(le.data()), 7u);
}

}  // namespace
}  // namespace fil
