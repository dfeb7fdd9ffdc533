// Cross-check against tests/vectors/reference/sdr_reference.py, an
// independent Python implementation of 2 KiB sealing written from the
// published algorithms: comm_d, comm_r, the replica bytes and the whole
// vanilla proof must agree on several random sectors.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "fil/base/hex.h"
#include "fil/codec/cbor_encoder.h"
#include "fil/proofs/fr32.h"
#include "fil/proofs/porep.h"
#include "fil/testing/paths.h"

namespace fil::proofs {
namespace {

namespace fs = std::filesystem;

std::string run(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

Bytes hexBytes(const nlohmann::json& j) { return *fromHex(j.get<std::string>()); }

Bytes concatHex(const nlohmann::json& first, const nlohmann::json& rest) {
  Bytes out = hexBytes(first);
  for (const auto& r : rest) append(out, hexBytes(r));
  return out;
}

TEST(Reference, Python2KiBSealsAgree) {
  const fs::path script = testing::sourceDir() / "tests/vectors/reference/sdr_reference.py";
  ASSERT_TRUE(fs::exists(script));
  ThreadPool pool(2);
  JobContext ctx;
  ctx.pool = &pool;
  const auto proof_type = RegisteredSealProof::kStackedDrg2KiBV1_1;
  const auto info = *sealProofInfo(proof_type);
  const StackedGraph graph(info.nodes(), porepId(proof_type), info.api_version);
  const auto parents = ParentCache::inMemory(graph);
  std::mt19937_64 rng(2024);
  for (int round = 0; round < 3; ++round) {
    testing::TempDir dir;
    SealInputs in;
    in.proof = proof_type;
    in.prover_id = proverIdFromActorId(1000 + rng() % 100000);
    in.sector = rng() % 1000000;
    for (auto& b : in.ticket) b = static_cast<uint8_t>(rng());
    InteractiveSeed seed;
    for (auto& b : seed) b = static_cast<uint8_t>(rng());
    const SectorFiles files = lotusSectorFiles(dir.path(), 1000, in.sector);
    Bytes payload(toUnpaddedSize(info.sector_size)), unsealed(info.sector_size);
    for (auto& b : payload) b = static_cast<uint8_t>(rng());
    fr32Pad(payload.data(), unsealed.data(), payload.size() / 127);
    fs::create_directories(files.unsealed.parent_path());
    std::ofstream(files.unsealed, std::ios::binary)
        .write(reinterpret_cast<const char*>(unsealed.data()), static_cast<std::streamsize>(unsealed.size()));

    const auto pc1 = sealPreCommit1(in, files, {}, parents, ctx);
    ASSERT_TRUE(pc1.has_value()) << pc1.error().message();
    auto builder = makeCpuTreeBuilder();
    const auto cids = sealPreCommit2(*pc1, files, *builder, ctx);
    ASSERT_TRUE(cids.has_value()) << cids.error().message();
    const SealVerifyInfo vi{proof_type, in.prover_id, in.sector, in.ticket, seed, cids->comm_r, cids->comm_d};
    const auto proof = sealCommit1(vi, files, ctx);
    ASSERT_TRUE(proof.has_value()) << proof.error().message();

    const std::string out = run("python3 " + script.string() + " " + files.unsealed.string() + " " +
                                toHex(in.prover_id) + " " + std::to_string(in.sector) + " " + toHex(in.ticket) + " " +
                                toHex(seed));
    ASSERT_FALSE(out.empty()) << "python3 " << script << " printed nothing";
    const auto ref = nlohmann::json::parse(out);
    EXPECT_EQ(toHex(cids->comm_d), ref["comm_d"].get<std::string>());
    EXPECT_EQ(toHex(cids->comm_r), ref["comm_r"].get<std::string>());
    std::ifstream sealed(files.sealed, std::ios::binary);
    const Bytes replica((std::istreambuf_iterator<char>(sealed)), {});
    EXPECT_EQ(toHex(replica), ref["replica"].get<std::string>());

    // The proof the reference expects, in our documented encoding.
    codec::CborEncoder e;
    e.writeArrayHeader(5).writeUint(1).writeInt(static_cast<int64_t>(proof_type));
    e.writeBytes(hexBytes(ref["comm_c"])).writeBytes(hexBytes(ref["comm_r_last"]));
    e.writeArrayHeader(ref["proofs"].size());
    for (const auto& c : ref["proofs"]) {
      Bytes cols;
      for (const auto& col : c["columns"]) {
        for (const auto& l : col["labels"]) append(cols, hexBytes(l));
        for (const auto& s : col["path"]) append(cols, hexBytes(s));
      }
      e.writeArrayHeader(3)
          .writeBytes(concatHex(c["data_leaf"], c["comm_d_path"]))
          .writeBytes(concatHex(c["replica_leaf"], c["comm_r_last_path"]))
          .writeBytes(cols);
    }
    EXPECT_EQ(toHex(*proof), toHex(e.bytes())) << "round " << round;
    EXPECT_EQ(porepChallenges(info, pc1->replica_id, seed, 0),
              (ref["challenges"].get<std::vector<uint64_t>>()));
  }
}

}  // namespace
}  // namespace fil::proofs
