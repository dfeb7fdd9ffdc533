// Proofs benchmarks. Each figure sits beside the physical limit measured in
// the same run on the same core:
//   commP and node hashing against one SHA-256 stream (OpenSSL, SHA-NI);
//   SDR labelling against 20 dependent SHA-256 compressions per node;
//   Poseidon hashes per second and tree building.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <random>

#include "fil/proofs/commp.h"
#include "fil/proofs/graph.h"
#include "fil/proofs/merkle.h"
#include "fil/proofs/porep.h"
#include "fil/proofs/poseidon.h"
#include "../libs/proofs/src/cpu_features.h"
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
// single-stream limit), two SHA-NI streams interleaved, sixteen AVX-512
// lanes (two groups of them), and what hashNodePairs picks.
void BM_NodePairs(benchmark::State& state) {
  const int form = static_cast<int>(state.range(0));
  Bytes in = randomBytes(64 << 14), out(32 << 14);
  for (auto _ : state) {
    switch (form) {
      case 0: sha::hashNodePairsSingleStream(in.data(), out.data(), 1 << 14); break;
      case 1: sha::hashNodePairsShaNiLanes(in.data(), out.data(), 1 << 14); break;
      case 2:
        if (sha::hashNodePairsAvx512(in.data(), out.data(), 1 << 14) == 0) state.SkipWithError("no AVX-512");
        break;
      default: sha::hashNodePairs(in.data(), out.data(), 1 << 14);
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) << 14);
  static const char* kLabels[] = {"SHA-NI, 1 stream", "SHA-NI, 2 streams", "AVX-512, 16 lanes x 2", "chosen"};
  state.SetLabel(kLabels[form]);
}
BENCHMARK(BM_NodePairs)->Arg(0)->Arg(1)->Arg(2)->Arg(3);

// sha256rnds2 (two SHA-256 rounds) as one dependent chain (its latency
// bounds one stream) and as eight independent ones (its issue rate bounds
// any number of interleaved streams). Items are instructions.
void BM_ShaRnds2(benchmark::State& state) {
#if defined(__x86_64__)
  if (!sha::haveShaNi()) {
    state.SkipWithError("no SHA-NI");
    return;
  }
  const bool chained = state.range(0) != 0;
  for (auto _ : state) {
    if (chained) {
      asm volatile(
          "sha256rnds2 %%xmm2, %%xmm1\n\tsha256rnds2 %%xmm1, %%xmm2\n\t"
          "sha256rnds2 %%xmm2, %%xmm1\n\tsha256rnds2 %%xmm1, %%xmm2\n\t"
          "sha256rnds2 %%xmm2, %%xmm1\n\tsha256rnds2 %%xmm1, %%xmm2\n\t"
          "sha256rnds2 %%xmm2, %%xmm1\n\tsha256rnds2 %%xmm1, %%xmm2\n\t" ::
              : "xmm1", "xmm2");
    } else {
      asm volatile(
          "sha256rnds2 %%xmm9, %%xmm1\n\tsha256rnds2 %%xmm9, %%xmm2\n\t"
          "sha256rnds2 %%xmm9, %%xmm3\n\tsha256rnds2 %%xmm9, %%xmm4\n\t"
          "sha256rnds2 %%xmm9, %%xmm5\n\tsha256rnds2 %%xmm9, %%xmm6\n\t"
          "sha256rnds2 %%xmm9, %%xmm7\n\tsha256rnds2 %%xmm9, %%xmm8\n\t" ::
              : "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8");
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * 8);
  state.SetLabel(chained ? "one chain (latency)" : "eight chains (issue rate)");
#else
  state.SkipWithError("x86-64 only");
#endif
}
BENCHMARK(BM_ShaRnds2)->Arg(1)->Arg(0);

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

// Both layers of a 512 MiB sector (2 x 2^24 nodes), whose parents are
// spread over 512 MiB: memory latency shows here and not at 8 MiB. Needs
// the 512 MiB parent cache in FIL_PROOFS_PARENT_CACHE (lotus-bench makes
// it) and about 2 GiB of memory; skipped otherwise. Items are nodes.
void BM_Labelling512MiB(benchmark::State& state) {
  const auto info = *sealProofInfo(RegisteredSealProof::kStackedDrg512MiBV1_1);
  const char* dir = std::getenv("FIL_PROOFS_PARENT_CACHE");
  if (dir == nullptr || !std::filesystem::exists(std::filesystem::path(dir) / ParentCache::fileName(info))) {
    state.SkipWithError("no 512 MiB parent cache in FIL_PROOFS_PARENT_CACHE");
    return;
  }
  auto parents = ParentCache::open(dir, info, false, 1);
  if (!parents) {
    state.SkipWithError(parents.error().message().c_str());
    return;
  }
  ThreadPool pool(1);
  JobContext ctx;
  ctx.pool = &pool;
  Commitment id{};
  id[0] = 1;
  for (auto _ : state) {
    if (!generateLabels(info, id, *parents, ctx)) state.SkipWithError("labelling failed");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * info.nodes() * info.layers));
}
BENCHMARK(BM_Labelling512MiB)->Unit(benchmark::kSecond)->Iterations(1);

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

// ---------------------------------------------------------------------------
// Field arithmetic against the machine's own limits.

// The core clock: a chain of dependent additions runs at one per cycle;
// items are cycles.
void BM_CoreCycle(benchmark::State& state) {
#if defined(__x86_64__)
  uint64_t x = 1;
  for (auto _ : state) {
    asm volatile(
        "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
        "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
        : "+r"(x));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * 8);
#else
  state.SkipWithError("x86-64 only");
#endif
}
BENCHMARK(BM_CoreCycle);

// The multiplier bound of a 4x64-bit Montgomery product: its 32 64x64->128
// multiplications (16 for a * b, 16 for m * r) and 4 for m, independent of
// each other, at the core's mulx throughput. Items are products.
void BM_MontgomeryMulxBound(benchmark::State& state) {
#if defined(__x86_64__)
  if (!cpuFeatures().adx) {
    state.SkipWithError("no BMI2");
    return;
  }
  uint64_t a = 0x123456789abcdefULL, lo0, hi0, lo1, hi1, lo2, hi2, lo3, hi3;
  for (auto _ : state) {
#define FIL_MULX4 "mulx %8, %0, %1\n\tmulx %8, %2, %3\n\tmulx %8, %4, %5\n\tmulx %8, %6, %7\n\t"
    asm volatile("mov %8, %%rdx\n\t" FIL_MULX4 FIL_MULX4 FIL_MULX4 FIL_MULX4 FIL_MULX4 FIL_MULX4 FIL_MULX4 FIL_MULX4
                 "imul %8, %0\n\timul %8, %2\n\timul %8, %4\n\timul %8, %6\n\t"
                 : "=&r"(lo0), "=&r"(hi0), "=&r"(lo1), "=&r"(hi1), "=&r"(lo2), "=&r"(hi2), "=&r"(lo3), "=&r"(hi3)
                 : "r"(a)
                 : "rdx");
#undef FIL_MULX4
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
#else
  state.SkipWithError("x86-64 only");
#endif
}
BENCHMARK(BM_MontgomeryMulxBound);

// Fr multiplication: a chain (latency, as the S-box) or eight independent
// chains (throughput); the code the CPU gets (mulx/adx assembly here) and
// the portable C++ (__int128) it replaces. Items are products.
void BM_FrMul(benchmark::State& state) {
  const bool portable = state.range(0) != 0, chained = state.range(1) != 0;
  Fr::Limbs x[8], b = Fr::fromU64(5).montgomery();
  for (int i = 0; i < 8; ++i) x[i] = Fr::fromU64(3 + static_cast<uint64_t>(i)).montgomery();
  auto mul = [&](Fr::Limbs& v) {
    if (portable) {
      proofs::detail::mulPortable(v, v, b);
    } else {
      Fr::mul(v, v, b);
    }
  };
  for (auto _ : state) {
    if (chained) {
      for (int i = 0; i < 8; ++i) mul(x[0]);
    } else {
      for (int i = 0; i < 8; ++i) mul(x[i]);
    }
    benchmark::DoNotOptimize(x);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * 8);
  state.SetLabel(std::string(portable ? "portable" : "chosen") + (chained ? ", latency" : ", throughput"));
}
BENCHMARK(BM_FrMul)->Args({0, 1})->Args({0, 0})->Args({1, 1})->Args({1, 0});

// The IFMA bound: vpmadd52luq/huq throughput on independent accumulators.
// Items are multiply-adds of eight lanes.
void BM_IfmaThroughput(benchmark::State& state) {
#if defined(__x86_64__)
  if (!cpuFeatures().avx512_ifma) {
    state.SkipWithError("no AVX-512 IFMA");
    return;
  }
  for (auto _ : state) {
    asm volatile(
        "vpmadd52luq %%zmm30, %%zmm31, %%zmm0\n\tvpmadd52luq %%zmm30, %%zmm31, %%zmm1\n\t"
        "vpmadd52huq %%zmm30, %%zmm31, %%zmm2\n\tvpmadd52huq %%zmm30, %%zmm31, %%zmm3\n\t"
        "vpmadd52luq %%zmm30, %%zmm31, %%zmm4\n\tvpmadd52luq %%zmm30, %%zmm31, %%zmm5\n\t"
        "vpmadd52huq %%zmm30, %%zmm31, %%zmm6\n\tvpmadd52huq %%zmm30, %%zmm31, %%zmm7\n\t"
        "vpmadd52luq %%zmm30, %%zmm31, %%zmm8\n\tvpmadd52luq %%zmm30, %%zmm31, %%zmm9\n\t"
        "vpmadd52huq %%zmm30, %%zmm31, %%zmm10\n\tvpmadd52huq %%zmm30, %%zmm31, %%zmm11\n\t"
        "vpmadd52luq %%zmm30, %%zmm31, %%zmm12\n\tvpmadd52luq %%zmm30, %%zmm31, %%zmm13\n\t"
        "vpmadd52huq %%zmm30, %%zmm31, %%zmm14\n\tvpmadd52huq %%zmm30, %%zmm31, %%zmm15\n\t" ::
            : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
              "xmm12", "xmm13", "xmm14", "xmm15");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * 16);
#else
  state.SkipWithError("x86-64 only");
#endif
}
BENCHMARK(BM_IfmaThroughput);

// IFMA instructions per eight hashes in poseidon_ifma.cpp, counted from its
// structure: a product is 50 multiply-adds, a reduction 55, so a dot
// product of n terms 50n + 55. Divided into the measured IFMA rate this is
// the kernel's bound.
uint64_t ifmaPerEightHashes(size_t arity) {
  const auto& pc = poseidonConstants(arity);
  const uint64_t w = pc.width, rp = pc.partial_rounds;
  const uint64_t mul = 105, sbox = 3 * mul, dot = 50 * w + 55;
  uint64_t reducing = 0;
  for (uint64_t r = 0; r < rp; ++r) reducing += (r % 4 == 3 || r + 1 == rp) ? 1 : 0;
  uint64_t n = (w - 1) * mul;                              // inputs into Montgomery form
  n += 4 * (w * sbox + w * dot);                           // first four full rounds
  n += rp * (sbox + dot) + (rp * (w - 1)) * mul + reducing * (w - 1) * 50;  // partial rounds
  n += 4 * w * sbox + 3 * w * dot + dot + 55;              // last four, the output row, out of Montgomery form
  return n;
}

void BM_PoseidonIfmaBound(benchmark::State& state) {
  const size_t arity = static_cast<size_t>(state.range(0));
  const uint64_t n = ifmaPerEightHashes(arity);
  for (auto _ : state) benchmark::DoNotOptimize(n);
  state.counters["ifma_per_hash"] = static_cast<double>(n) / 8;
}
BENCHMARK(BM_PoseidonIfmaBound)->Arg(2)->Arg(8)->Arg(11)->Iterations(1);

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
