#include <gtest/gtest.h>

#include "fil/base/hex.h"
#include "fil/codec/cbor.h"
#include "fil/codec/value.h"

namespace fil::codec {
namespace {

Bytes hex(std::string_view h) { return *fromHex(h); }

Error decodeError(std::string_view h) {
  auto v = decode<Value>(hex(h));
  EXPECT_FALSE(v) << h;
  return v ? Error(GenericError::kInternal, "decoded") : v.error();
}

// RFC 8949 appendix A, the subset DAG-CBOR allows.
TEST(Cbor, Rfc8949IntegerAndStringVectors) {
  const std::pair<int64_t, std::string_view> ints[] = {
      {0, "00"},         {1, "01"},       {10, "0a"},       {23, "17"},     {24, "1818"},
      {25, "1819"},      {100, "1864"},   {1000, "1903e8"}, {1000000, "1a000f4240"},
      {1000000000000, "1b000000e8d4a51000"}, {-1, "20"},     {-10, "29"},    {-100, "3863"},
      {-1000, "3903e7"}, {INT64_MIN, "3b7fffffffffffffff"},
  };
  for (auto [v, h] : ints) {
    EXPECT_EQ(toHex(encode(v)), h) << v;
    EXPECT_EQ(*decode<int64_t>(hex(h)), v) << h;
  }
  EXPECT_EQ(toHex(encode(uint64_t{18446744073709551615ull})), "1bffffffffffffffff");
  EXPECT_EQ(toHex(encode(std::string("IETF"))), "6449455446");
  EXPECT_EQ(toHex(encode(std::string("\xc3\xbc"))), "62c3bc");
  EXPECT_EQ(toHex(encode(Bytes{1, 2, 3, 4})), "4401020304");
  EXPECT_EQ(toHex(encode(std::vector<uint64_t>{1, 2, 3})), "83010203");
  EXPECT_EQ(toHex(encode(Value(-18446744073709551615.0 * 0 + 1.1))), "fb3ff199999999999a");
  // -2^64, the most negative CBOR integer, survives as a generic value.
  auto most_negative = decode<Value>(hex("3bffffffffffffffff"));
  ASSERT_TRUE(most_negative);
  EXPECT_EQ(most_negative->as<NegativeInt>().n, UINT64_MAX);
  EXPECT_EQ(toHex(encode(*most_negative)), "3bffffffffffffffff");
}

TEST(Cbor, RejectsNonCanonicalIntegersAndLengths) {
  EXPECT_TRUE(decodeError("1817").is(CborError::kNonCanonical));        // 23 in one extra byte
  EXPECT_TRUE(decodeError("190001").is(CborError::kNonCanonical));
  EXPECT_TRUE(decodeError("1a0000ffff").is(CborError::kNonCanonical));
  EXPECT_TRUE(decodeError("1b00000000ffffffff").is(CborError::kNonCanonical));
  EXPECT_TRUE(decodeError("5801ff").is(CborError::kNonCanonical));      // 1-byte string, long length
  EXPECT_TRUE(decodeError("980100").is(CborError::kNonCanonical));
  auto e = decodeError("1817");
  EXPECT_NE(e.message().find("at byte 0"), std::string::npos) << e.message();
}

TEST(Cbor, RejectsWhatDagCborForbids) {
  EXPECT_TRUE(decodeError("9f01ff").is(CborError::kIndefiniteLength));
  EXPECT_TRUE(decodeError("5f4101ff").is(CborError::kIndefiniteLength));
  EXPECT_TRUE(decodeError("f93c00").is(CborError::kUnsupported));        // half float
  EXPECT_TRUE(decodeError("fa3fc00000").is(CborError::kUnsupported));    // single float
  EXPECT_TRUE(decodeError("fb7ff8000000000000").is(CborError::kUnsupported));  // NaN
  EXPECT_TRUE(decodeError("f7").is(CborError::kUnsupported));            // undefined
  EXPECT_TRUE(decodeError("f0").is(CborError::kUnsupported));            // simple(16)
  EXPECT_TRUE(decodeError("c11a514b67b0").is(CborError::kUnsupported));  // tag 1 (epoch time)
  EXPECT_TRUE(decodeError("ff").is(CborError::kIndefiniteLength));
  EXPECT_TRUE(decodeError("1c").is(CborError::kUnsupported));            // reserved info 28
  EXPECT_TRUE(decodeError("62c328").is(CborError::kInvalidUtf8));
  EXPECT_TRUE(decodeError("63eda080").is(CborError::kInvalidUtf8));      // UTF-16 surrogate
  EXPECT_TRUE(decodeError("62c0af").is(CborError::kInvalidUtf8));        // overlong '/'
}

TEST(Cbor, RejectsBadMaps) {
  EXPECT_TRUE(decodeError("a2616201616101").is(CborError::kNonCanonical));    // {"b":1,"a":1}
  EXPECT_TRUE(decodeError("a2616101616101").is(CborError::kNonCanonical));    // duplicate
  EXPECT_TRUE(decodeError("a16161").is(CborError::kTruncated));
  EXPECT_TRUE(decodeError("a2626161016162" "01").is(CborError::kNonCanonical));  // "aa" before "b"
  EXPECT_TRUE(decodeError("a10101").is(CborError::kWrongType));              // integer key
  EXPECT_TRUE(decode<Value>(hex("a2616201626161" "01")).has_value());        // "b" before "aa": ok
}

TEST(Cbor, RejectsTruncatedAndOversized) {
  EXPECT_TRUE(decodeError("").is(CborError::kTruncated));
  EXPECT_TRUE(decodeError("19").is(CborError::kTruncated));
  EXPECT_TRUE(decodeError("4301").is(CborError::kTruncated));
  EXPECT_TRUE(decodeError("5bffffffffffffffff").is(CborError::kTruncated));
  EXPECT_TRUE(decodeError("9bffffffffffffffff").is(CborError::kTooLarge));
  EXPECT_TRUE(decodeError("bbffffffffffffffff").is(CborError::kTooLarge));
  EXPECT_TRUE(decodeError("8301").is(CborError::kTooLarge));
  EXPECT_TRUE(decodeError("0101").is(CborError::kTrailingBytes));
}

TEST(Cbor, DepthLimit) {
  std::string deep(2 * 100, '8');
  for (size_t i = 1; i < deep.size(); i += 2) deep[i] = '1';
  deep += "80";
  EXPECT_TRUE(decodeError(deep).is(CborError::kTooDeep));
  const Bytes bytes = hex(deep);
  CborDecoder d(bytes, CborLimits{.max_depth = 200});
  EXPECT_TRUE(d.skip());
  EXPECT_TRUE(d.atEnd());
}

TEST(Cbor, CidTag42) {
  // A CID as it appears in block headers (spec/chain.md golden header).
  const std::string h = "d82a5827000171a0e402202f84fef0d7cc2d7f9f00d22445f7bf7539fdd685fd9f284aa37f3822b57619cc";
  auto c = decode<cid::Cid>(hex(h));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->toString(), "bafy2bzaceaxyj7xq27gc2747adjcirpxx52tt7owqx6z6kckun7tqivvoym4y");
  EXPECT_EQ(toHex(encode(*c)), h);
  // Missing 0x00 prefix, wrong tag, garbage CID.
  EXPECT_TRUE(decode<cid::Cid>(hex("d82a5826" + h.substr(10))).error().is(CborError::kInvalidCid));
  EXPECT_TRUE(decode<cid::Cid>(hex("d82b" + h.substr(4))).error().is(CborError::kUnsupported));
  EXPECT_TRUE(decode<cid::Cid>(hex("d82a43000102")).error().is(CborError::kInvalidCid));
  EXPECT_TRUE(decode<cid::Cid>(hex("4100")).error().is(CborError::kWrongType));
}

TEST(Cbor, TypedRangeChecks) {
  EXPECT_TRUE(decode<uint8_t>(hex("190100")).error().is(CborError::kOutOfRange));
  EXPECT_TRUE(decode<int64_t>(hex("1bffffffffffffffff")).error().is(CborError::kOutOfRange));
  EXPECT_TRUE(decode<uint64_t>(hex("20")).error().is(CborError::kWrongType));
  EXPECT_TRUE((decode<ByteArray<4>>(hex("43010203")).error().is(CborError::kWrongLength)));
  EXPECT_EQ(*decode<std::optional<uint64_t>>(hex("f6")), std::nullopt);
  EXPECT_EQ(*decode<std::optional<uint64_t>>(hex("05")), 5u);
  EXPECT_EQ(toHex(encode(std::optional<std::string>())), "f6");
}

TEST(Cbor, IndefiniteArrayOnlyWhenAsked) {
  const Bytes b = hex("9f0102ff");
  CborDecoder d(b);
  auto header = d.readArrayHeaderOrIndefinite();
  ASSERT_TRUE(header);
  EXPECT_FALSE(header->has_value());
  EXPECT_EQ(*d.readUint(), 1u);
  EXPECT_EQ(*d.readUint(), 2u);
  EXPECT_TRUE(d.atBreak());
  EXPECT_TRUE(d.readBreak());
  EXPECT_TRUE(d.atEnd());
}

TEST(Cbor, ValueRoundTrip) {
  auto map = Value::fromMap({{"zz", Value(uint64_t{1})}, {"a", Value(Bytes{9})}, {"bb", Value(ValueArray{nullptr, true})}});
  ASSERT_TRUE(map);
  const Bytes encoded = encode(*map);
  // Keys come out length-first: "a", "bb", "zz".
  EXPECT_EQ(toHex(encode(*map)), "a3616141096262628" "2f6f5627a7a01");
  EXPECT_EQ(*decode<Value>(encoded), *map);
  EXPECT_FALSE(Value::fromMap({{"a", Value(1)}, {"a", Value(2)}}));
}

}  // namespace
}  // namespace fil::codec
