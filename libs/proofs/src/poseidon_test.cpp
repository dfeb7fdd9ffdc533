#include "fil/proofs/poseidon.h"

#include <gtest/gtest.h>

#include <random>

#include "fil/base/hex.h"
#include "poseidon_simd.h"

namespace fil::proofs {
namespace {

// A field element from big-endian hex.
Fr fromBigEndianHex(std::string_view hex) {
  Bytes b = *fromHex(hex);
  std::reverse(b.begin(), b.end());
  return *Fr::fromBytes(b);
}

std::vector<Fr> counting(size_t n) {
  std::vector<Fr> v;
  for (size_t i = 0; i < n; ++i) v.push_back(Fr::fromU64(i));
  return v;
}

// neptune src/poseidon.rs, test hash_values (Strength::Standard): the
// MerkleTree hash of [0, 1, ..., arity-1].
TEST(Poseidon, NeptuneHashValues) {
  EXPECT_EQ(poseidonHash(counting(2)),
            fromBigEndianHex("396508d75e76a56b739e0fd902efe161a6fba9339d05a69d2e203c369a02e7ff"));
  EXPECT_EQ(poseidonHash(counting(8)),
            fromBigEndianHex("2394611da3a5de5512010042116770774b682e9d9cc4aed92a9934f56d38a5e6"));
  EXPECT_EQ(poseidonHash(counting(11)),
            fromBigEndianHex("0c0fc1b2e5227f286ca537e232ebe87a09f3dcd8ccb08fc1cee3bbc32b693163"));
}

// neptune parameters/round_constants-1-1-255-9-8-57-73EDA...01.txt (the
// Poseidon authors' sage script for t = 9): constants 1, 2, 100, 584, 585.
TEST(Poseidon, GrainRoundConstantsForWidthNine) {
  const auto& pc = poseidonConstants(8);
  ASSERT_EQ(pc.round_constants.size(), 585u);
  EXPECT_EQ(pc.round_constants[0],
            fromBigEndianHex("6ce90d12c4045fe08c3caddb776dd84ac52b4ae7e48cd49443984154f2f4c2f9"));
  EXPECT_EQ(pc.round_constants[1],
            fromBigEndianHex("0ccd9b480c84022b25a75b52c8e89d80b4fa6378d32e58f3a175504940bcec39"));
  EXPECT_EQ(pc.round_constants[99],
            fromBigEndianHex("09607e183758efcfd09e675d736eaa5ca65e3983e49405a10a5978335899d749"));
  EXPECT_EQ(pc.round_constants[583],
            fromBigEndianHex("5861985c6ad8159e1a4f056d02df583d9c79c96bae8c3b9313812b4e0b3bda60"));
  EXPECT_EQ(pc.round_constants[584],
            fromBigEndianHex("3b3a75eb91b0f723bcc4ab7e449e4a011b8960063efe74670c05e545519d9a8c"));
  EXPECT_EQ(pc.partial_rounds, 57u);
  EXPECT_EQ(poseidonConstants(2).partial_rounds, 55u);
  EXPECT_EQ(poseidonConstants(11).round_constants.size(), 65u * 12);
}

TEST(Poseidon, OptimisedMatchesTextbookOnRandomInputs) {
  std::mt19937_64 rng(11);
  for (size_t arity : {2, 8, 11}) {
    for (int k = 0; k < 20; ++k) {
      std::vector<Fr> in;
      for (size_t i = 0; i < arity; ++i) {
        uint8_t b[32];
        for (auto& x : b) x = static_cast<uint8_t>(rng());
        in.push_back(Fr::fromBytesMasked(b));
      }
      EXPECT_EQ(poseidonHash(in), poseidonHashReference(in)) << "arity " << arity;
    }
  }
}

TEST(Poseidon, NodeBytes) {
  const auto in = counting(8);
  Bytes nodes;
  for (const auto& f : in) append(nodes, f.toBytes());
  uint8_t out[32];
  ASSERT_TRUE(poseidonHashNodes(8, nodes.data(), out));
  EXPECT_EQ(*Fr::fromBytes(out), poseidonHash(in));
  std::fill(nodes.begin() + 32, nodes.begin() + 64, 0xff);  // not below r
  EXPECT_FALSE(poseidonHashNodes(8, nodes.data(), out));
}

// Random canonical nodes, with the extremes every eighth: 0 and r - 1.
Bytes randomNodes(size_t n, std::mt19937_64& rng) {
  Bytes out(32 * n);
  for (size_t i = 0; i < n; ++i) {
    Fr f;
    switch (i % 8) {
      case 3: f = Fr::zero(); break;
      case 5: f = Fr::one().neg(); break;
      default: {
        uint8_t b[32];
        for (auto& x : b) x = static_cast<uint8_t>(rng());
        f = Fr::fromBytesMasked(b);
      }
    }
    f.toBytes(out.data() + 32 * i);
  }
  return out;
}

// Many hashes at once (the vector lanes where the CPU has them, with a tail
// shorter than a lane group) against one at a time.
TEST(Poseidon, ManyMatchesOneAtATime) {
  std::mt19937_64 rng(12);
  for (size_t arity : {2, 8, 11}) {
    for (uint64_t count : {1, 7, 8, 21, 35}) {
      const Bytes nodes = randomNodes(arity * count, rng);
      std::vector<const uint8_t*> inputs;
      for (size_t k = 0; k < arity; ++k) inputs.push_back(nodes.data() + 32 * k);
      Bytes out(32 * count);
      ASSERT_TRUE(poseidonHashMany(arity, inputs.data(), 32 * arity, count, out.data()));
      for (uint64_t i = 0; i < count; ++i) {
        uint8_t one[32];
        ASSERT_TRUE(poseidonHashNodes(arity, nodes.data() + 32 * arity * i, one));
        ASSERT_EQ(toHex(BytesView(out).subspan(32 * i, 32)), toHex(BytesView(one, 32)))
            << "arity " << arity << " count " << count << " hash " << i;
      }
    }
  }
}

TEST(Poseidon, ManyColumnsMaskedAndRefusal) {
  std::mt19937_64 rng(13);
  const uint64_t count = 19;
  Bytes layers[2] = {Bytes(32 * count), Bytes(32 * count)};
  for (auto& l : layers)
    for (auto& b : l) b = static_cast<uint8_t>(rng());  // top bits set: masked on reading
  const uint8_t* inputs[2] = {layers[0].data(), layers[1].data()};
  Bytes out(32 * count);
  ASSERT_TRUE(poseidonHashMany(2, inputs, 32, count, out.data(), NodeForm::kMasked));
  for (uint64_t i = 0; i < count; ++i) {
    const Fr h = poseidonHash2(Fr::fromBytesMasked(layers[0].data() + 32 * i),
                               Fr::fromBytesMasked(layers[1].data() + 32 * i));
    EXPECT_EQ(toHex(BytesView(out).subspan(32 * i, 32)), toHex(h.toBytes())) << i;
  }
  // Read as canonical, the same bytes are refused.
  EXPECT_FALSE(poseidonHashMany(2, inputs, 32, count, out.data()));
}

// The lane kernel directly, one group and two at a time, each lane against
// the scalar code (lanes 3 and 5 of the first group hold 0 and r - 1).
TEST(Poseidon, IfmaKernelLanes) {
  if (!simd::poseidonIfmaAvailable()) GTEST_SKIP() << "no AVX-512 IFMA on this CPU";
  std::mt19937_64 rng(14);
  for (size_t arity : {2, 8, 11}) {
    for (size_t groups : {1, 2, 3}) {
      const Bytes nodes = randomNodes(arity * 8 * groups, rng);
      std::vector<uint64_t> in(groups * arity * 32), out(groups * 32);
      for (size_t lane = 0; lane < 8 * groups; ++lane) {
        const size_t g = lane / 8, l = lane % 8;
        for (size_t k = 0; k < arity; ++k)
          for (int w = 0; w < 4; ++w)
            in[((g * arity + k) * 4 + w) * 8 + l] = readU64LE(nodes.data() + 32 * (lane * arity + k) + 8 * w);
      }
      simd::poseidonIfmaLanes(arity, groups, in.data(), out.data());
      for (size_t lane = 0; lane < 8 * groups; ++lane) {
        uint8_t one[32];
        ASSERT_TRUE(poseidonHashNodes(arity, nodes.data() + 32 * arity * lane, one));
        for (int w = 0; w < 4; ++w) {
          EXPECT_EQ(out[(lane / 8) * 32 + w * 8 + lane % 8], readU64LE(one + 8 * w))
              << "arity " << arity << " groups " << groups << " lane " << lane;
        }
      }
    }
  }
}

}  // namespace
}  // namespace fil::proofs
