#include <gtest/gtest.h>

#include <random>
#include <set>

#include "fil/base/hex.h"
#include "fil/primitives/bitfield.h"
#include "fil/testing/paths.h"

namespace fil::primitives {
namespace {

BitField decodeHex(std::string_view hex) {
  auto b = BitField::decode(*fromHex(hex));
  EXPECT_TRUE(b) << hex << ": " << b.error().message();
  return b ? *b : BitField();
}

// spec/chain.md: go-bitfield golden {0, 2, 4, 5, 6, 11..27} and the computed forms.
TEST(BitField, SpecVectors) {
  std::vector<uint64_t> golden = {0, 2, 4, 5, 6};
  for (uint64_t i = 11; i <= 27; ++i) golden.push_back(i);
  EXPECT_EQ(toHex(BitField::fromIndexes(golden).encode()), "7c472202");
  const std::pair<std::vector<uint64_t>, std::string_view> cases[] = {
      {{0}, "0c"}, {{1}, "18"}, {{5}, "b002"}, {{0, 1, 2, 3, 4, 5, 6, 7}, "1401"}, {{0, 1, 2, 8, 9}, "742c05"},
      {{3, 100000}, "70c2d96810"}, {{}, ""},
  };
  for (const auto& [indexes, hex] : cases) {
    const auto b = BitField::fromIndexes(indexes);
    EXPECT_EQ(toHex(b.encode()), hex);
    EXPECT_EQ(decodeHex(hex), b);
  }
  EXPECT_EQ(toHex(BitField::range(0, 16).encode()), "0402");
  EXPECT_EQ(toHex(BitField::range(0, 100).encode()), "840c");
  EXPECT_EQ(decodeHex("7c472202").count(), 22u);
}

// go-bitfield's rle golden bytes decode and re-encode to themselves.
TEST(BitField, GoBitfieldGoldenRoundTrip) {
  const std::string text = testing::readSourceFile("tests/vectors/go-bitfield-golden-rle.hex");
  const std::string hex = text.substr(text.find('\n') + 1, text.find('\n', text.find('\n') + 1) - text.find('\n') - 1);
  const Bytes golden = *fromHex(hex);
  auto b = BitField::decode(golden);
  ASSERT_TRUE(b) << b.error().message();
  EXPECT_GT(b->count(), 1000u);
  EXPECT_EQ(b->encode(), golden);
}

TEST(BitField, RefusesMalformedEncodings) {
  EXPECT_FALSE(BitField::decode(*fromHex("0c00")));    // trailing zero byte
  EXPECT_FALSE(BitField::decode(*fromHex("0d")));      // version 1
  EXPECT_FALSE(BitField::decode(*fromHex("08")));      // "01 0000" short form of length 0 as first run
  EXPECT_FALSE(BitField::decode(*fromHex("04")));      // varint form of a run of 1... and nothing else
  EXPECT_FALSE(BitField::decode(Bytes(kMaxBitFieldBytes + 1, 0xff)));
  EXPECT_FALSE(BitField::decode(*fromHex("04ffffffffffffffffff7f")));  // varint over 64 bits
  // {1} written with the 4-bit form of a length-1 run (non-minimal): 0 0 | 01 1000 | 1
  EXPECT_FALSE(BitField::decode(*fromHex("44")));
  // Two runs adding up beyond 2^64.
  EXPECT_FALSE(BitField::decode(*fromHex("00fcffffffffffffffff0ffcffffffffffffffff01")));
}

TEST(BitField, SetAlgebraMatchesStdSet) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::set<uint64_t> a, b;
    for (int i = 0; i < 40; ++i) a.insert(rng() % 100);
    for (int i = 0; i < 40; ++i) b.insert(rng() % 100);
    const auto fa = BitField::fromIndexes(std::vector<uint64_t>(a.begin(), a.end()));
    const auto fb = BitField::fromIndexes(std::vector<uint64_t>(b.begin(), b.end()));
    std::vector<uint64_t> u, in, d;
    std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(u));
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(in));
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(d));
    EXPECT_EQ(*fa.unite(fb).indexes(), u);
    EXPECT_EQ(*fa.intersect(fb).indexes(), in);
    EXPECT_EQ(*fa.subtract(fb).indexes(), d);
    EXPECT_EQ(fa.count(), a.size());
    EXPECT_EQ(*BitField::decode(fa.encode()), fa);
    EXPECT_EQ(*BitField::fromRunLengths(fa.runLengths()), fa);
    EXPECT_TRUE(fa.unite(fb).contains(fa));
    for (uint64_t i = 0; i < 100; ++i) EXPECT_EQ(fa.has(i), a.count(i) == 1);
  }
}

TEST(BitField, SliceSetUnsetAndLimits) {
  auto b = BitField::fromIndexes({2, 3, 4, 10, 11, 20});
  EXPECT_EQ(*b.slice(1, 3)->indexes(), (std::vector<uint64_t>{3, 4, 10}));
  EXPECT_FALSE(b.slice(4, 5));
  b.set(5);
  b.unset(10);
  EXPECT_EQ(*b.indexes(), (std::vector<uint64_t>{2, 3, 4, 5, 11, 20}));
  EXPECT_EQ(b.first(), 2u);
  EXPECT_EQ(b.last(), 20u);
  EXPECT_EQ(b.runLengths(), (std::vector<uint64_t>{2, 4, 5, 1, 8, 1}));
  EXPECT_FALSE(BitField::range(0, 1u << 30).indexes());  // refuses to expand a huge set
  EXPECT_EQ(BitField::range(0, 1u << 30).count(), 1u << 30);
  EXPECT_TRUE(BitField::fromIndexes({UINT64_MAX - 1}).has(UINT64_MAX - 1));
}

}  // namespace
}  // namespace fil::primitives
