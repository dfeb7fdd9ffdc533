// Proofs benchmarks. Each figure sits beside the physical limit measured in
// the same run on the same core:
//   commP and node hashing against one SHA-256 stream (OpenSSL, SHA-NI);
//   SDR labelling against 20 dependent SHA-256 compressions per node;
//   Poseidon hashes per second and tree building.
#include <benchmark/benchmark.h>

#include <random>

#include "fil/proofs/commp.h"
#include "fil/proofs/graph.h"
#include "fil/proofs/merkle.h"
#include "fil/proofs/porep.h"
#include "fil/proofs/poseidon.h"
#include "../libs/proofs/src/sha256_compress.h"

namespace {

using namespace fil;
using namespace fil::proofs;

Bytes randomBytes(size_t n, uint64_t seed = 1) {
  std::mt19937_64 rng(seed);
  Bytes b(n);
  for (auto& x : b) x = static_cast<uint8_t>(rng());
  return b;
}

// The limit: one SHA-256 stream over a large buffer (SHA-NI; the same
// figure as `openssl speed -evp sha256` at 16 KiB blocks).
void BM_Sha256SingleStream(benchmark::State& state) {
  const Bytes data = randomBytes(1 << 20);
  sha::State s = sha::kInitialState;
  for (auto _ : state) {
    sha::compress(s, data.data(), data.size() / 64);
    benchmark::DoNotOptimize(s);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(data.size()));
}
BENCHMARK(BM_Sha256SingleStream);

// commP hashes 128 bytes per 32 padded bytes: a quarter of the SHA rate is
// the single-stream bound. Bytes here are payload bytes.
void BM_CommP(benchmark::State& state) {
  const Bytes data = randomBytes(16 << 20);
  for (auto _ : state) {
    CommPCalculator calc;
    calc.write(data);
    benchmark::DoNotOptimize(calc.finish());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(data.size()));
}
BENCHMARK(BM_CommP)->Unit(benchmark::kMillisecond);

// Node hashes (64 bytes -> 32) per second: one SHA-NI stream (the
// single-stream limit), four SHA-NI streams interleaved, sixteen AVX-512
// lanes (two groups of them), and what hashNodePairs picks.
void BM_NodePairs(benchmark::State& state) {
  const int form = static_cast<int>(state.range(0));
  Bytes in = randomBytes(64 << 14), out(32 << 14);
  for (auto _ : state) {
    switch (form) {
      case 0: sha::hashNodePairsSingleStream(in.data(), out.data(), 1 << 14); break;
      case 1: sha::hashNodePairsShaNi4(in.data(), out.data(), 1 << 14); break;
      case 2:
        if (sha::hashNodePairsAvx512(in.data(), out.data(), 1 << 14) == 0) state.SkipWithError("no AVX-512");
        break;
      default: sha::hashNodePairs(in.data(), out.data(), 1 << 14);
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) << 14);
  static const char* kLabels[] = {"SHA-NI, 1 stream", "SHA-NI, 4 streams", "AVX-512, 16 lanes x 2", "chosen"};
  state.SetLabel(kLabels[form]);
}
BENCHMARK(BM_NodePairs)->Arg(0)->Arg(1)->Arg(2)->Arg(3);

// The labelling limit: 20 dependent compressions (one node's hash).
void BM_Sha256Compress20(benchmark::State& state) {
  const Bytes block = randomBytes(20 * 64);
  sha::State s = sha::kInitialState;
  for (auto _ : state) {
    sha::compress(s, block.data(), 20);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_Sha256Compress20);

// One 8 MiB layer-2 labelling pass per iteration, `lanes` sectors at once;
// items are nodes of all sectors.
void BM_Labelling8MiB(benchmark::State& state) {
  const size_t lanes = static_cast<size_t>(state.range(0));
  const auto info = *sealProofInfo(RegisteredSealProof::kStackedDrg8MiBV1_1);
  static const auto parents = ParentCache::inMemory(StackedGraph(info.nodes(), porepId(info.proof), info.api_version), 2);
  std::vector<Commitment> ids(lanes);
  for (size_t i = 0; i < lanes; ++i) ids[i][0] = static_cast<uint8_t>(i + 1);
  ThreadPool pool(1);
  JobContext ctx;
  ctx.pool = &pool;
  std::vector<std::vector<Bytes>> layers;
  for (auto _ : state) {
    if (!generateLabelsBatch(info, ids, parents, layers, ctx)) state.SkipWithError("labelling failed");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * lanes * info.nodes() * info.layers));
}
BENCHMARK(BM_Labelling8MiB)->Arg(1)->Arg(2)->Arg(4)->Unit(benchmark::kMillisecond);

void BM_Poseidon(benchmark::State& state) {
  const size_t arity = static_cast<size_t>(state.range(0));
  std::vector<Fr> in;
  for (size_t i = 0; i < arity; ++i) in.push_back(Fr::fromU64(i + 7));
  for (auto _ : state) {
    in[0] = poseidonHash(in);
    benchmark::DoNotOptimize(in[0]);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_Poseidon)->Arg(2)->Arg(8)->Arg(11);

// Hashes of independent inputs, as tree building and column hashing do
// them: 8 at once in AVX-512 IFMA lanes where the CPU has them.
void BM_PoseidonMany(benchmark::State& state) {
  const size_t arity = static_cast<size_t>(state.range(0));
  const uint64_t count = 4096;
  Bytes nodes(32 * arity * count);
  std::mt19937_64 rng(5);
  for (size_t i = 0; i < nodes.size(); i += 32) Fr::fromU64(rng()).toBytes(nodes.data() + i);
  std::vector<const uint8_t*> inputs;
  for (size_t k = 0; k < arity; ++k) inputs.push_back(nodes.data() + 32 * k);
  Bytes out(32 * count);
  for (auto _ : state) {
    if (!poseidonHashMany(arity, inputs.data(), 32 * arity, count, out.data())) state.SkipWithError("bad input");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * count));
}
BENCHMARK(BM_PoseidonMany)->Arg(2)->Arg(8)->Arg(11)->Unit(benchmark::kMillisecond);

void BM_FrMul(benchmark::State& state) {
  Fr a = Fr::fromU64(3), b = Fr::fromU64(5);
  for (auto _ : state) {
    a = a * b;
    benchmark::DoNotOptimize(a);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_FrMul);

// An oct Poseidon tree over 2^15 leaves (1 MiB): bytes are leaf bytes.
void BM_OctTreeLevel(benchmark::State& state) {
  Bytes leaves(32 << 15);
  std::mt19937_64 rng(3);
  for (size_t i = 0; i < leaves.size(); i += 32) Fr::fromU64(rng()).toBytes(leaves.data() + i);
  auto builder = makeCpuTreeBuilder();
  Bytes out((32 << 15) / 8);
  for (auto _ : state) {
    uint64_t n = 1 << 15;
    const uint8_t* in = leaves.data();
    while (n > 1) {
      builder->hashLevel(TreeHash::kPoseidon, 8, in, n / 8, out.data());
      in = out.data();
      n /= 8;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(leaves.size()));
}
BENCHMARK(BM_OctTreeLevel)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
