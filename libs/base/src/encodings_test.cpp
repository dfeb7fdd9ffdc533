#include <gtest/gtest.h>

#include "fil/base/base32.h"
#include "fil/base/base58.h"
#include "fil/base/base64.h"
#include "fil/base/hex.h"

namespace fil {
namespace {

TEST(Hex, RoundTripAndCase) {
  EXPECT_EQ(toHex(asBytes("\x01\xab\xff")), "01abff");
  EXPECT_EQ(*fromHex("01ABff"), toBytes(std::string_view("\x01\xab\xff", 3)));
  EXPECT_EQ(*fromHex(""), Bytes{});
}

TEST(Hex, RejectsOddLengthAndBadDigits) {
  auto odd = fromHex("abc");
  ASSERT_FALSE(odd);
  EXPECT_TRUE(odd.error().is(EncodingError::kInvalidLength));
  auto bad = fromHex("0g");
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.error().is(EncodingError::kInvalidCharacter));
  EXPECT_EQ(bad.error().message(), "invalid hex digit 'g' at position 1");
  EXPECT_FALSE(fromHex("0x00"));
}

// RFC 4648 section 10, unpadded.
TEST(Base32, Rfc4648Vectors) {
  const std::pair<std::string_view, std::string_view> vectors[] = {
      {"", ""},        {"f", "MY"},          {"fo", "MZXQ"},           {"foo", "MZXW6"},
      {"foob", "MZXW6YQ"}, {"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI"},
  };
  for (auto [plain, upper] : vectors) {
    EXPECT_EQ(toBase32(asBytes(plain), Base32Case::kUpper), upper);
    std::string lower(upper);
    for (auto& c : lower) c = static_cast<char>(std::tolower(c));
    EXPECT_EQ(toBase32(asBytes(plain)), lower);
    EXPECT_EQ(asString(*fromBase32(upper, Base32Case::kUpper)), plain);
    EXPECT_EQ(asString(*fromBase32(lower)), plain);
  }
}

TEST(Base32, RejectsWrongCaseLengthAndTrailingBits) {
  EXPECT_TRUE(fromBase32("MY").error().is(EncodingError::kInvalidCharacter));
  EXPECT_TRUE(fromBase32("m").error().is(EncodingError::kInvalidLength));
  // "mz" decodes 'f' with trailing bits 0b10 set.
  EXPECT_TRUE(fromBase32("mz").error().is(EncodingError::kNonCanonical));
  EXPECT_TRUE(fromBase32("my=").error().is(EncodingError::kInvalidLength));
}

TEST(Base58, KnownVectors) {
  EXPECT_EQ(toBase58(asBytes("Hello World!")), "2NEpo7TZRRrLZSi2U");
  const Bytes leading = *fromHex("0000287fb4cd");
  EXPECT_EQ(toBase58(leading), "11233QC4");
  EXPECT_EQ(*fromBase58("11233QC4"), leading);
  EXPECT_EQ(toBase58({}), "");
  EXPECT_EQ(*fromBase58(""), Bytes{});
  // A CIDv0 round trip: sha2-256 multihash of the empty string's digest prefix.
  const Bytes mh = *fromHex("1220e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(toBase58(mh), "QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n");
  EXPECT_EQ(*fromBase58(toBase58(mh)), mh);
}

TEST(Base58, RejectsAmbiguousCharacters) {
  for (std::string_view bad : {"0", "O", "I", "l", "abc+"}) {
    EXPECT_TRUE(fromBase58(bad).error().is(EncodingError::kInvalidCharacter)) << bad;
  }
}

TEST(Base64, Rfc4648Vectors) {
  const std::pair<std::string_view, std::string_view> vectors[] = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
  };
  for (auto [plain, padded] : vectors) {
    EXPECT_EQ(toBase64(asBytes(plain)), padded);
    EXPECT_EQ(asString(*fromBase64(padded)), plain);
    std::string unpadded(padded.substr(0, padded.find('=')));
    EXPECT_EQ(toBase64(asBytes(plain), Base64Alphabet::kStandard, Base64Padding::kUnpadded), unpadded);
    EXPECT_EQ(asString(*fromBase64(unpadded, Base64Alphabet::kStandard, Base64Padding::kUnpadded)),
              plain);
  }
}

TEST(Base64, UrlAlphabet) {
  const Bytes b = {0xfb, 0xff, 0xbf};
  EXPECT_EQ(toBase64(b), "+/+/");
  EXPECT_EQ(toBase64(b, Base64Alphabet::kUrl, Base64Padding::kUnpadded), "-_-_");
  EXPECT_EQ(*fromBase64("-_-_", Base64Alphabet::kUrl, Base64Padding::kUnpadded), b);
  EXPECT_FALSE(fromBase64("-_-_"));
}

TEST(Base64, RejectsBadPaddingAndTrailingBits) {
  EXPECT_TRUE(fromBase64("Zg=").error().is(EncodingError::kInvalidLength));
  EXPECT_TRUE(fromBase64("Zg", Base64Alphabet::kStandard).error().is(EncodingError::kInvalidLength));
  EXPECT_TRUE(fromBase64("Zh==").error().is(EncodingError::kNonCanonical));
  EXPECT_TRUE(fromBase64("Zg==", Base64Alphabet::kStandard, Base64Padding::kUnpadded)
                  .error().is(EncodingError::kInvalidCharacter));
  EXPECT_TRUE(fromBase64("Z===").error().is(EncodingError::kInvalidCharacter));
}

}  // namespace
}  // namespace fil
