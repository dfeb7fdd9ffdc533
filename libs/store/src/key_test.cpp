#include "fil/store/key.h"

#include <gtest/gtest.h>

namespace fil::store {
namespace {

TEST(KeyTest, CleansAsGoDatastoreNewKey) {
  // Expected strings from go-datastore key_test.go (TestKeyBasic / path.Clean).
  EXPECT_EQ(Key("").str(), "/");
  EXPECT_EQ(Key("/").str(), "/");
  EXPECT_EQ(Key("abcde").str(), "/abcde");
  EXPECT_EQ(Key("/abcde").str(), "/abcde");
  EXPECT_EQ(Key("/abcde/").str(), "/abcde");
  EXPECT_EQ(Key("//abcde//").str(), "/abcde");
  EXPECT_EQ(Key("/abcde/fg/../hi").str(), "/abcde/hi");
  EXPECT_EQ(Key("/abcde/./fg").str(), "/abcde/fg");
  EXPECT_EQ(Key("/../..").str(), "/");
  EXPECT_EQ(Key("metadata//miner-address/").str(), "/metadata/miner-address");
}

TEST(KeyTest, Namespaces) {
  const Key k("/metadata/miner/address");
  EXPECT_EQ(k.namespaces(), (std::vector<std::string_view>{"metadata", "miner", "address"}));
  EXPECT_EQ(k.baseNamespace(), "address");
  EXPECT_EQ(k.parent().str(), "/metadata/miner");
  EXPECT_EQ(Key("/a").parent().str(), "/");
  EXPECT_EQ(Key().parent().str(), "/");
  EXPECT_TRUE(Key().namespaces().empty());
  EXPECT_EQ(Key("/deals").child("bafy/x").str(), "/deals/bafy/x");
  EXPECT_EQ(Key("/a").child(Key("/b/c")).str(), "/a/b/c");
}

TEST(KeyTest, AncestorsRespectPathBoundaries) {
  EXPECT_TRUE(Key("/a").isAncestorOf(Key("/a/b")));
  EXPECT_TRUE(Key("/a").isAncestorOf(Key("/a/b/c")));
  EXPECT_FALSE(Key("/a").isAncestorOf(Key("/a")));
  EXPECT_FALSE(Key("/a").isAncestorOf(Key("/ab")));
  EXPECT_FALSE(Key("/a").isAncestorOf(Key("/a-b")));
  EXPECT_TRUE(Key("/").isAncestorOf(Key("/a")));
  EXPECT_FALSE(Key("/").isAncestorOf(Key("/")));
  EXPECT_EQ(queryLowerBound(Key("/a")), "/a/");
  EXPECT_EQ(queryLowerBound(Key("/")), "/");
}

TEST(KeyTest, OrdersByBytes) {
  EXPECT_LT(Key("/a-b"), Key("/a/b"));  // '-' (0x2d) sorts before '/' (0x2f)
  EXPECT_LT(Key("/a"), Key("/a/b"));
  EXPECT_EQ(Key("/x/"), Key("x"));
}

}  // namespace
}  // namespace fil::store
