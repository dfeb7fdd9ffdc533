#include "fil/proofs/graph.h"

#include <gtest/gtest.h>

#include "fil/base/hex.h"
#include "fil/crypto/sha256.h"
#include "fil/testing/paths.h"

namespace fil::proofs {
namespace {

std::string digestOf(const ParentCache& cache) { return toHex(crypto::sha256(cache.bytes())); }

// storage-proofs-porep/parent_cache.json: the SHA-256 of the parent cache
// files Filecoin publishes. 2 KiB for porep ids 5 (V1_1) and 0 (V1).
TEST(ParentCache, Published2KiBDigests) {
  for (auto proof : {RegisteredSealProof::kStackedDrg2KiBV1_1, RegisteredSealProof::kStackedDrg2KiBV1}) {
    const auto info = *sealProofInfo(proof);
    const StackedGraph graph(info.nodes(), porepId(proof), info.api_version);
    EXPECT_EQ(digestOf(ParentCache::inMemory(graph)), info.parent_cache_digest) << sealProofName(proof);
  }
}

TEST(ParentCache, Published8MiBDigest) {
  const auto info = *sealProofInfo(RegisteredSealProof::kStackedDrg8MiBV1_1);
  const StackedGraph graph(info.nodes(), porepId(info.proof), info.api_version);
  EXPECT_EQ(digestOf(ParentCache::inMemory(graph, 2)), info.parent_cache_digest);
}

// Parents of a range (expander parents in vector lanes where the CPU has
// them) against one node at a time, for both graph versions and sizes whose
// Feistel domain needs cycle-walking (8 MiB) or has none to spare.
TEST(StackedGraph, RangeMatchesOneNodeAtATime) {
  for (auto proof : {RegisteredSealProof::kStackedDrg2KiBV1, RegisteredSealProof::kStackedDrg8MiBV1_1,
                     RegisteredSealProof::kStackedDrg64GiBV1_1}) {
    const auto info = *sealProofInfo(proof);
    const StackedGraph graph(info.nodes(), porepId(proof), info.api_version);
    const uint64_t first = info.nodes() > 5000 ? info.nodes() - 5000 : 0;
    const uint64_t count = std::min<uint64_t>(info.nodes() - first, 1001);
    std::vector<uint32_t> range(count * kTotalParents);
    graph.parentsOfRange(first, count, range.data());
    for (uint64_t n = 0; n < count; ++n) {
      uint32_t one[kTotalParents];
      graph.parents(first + n, one);
      ASSERT_TRUE(std::equal(one, one + kTotalParents, range.data() + n * kTotalParents))
          << sealProofName(proof) << " node " << first + n;
    }
  }
}

TEST(ParentCache, FileNameMatchesRustFilProofs) {
  // The names in parent_cache.json are the files' stems.
  EXPECT_EQ(ParentCache::fileName(*sealProofInfo(RegisteredSealProof::kStackedDrg2KiBV1_1)),
            "v28-sdr-parent-494d91dc80f2df5272c4b9e129bc7ade9405225993af9fe34e6542a39a47554b.cache");
  EXPECT_EQ(ParentCache::fileName(*sealProofInfo(RegisteredSealProof::kStackedDrg32GiBV1_1)),
            "v28-sdr-parent-21981246c370f9d76c7a77ab273d94bde0ceb4e938292334960bce05585dc117.cache");
}

// A 2 KiB graph is one batch: whichever thread takes it, progress must end
// at the node count (the reporting thread used to miss it when another
// thread did the batch).
TEST(ParentCache, ProgressReachesTheEndWhateverThreadWorks) {
  const auto info = *sealProofInfo(RegisteredSealProof::kStackedDrg2KiBV1_1);
  for (int run = 0; run < 8; ++run) {
    testing::TempDir dir;
    uint64_t last_progress = 0;
    auto cache = ParentCache::open(dir.path(), info, false, 8, [&](uint64_t done, uint64_t) {
      last_progress = done;
      return true;
    });
    ASSERT_TRUE(cache.has_value()) << cache.error().message();
    EXPECT_EQ(last_progress, 64u) << "run " << run;
  }
}

TEST(ParentCache, FileGeneratedCheckedAndReopened) {
  testing::TempDir dir;
  const auto info = *sealProofInfo(RegisteredSealProof::kStackedDrg2KiBV1_1);
  uint64_t last_progress = 0;
  auto cache = ParentCache::open(dir.path(), info, true, 2, [&](uint64_t done, uint64_t) {
    last_progress = done;
    return true;
  });
  ASSERT_TRUE(cache.has_value()) << cache.error().message();
  EXPECT_EQ(last_progress, 64u);
  EXPECT_EQ(digestOf(*cache), info.parent_cache_digest);
  const StackedGraph graph(info.nodes(), porepId(info.proof), info.api_version);
  uint32_t p[kTotalParents];
  graph.parents(37, p);
  EXPECT_TRUE(std::equal(p, p + kTotalParents, cache->parents(37)));

  // A corrupted file is found when verifying; a truncated one always.
  const auto path = dir.path() / ParentCache::fileName(info);
  {
    FILE* f = std::fopen(path.c_str(), "r+b");
    std::fseek(f, 100, SEEK_SET);
    std::fputc(0x55, f);
    std::fclose(f);
  }
  EXPECT_TRUE(ParentCache::open(dir.path(), info, true).error().is(ProofsError::kCorruptFile));
  std::filesystem::resize_file(path, 1000);
  EXPECT_TRUE(ParentCache::open(dir.path(), info, false).error().is(ProofsError::kCorruptFile));
}

TEST(StackedGraph, ParentShape) {
  const auto info = *sealProofInfo(RegisteredSealProof::kStackedDrg2KiBV1_1);
  const StackedGraph graph(info.nodes(), porepId(info.proof), info.api_version);
  uint32_t p[kTotalParents];
  graph.parents(0, p);
  for (size_t i = 0; i < kBaseDegree; ++i) EXPECT_EQ(p[i], 0u);
  for (uint64_t node = 2; node < info.nodes(); ++node) {
    graph.parents(node, p);
    EXPECT_EQ(p[0], node - 1);  // V1_1: predecessor first
    for (size_t i = 0; i < kBaseDegree; ++i) EXPECT_LT(p[i], node);
    for (size_t i = kBaseDegree; i < kTotalParents; ++i) EXPECT_LT(p[i], info.nodes());
  }
}

}  // namespace
}  // namespace fil::proofs
