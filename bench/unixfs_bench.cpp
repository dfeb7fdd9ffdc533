// UnixFS import throughput (make bench), with SHA-256 and BLAKE2b-256
// throughput beside it: hashing every byte once is the bound an importer
// cannot beat on one core.
//
// The input is the file named by FIL_UNIXFS_BENCH_FILE, read through the
// filesystem seam (from the page cache after the first pass), so
// tests/interop/bench/unixfs_import.mjs can time ipfs-unixfs-importer on the
// same 256 MiB file in the same run; without it, 256 MiB of pseudo-random
// bytes in memory. Blocks are hashed and dropped, as an import into a
// discarding blockstore.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <cstring>
#include <random>

#include "fil/store/io.h"
#include "fil/unixfs/unixfs.h"

namespace {

using fil::Bytes;

class DiscardSink final : public fil::unixfs::BlockSink {
 public:
  fil::Status put(const fil::cid::Cid&, fil::BytesView, std::optional<uint64_t>) override { return fil::ok(); }
};

const Bytes& syntheticData() {
  static const Bytes data = [] {
    Bytes out(256u << 20);
    std::mt19937_64 rng(7);
    for (size_t i = 0; i + 8 <= out.size(); i += 8) {
      const uint64_t v = rng();
      std::memcpy(out.data() + i, &v, 8);
    }
    return out;
  }();
  return data;
}

const char* benchFile() { return std::getenv("FIL_UNIXFS_BENCH_FILE"); }

uint64_t inputSize() {
  if (const char* path = benchFile()) {
    auto info = fil::store::defaultFileSystem().stat(path);
    return info ? info->size : 0;
  }
  return syntheticData().size();
}

void runImport(benchmark::State& state, const fil::unixfs::ImportOptions& options) {
  DiscardSink sink;
  uint64_t blocks = 0;
  for (auto _ : state) {
    fil::Result<fil::unixfs::ImportResult> r = fil::fail(fil::GenericError::kInternal, "not run");
    if (const char* path = benchFile()) {
      auto source = fil::store::FileSource::open(fil::store::defaultFileSystem(), path);
      if (!source) {
        state.SkipWithError(source.error().message().c_str());
        return;
      }
      r = fil::unixfs::importFile(**source, options, sink);
    } else {
      fil::store::MemorySource source(syntheticData());
      r = fil::unixfs::importFile(source, options, sink);
    }
    if (!r) {
      state.SkipWithError(r.error().message().c_str());
      return;
    }
    blocks = r->blocks;
    state.SetLabel(r->root.toString());
  }
  state.counters["blocks"] = static_cast<double>(blocks);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * inputSize()));
}

// Settings of ipfs-unixfs-importer's unixfs-v1-2025 profile (sha2-256).
void BM_ImportSha256(benchmark::State& state) { runImport(state, fil::unixfs::ImportOptions::ipfsCompatible()); }
BENCHMARK(BM_ImportSha256)->Unit(benchmark::kMillisecond)->UseRealTime();

// Lotus's `client import` settings (blake2b-256, identity CIDs up to 126 bytes).
void BM_ImportLotus(benchmark::State& state) { runImport(state, fil::unixfs::ImportOptions{}); }
BENCHMARK(BM_ImportLotus)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Sha256(benchmark::State& state) {
  const Bytes chunk(1 << 20, 0x33);
  for (auto _ : state) benchmark::DoNotOptimize(fil::cid::Multihash::sha256(chunk));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * chunk.size()));
}
BENCHMARK(BM_Sha256)->UseRealTime();

void BM_Blake2b256(benchmark::State& state) {
  const Bytes chunk(1 << 20, 0x33);
  for (auto _ : state) benchmark::DoNotOptimize(fil::cid::Multihash::blake2b256(chunk));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * chunk.size()));
}
BENCHMARK(BM_Blake2b256)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
