#include "fil/proofs/porep.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <random>

#include "fil/proofs/fr32.h"
#include "fil/proofs/post.h"
#include "fil/testing/paths.h"

namespace fil::proofs {
namespace {

namespace fs = std::filesystem;

Bytes readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

void writeFile(const fs::path& p, BytesView b) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

void flipByte(const fs::path& p, uint64_t offset) {
  Bytes b = readFile(p);
  b[offset] ^= 0x01;
  writeFile(p, b);
}

template <size_t N>
ByteArray<N> randomArray(std::mt19937_64& rng) {
  ByteArray<N> a;
  for (auto& x : a) x = static_cast<uint8_t>(rng());
  return a;
}

// A sector filled with two pieces of random data (a quarter and an eighth
// of the sector), the rest zero.
struct TestSector {
  SealInputs in;
  SectorFiles files;
  std::vector<PieceInfo> pieces;
  Bytes unsealed;
};

TestSector makeSector(RegisteredSealProof proof, const fs::path& root, SectorNumber number, uint64_t seed) {
  const auto info = *sealProofInfo(proof);
  std::mt19937_64 rng(seed);
  TestSector s;
  s.in = {proof, proverIdFromActorId(1000), number, randomArray<32>(rng)};
  s.files = lotusSectorFiles(root, 1000, number);
  s.unsealed.assign(info.sector_size, 0);
  uint64_t used = 0;
  for (uint64_t size : {info.sector_size / 8, info.sector_size / 4}) {
    Bytes payload(toUnpaddedSize(size));
    for (auto& b : payload) b = static_cast<uint8_t>(rng());
    CommPCalculator calc;
    calc.write(payload);
    const auto comm = *calc.finish(size);
    const auto place = *placePiece(info.sector_size, used, size);
    fr32Pad(payload.data(), s.unsealed.data() + place.offset, size / 128);
    used = place.offset + size;
    s.pieces.push_back({size, pieceCid(comm.commitment)});
  }
  writeFile(s.files.unsealed, s.unsealed);
  return s;
}

struct Sealed {
  SealVerifyInfo verify;
  Bytes proof;
};

// The parent graph of a proof type, built once for all tests (the 8 MiB
// one takes seconds; graph_test checks it against the published digest).
const ParentCache& parentsOf(RegisteredSealProof proof) {
  static std::mutex mutex;
  static std::map<RegisteredSealProof, ParentCache> caches;
  std::lock_guard lock(mutex);
  auto it = caches.find(proof);
  if (it == caches.end()) {
    const auto info = *sealProofInfo(proof);
    const StackedGraph graph(info.nodes(), porepId(proof), info.api_version);
    it = caches.emplace(proof, ParentCache::inMemory(graph, 2)).first;
  }
  return it->second;
}

Sealed sealSector(const TestSector& s, ThreadPool& pool, uint64_t seed) {
  const auto& parents = parentsOf(s.in.proof);
  JobContext ctx;
  ctx.pool = &pool;
  auto pc1 = sealPreCommit1(s.in, s.files, s.pieces, parents, ctx);
  EXPECT_TRUE(pc1.has_value()) << pc1.error().message();
  const auto pc1_again = decodePreCommit1Output(encodePreCommit1Output(*pc1));
  EXPECT_EQ(pc1_again->replica_id, pc1->replica_id);
  auto builder = makeCpuTreeBuilder();
  auto pc2 = sealPreCommit2(*pc1, s.files, *builder, ctx);
  EXPECT_TRUE(pc2.has_value()) << pc2.error().message();
  std::mt19937_64 rng(seed);
  Sealed out;
  out.verify = {s.in.proof, s.in.prover_id, s.in.sector, s.in.ticket, randomArray<32>(rng), pc2->comm_r, pc2->comm_d};
  auto proof = sealCommit1(out.verify, s.files, ctx);
  EXPECT_TRUE(proof.has_value()) << proof.error().message();
  out.proof = *proof;
  return out;
}

void roundTrip(RegisteredSealProof proof_type) {
  testing::TempDir dir;
  ThreadPool pool(2);
  const auto info = *sealProofInfo(proof_type);
  auto s = makeSector(proof_type, dir.path(), 7, 42);
  const auto sealed = sealSector(s, pool, 43);
  ASSERT_TRUE(verifySeal(sealed.verify, sealed.proof).has_value());
  EXPECT_EQ(sealed.verify.comm_d, *computeCommD(info.sector_size, s.pieces));

  // PreCommit2 left t_aux beside p_aux, as rust-fil-proofs does.
  EXPECT_EQ(readFile(tAuxPath(s.files)), temporaryAux(info, s.files.cache));

  // Unseal the second piece from the replica and compare.
  const auto& parents = parentsOf(proof_type);
  Bytes unsealed;
  JobContext ctx;
  ctx.pool = &pool;
  const uint64_t offset = info.sector_size / 4, size = info.sector_size / 4;
  ASSERT_TRUE(unsealRange(s.in, sealed.verify.comm_d, s.files, parents, offset, size,
                          [&](BytesView b) {
                            append(unsealed, b);
                            return ok();
                          },
                          ctx)
                  .has_value());
  EXPECT_TRUE(std::equal(unsealed.begin(), unsealed.end(), s.unsealed.begin() + static_cast<long>(offset)));

  // Both PoSts over the finalized sector.
  ASSERT_TRUE(finalizeSector(info, s.files, false).has_value());
  EXPECT_FALSE(fs::exists(s.files.unsealed));
  EXPECT_FALSE(fs::exists(layerPath(s.files, 1)));
  std::mt19937_64 rng(9);
  const auto randomness = randomArray<32>(rng);
  const PublicSectorInfo pub{proof_type, s.in.sector, sealed.verify.comm_r};
  const std::vector<PrivateSectorInfo> priv = {{pub, s.files}};
  const auto winning = *winningPoStProofFor(proof_type);
  auto wp = generateWinningPoSt(winning, randomness, s.in.prover_id, priv);
  ASSERT_TRUE(wp.has_value()) << wp.error().message();
  const std::vector<PublicSectorInfo> pubs = {pub};
  EXPECT_TRUE(verifyWinningPoSt(winning, randomness, s.in.prover_id, pubs, *wp).has_value());
  const auto window = *windowPoStProofFor(proof_type);
  auto wd = generateWindowPoSt(window, randomness, s.in.prover_id, priv);
  ASSERT_TRUE(wd.has_value()) << wd.error().message();
  EXPECT_TRUE(verifyWindowPoSt(window, randomness, s.in.prover_id, pubs, *wd).has_value());
  // Other randomness: the proof no longer verifies.
  auto other = randomness;
  other[0] ^= 1;
  EXPECT_TRUE(verifyWindowPoSt(window, other, s.in.prover_id, pubs, *wd).error().is(ProofsError::kInvalidProof));
}

// t_aux read back field by field as bincode (u64 LE lengths, Option as a
// tag byte) of rust-fil-proofs' TemporaryAux: labels, tree_d, tree_r_last,
// tree_c StoreConfigs { path, id, size, rows_to_discard }.
struct StoreConfig {
  std::string path, id;
  uint64_t size = 0, rows_to_discard = 0;
};

std::vector<StoreConfig> parseTemporaryAux(BytesView b) {
  size_t pos = 0;
  auto u64 = [&] {
    EXPECT_LE(pos + 8, b.size());
    const uint64_t v = readU64LE(b.data() + pos);
    pos += 8;
    return v;
  };
  auto str = [&] {
    const uint64_t n = u64();
    std::string s(reinterpret_cast<const char*>(b.data() + pos), n);
    pos += n;
    return s;
  };
  auto config = [&] {
    StoreConfig c;
    c.path = str();
    c.id = str();
    EXPECT_EQ(b[pos++], 1) << "size is Some";
    c.size = u64();
    c.rows_to_discard = u64();
    return c;
  };
  std::vector<StoreConfig> out;
  const uint64_t labels = u64();
  for (uint64_t i = 0; i < labels + 3; ++i) out.push_back(config());
  EXPECT_EQ(pos, b.size());
  return out;
}

TEST(PoRep, TemporaryAuxMatchesRustFilProofsDefaults) {
  // The values of rust-fil-proofs' TemporaryAux::new (params.rs, the
  // fixed-rows-to-discard defaults): merkle tree lengths over all rows.
  const fs::path cache = "/srv/lotus/cache/s-t01000-1";
  auto c2k = parseTemporaryAux(temporaryAux(*sealProofInfo(RegisteredSealProof::kStackedDrg2KiBV1_1), cache));
  ASSERT_EQ(c2k.size(), 5u);
  EXPECT_EQ(c2k[0].id, "layer-1");
  EXPECT_EQ(c2k[1].id, "layer-2");
  EXPECT_EQ(c2k[1].size, 64u);
  EXPECT_EQ(c2k[1].path, cache.string());
  EXPECT_EQ(c2k[2].id, "tree-d");
  EXPECT_EQ(c2k[2].size, 127u);
  EXPECT_EQ(c2k[3].id, "tree-r-last");
  EXPECT_EQ(c2k[3].size, 64u + 8 + 1);
  EXPECT_EQ(c2k[3].rows_to_discard, 1u);
  EXPECT_EQ(c2k[4].id, "tree-c");
  EXPECT_EQ(c2k[4].size, 73u);
  EXPECT_EQ(c2k[4].rows_to_discard, 0u);
  // 32 GiB: 11 layers of 2^30 nodes, eight base trees of 2^27 leaves.
  auto c32g = parseTemporaryAux(temporaryAux(*sealProofInfo(RegisteredSealProof::kStackedDrg32GiBV1_1), cache));
  ASSERT_EQ(c32g.size(), 14u);
  EXPECT_EQ(c32g[10].id, "layer-11");
  EXPECT_EQ(c32g[10].size, 1u << 30);
  EXPECT_EQ(c32g[11].size, (uint64_t{1} << 31) - 1);
  EXPECT_EQ(c32g[12].size, ((uint64_t{1} << 30) - 1) / 7);  // 8^0 + ... + 8^9
  EXPECT_EQ(c32g[12].rows_to_discard, 2u);
}

TEST(PoRep, RoundTrip2KiB) { roundTrip(RegisteredSealProof::kStackedDrg2KiBV1_1); }

TEST(PoRep, RoundTrip8MiB) { roundTrip(RegisteredSealProof::kStackedDrg8MiBV1_1); }

TEST(PoRep, VerifierRejectsTampering) {
  testing::TempDir dir;
  ThreadPool pool(2);
  auto s = makeSector(RegisteredSealProof::kStackedDrg2KiBV1_1, dir.path(), 3, 5);
  const auto sealed = sealSector(s, pool, 6);
  ASSERT_TRUE(verifySeal(sealed.verify, sealed.proof).has_value());

  // Every byte of the proof matters past the header: flip a spread of them.
  size_t rejected = 0, tried = 0;
  for (size_t pos = 8; pos < sealed.proof.size(); pos += 97) {
    Bytes bad = sealed.proof;
    bad[pos] ^= 0x04;
    ++tried;
    if (!verifySeal(sealed.verify, bad)) ++rejected;
  }
  EXPECT_EQ(rejected, tried);

  // Wrong public inputs.
  auto vi = sealed.verify;
  vi.seed[0] ^= 1;
  EXPECT_FALSE(verifySeal(vi, sealed.proof).has_value());
  vi = sealed.verify;
  vi.comm_d[0] ^= 1;
  EXPECT_FALSE(verifySeal(vi, sealed.proof).has_value());
  vi = sealed.verify;
  vi.sector += 1;
  EXPECT_FALSE(verifySeal(vi, sealed.proof).has_value());
  EXPECT_TRUE(verifySeal(sealed.verify, BytesView(sealed.proof).first(100)).error().is(ProofsError::kMalformedProof));
}

TEST(PoRep, CorruptLabelOrReplicaIsCaughtWhenProving) {
  testing::TempDir dir;
  ThreadPool pool(2);
  auto s = makeSector(RegisteredSealProof::kStackedDrg2KiBV1_1, dir.path(), 4, 8);
  const auto sealed = sealSector(s, pool, 9);
  JobContext ctx;
  ctx.pool = &pool;
  // A flipped label in every node of layer 1 breaks the labelling check of
  // whatever nodes are challenged.
  Bytes layer = readFile(layerPath(s.files, 1));
  for (size_t i = 0; i < layer.size(); i += 32) layer[i] ^= 1;
  writeFile(layerPath(s.files, 1), layer);
  EXPECT_TRUE(sealCommit1(sealed.verify, s.files, ctx).error().is(ProofsError::kInvalidProof));
  for (size_t i = 0; i < layer.size(); i += 32) layer[i] ^= 1;
  writeFile(layerPath(s.files, 1), layer);
  EXPECT_TRUE(sealCommit1(sealed.verify, s.files, ctx).has_value());

  // One byte of the sealed file: WindowPoSt names the sector as faulty.
  const PublicSectorInfo pub{s.in.proof, s.in.sector, sealed.verify.comm_r};
  const std::vector<PrivateSectorInfo> priv = {{pub, s.files}};
  const auto window = *windowPoStProofFor(s.in.proof);
  std::mt19937_64 rng(1);
  const auto randomness = randomArray<32>(rng);
  const auto challenged = postLeafChallenges(*postProofInfo(window), randomness, s.in.sector, 0);
  flipByte(s.files.sealed, challenged[0] * 32 + 3);
  std::vector<SectorNumber> faulty;
  auto wd = generateWindowPoSt(window, randomness, s.in.prover_id, priv, &faulty);
  ASSERT_FALSE(wd.has_value());
  EXPECT_TRUE(wd.error().is(ProofsError::kFaultySectors));
  EXPECT_NE(wd.error().message().find("sector 4"), std::string::npos) << wd.error().message();
  EXPECT_EQ(faulty, std::vector<SectorNumber>{4});
  // A missing sealed file likewise.
  fs::remove(s.files.sealed);
  faulty.clear();
  wd = generateWindowPoSt(window, randomness, s.in.prover_id, priv, &faulty);
  EXPECT_TRUE(wd.error().is(ProofsError::kFaultySectors));
  EXPECT_EQ(faulty, std::vector<SectorNumber>{4});
}

TEST(PoRep, PhasesResumeFromTheirOutputs) {
  testing::TempDir dir;
  ThreadPool pool(2);
  auto s = makeSector(RegisteredSealProof::kStackedDrg2KiBV1_1, dir.path(), 5, 11);
  const auto first = sealSector(s, pool, 12);
  // Remove the second layer and tree_r_last: a rerun recomputes exactly them.
  const auto info = *sealProofInfo(s.in.proof);
  const auto layer1_time = fs::last_write_time(layerPath(s.files, 1));
  fs::remove(layerPath(s.files, 2));
  fs::remove(treeRLastPath(s.files, info.tree, 0));
  const auto again = sealSector(s, pool, 12);
  EXPECT_EQ(again.verify.comm_r, first.verify.comm_r);
  EXPECT_EQ(fs::last_write_time(layerPath(s.files, 1)), layer1_time);
  EXPECT_TRUE(fs::exists(layerPath(s.files, 2)));
}

TEST(PoRep, CancelStopsLabelling) {
  testing::TempDir dir;
  ThreadPool pool(2);
  auto s = makeSector(RegisteredSealProof::kStackedDrg8MiBV1_1, dir.path(), 6, 13);
  const auto& parents = parentsOf(s.in.proof);
  CancelToken cancel;
  bool saw_layer = false;
  JobContext ctx{&pool, &cancel, [&](std::string_view step, uint64_t, uint64_t) {
                   if (step == "layer 1") {
                     saw_layer = true;
                     cancel.cancel();
                   }
                 }};
  auto pc1 = sealPreCommit1(s.in, s.files, s.pieces, parents, ctx);
  EXPECT_TRUE(saw_layer);
  ASSERT_FALSE(pc1.has_value());
  EXPECT_TRUE(pc1.error().is(ProofsError::kCancelled));
  EXPECT_FALSE(fs::exists(layerPath(s.files, 1)));
}

TEST(PoRep, ProverIdAndChallenges) {
  const auto id = proverIdFromActorId(1000);
  EXPECT_EQ(id[0], 0xe8);
  EXPECT_EQ(id[1], 0x07);
  EXPECT_EQ(id[2], 0);
  const auto info = *sealProofInfo(RegisteredSealProof::kStackedDrg2KiBV1_1);
  Commitment rid{};
  InteractiveSeed seed{};
  for (auto c : porepChallenges(info, rid, seed, 0)) {
    EXPECT_GE(c, 1u);
    EXPECT_LT(c, info.nodes());
  }
}

}  // namespace
}  // namespace fil::proofs
