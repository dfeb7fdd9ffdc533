#include <gtest/gtest.h>

#include "fil/base/hex.h"
#include "fil/base/varint.h"

namespace fil {
namespace {

TEST(Varint, MultiformatsVectors) {
  // From the multiformats unsigned-varint spec.
  const std::pair<uint64_t, std::string_view> vectors[] = {
      {1, "01"}, {127, "7f"}, {128, "8001"}, {255, "ff01"}, {300, "ac02"}, {16384, "808001"},
      {(uint64_t{1} << 63) - 1, "ffffffffffffffff7f"},
  };
  for (auto [value, hex] : vectors) {
    EXPECT_EQ(toHex(encodeUvarint(value)), hex);
    EXPECT_EQ(uvarintSize(value), hex.size() / 2);
    auto decoded = decodeUvarint(*fromHex(hex));
    ASSERT_TRUE(decoded) << hex;
    EXPECT_EQ(decoded->value, value);
    EXPECT_EQ(decoded->size, hex.size() / 2);
  }
}

TEST(Varint, RejectsNonMinimalOverlongAndTruncated) {
  EXPECT_TRUE(decodeUvarint(*fromHex("8000")).error().is(EncodingError::kNonCanonical));
  EXPECT_TRUE(decodeUvarint(*fromHex("ff00")).error().is(EncodingError::kNonCanonical));
  EXPECT_TRUE(decodeUvarint(*fromHex("ffffffffffffffff80")).error().is(EncodingError::kOverflow));
  EXPECT_TRUE(decodeUvarint(*fromHex("ffffffffffffffffff01")).error().is(EncodingError::kOverflow));
  EXPECT_TRUE(decodeUvarint(*fromHex("80")).error().is(EncodingError::kTruncated));
  EXPECT_TRUE(decodeUvarint({}).error().is(EncodingError::kTruncated));
  // A lone zero is the minimal form of 0.
  EXPECT_EQ(decodeUvarint(*fromHex("00"))->value, 0u);
}

TEST(Varint, ReadAdvances) {
  Bytes data = *fromHex("ac0201ff");
  BytesView view = data;
  EXPECT_EQ(*readUvarint(view), 300u);
  EXPECT_EQ(*readUvarint(view), 1u);
  EXPECT_EQ(view.size(), 1u);
  EXPECT_FALSE(readUvarint(view));
  EXPECT_EQ(view.size(), 1u);  // unchanged on failure
}

}  // namespace
}  // namespace fil
