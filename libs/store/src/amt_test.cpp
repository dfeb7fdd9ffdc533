#include "fil/store/amt.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "fil/base/hex.h"
#include "test_vectors.h"

namespace fil::store {
namespace {

using cid::Cid;

// ref-fvm's tbytes(): values are CBOR byte strings.
Bytes tbytes(std::string_view s) { return codec::encode(toBytes(s)); }

class AmtGolden : public ::testing::Test {
 protected:
  std::string expected(const std::string& name) { return testing::vector(vectors_, name); }
  std::string root(Amt& a) {
    auto c = a.flush();
    EXPECT_TRUE(c) << c.error().message();
    return c ? c->toString() : "";
  }
  Amt reload(const std::string& c, AmtOptions options = {}) {
    auto a = Amt::load(store_, Cid::parse(c).value(), options);
    EXPECT_TRUE(a) << a.error().message();
    return std::move(*a);
  }

  std::map<std::string, std::string> vectors_ = testing::readNamedVectors("tests/vectors/amt-roots.txt");
  MemoryBlockstore store_;
};

TEST_F(AmtGolden, Empty) {
  Amt a(store_);
  const auto c = a.flush();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->toString(), expected("empty"));
  EXPECT_EQ(toHex(*store_.get(*c)), "840300008341008080");
  // Setting and deleting a far index leaves the empty AMT (delete_bug_test).
  ASSERT_TRUE(a.set(100000, tbytes("foo")));
  EXPECT_TRUE(*a.remove(100000));
  EXPECT_EQ(a.height(), 0u);
  EXPECT_EQ(root(a), expected("empty"));
}

TEST_F(AmtGolden, BasicAndLegacyV0) {
  Amt a(store_);
  ASSERT_TRUE(a.set(2, tbytes("foo")));
  EXPECT_EQ(a.count(), 1u);
  EXPECT_EQ(root(a), expected("basic"));
  Amt loaded = reload(expected("basic"));
  EXPECT_EQ(**loaded.get(2), tbytes("foo"));

  Amt v0(store_, {.version = AmtVersion::kV0});
  ASSERT_TRUE(v0.set(2, tbytes("foo")));
  const std::string c = root(v0);
  EXPECT_EQ(c, expected("v0_basic"));
  EXPECT_EQ(toHex(*store_.get(Cid::parse(c).value())), "830001834104808143666f6f");
  Amt v0_loaded = reload(c, {.version = AmtVersion::kV0});
  EXPECT_EQ(**v0_loaded.get(2), tbytes("foo"));
  // A v0 root is not a v3 root, and the other way round.
  EXPECT_TRUE(Amt::load(store_, Cid::parse(c).value()).error().is(StoreError::kMalformed));
  EXPECT_FALSE(Amt::load(store_, Cid::parse(expected("basic")).value(), {.version = AmtVersion::kV0}));

  Amt v0_empty(store_, {.version = AmtVersion::kV0});
  EXPECT_EQ(root(v0_empty), expected("v0_empty"));
}

TEST_F(AmtGolden, OutOfRange) {
  Amt a(store_);
  ASSERT_TRUE(a.set(Amt::kMaxIndexV3, tbytes("what is up")));
  EXPECT_EQ(a.height(), 21u);
  auto beyond = a.set(Amt::kMaxIndexV3 + 1, tbytes("what is up"));
  ASSERT_FALSE(beyond);
  EXPECT_TRUE(beyond.error().is(StoreError::kOutOfRange));
  ASSERT_TRUE(a.set(Amt::kMaxIndexV3 - 1, tbytes("what is up")));
  EXPECT_EQ(a.height(), 21u);
  EXPECT_EQ(root(a), expected("out_of_range"));
  Amt loaded = reload(expected("out_of_range"));
  std::vector<uint64_t> seen;
  ASSERT_TRUE(loaded.forEach([&](uint64_t i, BytesView) { return seen.push_back(i), ok(); }));
  EXPECT_EQ(seen, (std::vector<uint64_t>{Amt::kMaxIndexV3 - 1, Amt::kMaxIndexV3}));

  Amt v0(store_, {.version = AmtVersion::kV0});
  EXPECT_TRUE(v0.set(Amt::kMaxIndexV0 + 1, tbytes("x")).error().is(StoreError::kOutOfRange));
}

TEST_F(AmtGolden, Expand) {
  Amt a(store_);
  ASSERT_TRUE(a.set(2, tbytes("foo")));
  ASSERT_TRUE(a.set(11, tbytes("bar")));
  ASSERT_TRUE(a.set(79, tbytes("baz")));
  EXPECT_EQ(root(a), expected("expand"));
  Amt loaded = reload(expected("expand"));
  EXPECT_EQ(**loaded.get(2), tbytes("foo"));
  EXPECT_EQ(**loaded.get(11), tbytes("bar"));
  EXPECT_EQ(**loaded.get(79), tbytes("baz"));
  EXPECT_FALSE((*loaded.get(3)).has_value());
  EXPECT_FALSE((*loaded.get(1000000)).has_value());
}

TEST_F(AmtGolden, BulkInsert) {
  Amt a(store_);
  for (uint64_t i = 0; i < 5000; ++i) ASSERT_TRUE(a.set(i, tbytes("foo foo bar")));
  EXPECT_EQ(a.count(), 5000u);
  EXPECT_EQ(root(a), expected("bulk_insert"));
  Amt loaded = reload(expected("bulk_insert"));
  for (uint64_t i = 0; i < 5000; ++i) ASSERT_EQ(**loaded.get(i), tbytes("foo foo bar"));
  EXPECT_EQ(loaded.count(), 5000u);
}

TEST_F(AmtGolden, Delete) {
  Amt a(store_);
  for (uint64_t i = 0; i < 4; ++i) ASSERT_TRUE(a.set(i, tbytes("cat")));
  EXPECT_TRUE(*a.remove(1));
  EXPECT_FALSE((*a.get(1)).has_value());
  EXPECT_EQ(a.count(), 3u);
  for (uint64_t i : {0, 2, 3}) EXPECT_TRUE(*a.remove(i));
  EXPECT_EQ(a.count(), 0u);
  ASSERT_TRUE(a.set(23, tbytes("dog")));
  ASSERT_TRUE(a.set(24, tbytes("dog")));
  EXPECT_TRUE(*a.remove(23));
  EXPECT_EQ(a.count(), 1u);
  EXPECT_EQ(root(a), expected("delete"));
  Amt fresh(store_);
  ASSERT_TRUE(fresh.set(24, tbytes("dog")));
  EXPECT_EQ(root(fresh), expected("delete"));
}

TEST_F(AmtGolden, DeleteFailCheck) {
  Amt a(store_);
  ASSERT_TRUE(a.setCbor(1, std::string("one")));
  ASSERT_TRUE(a.setCbor(9, std::string("nine")));
  EXPECT_EQ(a.height(), 1u);
  EXPECT_FALSE(*a.remove(10));
  EXPECT_FALSE(*a.remove(0));
  EXPECT_EQ(a.count(), 2u);
  EXPECT_EQ(**a.getCbor<std::string>(9), "nine");
}

TEST_F(AmtGolden, DeleteFirstEntryAndReduceHeight) {
  Amt a(store_);
  ASSERT_TRUE(a.set(0, tbytes("cat")));
  ASSERT_TRUE(a.set(27, tbytes("cat")));
  EXPECT_EQ(a.height(), 1u);
  EXPECT_TRUE(*a.remove(27));
  EXPECT_EQ(a.height(), 0u);
  EXPECT_EQ(root(a), expected("delete_first_entry"));

  Amt b(store_);
  ASSERT_TRUE(b.set(1, tbytes("thing")));
  const std::string c1 = root(b);
  EXPECT_EQ(c1, expected("delete_reduce_height"));
  ASSERT_TRUE(b.set(37, tbytes("other")));
  EXPECT_EQ(b.height(), 1u);
  Amt b2 = reload(root(b));
  EXPECT_EQ(b2.count(), 2u);
  EXPECT_TRUE(*b2.remove(37));
  EXPECT_EQ(b2.height(), 0u);
  EXPECT_EQ(root(b2), c1);
}

TEST_F(AmtGolden, ForEach) {
  Amt a(store_);
  std::vector<uint64_t> indexes;
  for (uint64_t i = 0; i < 10000; ++i) {
    if ((i + 1) % 3 == 0) indexes.push_back(i);
  }
  for (uint64_t i : indexes) ASSERT_TRUE(a.set(i, tbytes("value")));
  EXPECT_EQ(root(a), expected("for_each"));
  Amt loaded = reload(expected("for_each"));
  size_t x = 0;
  ASSERT_TRUE(loaded.forEach([&](uint64_t i, BytesView) -> Status {
    EXPECT_EQ(i, indexes[x]);
    ++x;
    return ok();
  }));
  EXPECT_EQ(x, indexes.size());
  // From a start index in the middle of a leaf.
  std::vector<uint64_t> tail;
  ASSERT_TRUE(loaded.forEachFrom(9990, [&](uint64_t i, BytesView) { return tail.push_back(i), ok(); }));
  EXPECT_EQ(tail, (std::vector<uint64_t>{9992, 9995, 9998}));
}

TEST_F(AmtGolden, ForEachMutate) {
  Amt a(store_);
  for (uint64_t i : {1, 9, 66, 74, 82, 515}) ASSERT_TRUE(a.set(i, tbytes("value")));
  EXPECT_EQ(root(a), expected("for_each_mutate"));
  Amt loaded = reload(expected("for_each_mutate"));
  ASSERT_TRUE(loaded.set(1, tbytes("value")));   // same value: same root
  ASSERT_TRUE(loaded.set(74, tbytes("value")));
  EXPECT_EQ(root(loaded), expected("for_each_mutate"));
}

TEST(AmtTest, CidStabilityAcrossAddAndDelete) {
  // go-amt-ipld TestCidStability: the root after adding 0..i equals the root
  // after deleting back down to 0..i.
  for (auto version : {AmtVersion::kV3, AmtVersion::kV0}) {
    MemoryBlockstore store;
    Amt a(store, {.version = version});
    std::vector<Cid> cids;
    for (uint64_t i = 0; i < 300; ++i) {
      cids.push_back(*a.flush());
      ASSERT_TRUE(a.setCbor(i, std::to_string(i)));
    }
    for (uint64_t i = 300; i-- > 0;) {
      ASSERT_TRUE(*a.remove(i));
      ASSERT_EQ(*a.flush(), cids[i]) << "after deleting " << i;
    }
  }
}

TEST(AmtTest, OrderIndependentAndWiderBitWidths) {
  for (unsigned bw : {1u, 2u, 5u, 8u}) {
    std::vector<uint64_t> idx;
    std::mt19937_64 rng(bw);
    for (int i = 0; i < 300; ++i) idx.push_back(rng() % 100000);
    std::string first;
    for (int round = 0; round < 3; ++round) {
      std::shuffle(idx.begin(), idx.end(), rng);
      MemoryBlockstore store;
      Amt a(store, {.bit_width = bw});
      for (uint64_t i : idx) ASSERT_TRUE(a.setCbor(i, i));
      const std::string c = a.flush()->toString();
      if (round == 0) first = c;
      EXPECT_EQ(c, first) << "bit width " << bw;
      auto loaded = Amt::load(store, Cid::parse(c).value(), {.bit_width = bw});
      ASSERT_TRUE(loaded);
      for (uint64_t i : idx) ASSERT_EQ(**loaded->getCbor<uint64_t>(i), i);
      EXPECT_TRUE(Amt::load(store, Cid::parse(c).value(), {.bit_width = bw + 1}).error().is(StoreError::kMalformed));
    }
  }
}

Status root(std::string_view hex, AmtOptions options = {}) { return validateAmtRoot(fromHex(hex).value(), options); }

TEST(AmtTest, MalformedRootsAreRefused) {
  EXPECT_TRUE(root("840300008341008080"));
  EXPECT_TRUE(root("840300018341048081426869"));
  // bitmap marks one slot, no value
  EXPECT_TRUE(root("840300008341018080").error().is(StoreError::kMalformed));
  // two-byte bitmap for bit width 3
  EXPECT_TRUE(root("84030000834200008080").error().is(StoreError::kMalformed));
  // count larger than the height allows (9 entries in a height-0 AMT of width 8)
  EXPECT_TRUE(root("840300098341008080").error().is(StoreError::kMalformed));
  // height 0 holding links
  EXPECT_TRUE(root("84030001834101"
                   "81d82a5827000171a0e402202f84fef0d7cc2d7f9f00d22445f7bf7539fdd685fd9f284aa37f3822b57619cc80")
                  .error()
                  .is(StoreError::kMalformed));
  // empty root above height 0
  EXPECT_TRUE(root("840301008341008080").error().is(StoreError::kMalformed));
  // absurd height
  EXPECT_TRUE(root("8403184100008341008080").error().is(StoreError::kMalformed));
  // bit beyond the width for bit width 1
  EXPECT_TRUE(root("840100018341058081426869", {.bit_width = 1}).error().is(StoreError::kMalformed));
  // v0 form read as v0
  EXPECT_TRUE(root("830001834104808143666f6f", {.version = AmtVersion::kV0}));
  EXPECT_FALSE(root("8300018341048081436f6f", {.version = AmtVersion::kV0}));  // truncated value
}

TEST(AmtTest, CorruptChildIsReportedWithItsCid) {
  MemoryBlockstore store;
  Amt a(store);
  for (uint64_t i = 0; i < 100; ++i) ASSERT_TRUE(a.setCbor(i, i));
  const Cid root_cid = *a.flush();
  // Re-point every child block at an empty node, which is not allowed below the root.
  MemoryBlockstore corrupt;
  const Bytes root_bytes = *store.get(root_cid);
  ASSERT_TRUE(corrupt.put(root_cid, root_bytes));
  codec::CborDecoder d(root_bytes);
  (void)d.readArrayHeader();
  (void)d.readUint();
  (void)d.readUint();
  (void)d.readUint();
  (void)d.readArrayHeader();
  (void)d.readBytes();
  const uint64_t links = *d.readArrayHeader();
  ASSERT_GT(links, 0u);
  const Cid child = *d.readCid();
  ASSERT_TRUE(corrupt.put(child, fromHex("8341008080").value()));
  auto loaded = Amt::load(corrupt, root_cid);
  ASSERT_TRUE(loaded);
  auto got = loaded->get(0);
  ASSERT_FALSE(got);
  EXPECT_TRUE(got.error().is(StoreError::kMalformed));
  EXPECT_NE(got.error().message().find(child.toString()), std::string::npos);
}

}  // namespace
}  // namespace fil::store
