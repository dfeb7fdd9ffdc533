#include "fil/proofs/commp.h"

#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "fil/base/hex.h"
#include "fil/crypto/sha256.h"
#include "fil/proofs/fr32.h"
#include "fil/testing/paths.h"
#include "sha256_compress.h"

namespace fil::proofs {
namespace {

struct Vector {
  size_t payload = 0;
  uint64_t padded = 0;
  std::string cid;
};

std::vector<Vector> readVectors(const std::string& file) {
  std::vector<Vector> out;
  std::istringstream in(testing::readSourceFile("tests/vectors/" + file));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    Vector v;
    const auto a = line.find(','), b = line.rfind(',');
    v.payload = std::stoul(line.substr(0, a));
    v.padded = std::stoull(line.substr(a + 1, b - a - 1));
    v.cid = line.substr(b + 1);
    out.push_back(v);
  }
  return out;
}

void checkVectors(const std::string& file, uint8_t fill) {
  const auto vectors = readVectors(file);
  ASSERT_EQ(vectors.size(), 18u) << file;
  for (const auto& v : vectors) {
    // Written in one piece and byte by byte: the stream must not care.
    for (bool bytewise : {false, true}) {
      CommPCalculator calc;
      const Bytes payload(v.payload, fill);
      if (bytewise) {
        for (uint8_t b : payload) calc.write(BytesView(&b, 1));
      } else {
        calc.write(payload);
      }
      auto p = calc.finish();
      ASSERT_TRUE(p.has_value()) << p.error().message();
      EXPECT_EQ(p->padded_size, v.padded) << file << " " << v.payload;
      EXPECT_EQ(p->payload_size, v.payload);
      EXPECT_EQ(pieceCid(p->commitment).toString(), v.cid) << file << " " << v.payload;
    }
  }
}

// go-fil-commp-hashhash testdata: every line.
TEST(CommP, HashHashZeroVectors) { checkVectors("commp-zero.txt", 0x00); }
TEST(CommP, HashHashCcVectors) { checkVectors("commp-0xcc.txt", 0xcc); }

// proofs.md / Lotus zerocomm/zerocomm.go.
// Every node-hash form against OpenSSL's SHA-256 (trunc254), including the
// in-place use tree building makes of it (out = the first half of in).
TEST(NodeHash, LaneFormsMatchSha256) {
  std::mt19937_64 rng(3);
  for (size_t count : {1, 15, 16, 17, 32, 48, 77}) {
    Bytes in(64 * count);
    for (auto& b : in) b = static_cast<uint8_t>(rng());
    Bytes expect(32 * count);
    for (size_t i = 0; i < count; ++i) {
      const auto d = crypto::sha256(BytesView(in).subspan(64 * i, 64));
      std::copy(d.begin(), d.end(), expect.begin() + static_cast<long>(32 * i));
      expect[32 * i + 31] &= 0x3f;
    }
    Bytes out(32 * count);
    sha::hashNodePairsSingleStream(in.data(), out.data(), count);
    EXPECT_EQ(out, expect) << "single stream, count " << count;
    sha::hashNodePairsShaNiLanes(in.data(), out.data(), count);
    EXPECT_EQ(out, expect) << "two streams, count " << count;
    std::fill(out.begin(), out.end(), 0);
    const size_t lanes = sha::hashNodePairsAvx512(in.data(), out.data(), count);
    EXPECT_EQ(lanes, sha::haveAvx512Lanes() ? count / 16 * 16 : 0);
    EXPECT_TRUE(std::equal(out.begin(), out.begin() + static_cast<long>(32 * lanes), expect.begin()))
        << "AVX-512 lanes, count " << count;
    Bytes inplace = in;
    sha::hashNodePairs(inplace.data(), inplace.data(), count);
    EXPECT_TRUE(std::equal(expect.begin(), expect.end(), inplace.begin())) << "in place, count " << count;
  }
}

TEST(CommP, ZeroCommitments) {
  EXPECT_EQ(toHex(zeroPieceCommitment(128)), "3731bb99ac689f66eef5973e4a94da188f4ddcae580724fc6f3fd60dfd488333");
  EXPECT_EQ(toHex(zeroPieceCommitment(2048)), "fc7e928296e516faade986b28f92d44a4f24b935485223376a799027bc18f833");
  EXPECT_EQ(toHex(zeroPieceCommitment(uint64_t{32} << 30)),
            "077e5fde35c50a9303a55009e3498a4ebedff39c42b710b730d8ec7ac7afa63e");
  EXPECT_EQ(toHex(zeroPieceCommitment(uint64_t{64} << 30)),
            "e64005a6bfe3777953b8ad6ef93f0fca1049b2041654f2a411f7702799cece02");
  EXPECT_EQ(toHex(zeroCommitment(0)), std::string(64, '0'));
}

// A committed-capacity 2 KiB sector (no pieces): comm_d is the zero
// commitment of 2 KiB; its CID is go-fil-commp-hashhash's 2 KiB zero line.
TEST(CommD, CommittedCapacity2KiB) {
  auto comm_d = computeCommD(2048, {});
  ASSERT_TRUE(comm_d.has_value());
  EXPECT_EQ(toHex(*comm_d), "fc7e928296e516faade986b28f92d44a4f24b935485223376a799027bc18f833");
  EXPECT_EQ(pieceCid(*comm_d).toString(), "baga6ea4seaqpy7usqklokfx2vxuynmupslkeutzexe2uqurdg5vhtebhxqmpqmy");
}

TEST(CommD, PiecesWithAlignmentMatchTreeOverData) {
  std::mt19937 rng(3);
  // 128 B, then 512 B (aligned after a 128 B and a 256 B filler), then 256 B.
  const std::vector<uint64_t> sizes = {128, 512, 256};
  std::vector<PieceInfo> pieces;
  Bytes sector(8192, 0);
  uint64_t used = 0;
  for (uint64_t size : sizes) {
    Bytes payload(toUnpaddedSize(size));
    for (auto& b : payload) b = static_cast<uint8_t>(rng());
    CommPCalculator calc;
    calc.write(payload);
    auto p = calc.finish(size);
    ASSERT_TRUE(p.has_value());
    pieces.push_back({size, pieceCid(p->commitment)});
    auto place = placePiece(sector.size(), used, size);
    ASSERT_TRUE(place.has_value());
    fr32Pad(payload.data(), sector.data() + place->offset, size / 128);
    used = place->offset + size;
  }
  EXPECT_EQ(used, 1280u);
  auto comm_d = computeCommD(sector.size(), pieces);
  ASSERT_TRUE(comm_d.has_value());
  EXPECT_EQ(*comm_d, treeRoot(sector));

  // A piece that cannot fit, and a bad size.
  std::vector<PieceInfo> too_big = {{8192, pieces[0].piece_cid}, {128, pieces[0].piece_cid}};
  EXPECT_TRUE(computeCommD(8192, too_big).error().is(ProofsError::kPiecesDoNotFit));
  std::vector<PieceInfo> bad = {{384, pieces[0].piece_cid}};
  EXPECT_TRUE(computeCommD(8192, bad).error().is(ProofsError::kInvalidPieceSize));
}

TEST(CommP, StreamMatchesTreeOverPaddedData) {
  // Large enough to cross several 128 KiB chunks, not a power of two.
  std::mt19937 rng(5);
  Bytes payload(127 * 5000 + 33);
  for (auto& b : payload) b = static_cast<uint8_t>(rng());
  CommPCalculator calc;
  size_t pos = 0;
  while (pos < payload.size()) {
    const size_t n = std::min<size_t>(payload.size() - pos, 1 + rng() % 70000);
    calc.write(BytesView(payload).subspan(pos, n));
    pos += n;
  }
  auto p = calc.finish();
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->padded_size, 1u << 20);
  Bytes padded(1 << 20, 0);
  Bytes unpadded = payload;
  unpadded.resize((payload.size() + 126) / 127 * 127, 0);
  fr32Pad(unpadded.data(), padded.data(), unpadded.size() / 127);
  EXPECT_EQ(p->commitment, treeRoot(padded));
}

TEST(CommP, Errors) {
  CommPCalculator calc;
  calc.write(Bytes(64, 1));
  EXPECT_TRUE(calc.finish().error().is(ProofsError::kPieceTooSmall));
  CommPCalculator calc2;
  calc2.write(Bytes(300, 1));
  EXPECT_TRUE(calc2.finish(256).error().is(ProofsError::kPiecesDoNotFit));
  CommPCalculator calc3;
  calc3.write(Bytes(300, 1));
  EXPECT_TRUE(calc3.finish(500).error().is(ProofsError::kInvalidPieceSize));
}

TEST(PieceCid, RoundTripAndRejectsOthers) {
  Commitment comm{};
  comm[0] = 1;
  const auto c = pieceCid(comm);
  EXPECT_EQ(c.toString().substr(0, 12), "baga6ea4seaq");
  EXPECT_EQ(*commitmentFromPieceCid(c), comm);
  EXPECT_TRUE(commitmentFromSealedCid(c).error().is(ProofsError::kInvalidCommitment));
  const auto s = sealedCid(comm);
  EXPECT_EQ(s.toString().substr(0, 13), "bagboea4b5abc");
  EXPECT_EQ(*commitmentFromSealedCid(s), comm);
  EXPECT_TRUE(commitmentFromPieceCid(cid::Cid::compute(cid::Codec::kRaw, asBytes("x")))
                  .error()
                  .is(ProofsError::kInvalidCommitment));
}

}  // namespace
}  // namespace fil::proofs
