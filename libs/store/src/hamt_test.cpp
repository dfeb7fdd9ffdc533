#include "fil/store/hamt.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "fil/base/hex.h"
#include "fil/base/varint.h"
#include "test_vectors.h"

namespace fil::store {
namespace {

using cid::Cid;
using testing::readNamedVectors;

// ref-fvm's tstring(): the text of `v` as a CBOR byte string (keys are the
// raw bytes, values the CBOR encoding).
std::string text(auto v) { return fmt::format("{}", v); }
Bytes cborBytes(std::string_view s) { return codec::encode(toBytes(s)); }

class HamtGolden : public ::testing::Test {
 protected:
  std::string expected(const std::string& name) { return testing::vector(vectors_, name); }
  std::string root(Hamt& h) {
    auto c = h.flush();
    EXPECT_TRUE(c) << c.error().message();
    return c ? c->toString() : "";
  }

  std::map<std::string, std::string> vectors_ = readNamedVectors("tests/vectors/hamt-roots.txt");
  MemoryBlockstore store_;
};

TEST_F(HamtGolden, Empty) {
  Hamt h(store_, {8});
  const auto c = h.flush();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->toString(), expected("empty"));
  EXPECT_EQ(toHex(*store_.get(*c)), "824080");
  auto loaded = Hamt::load(store_, *c, {8});
  ASSERT_TRUE(loaded);
  EXPECT_EQ(root(*loaded), expected("empty"));
}

TEST_F(HamtGolden, SetIfAbsent) {
  Hamt h(store_, {8});
  EXPECT_TRUE(*h.setIfAbsent(asBytes("favorite-animal"), cborBytes("owl bear")));
  EXPECT_FALSE(*h.setIfAbsent(asBytes("favorite-animal"), cborBytes("bright green bear")));
  EXPECT_FALSE(*h.setIfAbsent(asBytes("favorite-animal"), cborBytes("owl bear")));
  EXPECT_EQ(root(h), expected("set_if_absent"));
  auto loaded = Hamt::load(store_, Cid::parse(expected("set_if_absent")).value(), {8});
  ASSERT_TRUE(loaded);
  EXPECT_FALSE(*loaded->setIfAbsent(asBytes("favorite-animal"), cborBytes("bright green bear")));
  EXPECT_EQ(**loaded->get(asBytes("favorite-animal")), cborBytes("owl bear"));
}

TEST_F(HamtGolden, SetWithNoEffectDoesNotPut) {
  Hamt h(store_, {1});
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(h.set(asBytes(text(i)), cborBytes("filler")));
  EXPECT_EQ(root(h), expected("no_effect_filler"));
  ASSERT_TRUE(h.set(asBytes("favorite-animal"), cborBytes("bright green bear")));
  EXPECT_EQ(root(h), expected("no_effect_animal"));
  const auto puts = store_.puts();
  EXPECT_FALSE(*h.set(asBytes("favorite-animal"), cborBytes("bright green bear")));
  EXPECT_EQ(root(h), expected("no_effect_animal"));
  EXPECT_EQ(store_.puts(), puts);
}

TEST_F(HamtGolden, Delete) {
  Hamt h(store_, {8});
  ASSERT_TRUE(h.set(asBytes("foo"), cborBytes("cat dog bear")));
  ASSERT_TRUE(h.set(asBytes("bar"), cborBytes("cat dog")));
  ASSERT_TRUE(h.set(asBytes("baz"), cborBytes("cat")));
  const std::string c = root(h);
  EXPECT_EQ(c, expected("delete_three"));
  auto h2 = Hamt::load(store_, Cid::parse(c).value(), {8});
  ASSERT_TRUE(h2);
  EXPECT_TRUE(*h2->remove(asBytes("foo")));
  EXPECT_FALSE((*h2->get(asBytes("foo"))).has_value());
  EXPECT_FALSE(*h2->remove(asBytes("nonexistent")));
  EXPECT_EQ(root(*h2), expected("delete_foo"));
}

TEST_F(HamtGolden, DeleteCase) {
  Hamt h(store_, {8});
  const Bytes key{0};
  ASSERT_TRUE(h.set(key, cborBytes("Test data")));
  EXPECT_EQ(root(h), expected("delete_case"));
  EXPECT_TRUE(*h.remove(key));
  EXPECT_EQ(root(h), expected("empty"));
}

TEST_F(HamtGolden, SetDeleteMany) {
  Hamt h(store_, {5});
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(h.set(asBytes(text(i)), cborBytes(text(i))));
  EXPECT_EQ(root(h), expected("many_200"));
  for (int i = 200; i < 400; ++i) ASSERT_TRUE(h.set(asBytes(text(i)), cborBytes(text(i))));
  EXPECT_EQ(root(h), expected("many_400"));
  for (int i = 200; i < 400; ++i) ASSERT_TRUE(*h.remove(asBytes(text(i))));
  for (int i = 0; i < 200; ++i) EXPECT_EQ(**h.get(asBytes(text(i))), cborBytes(text(i)));
  EXPECT_EQ(root(h), expected("many_200"));
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(*h.remove(asBytes(text(i))));
  EXPECT_EQ(root(h), expected("empty"));
}

TEST_F(HamtGolden, ForEachAfterModifications) {
  Hamt h(store_, {5});
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(h.set(asBytes(text(i)), cborBytes(text(i))));
  size_t count = 0;
  ASSERT_TRUE(h.forEach([&](BytesView key, BytesView value) -> Status {
    EXPECT_EQ(toBytes(value), codec::encode(toBytes(key)));
    ++count;
    return ok();
  }));
  EXPECT_EQ(count, 200u);
  auto loaded = Hamt::load(store_, *h.flush(), {5});
  ASSERT_TRUE(loaded);
  ASSERT_TRUE(loaded->set(asBytes(text(10)), cborBytes("modified-10")));
  ASSERT_TRUE(loaded->set(asBytes(text(80)), cborBytes("modified-80")));
  ASSERT_TRUE(loaded->set(asBytes(text(81)), cborBytes("modified-81")));
  ASSERT_TRUE(*loaded->remove(asBytes(text(30))));
  EXPECT_FALSE(*loaded->remove(asBytes(text(300))));
  count = 0;
  ASSERT_TRUE(loaded->forEach([&](BytesView, BytesView) -> Status { return ++count, ok(); }));
  EXPECT_EQ(count, 199u);
  EXPECT_EQ(root(*loaded), expected("for_each_modified"));
}

TEST_F(HamtGolden, CleanChildOrdering) {
  auto key = [](uint64_t i) { return encodeUvarint(i); };
  const Bytes value = codec::encode(uint8_t{42});
  Hamt h(store_, {5});
  for (uint64_t i = 100; i < 195; ++i) ASSERT_TRUE(h.set(key(i), value));
  const std::string before = root(h);
  EXPECT_EQ(before, expected("clean_child_before"));
  auto loaded = Hamt::load(store_, Cid::parse(before).value(), {5});
  ASSERT_TRUE(loaded);
  ASSERT_TRUE(loaded->remove(key(104)));
  ASSERT_TRUE(loaded->remove(key(108)));
  const std::string after = root(*loaded);
  EXPECT_EQ(after, expected("clean_child_after"));
  EXPECT_TRUE(Hamt::load(store_, Cid::parse(after).value(), {5}));  // canonical children load
}

TEST(HamtTest, RootIndependentOfInsertOrder) {
  MemoryBlockstore store;
  std::vector<int> keys(500);
  for (int i = 0; i < 500; ++i) keys[i] = i;
  std::string first;
  std::mt19937 rng(7);
  for (int round = 0; round < 4; ++round) {
    std::shuffle(keys.begin(), keys.end(), rng);
    Hamt h(store);
    for (int k : keys) ASSERT_TRUE(h.set(asBytes(fmt::format("key-{}", k)), codec::encode(uint64_t(k))));
    // Delete and re-add a slice, exercising collapse and split again.
    for (int i = 0; i < 100; ++i) ASSERT_TRUE(*h.remove(asBytes(fmt::format("key-{}", keys[i]))));
    for (int i = 0; i < 100; ++i) {
      ASSERT_TRUE(h.set(asBytes(fmt::format("key-{}", keys[i])), codec::encode(uint64_t(keys[i]))));
    }
    const std::string c = h.flush()->toString();
    if (round == 0) first = c;
    EXPECT_EQ(c, first);
  }
}

TEST(HamtTest, TypedValuesAndLookupsAfterReload) {
  MemoryBlockstore store;
  Hamt h(store);
  for (uint64_t i = 0; i < 1000; ++i) ASSERT_TRUE(h.setCbor(asBytes(fmt::format("k{}", i)), i * 3));
  const auto c = h.flush();
  ASSERT_TRUE(c);
  auto loaded = Hamt::load(store, *c);
  ASSERT_TRUE(loaded);
  for (uint64_t i = 0; i < 1000; ++i) {
    auto v = loaded->getCbor<uint64_t>(asBytes(fmt::format("k{}", i)));
    ASSERT_TRUE(v);
    ASSERT_TRUE(v->has_value());
    EXPECT_EQ(**v, i * 3);
  }
  EXPECT_FALSE((*loaded->getCbor<uint64_t>(asBytes("absent"))).has_value());
}

TEST(HamtTest, RefusesValuesThatAreNotOneCborItem) {
  MemoryBlockstore store;
  Hamt h(store);
  EXPECT_TRUE(h.set(asBytes("k"), Bytes{0x01, 0x02}).error().is(StoreError::kMalformed));
  EXPECT_TRUE(h.set(asBytes("k"), Bytes{}).error().is(StoreError::kMalformed));
  EXPECT_TRUE(h.set(asBytes("k"), Bytes{0x41}).error().is(StoreError::kMalformed));  // truncated
}

TEST(HamtTest, BadOptionsAreErrors) {
  MemoryBlockstore store;
  Hamt h(store, {9});
  EXPECT_TRUE(h.set(asBytes("k"), Bytes{0x01}).error().is(StoreError::kUnsupported));
  EXPECT_TRUE(h.flush().error().is(StoreError::kUnsupported));
}

Status validate(std::string_view hex, int bw = 5, bool root = true) {
  return validateHamtNode(fromHex(hex).value(), {bw}, root);
}

TEST(HamtTest, MalformedNodesAreRefused) {
  EXPECT_TRUE(validate("824080"));
  // bitfield marks one slot, no pointers
  EXPECT_TRUE(validate("82410180").error().is(StoreError::kMalformed));
  // leading zero byte in the bitfield
  EXPECT_TRUE(validate("8242000181818241610a").error().is(StoreError::kMalformed));
  // one entry, fine as a root
  EXPECT_TRUE(validate("82410181818241610a"));
  // ... but not as a child (it should have been a bucket)
  EXPECT_TRUE(validate("82410181818241610a", 5, false).error().is(StoreError::kMalformed));
  // bucket keys out of order
  EXPECT_TRUE(validate("8241018182824162018241610a").error().is(StoreError::kMalformed));
  // empty bucket
  EXPECT_TRUE(validate("8241018180").error().is(StoreError::kMalformed));
  // slot beyond 2^bw (bit 40 with bit width 5)
  EXPECT_TRUE(validate("824601000000000081818241610a").error().is(StoreError::kMalformed));
  // link to a dag-pb node
  EXPECT_TRUE(validate("82410181d82a582500017012207c2d6fe35b34a91ec3bd1a6ea2e0b6e0c60a91e8c1c6bd2c8f20bbfbe77bc0f5")
                  .error()
                  .is(StoreError::kMalformed));
  // trailing bytes, wrong arity, not CBOR
  EXPECT_FALSE(validate("82408000"));
  EXPECT_FALSE(validate("8340808080"));
  EXPECT_FALSE(validate("ff"));
}

TEST(HamtTest, LoadingACorruptChildFailsCleanly) {
  MemoryBlockstore store;
  Hamt h(store, {5});
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(h.set(asBytes(text(i)), cborBytes(text(i))));
  const auto root_cid = *h.flush();
  // Find a child link among the root's pointers and replace that child by a
  // node that is not canonical.
  cid::Cid child;
  const Bytes root_bytes = *store.get(root_cid);
  codec::CborDecoder d(root_bytes);
  (void)d.readArrayHeader();
  (void)d.readBytes();
  const uint64_t n = *d.readArrayHeader();
  for (uint64_t i = 0; i < n && !child.defined(); ++i) {
    if (*d.peekType() == codec::MajorType::kTag) {
      child = *d.readCid();
    } else {
      ASSERT_TRUE(d.skip());
    }
  }
  ASSERT_TRUE(child.defined());
  MemoryBlockstore corrupt;
  ASSERT_TRUE(corrupt.put(root_cid, *store.get(root_cid)));
  ASSERT_TRUE(corrupt.put(child, fromHex("82410181818241610a").value()));
  auto loaded = Hamt::load(corrupt, root_cid, {5});
  ASSERT_TRUE(loaded);
  auto walked = loaded->forEach([](BytesView, BytesView) { return ok(); });
  ASSERT_FALSE(walked);
  EXPECT_TRUE(walked.error().is(StoreError::kMalformed)) << walked.error().message();
  EXPECT_NE(walked.error().message().find(child.toString()), std::string::npos);
}

}  // namespace
}  // namespace fil::store
