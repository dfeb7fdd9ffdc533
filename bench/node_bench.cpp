// Message pool benchmarks, each beside its floor measured in the same run:
//   MpoolPush of signed messages (validity checks, signature recovery,
//   bookkeeping) against the secp256k1 signature verification every push
//   must do; MpoolPushMessage (nonce, gas estimation, signing, push) against
//   one sign plus one verification; block selection from a full pool.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <filesystem>
#include <map>

#include "fil/node/gas_estimator.h"
#include "fil/node/message_pusher.h"
#include "fil/node/mpool.h"
#include "fil/node/wallet.h"
#include "fil/primitives/key_info.h"
#include "fil/store/keystore.h"
#include "fil/store/memory_datastore.h"

namespace {

using namespace fil;
using namespace fil::node;

class BenchChain final : public MpoolChain, public GasChain {
 public:
  Result<SenderState> senderState(const Address& a) const override {
    auto it = actors.find(a);
    if (it == actors.end()) return fail(GenericError::kNotFound, "no actor");
    return it->second;
  }
  Result<Address> keyAddress(const Address& a) const override { return a; }
  TokenAmount minimumBaseFee() const override { return 100; }
  int64_t blockGasLimit() const override { return 10'000'000'000; }
  int64_t onChainMessageGas(size_t size) const override { return 38863 + 475000 + 36 + static_cast<int64_t>(size); }
  Result<int64_t> gasUsed(const Message&, const SenderAfterPending&) const override { return 1'000'000; }
  TokenAmount headParentBaseFee() const override { return 100; }
  Result<std::vector<TipSetGas>> recentGas(size_t) const override { return std::vector<TipSetGas>{}; }
  int64_t blockGasTarget() const override { return 5'000'000'000; }
  std::map<Address, SenderState> actors;
};

struct Sender {
  primitives::KeyInfo key = primitives::newSecp256k1Key();
  Address address = *primitives::addressOf(key);
};

SignedMessage signedSend(const Sender& s, uint64_t nonce, int64_t premium) {
  Message m;
  m.from = s.address;
  m.to = Address::id(1000);
  m.nonce = nonce;
  m.value = 1;
  m.gas_limit = 1'000'000;
  m.gas_fee_cap = 100'000 + premium;
  m.gas_premium = premium;
  return *primitives::signMessage(m, s.key.private_key);
}

void BM_SignatureVerify(benchmark::State& state) {
  Sender s;
  const auto sm = signedSend(s, 0, 1000);
  const Bytes data = sm.message.cid().toBytes();
  for (auto _ : state) benchmark::DoNotOptimize(primitives::verifySignature(sm.signature, s.address, data));
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("floor of MpoolPush");
}
BENCHMARK(BM_SignatureVerify);

void BM_MpoolPush(benchmark::State& state) {
  BenchChain chain;
  std::vector<Sender> senders(64);
  for (const auto& s : senders) chain.actors[s.address] = SenderState{0, TokenAmount(1) << 100, true};
  // Signed ahead: the loop measures the pool, not the signing.
  std::vector<SignedMessage> messages;
  constexpr size_t kPerSender = 200;
  for (size_t n = 0; n < kPerSender; ++n) {
    for (const auto& s : senders) messages.push_back(signedSend(s, n, 1000 + static_cast<int64_t>(n)));
  }
  size_t next = 0;
  auto ds = store::makeMemoryDatastore();
  auto pool = std::make_unique<MessagePool>(chain, *ds, MpoolConfig{.size_limit_high = 1'000'000});
  for (auto _ : state) {
    if (next == messages.size()) {
      state.PauseTiming();
      ds = store::makeMemoryDatastore();
      pool = std::make_unique<MessagePool>(chain, *ds, MpoolConfig{.size_limit_high = 1'000'000});
      next = 0;
      state.ResumeTiming();
    }
    benchmark::DoNotOptimize(pool->push(messages[next++]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MpoolPush);

void BM_MpoolPushMessage(benchmark::State& state) {
  const auto dir = std::filesystem::temp_directory_path() / ("fil-bench-keystore-" + std::to_string(::getpid()));
  auto keystore = *store::Keystore::open(store::defaultFileSystem(), dir.string());
  Wallet wallet(keystore);
  BenchChain chain;
  const Address from = *wallet.newAddress("secp256k1");
  chain.actors[from] = SenderState{0, TokenAmount(1) << 100, true};
  auto ds = store::makeMemoryDatastore();
  MessagePool pool(chain, *ds, MpoolConfig{.size_limit_high = 1'000'000, .max_pending_per_sender = 1'000'000});
  GasEstimator gas(chain, pool);
  MessagePusher pusher(pool, gas, wallet, chain);
  Message m;
  m.from = from;
  m.to = Address::id(1000);
  m.value = 1;
  for (auto _ : state) benchmark::DoNotOptimize(pusher.push(m, {}));
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("keystore read + sign + push");
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_MpoolPushMessage);

void BM_SelectFromFullPool(benchmark::State& state) {
  BenchChain chain;
  std::vector<Sender> senders(100);
  auto ds = store::makeMemoryDatastore();
  MessagePool pool(chain, *ds);
  for (const auto& s : senders) chain.actors[s.address] = SenderState{0, TokenAmount(1) << 100, true};
  for (size_t n = 0; n < 100; ++n) {
    for (size_t i = 0; i < senders.size(); ++i) {
      (void)pool.add(signedSend(senders[i], n, 1000 + static_cast<int64_t>((i * 7919 + n * 104729) % 5000)));
    }
  }
  for (auto _ : state) benchmark::DoNotOptimize(pool.select(100, 10'000'000'000));
  state.SetLabel("10000 pending, 100 senders");
}
BENCHMARK(BM_SelectFromFullPool)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
