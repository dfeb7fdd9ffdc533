#include <gtest/gtest.h>

#include "fil/codec/cbor.h"
#include "fil/codec/json.h"

namespace fil::codec::jsontest {

struct Item {
  uint64_t number = 0;
  std::optional<cid::Cid> link;
  Bytes data;
  std::vector<int64_t> list;
  friend bool operator==(const Item&, const Item&) = default;
};
FIL_CBOR_TUPLE(Item, (number, "Number"), (link, "Link"), (data, "Data"), (list, "List"))

namespace {

TEST(Json, ReflectedStructInDeclarationOrder) {
  const auto c = cid::Cid::compute(cid::Codec::kDagCbor, asBytes("a"));
  const Item item{7, c, {1, 2, 3}, {-1, 2}};
  const Json j = toJson(item);
  EXPECT_EQ(j.dump(),
            R"({"Number":7,"Link":{"/":"bafy2bzacecesrkxghscnq7vatble2hqdvwat6ed23vdu4vvo3uuggsoaya7ki"},"Data":"AQID","List":[-1,2]})");
  EXPECT_EQ(*fromJson<Item>(j), item);
}

TEST(Json, GoConventionsForEmptyValues) {
  const Item empty{};
  EXPECT_EQ(toJson(empty).dump(), R"({"Number":0,"Link":null,"Data":null,"List":null})");
  // Keys match case-insensitively, unknown keys are ignored, absent keep defaults.
  auto parsed = fromJson<Item>(Json::parse(R"({"number": 3, "Other": true, "list": []})"));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->number, 3u);
  EXPECT_TRUE(parsed->list.empty());
}

TEST(Json, UndefinedCidIsNull) {
  // go-cid marshals cid.Undef as null and reads null back as cid.Undef.
  EXPECT_EQ(toJson(cid::Cid()), Json(nullptr));
  auto c = fromJson<cid::Cid>(Json(nullptr));
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->defined());
  EXPECT_TRUE(fromJson<cid::Cid>(Json::parse(R"({"/": ""})")).error().is(JsonError::kInvalidValue));
}

TEST(Json, ErrorsNameTheField) {
  auto bad = fromJson<Item>(Json::parse(R"({"Number": "seven"})"));
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.error().is(JsonError::kWrongType));
  EXPECT_NE(bad.error().message().find("Number"), std::string::npos) << bad.error().message();
  EXPECT_TRUE(fromJson<Item>(Json::parse(R"({"Number": -1})")).error().is(JsonError::kInvalidValue));
  EXPECT_TRUE(fromJson<Item>(Json::parse(R"({"Link": {"/": "nope"}})")).error().is(JsonError::kInvalidValue));
  EXPECT_TRUE(fromJson<Item>(Json::parse(R"({"Data": "!!"})")).error().is(JsonError::kInvalidValue));
  auto bad_list = fromJson<Item>(Json::parse(R"({"List": [1, "x"]})"));
  ASSERT_FALSE(bad_list);
  EXPECT_NE(bad_list.error().message().find("List: [1]"), std::string::npos) << bad_list.error().message();
  EXPECT_TRUE(fromJson<Item>(Json::parse("[]")).error().is(JsonError::kWrongType));
}

TEST(Json, UnsignedFromNonNegativeSignedValues) {
  // A Json built in memory from an int holds a signed number; it is still a
  // valid unsigned value when not negative.
  Json j = Json::object();
  j["Number"] = static_cast<int>(2);
  ASSERT_TRUE(j["Number"].is_number_integer() && !j["Number"].is_number_unsigned());
  auto parsed = fromJson<Item>(j);
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(parsed->number, 2u);
  j["Number"] = static_cast<int>(-2);
  EXPECT_TRUE(fromJson<Item>(j).error().is(JsonError::kInvalidValue));
}

}  // namespace
}  // namespace fil::codec::jsontest
