// DAG-CBOR decode and encode throughput (make bench).
//
// With FIL_CBOR_BENCH_FILE set, the generic-value cases use that file's
// bytes (one DAG-CBOR item), so tests/interop/bench/dag_cbor.mjs can time
// @ipld/dag-cbor on exactly the same data in the same run.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>

#include "fil/codec/cbor.h"
#include "fil/codec/value.h"

namespace {

using fil::Bytes;
using fil::codec::Value;
using fil::codec::ValueArray;

// Chain-like data when no file is given: arrays of small maps with
// integers, byte strings, text and links.
Bytes syntheticData() {
  std::mt19937_64 rng(42);
  ValueArray items;
  for (int i = 0; i < 20000; ++i) {
    Bytes blob(rng() % 96);
    for (auto& b : blob) b = static_cast<uint8_t>(rng());
    auto map = Value::fromMap({{"Nonce", Value(static_cast<uint64_t>(rng() % 100000))},
                               {"Value", Value(std::move(blob))},
                               {"Method", Value(static_cast<uint64_t>(rng() % 30))},
                               {"Label", Value(std::string("deal-" + std::to_string(rng() % 1000000)))},
                               {"Link", Value(fil::cid::Cid::compute(fil::cid::Codec::kDagCbor, Bytes{static_cast<uint8_t>(i)}))}});
    items.push_back(std::move(*map));
  }
  return fil::codec::encode(Value(std::move(items)));
}

const Bytes& benchData() {
  static const Bytes data = [] {
    if (const char* path = std::getenv("FIL_CBOR_BENCH_FILE")) {
      std::ifstream in(path, std::ios::binary);
      return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }
    return syntheticData();
  }();
  return data;
}

void BM_DecodeValue(benchmark::State& state) {
  const Bytes& data = benchData();
  for (auto _ : state) {
    auto v = fil::codec::decode<Value>(data, {.max_depth = 256});
    if (!v) state.SkipWithError(v.error().message().c_str());
    benchmark::DoNotOptimize(v);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_DecodeValue)->Unit(benchmark::kMillisecond);

void BM_EncodeValue(benchmark::State& state) {
  const Bytes& data = benchData();
  const auto value = *fil::codec::decode<Value>(data, {.max_depth = 256});
  for (auto _ : state) {
    auto bytes = fil::codec::encode(value);
    benchmark::DoNotOptimize(bytes);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_EncodeValue)->Unit(benchmark::kMillisecond);

// Validation without building values: what a block store does on put.
void BM_Skip(benchmark::State& state) {
  const Bytes& data = benchData();
  for (auto _ : state) {
    fil::codec::CborDecoder d(data, {.max_depth = 256});
    auto ok = d.skip();
    benchmark::DoNotOptimize(ok);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_Skip)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
