// The full node as its clients see it: a real node (RocksDB repo, a
// pre-sealed 2 KiB genesis miner) behind the JSON-RPC server on loopback,
// called through the API client, as lotus-miner and the markets node do.
//
//   MpoolPushOverRpc/threads:N   signed sends pushed by N clients at once
//   BlockValidation/M            SyncSubmitBlock of a block carrying M
//                                messages: full validation (election,
//                                winning PoSt, signatures, parent execution)
//                                and the head move
//   StateWaitMsgLatency          from submitting the block that makes a
//                                message's receipt until StateWaitMsg
//                                returns to a waiting client, while 4 other
//                                clients push messages
//
// The floor of MpoolPush is the secp256k1 signature check each push does
// (bench_node BM_SignatureVerify) plus one loopback round trip.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>

#include "fil/api/full_node_client.h"
#include "fil/api/serve.h"
#include "fil/mining/block_producer.h"
#include "fil/node/full_node.h"
#include "fil/node/full_node_impl.h"
#include "fil/primitives/key_info.h"
#include "fil/repo/repo.h"
#include "fil/rpc/client.h"
#include "fil/rpc/jwt.h"
#include "fil/rpc/permission.h"
#include "fil/rpc/server.h"
#include "fil/crypto/random.h"
#include "fil/vm/genesis.h"
#include "fil/vm/preseal.h"

namespace {

using namespace fil;
using primitives::Address;

// localnet: its 2880-epoch proving period outlasts the run (nothing submits WindowPoSts here).
const chain::NetworkParams& net() { return chain::devnetParams(); }

constexpr int kSenders = 64;

// One node for the whole run.
struct Devnet {
  std::filesystem::path dir;
  vm::genesis::PreSealResult sealed;
  std::unique_ptr<repo::Repo> repo;
  std::unique_ptr<node::FullNode> node;
  std::unique_ptr<node::FullNodeImpl> impl;
  std::shared_ptr<rpc::JwtAuth> auth;
  std::unique_ptr<rpc::Server> server;
  rpc::ApiInfo info;
  std::unique_ptr<mining::BlockProducer> producer;
  std::vector<primitives::KeyInfo> keys;
  std::vector<Address> senders;
  std::vector<std::atomic<uint64_t>> nonces = std::vector<std::atomic<uint64_t>>(kSenders);

  Devnet() {
    dir = std::filesystem::temp_directory_path() / ("fil-bench-node-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    vm::genesis::PreSealOptions o;
    o.miner = Address::id(1000);
    o.sectors = 2;
    o.root = dir / "sectors";
    o.parent_cache_dir = dir / "parents";
    sealed = *vm::genesis::preSeal(o);
    auto t = vm::genesis::newTemplate("localnet", 1'600'000'000);  // long ago: every epoch is due
    (void)vm::genesis::addMiners(t, {{"t01000", sealed.miner}}, 1000);
    for (int i = 0; i < kSenders; ++i) {
      keys.push_back(primitives::newSecp256k1Key());
      senders.push_back(*primitives::addressOf(keys.back()));
      t.accounts.push_back(vm::genesis::accountEntry(senders.back(), primitives::kFilecoinPrecision * 1'000'000));
    }
    (void)repo::Repo::init(dir / "lotus", repo::RepoType::kFullNode);
    repo = std::move(*repo::Repo::open(dir / "lotus", repo::RepoType::kFullNode));
    auto opened = node::FullNode::open(*repo, net(), {.make_genesis = dir / "devgen.car", .genesis_template = t});
    if (!opened) throw std::runtime_error(opened.error().message());
    node = std::move(*opened);
    impl = std::make_unique<node::FullNodeImpl>(*node);
    (void)impl->walletImport(sealed.key);
    auth = std::make_shared<rpc::JwtAuth>(crypto::randomBytes(rpc::kJwtSecretSize));
    server = std::make_unique<rpc::Server>(rpc::ServerOptions{}, auth);
    api::serveFullNodeApi(*server, *impl);
    info = rpc::ApiInfo{auth->create({rpc::allPermissions(), std::nullopt, std::nullopt}), *server->start()};
    producer = std::make_unique<mining::BlockProducer>(*impl, mining::ProducerConfig{.miner = Address::id(1000), .network = &net()},
                                                       mining::localWinningProver(dir / "sectors"));
  }
  ~Devnet() {
    server->stop();
    producer.reset();
    impl.reset();
    node.reset();
    repo.reset();
    std::filesystem::remove_all(dir);
  }

  std::unique_ptr<rpc::Client> client() const { return std::move(*rpc::Client::connect(info)); }

  // The sender's next message; the nonce is taken (use from one thread per sender).
  primitives::SignedMessage nextSend(int sender) {
    auto m = signedSend(sender, nonces[sender]);
    ++nonces[sender];
    return m;
  }
  primitives::SignedMessage signedSend(int sender, uint64_t nonce) const {
    primitives::Message m;
    m.from = senders[sender];
    m.to = Address::id(1000);
    m.value = 1;
    m.nonce = nonce;
    m.gas_limit = 2'000'000;
    m.gas_fee_cap = 2'000'000'000;  // above the initial base fee (1e8 attoFIL) and its growth
    m.gas_premium = 100'000;
    return *primitives::signMessage(m, keys[sender].private_key);
  }

  // Mines one block on the head (retrying lost elections as null rounds); returns it unsubmitted.
  chain::BlockMsg mineNext() {
    const auto head = node->chain().heaviest();
    for (chain::ChainEpoch e = head.height() + 1;; ++e) {
      auto b = producer->mineOne(head, e);
      if (!b) throw std::runtime_error(b.error().message());
      if (*b) return **b;
    }
  }
  void mineAndSubmit() { (void)impl->syncSubmitBlock(mineNext()); }
};

Devnet& devnet() {
  static Devnet d;
  return d;
}

void BM_MpoolPushOverRpc(benchmark::State& state) {
  Devnet& d = devnet();
  auto c = d.client();
  api::FullNodeClient api(*c);
  // Each thread its own senders: no sender goes past the pool's 1000 pending.
  const int per_thread = kSenders / state.threads();
  int k = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const int sender = state.thread_index() * per_thread + (k++ % per_thread);
    auto m = d.nextSend(sender);
    state.ResumeTiming();
    auto r = api.mpoolPush(m);
    if (!r) {
      state.SkipWithError(r.error().message().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    state.counters["pending"] = static_cast<double>(d.node->mpool().size());
  }
}
BENCHMARK(BM_MpoolPushOverRpc)->Threads(1)->Threads(8)->Iterations(4000)->UseRealTime();

void BM_BlockValidation(benchmark::State& state) {
  Devnet& d = devnet();
  while (d.node->mpool().size() > 0) d.mineAndSubmit();  // drain what earlier benchmarks left in the pool
  d.mineAndSubmit();  // and execute the last of it
  auto c = d.client();
  api::FullNodeClient api(*c);
  for (auto _ : state) {
    state.PauseTiming();
    for (int i = 0; i < state.range(0); ++i) (void)d.node->mpool().push(d.nextSend(i % kSenders));
    const auto block = d.mineNext();
    if (static_cast<int64_t>(block.secpk_messages.size()) != state.range(0)) {
      const std::string why = "the block took " + std::to_string(block.secpk_messages.size()) + " of " +
                              std::to_string(d.node->mpool().size()) + " pending messages";
      state.SkipWithError(why.c_str());
      break;
    }
    state.ResumeTiming();
    auto r = api.syncSubmitBlock(block);
    if (!r) {
      state.SkipWithError(r.error().message().c_str());
      break;
    }
  }
  state.counters["messages"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_BlockValidation)->Arg(0)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->Iterations(10)->UseRealTime();

void BM_StateWaitMsgLatency(benchmark::State& state) {
  Devnet& d = devnet();
  d.mineAndSubmit();
  d.mineAndSubmit();
  // Load: 4 clients pushing all the time, from senders of their own.
  std::atomic<bool> stop{false};
  std::vector<std::thread> load;
  for (int t = 0; t < 4; ++t) {
    load.emplace_back([&, t] {
      auto c = d.client();
      api::FullNodeClient api(*c);
      for (int k = 0; !stop; ++k) {
        const int sender = 32 + t * 8 + k % 8;
        // A sender at the pool's 1000 pending waits for blocks; its nonce advances only when a push lands.
        if (api.mpoolPush(d.signedSend(sender, d.nonces[sender]))) {
          ++d.nonces[sender];
        } else {
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
      }
    });
  }
  auto waiter_conn = d.client();
  api::FullNodeClient waiter(*waiter_conn);
  for (auto _ : state) {
    const auto m = d.nextSend(0);
    if (auto pushed = d.node->mpool().push(m); !pushed) {
      state.SkipWithError(("MpoolPush failed: " + pushed.error().message()).c_str());
      break;
    }
    // Blocks until one includes m (under load a block may fill up first).
    for (bool included = false; !included;) {
      const auto b = d.mineNext();
      included = std::find(b.secpk_messages.begin(), b.secpk_messages.end(), m.cid()) != b.secpk_messages.end();
      (void)d.impl->syncSubmitBlock(b);
    }
    const auto next = d.mineNext();  // its parent executes m: the receipt
    std::atomic<int64_t> returned_ns{0};
    std::string error;
    std::thread w([&] {
      auto r = waiter.stateWaitMsg(m.cid(), 0, -1, true);
      if (r) {
        returned_ns = std::chrono::steady_clock::now().time_since_epoch().count();
      } else {
        error = r.error().message();
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the waiter is waiting
    const auto t0 = std::chrono::steady_clock::now();
    (void)d.impl->syncSubmitBlock(next);
    w.join();
    if (returned_ns == 0) {
      state.SkipWithError(("StateWaitMsg failed: " + error).c_str());
      break;
    }
    state.SetIterationTime(static_cast<double>(returned_ns - t0.time_since_epoch().count()) / 1e9);
  }
  stop = true;
  for (auto& t : load) t.join();
}
BENCHMARK(BM_StateWaitMsgLatency)->Iterations(20)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
