// Chain consensus benchmarks, each beside its peer measured in the same run:
//   ECVRF prove and verify against libsecp256k1's ECDSA sign and verify
//   (same library, same key operations: the floor for one VRF);
//   block validation with and without the winning PoSt verification, and
//   the winning PoSt verification alone (a real 2 KiB sector).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>

#include <unistd.h>

#include "../libs/chain/src/block_scenario.h"
#include "fil/chain/base_fee.h"
#include "fil/chain/validation.h"
#include "fil/crypto/blake2b.h"
#include "fil/crypto/ecvrf.h"
#include "fil/proofs/sealer.h"

namespace {

using namespace fil;
using namespace fil::chain;

const crypto::secp256k1::PrivateKey kKey = testing::keyFrom(3);
const Bytes kAlpha(32, 0x42);

void BM_EcdsaSign(benchmark::State& state) {
  const auto digest = crypto::blake2b256(kAlpha);
  for (auto _ : state) benchmark::DoNotOptimize(crypto::secp256k1::sign(kKey, digest));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EcdsaSign);

void BM_EcdsaRecoverVerify(benchmark::State& state) {
  const auto digest = crypto::blake2b256(kAlpha);
  const auto sig = *crypto::secp256k1::sign(kKey, digest);
  const auto pub = *crypto::secp256k1::derivePublicKey(kKey);
  for (auto _ : state) benchmark::DoNotOptimize(crypto::secp256k1::verify(sig, digest, pub));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EcdsaRecoverVerify);

void BM_VrfProve(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(crypto::ecvrf::prove(kKey, kAlpha));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VrfProve);

void BM_VrfVerify(benchmark::State& state) {
  const auto pub = crypto::secp256k1::compress(*crypto::secp256k1::derivePublicKey(kKey));
  const auto proof = *crypto::ecvrf::prove(kKey, kAlpha);
  for (auto _ : state) {
    auto out = crypto::ecvrf::verify(pub, proof, kAlpha);
    if (!out) state.SkipWithError("VRF proof did not verify");
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VrfVerify);

// A sealed 2 KiB sector and a block that wins with it, made once.
struct Sealed {
  std::filesystem::path dir;
  proofs::ThreadPool pool{2};
  std::unique_ptr<proofs::LocalSealer> sealer;
  std::unique_ptr<testing::BlockScenario> scenario;

  Sealed() {
    dir = std::filesystem::temp_directory_path() / ("chain-bench-" + std::to_string(::getpid()));
    sealer = std::make_unique<proofs::LocalSealer>(dir / "store", dir / "parents", pool);
    const proofs::SectorRef ref{1000, 1, proofs::RegisteredSealProof::kStackedDrg2KiBV1_1};
    proofs::JobContext ctx;
    const Bytes data(2032, 0x5c);
    size_t pos = 0;
    auto piece = sealer->addPiece(ref, {}, data.size(),
                                  [&](MutableBytesView out) -> Result<size_t> {
                                    const size_t n = std::min(out.size(), data.size() - pos);
                                    std::copy_n(data.begin() + static_cast<long>(pos), n, out.begin());
                                    pos += n;
                                    return n;
                                  },
                                  ctx);
    const std::vector<proofs::PieceInfo> pieces{*piece};
    proofs::Ticket ticket{};
    auto pc1 = sealer->preCommit1(ref, ticket, pieces, ctx);
    auto sealed = sealer->preCommit2(ref, *pc1, ctx);
    scenario = std::make_unique<testing::BlockScenario>(testing::BlockScenario::make(
        {ref.proof, ref.number, sealed->comm_r},
        [this](std::span<const proofs::PublicSectorInfo> challenged, const proofs::PoStRandomness& seed) {
          return sealer->generateWinningPoSt(1000, challenged, seed);
        }));
  }
  ~Sealed() { std::filesystem::remove_all(dir); }
};

Sealed& sealed() {
  static Sealed s;
  return s;
}

void BM_ValidateBlock(benchmark::State& state) {
  const auto& s = *sealed().scenario;
  for (auto _ : state) {
    auto st = validateBlock(s.block, s.inputs());
    if (!st) state.SkipWithError(st.error().message().c_str());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ValidateBlock)->Unit(benchmark::kMicrosecond);

// Every rule of validateBlock but the winning PoSt, in its order.
void BM_ValidateBlockWithoutWinningPoSt(benchmark::State& state) {
  const auto& s = *sealed().scenario;
  const auto& h = s.block.header;
  for (auto _ : state) {
    const TipSet parent = *s.parent.tipset();
    bool valid = checkBlockSyntax(h) && checkTimestamp(h, parent, s.now, s.params) &&
                 tipsetWeight(parent, *s.state.parentNetworkPower()).has_value() &&
                 computeBaseFee(s.parent, s.params) == h.parent_base_fee &&
                 validateBeaconEntries(s.beacon.beacon(), h, s.parent_beacon) &&
                 checkTicket(h, parent, s.parent_beacon, s.worker) &&
                 checkElection(h, s.parent_beacon, *s.state.lookbackMiner(h.miner)) &&
                 checkBlockSignature(h, s.worker) && checkMessages(s.block, s.state, s.params);
    if (!valid) state.SkipWithError("a rule failed");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ValidateBlockWithoutWinningPoSt)->Unit(benchmark::kMicrosecond);

void BM_CheckWinningPoSt(benchmark::State& state) {
  const auto& s = *sealed().scenario;
  for (auto _ : state) {
    auto st = checkWinningPoSt(s.block.header, s.parent_beacon, s.state.lookback, s.state);
    if (!st) state.SkipWithError(st.error().message().c_str());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CheckWinningPoSt)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
