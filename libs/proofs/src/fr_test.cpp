#include "fil/proofs/fr.h"

#include <gtest/gtest.h>

#include <random>

#include "fil/base/hex.h"

namespace fil::proofs {
namespace {

// Arbitrary-precision helper for checking: canonical little-endian limbs as
// a value modulo r, multiplied the slow way (shift and add).
using Limbs = Fr::Limbs;

Fr randomFr(std::mt19937_64& rng) {
  uint8_t b[32];
  for (auto& x : b) x = static_cast<uint8_t>(rng());
  return Fr::fromBytesMasked(b);
}

TEST(Fr, ModulusMinusOneAndByteForm) {
  // r - 1 is the largest canonical element: (r-1) + 1 == 0.
  const auto bytes = *fromHex("00000000fffffffffe5bfeff02a4bd5305d8a10908d83933487d9d2953a7ed73");
  const auto max = Fr::fromBytes(bytes);
  ASSERT_TRUE(max.has_value());
  EXPECT_TRUE((*max + Fr::one()).isZero());
  EXPECT_EQ(toHex(max->toBytes()), toHex(bytes));
  // r itself and anything above is refused.
  auto r = bytes;
  r[0] = 1;
  EXPECT_FALSE(Fr::fromBytes(r).has_value());
  Bytes all_ones(32, 0xff);
  EXPECT_FALSE(Fr::fromBytes(all_ones).has_value());
  EXPECT_FALSE(Fr::fromBytes(BytesView(all_ones).first(31)).has_value());
}

TEST(Fr, SmallArithmetic) {
  EXPECT_EQ(Fr::fromU64(6) * Fr::fromU64(7), Fr::fromU64(42));
  EXPECT_EQ(Fr::fromU64(6) - Fr::fromU64(7) + Fr::one(), Fr::zero());
  EXPECT_EQ(Fr::fromU64(1) - Fr::fromU64(2), Fr::one().neg());
  EXPECT_EQ(toHex(Fr::fromU64(0x0102).toBytes()),
            "0201000000000000000000000000000000000000000000000000000000000000");
  // 2^64 * 2^64 = 2^128.
  const Fr two64 = Fr::fromU64(uint64_t{1} << 63) * Fr::fromU64(2);
  uint8_t expect[32] = {};
  expect[16] = 1;
  EXPECT_EQ((two64 * two64).toBytes(), Fr::fromBytes(expect)->toBytes());
}

TEST(Fr, FieldLaws) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200; ++i) {
    const Fr a = randomFr(rng), b = randomFr(rng), c = randomFr(rng);
    EXPECT_EQ(a * (b + c), a * b + a * c);
    EXPECT_EQ((a * b) * c, a * (b * c));
    EXPECT_EQ(a - b + b, a);
    if (!a.isZero()) {
      EXPECT_EQ(a * a.inverse(), Fr::one());
    }
    EXPECT_EQ(Fr::fromBytes(a.toBytes()), a);
  }
}

TEST(Fr, FermatAndMaskedBytes) {
  // x^(r-1) == 1 for x != 0.
  Limbs e = Fr::kModulus;
  e[0] -= 1;
  EXPECT_EQ(Fr::fromU64(5).pow(e), Fr::one());
  // Masking clears the top two bits, as Filecoin does for labels.
  uint8_t b[32];
  std::fill(std::begin(b), std::end(b), 0xff);
  b[31] = 0x3f;
  EXPECT_EQ(Fr::fromBytesMasked(b), *Fr::fromBytes(b));
}

// The assembly multiplication against the portable one, on random elements
// and on the extremes (0, 1, r - 1, and values near 2^256 / 2 whose carries
// run through every word).
TEST(Fr, AdxMultiplicationMatchesPortable) {
#if defined(__x86_64__)
  if (!detail::g_fr_use_adx) GTEST_SKIP() << "this CPU has no ADX/BMI2 (or FIL_PROOFS_NO_SIMD is set)";
  const Limbs r_minus_1 = {Fr::kModulus[0] - 1, Fr::kModulus[1], Fr::kModulus[2], Fr::kModulus[3]};
  const std::vector<Limbs> edges = {{0, 0, 0, 0},
                                    {1, 0, 0, 0},
                                    r_minus_1,
                                    {~0ULL, ~0ULL, ~0ULL, Fr::kModulus[3] - 1},
                                    {~0ULL, 0, ~0ULL, 0},
                                    Fr::kR,
                                    Fr::kR2};
  auto check = [](const Limbs& a, const Limbs& b) {
    Limbs x, y;
    detail::mulPortable(x, a, b);
    detail::mulAdx(y, a, b);
    ASSERT_EQ(x, y);
    Limbs in_place = a;
    detail::mulAdx(in_place, in_place, b);  // out aliasing an input
    ASSERT_EQ(in_place, x);
  };
  for (const auto& a : edges)
    for (const auto& b : edges) check(a, b);
  std::mt19937_64 rng(5);
  for (int i = 0; i < 100000; ++i) check(randomFr(rng).montgomery(), randomFr(rng).montgomery());
#else
  GTEST_SKIP() << "x86-64 only";
#endif
}

}  // namespace
}  // namespace fil::proofs
