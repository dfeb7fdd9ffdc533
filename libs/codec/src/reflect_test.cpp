#include <gtest/gtest.h>

#include "fil/base/hex.h"
#include "fil/codec/cbor.h"

namespace fil::codec::test {

struct Inner {
  uint64_t x = 0;
  std::optional<std::string> label;
  friend bool operator==(const Inner&, const Inner&) = default;
};
FIL_CBOR_TUPLE(Inner, (x, "X"), (label, "Label"))

struct Outer {
  int64_t height = 0;
  std::vector<Inner> items;
  Bytes blob;
  friend bool operator==(const Outer&, const Outer&) = default;
};
FIL_CBOR_TUPLE(Outer, (height, "Height"), (items, "Items"), (blob, "Blob"))

// Boost's DealResponse is cbor-gen map encoded.
struct DealResponse {
  bool accepted = false;
  std::string message;
  friend bool operator==(const DealResponse&, const DealResponse&) = default;
};
FIL_CBOR_MAP(DealResponse, (accepted, "Accepted"), (message, "Message"))

namespace {

TEST(Reflect, TupleRoundTrip) {
  const Outer o{-5, {{1, "a"}, {2, std::nullopt}}, {0xde, 0xad}};
  const Bytes b = encode(o);
  EXPECT_EQ(toHex(b), "83" "24" "82" "82016161" "8202f6" "42dead");
  EXPECT_EQ(*decode<Outer>(b), o);
}

TEST(Reflect, TupleArityAndFieldErrors) {
  auto short_tuple = decode<Inner>(*fromHex("8101"));
  ASSERT_FALSE(short_tuple);
  EXPECT_TRUE(short_tuple.error().is(CborError::kWrongLength));
  EXPECT_NE(short_tuple.error().message().find("expected a tuple of 2 fields, got 1"), std::string::npos);
  auto bad_field = decode<Inner>(*fromHex("82016" "0"));
  EXPECT_TRUE(bad_field.has_value());  // empty text label is fine
  auto wrong_type = decode<Inner>(*fromHex("820141"));
  ASSERT_FALSE(wrong_type);
  EXPECT_NE(wrong_type.error().message().find("field Label"), std::string::npos) << wrong_type.error().message();
}

TEST(Reflect, MapKeysInCanonicalOrder) {
  const DealResponse r{true, "ok"};
  // "Message" (7 bytes) sorts before "Accepted" (8 bytes), as cbor-gen writes it.
  EXPECT_EQ(toHex(encode(r)), "a2" "674d657373616765" "626f6b" "684163636570746564" "f5");
  EXPECT_EQ(*decode<DealResponse>(encode(r)), r);
}

TEST(Reflect, MapAcceptsAnyOrderSkipsUnknownRefusesDuplicates) {
  // {"Accepted": true, "Extra": [1], "Message": "ok"} in a non-canonical order.
  const Bytes any_order = *fromHex("a3" "684163636570746564" "f5" "6545787472618101" "674d657373616765" "626f6b");
  auto r = decode<DealResponse>(any_order);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(*r, (DealResponse{true, "ok"}));
  const Bytes dup = *fromHex("a2" "684163636570746564" "f5" "684163636570746564" "f4");
  EXPECT_TRUE(decode<DealResponse>(dup).error().is(CborError::kNonCanonical));
  // Absent fields keep their defaults.
  EXPECT_EQ(*decode<DealResponse>(*fromHex("a0")), DealResponse{});
}

}  // namespace
}  // namespace fil::codec::test
