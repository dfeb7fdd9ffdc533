// libp2p host figures: one stream's throughput over loopback TCP (Noise +
// yamux), handshakes per second, and the physical limit beside them:
// ChaCha20-Poly1305 alone on one core (libsodium's, and OpenSSL's, which the
// transport uses), which every byte passes through twice (sealed by the
// sender, opened by the receiver).
//
// The two hosts run on two threads with an io_context each, as two
// processes would. tests/interop/bench/libp2p.mjs runs js-libp2p through the
// same exercises and prints the ratios.
//
//   build/bench/bench_net --benchmark_filter=.
#include <benchmark/benchmark.h>

#include <sys/resource.h>

#include <future>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "fil/crypto/chachapoly.h"
#include "fil/crypto/random.h"
#include "fil/net/host.h"

namespace {

namespace asio = boost::asio;
using fil::Bytes;
using fil::BytesView;
using fil::net::Host;
using fil::net::HostConfig;
using fil::net::HostKey;
using fil::net::Stream;

constexpr std::string_view kSink = "/bench/sink/1.0.0";
constexpr size_t kChunk = 256 * 1024;

// A host with its own io_context thread.
struct Node {
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  std::unique_ptr<Host> host;
  std::thread thread;

  Node() {
    HostConfig config;
    config.listen_addresses = {"/ip4/127.0.0.1/tcp/0"};
    config.max_connections_per_peer = 1 << 20;
    config.conn_mgr_low = 1 << 20;
    config.conn_mgr_high = 1 << 20;
    host = Host::create(io, HostKey::generate(), config).value();
    if (!host->listen()) std::abort();
    thread = std::thread([this] { io.run(); });
  }
  ~Node() {
    asio::post(io, [this] { host->close(); });
    work.reset();
    asio::post(io, [this] { io.stop(); });
    thread.join();
  }
  // Runs `task` on this node's thread and waits for it.
  template <typename T>
  T run(asio::awaitable<T> task) {
    std::promise<T> done;
    asio::co_spawn(io, std::move(task), [&](std::exception_ptr e, T value) {
      if (e) std::abort();
      done.set_value(std::move(value));
    });
    return done.get_future().get();
  }
  fil::cid::Multiaddr address() const {
    return host->listenAddresses()[0].encapsulate(*fil::cid::Multiaddr::parse("/p2p/" + host->id().toString()));
  }
};

// CPU seconds this process has used, all threads: machines running other
// work skew wall-clock rates, while bytes per CPU-second compare stacks fairly.
double processCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void BM_ChaCha20Poly1305(benchmark::State& state) {
  const auto key = fil::crypto::randomArray<32>();
  const Bytes plain = fil::crypto::randomBytes(65519);  // one full Noise frame
  Bytes out;
  uint64_t n = 0;
  for (auto _ : state) {
    out.clear();
    fil::crypto::chachapoly::seal(key, fil::crypto::chachapoly::noiseNonce(n++), plain, {}, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * plain.size()));
}
BENCHMARK(BM_ChaCha20Poly1305);

// The same cipher through OpenSSL (fil::crypto::chachapoly::Cipher), which
// our Noise transport uses.
void BM_ChaCha20Poly1305OpenSsl(benchmark::State& state) {
  fil::crypto::chachapoly::Cipher cipher(fil::crypto::randomArray<32>());
  const Bytes plain = fil::crypto::randomBytes(65519);
  Bytes out(plain.size() + fil::crypto::chachapoly::kTagSize);
  uint64_t n = 0;
  for (auto _ : state) {
    cipher.sealTo(fil::crypto::chachapoly::noiseNonce(n++), plain, {}, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * plain.size()));
}
BENCHMARK(BM_ChaCha20Poly1305OpenSsl);

void BM_StreamThroughput(benchmark::State& state) {
  Node sender;
  Node receiver;
  receiver.host->setStreamHandler(std::string(kSink), [](Stream s) -> asio::awaitable<void> {
    Bytes buffer(kChunk);
    for (;;) {
      auto n = co_await s.readSome(buffer);
      if (!n || *n == 0) break;
    }
    (void)s.closeWrite();
  });
  const auto peer = *sender.run([&]() -> asio::awaitable<std::optional<fil::net::PeerId>> {
    auto p = co_await sender.host->connect(receiver.address());
    if (!p) std::abort();
    co_return *p;
  }());
  const Bytes chunk = fil::crypto::randomBytes(kChunk);
  const size_t total = static_cast<size_t>(state.range(0)) * 1024 * 1024;
  const double cpu_start = processCpuSeconds();
  for (auto _ : state) {
    auto ok = sender.run([&]() -> asio::awaitable<bool> {
      const std::vector<std::string> protocols{std::string(kSink)};
      auto s = co_await sender.host->newStream(peer, protocols);
      if (!s) co_return false;
      for (size_t sent = 0; sent < total; sent += chunk.size()) {
        if (!co_await s->write(chunk)) co_return false;
      }
      if (!s->closeWrite()) co_return false;
      Bytes tail(16);
      auto end = co_await s->readSome(tail);  // the receiver has read everything
      co_return end && *end == 0;
    }());
    if (!ok) {
      state.SkipWithError("transfer failed");
      break;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * total));
  // Sender and receiver together, as the js figure counts both processes.
  state.counters["bytes_per_cpu_second"] =
      static_cast<double>(state.iterations() * total) / (processCpuSeconds() - cpu_start);
}
BENCHMARK(BM_StreamThroughput)->Arg(256)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Handshakes(benchmark::State& state) {
  Node client;
  Node server;
  // Without /p2p/<id>, connect() dials a new connection each time.
  const auto address = server.host->listenAddresses()[0];
  for (auto _ : state) {
    const bool ok = client.run([&]() -> asio::awaitable<bool> {
      auto peer = co_await client.host->connect(address);
      if (!peer) co_return false;
      client.host->disconnect(*peer);
      co_return true;
    }());
    if (!ok) {
      state.SkipWithError("dial failed");
      break;
    }
  }
  state.counters["handshakes/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Handshakes)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
