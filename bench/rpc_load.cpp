// JSON-RPC load: Filecoin.Version (a read method) over WebSocket with 1 and
// 64 concurrent connections, each calling back to back for a few seconds.
// Prints requests per second and p50/p99 latency. Run: build/bench/rpc_load
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "fil/api/common_client.h"
#include "fil/api/common_impl.h"
#include "fil/api/serve.h"
#include "fil/base/log.h"
#include "fil/crypto/random.h"
#include "fil/rpc/client.h"
#include "fil/rpc/server.h"

int main(int argc, char** argv) {
  using namespace fil;
  using Clock = std::chrono::steady_clock;
  const double seconds = argc > 1 ? std::atof(argv[1]) : 5.0;
  (void)log::configure({.default_level = "warn"});
  auto auth = std::make_shared<rpc::JwtAuth>(crypto::randomBytes(rpc::kJwtSecretSize));
  rpc::Server server(rpc::ServerOptions{}, auth);
  api::CommonImpl common({"1.23.3+filstack", api::kFullApiVersion0, 4, auth, nullptr, nullptr});
  api::serveCommonApi(server, common);
  const auto addr = *server.start();
  const auto token = auth->create({{"read"}, std::nullopt, std::nullopt});

  std::printf("connections  requests/s  p50 (us)  p99 (us)\n");
  for (const int connections : {1, 64}) {
    std::vector<std::vector<double>> latencies(connections);
    std::atomic<bool> go{false};
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (int c = 0; c < connections; ++c) {
      threads.emplace_back([&, c] {
        auto client = rpc::Client::connect({token, addr});
        if (!client) return;
        api::CommonClient api(**client);
        while (!go) std::this_thread::yield();
        while (!stop) {
          const auto t0 = Clock::now();
          if (!api.version()) return;
          latencies[c].push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let everyone connect
    go = true;
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (auto& t : threads) t.join();
    std::vector<double> all;
    for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    const auto at = [&](double q) { return all.empty() ? 0.0 : all[static_cast<size_t>(q * (all.size() - 1))]; };
    std::printf("%11d  %10.0f  %8.0f  %8.0f\n", connections, all.size() / seconds, at(0.5), at(0.99));
  }
  server.stop();
  return 0;
}
