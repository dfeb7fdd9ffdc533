#include "fil/proofs/fr32.h"

#include <gtest/gtest.h>

#include <random>

#include "fil/base/bytes.h"

namespace fil::proofs {
namespace {

bool bit(const uint8_t* p, size_t i) { return (p[i / 8] >> (i % 8)) & 1; }

// The definition, bit by bit: payload bit i goes to node i / 254, bit i % 254.
TEST(Fr32, MatchesBitDefinition) {
  std::mt19937 rng(1);
  Bytes in(127 * 3);
  for (auto& b : in) b = static_cast<uint8_t>(rng());
  Bytes out(128 * 3);
  fr32Pad(in.data(), out.data(), 3);
  for (size_t c = 0; c < 3; ++c) {
    const uint8_t* src = in.data() + 127 * c;
    const uint8_t* dst = out.data() + 128 * c;
    for (size_t i = 0; i < 1016; ++i) {
      ASSERT_EQ(bit(src, i), bit(dst, (i / 254) * 256 + i % 254)) << "chunk " << c << " bit " << i;
    }
    for (size_t node = 0; node < 4; ++node) {
      EXPECT_EQ(dst[32 * node + 31] & 0xc0, 0) << "node " << node << " top bits";
    }
  }
  Bytes back(127 * 3);
  fr32Unpad(out.data(), back.data(), 3);
  EXPECT_EQ(back, in);
}

TEST(Fr32, AllOnes) {
  Bytes in(127, 0xff), out(128);
  fr32Pad(in.data(), out.data(), 1);
  for (size_t node = 0; node < 4; ++node) {
    for (size_t i = 0; i < 31; ++i) EXPECT_EQ(out[32 * node + i], 0xff);
    EXPECT_EQ(out[32 * node + 31], 0x3f);
  }
}

TEST(Fr32, Sizes) {
  EXPECT_EQ(toPaddedSize(127), 128u);
  EXPECT_EQ(toUnpaddedSize(2048), 2032u);
  EXPECT_EQ(toUnpaddedSize(uint64_t{32} << 30), 34091302912u);
  EXPECT_TRUE(isValidPaddedPieceSize(128));
  EXPECT_FALSE(isValidPaddedPieceSize(64));
  EXPECT_FALSE(isValidPaddedPieceSize(384));
  EXPECT_TRUE(isValidUnpaddedPieceSize(1016));
  EXPECT_FALSE(isValidUnpaddedPieceSize(1000));
  EXPECT_EQ(paddedPieceSizeFor(127), 128u);
  EXPECT_EQ(paddedPieceSizeFor(128), 256u);
  EXPECT_EQ(paddedPieceSizeFor(254), 256u);
  EXPECT_EQ(paddedPieceSizeFor(255), 512u);
  EXPECT_EQ(paddedPieceSizeFor(1), 128u);
}

}  // namespace
}  // namespace fil::proofs
