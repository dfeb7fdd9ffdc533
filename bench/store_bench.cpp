// Storage layer throughput (make bench): datastore puts and gets per second
// (RocksDB and memory), HAMT set/get at one million entries, AMT appends, and
// beside them the physical limits measured in the same run: the disk's
// sequential write speed and fsync rate (what synced writes are bound by) and
// SHA-256 of short keys (what every HAMT operation does once).
//
// The RocksDB cases run in a temporary directory under $TMPDIR (or /tmp):
// point TMPDIR at the disk to measure.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>

#include <fmt/format.h>

#include "fil/store/amt.h"
#include "fil/store/hamt.h"
#include "fil/store/memory_datastore.h"
#include "fil/store/rocksdb_datastore.h"

namespace {

using fil::Bytes;
using fil::store::Key;

std::filesystem::path scratchDir(const std::string& name) {
  const char* tmp = std::getenv("TMPDIR");
  auto dir = std::filesystem::path(tmp ? tmp : "/tmp") / fmt::format("fil-bench-{}-{}", name, ::getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Keys and values shaped like miner metadata: "/sectors/<n>" -> 200 bytes.
Key keyFor(uint64_t i) { return Key(fmt::format("/sectors/{:012}", i)); }
const Bytes kValue(200, 0x5a);

// ---- physical limits ----------------------------------------------------------

void BM_DiskSequentialWrite(benchmark::State& state) {
  const auto dir = scratchDir("disk");
  const auto path = (dir / "seq").string();
  const Bytes block(1 << 20, 0x11);
  const int total_mib = 64;
  for (auto _ : state) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    for (int i = 0; i < total_mib; ++i) {
      if (::write(fd, block.data(), block.size()) != static_cast<ssize_t>(block.size())) state.SkipWithError("write");
    }
    ::fsync(fd);
    ::close(fd);
  }
  state.SetBytesProcessed(state.iterations() * total_mib * (int64_t{1} << 20));
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_DiskSequentialWrite)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_DiskFsync(benchmark::State& state) {
  const auto dir = scratchDir("fsync");
  const int fd = ::open((dir / "f").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const Bytes record(256, 0x22);
  for (auto _ : state) {
    if (::write(fd, record.data(), record.size()) < 0) state.SkipWithError("write");
    ::fdatasync(fd);
  }
  ::close(fd);
  state.SetItemsProcessed(state.iterations());
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_DiskFsync)->UseRealTime();

void BM_Sha256ShortKeys(benchmark::State& state) {
  uint64_t i = 0;
  for (auto _ : state) {
    const std::string key = fmt::format("key-{}", i++);
    benchmark::DoNotOptimize(fil::cid::Multihash::sha256(fil::asBytes(key)));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Sha256ShortKeys);

// ---- datastores ---------------------------------------------------------------

struct Rocks {
  explicit Rocks(fil::store::RocksDatastoreOptions options = {}) : dir(scratchDir("rocks")) {
    ds = std::move(*fil::store::openRocksDatastore((dir / "db").string(), options));
  }
  ~Rocks() {
    ds.reset();
    std::filesystem::remove_all(dir);
  }
  std::filesystem::path dir;
  std::unique_ptr<fil::store::Datastore> ds;
};

void BM_RocksPut(benchmark::State& state) {
  Rocks rocks;
  uint64_t i = 0;
  for (auto _ : state) {
    if (!rocks.ds->put(keyFor(i++), kValue)) state.SkipWithError("put");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RocksPut);

void BM_RocksPutSynced(benchmark::State& state) {
  fil::store::RocksDatastoreOptions options;
  options.sync_writes = true;
  Rocks rocks(options);
  uint64_t i = 0;
  for (auto _ : state) {
    if (!rocks.ds->put(keyFor(i++), kValue)) state.SkipWithError("put");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RocksPutSynced)->UseRealTime();

void BM_RocksBatchPut(benchmark::State& state) {
  Rocks rocks;
  const int64_t per_batch = state.range(0);
  uint64_t i = 0;
  for (auto _ : state) {
    fil::store::Batch batch;
    for (int64_t k = 0; k < per_batch; ++k) batch.put(keyFor(i++), kValue);
    if (!rocks.ds->commit(batch)) state.SkipWithError("commit");
  }
  state.SetItemsProcessed(state.iterations() * per_batch);
}
BENCHMARK(BM_RocksBatchPut)->Arg(1000)->UseRealTime();

void BM_RocksGet(benchmark::State& state) {
  Rocks rocks;
  constexpr uint64_t kKeys = 200000;
  fil::store::Batch batch;
  for (uint64_t i = 0; i < kKeys; ++i) batch.put(keyFor(i), kValue);
  if (!rocks.ds->commit(batch)) state.SkipWithError("fill");
  std::mt19937_64 rng(1);
  for (auto _ : state) {
    auto v = rocks.ds->get(keyFor(rng() % kKeys));
    if (!v) state.SkipWithError("get");
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RocksGet);

void BM_MemoryPut(benchmark::State& state) {
  auto ds = fil::store::makeMemoryDatastore();
  uint64_t i = 0;
  for (auto _ : state) {
    if (!ds->put(keyFor(i++), kValue)) state.SkipWithError("put");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MemoryPut);

void BM_MemoryGet(benchmark::State& state) {
  auto ds = fil::store::makeMemoryDatastore();
  constexpr uint64_t kKeys = 200000;
  for (uint64_t i = 0; i < kKeys; ++i) (void)ds->put(keyFor(i), kValue);
  std::mt19937_64 rng(1);
  for (auto _ : state) {
    auto v = ds->get(keyFor(rng() % kKeys));
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MemoryGet);

// ---- HAMT and AMT at one million entries --------------------------------------

constexpr uint64_t kMillion = 1'000'000;

std::string hamtKey(uint64_t i) { return fmt::format("key-{}", i); }

// One iteration sets a million keys into an empty HAMT and flushes it.
void BM_HamtSet1M(benchmark::State& state) {
  for (auto _ : state) {
    fil::store::MemoryBlockstore blocks;
    fil::store::Hamt hamt(blocks);
    for (uint64_t i = 0; i < kMillion; ++i) {
      if (!hamt.set(fil::asBytes(hamtKey(i)), fil::codec::encode(i))) state.SkipWithError("set");
    }
    auto root = hamt.flush();
    if (!root) state.SkipWithError("flush");
    state.counters["blocks"] = static_cast<double>(blocks.size());
  }
  state.SetItemsProcessed(state.iterations() * kMillion);
}
BENCHMARK(BM_HamtSet1M)->Iterations(1)->Unit(benchmark::kMillisecond);

// Random gets in a flushed million-entry HAMT: the first pass loads nodes
// from the blockstore (cold), the second finds them in memory (warm).
void BM_HamtGet1M(benchmark::State& state) {
  const bool warm = state.range(0) != 0;
  fil::store::MemoryBlockstore blocks;
  fil::cid::Cid root;
  {
    fil::store::Hamt hamt(blocks);
    for (uint64_t i = 0; i < kMillion; ++i) (void)hamt.set(fil::asBytes(hamtKey(i)), fil::codec::encode(i));
    root = *hamt.flush();
  }
  std::mt19937_64 rng(2);
  for (auto _ : state) {
    auto hamt = fil::store::Hamt::load(blocks, root);
    if (warm) (void)hamt->forEach([](fil::BytesView, fil::BytesView) { return fil::ok(); });
    for (uint64_t n = 0; n < kMillion; ++n) {
      auto v = hamt->get(fil::asBytes(hamtKey(rng() % kMillion)));
      if (!v || !*v) state.SkipWithError("get");
    }
  }
  state.SetItemsProcessed(state.iterations() * kMillion);
}
BENCHMARK(BM_HamtGet1M)->Arg(0)->Arg(1)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_AmtAppend1M(benchmark::State& state) {
  for (auto _ : state) {
    fil::store::MemoryBlockstore blocks;
    fil::store::Amt amt(blocks);
    for (uint64_t i = 0; i < kMillion; ++i) {
      if (!amt.set(i, fil::codec::encode(i))) state.SkipWithError("set");
    }
    if (!amt.flush()) state.SkipWithError("flush");
  }
  state.SetItemsProcessed(state.iterations() * kMillion);
}
BENCHMARK(BM_AmtAppend1M)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
