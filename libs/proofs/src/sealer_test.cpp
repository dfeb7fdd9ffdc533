#include "fil/proofs/sealer.h"

#include <gtest/gtest.h>

#include <random>

#include "fil/proofs/fr32.h"
#include "fil/proofs/partial_file.h"
#include "fil/testing/paths.h"

namespace fil::proofs {
namespace {

ByteReader readerOf(const Bytes& data) {
  auto pos = std::make_shared<size_t>(0);
  return [&data, pos](MutableBytesView out) -> Result<size_t> {
    const size_t n = std::min(out.size(), data.size() - *pos);
    std::copy_n(data.begin() + static_cast<long>(*pos), n, out.begin());
    *pos += n;
    return n;
  };
}

TEST(LocalSealer, Pipeline2KiBWithReadPiece) {
  testing::TempDir dir;
  ThreadPool pool(2);
  LocalSealer sealer(dir.path() / "store", dir.path() / "parents", pool);
  const SectorRef sector{1000, 1, RegisteredSealProof::kStackedDrg2KiBV1_1};
  std::mt19937 rng(2);
  Bytes a(254), b(1016);
  for (auto& x : a) x = static_cast<uint8_t>(rng());
  for (auto& x : b) x = static_cast<uint8_t>(rng());
  JobContext ctx;
  uint64_t reported = 0;
  ctx.progress = [&](std::string_view, uint64_t done, uint64_t) { reported = std::max(reported, done); };
  auto pa = sealer.addPiece(sector, {}, a.size(), readerOf(a), ctx);
  ASSERT_TRUE(pa.has_value()) << pa.error().message();
  const std::vector<uint64_t> existing = {a.size()};
  auto pb = sealer.addPiece(sector, existing, b.size(), readerOf(b), ctx);
  ASSERT_TRUE(pb.has_value()) << pb.error().message();
  EXPECT_EQ(pb->size, 1024u);
  {
    CommPCalculator calc;
    calc.write(b);
    EXPECT_EQ(pieceCid(calc.finish()->commitment), pb->piece_cid);
  }
  // A short stream and a bad size are refused.
  Bytes short_data(100);
  EXPECT_TRUE(sealer.addPiece(sector, {}, 127, readerOf(short_data), ctx).error().is(ProofsError::kInvalidInput));
  EXPECT_TRUE(sealer.addPiece(sector, {}, 100, readerOf(short_data), ctx).error().is(ProofsError::kInvalidPieceSize));

  // The unsealed file is Lotus's partial file: both pieces are marked, the
  // alignment gap between them is not.
  {
    auto file = PartialFile::open(sealer.files(sector).unsealed, 2048);
    ASSERT_TRUE(file.has_value()) << file.error().message();
    EXPECT_EQ(file->allocated(), (std::vector<ByteRange>{{0, 256}, {1024, 1024}}));
  }

  const std::vector<PieceInfo> pieces = {*pa, *pb};
  Ticket ticket{};
  ticket[0] = 9;
  auto pc1 = sealer.preCommit1(sector, ticket, pieces, ctx);
  ASSERT_TRUE(pc1.has_value()) << pc1.error().message();
  EXPECT_GT(reported, 0u);
  auto cids = sealer.preCommit2(sector, *pc1, ctx);
  ASSERT_TRUE(cids.has_value()) << cids.error().message();
  InteractiveSeed seed{};
  seed[1] = 7;
  auto proof = sealer.commit1(sector, ticket, seed, *cids, ctx);
  ASSERT_TRUE(proof.has_value()) << proof.error().message();
  const SealVerifyInfo vi{sector.proof, proverIdFromActorId(1000), 1, ticket, seed, cids->comm_r, cids->comm_d};
  EXPECT_TRUE(verifySeal(vi, *proof).has_value());

  // Piece b starts at unpadded offset 1016 (padded 1024).
  auto read = [&](uint64_t offset, uint64_t size) {
    Bytes got;
    auto st = sealer.readPiece(sector, offset, size, ticket, cids->comm_d,
                               [&](BytesView d) {
                                 append(got, d);
                                 return ok();
                               },
                               ctx);
    EXPECT_TRUE(st.has_value()) << st.error().message();
    return got;
  };
  EXPECT_EQ(read(1016, b.size()), b);  // from the unsealed copy
  ASSERT_TRUE(sealer.finalize(sector, false, ctx).has_value());
  EXPECT_FALSE(std::filesystem::exists(sealer.files(sector).unsealed));
  EXPECT_EQ(read(1016, b.size()), b);  // unsealed from the replica, and kept
  {
    auto file = PartialFile::open(sealer.files(sector).unsealed, 2048);
    ASSERT_TRUE(file.has_value()) << file.error().message();
    EXPECT_EQ(file->allocated(), (std::vector<ByteRange>{{1024, 1024}}));
  }
  // The kept copy now serves that range: the replica is not read again.
  const auto sealed = sealer.files(sector).sealed;
  std::filesystem::rename(sealed, sealed.string() + ".away");
  EXPECT_EQ(read(1016 + 127, 254), Bytes(b.begin() + 127, b.begin() + 127 + 254));
  std::filesystem::rename(sealed.string() + ".away", sealed);
  EXPECT_EQ(read(0, a.size()), a);

  const std::vector<PublicSectorInfo> pub = {{sector.proof, 1, cids->comm_r}};
  PoStRandomness r{};
  r[5] = 1;
  auto window = sealer.generateWindowPoSt(1000, pub, r, nullptr);
  ASSERT_TRUE(window.has_value()) << window.error().message();
  EXPECT_TRUE(verifyWindowPoSt(*windowPoStProofFor(sector.proof), r, proverIdFromActorId(1000), pub, *window));
  auto winning = sealer.generateWinningPoSt(1000, pub, r);
  ASSERT_TRUE(winning.has_value());
  EXPECT_TRUE(verifyWinningPoSt(*winningPoStProofFor(sector.proof), r, proverIdFromActorId(1000), pub, *winning));
}

}  // namespace
}  // namespace fil::proofs
