#include <gtest/gtest.h>

#include "fil/base/hex.h"
#include "fil/codec/dag_json.h"

namespace fil::codec {
namespace {

TEST(DagJson, BytesLinksAndKeyOrder) {
  auto c = *cid::Cid::parse("bafy2bzacecesrkxghscnq7vatble2hqdvwat6ed23vdu4vvo3uuggsoaya7ki");
  auto v = *Value::fromMap({{"link", Value(c)}, {"b", Value(Bytes{1, 2, 3})}, {"aa", Value(-3)}, {"list", Value(ValueArray{1.5, nullptr})}});
  const std::string json = toDagJson(v);
  EXPECT_EQ(json,
            R"({"aa":-3,"b":{"/":{"bytes":"AQID"}},"link":{"/":"bafy2bzacecesrkxghscnq7vatble2hqdvwat6ed23vdu4vvo3uuggsoaya7ki"},"list":[1.5,null]})");
  auto back = fromDagJson(json);
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(*back, v);
}

TEST(DagJson, IntegerRangeAndFloats) {
  EXPECT_EQ(*fromDagJson("18446744073709551615"), Value(uint64_t{18446744073709551615ull}));
  EXPECT_EQ(*fromDagJson("-18446744073709551616"), Value(NegativeInt{UINT64_MAX}));
  EXPECT_EQ(toDagJson(Value(NegativeInt{UINT64_MAX})), "-18446744073709551616");
  EXPECT_EQ(*fromDagJson("-9223372036854775809"), Value(NegativeInt{9223372036854775808ull}));
  EXPECT_TRUE(fromDagJson("18446744073709551616").error().is(DagJsonError::kInvalidValue));
  EXPECT_EQ(toDagJson(Value(2.0)), "2.0");
  EXPECT_TRUE(fromDagJson("2.0")->is<double>());
}

TEST(DagJson, RefusesMalformedInput) {
  EXPECT_TRUE(fromDagJson("{").error().is(DagJsonError::kSyntax));
  EXPECT_TRUE(fromDagJson("[1,]").error().is(DagJsonError::kSyntax));
  EXPECT_TRUE(fromDagJson("1 2").error().is(DagJsonError::kSyntax));
  EXPECT_TRUE(fromDagJson(R"({"a":1,"a":2})").error().is(DagJsonError::kDuplicateKey));
  EXPECT_TRUE(fromDagJson(R"({"/":"notacid"})").error().is(DagJsonError::kInvalidValue));
  EXPECT_TRUE(fromDagJson(R"({"/":{"bytes":"AQID="}})").error().is(DagJsonError::kInvalidValue));
  // Other uses of the "/" key are ordinary maps, as @ipld/dag-json reads them.
  EXPECT_TRUE(fromDagJson(R"({"/":5})")->is<ValueMap>());
  EXPECT_TRUE(fromDagJson(R"({"/":"x","b":1})")->is<ValueMap>());
  EXPECT_TRUE(fromDagJson(R"({"/":{"bytes":"AQID","x":1}})")->is<ValueMap>());
  EXPECT_TRUE(fromDagJson(std::string(100, '[') + std::string(100, ']')).error().is(DagJsonError::kTooDeep));
}

// Whatever the CBOR decoder accepts at its depth limit converts to DAG-JSON
// and back (found by fuzzing: bytes at the deepest level spend two JSON levels).
TEST(DagJson, SameDepthLimitAsCbor) {
  Value v(Bytes{1});
  for (int i = 0; i < 64; ++i) v = Value(ValueArray{v});
  const Bytes cbor = encode(v);
  ASSERT_TRUE(decode<Value>(cbor));
  auto back = fromDagJson(toDagJson(v));
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(*back, v);
  Value deeper = Value(ValueArray{v});
  EXPECT_FALSE(decode<Value>(encode(deeper)));
  EXPECT_TRUE(fromDagJson(toDagJson(deeper)).error().is(DagJsonError::kTooDeep));
}

TEST(DagJson, CborRoundTrip) {
  const Bytes cbor = *fromHex("a2616101616282f5f6");
  auto v = decode<Value>(cbor);
  ASSERT_TRUE(v);
  EXPECT_EQ(toDagJson(*v), R"({"a":1,"b":[true,null]})");
  EXPECT_EQ(encode(*fromDagJson(toDagJson(*v))), cbor);
}

}  // namespace
}  // namespace fil::codec
