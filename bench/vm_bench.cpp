// VM throughput (make bench): signed messages applied per second (simple
// sends, PreCommitSector) and the state root computation of a 100k-actor
// state tree, beside the limits measured in the same run: secp256k1
// signature verification (every signed message pays one) and blake2b-256
// over state-sized blocks (every state block is hashed once).
#include <benchmark/benchmark.h>

#include <random>

#include "fil/chain/network.h"
#include "fil/crypto/blake2b.h"
#include "fil/primitives/key_info.h"
#include "fil/primitives/message.h"
#include "fil/proofs/commp.h"
#include "fil/store/blockstore.h"
#include "fil/vm/actors/account.h"
#include "fil/vm/actors/miner.h"
#include "fil/vm/actors/power.h"
#include "fil/vm/genesis.h"
#include "fil/vm/vm.h"

namespace {

using namespace fil;
using namespace fil::vm;

struct Key {
  primitives::KeyInfo info;
  primitives::Address address;
};

Key benchKey(uint8_t seed) {
  const auto digest = crypto::blake2b256(Bytes{'b', 'e', 'n', 'c', 'h', seed});
  Key k{{std::string(primitives::kKeyTypeSecp256k1), Bytes(digest.begin(), digest.end())}, {}};
  k.address = *primitives::addressOf(k.info);
  return k;
}

TokenAmount fil(int64_t n) { return TokenAmount(n) * primitives::kFilecoinPrecision; }

const chain::NetworkParams& net() { return chain::testDevnetParams(); }

primitives::SignedMessage sign(const Key& from, const primitives::Address& to, uint64_t nonce, MethodNum method,
                               Bytes params, const TokenAmount& value) {
  primitives::Message m;
  m.from = from.address;
  m.to = to;
  m.nonce = nonce;
  m.value = value;
  m.gas_limit = 1'000'000'000;
  m.gas_fee_cap = 200;
  m.gas_premium = 100;
  m.method = method;
  m.params = std::move(params);
  return *primitives::signMessage(m, from.info.private_key);
}

cid::Cid genesisWith(store::Blockstore& blocks, const std::vector<Key>& keys) {
  auto t = genesis::newTemplate("testnet");
  for (const auto& k : keys) t.accounts.push_back(genesis::accountEntry(k.address, fil(1'000'000)));
  return genesis::buildGenesisState(blocks, t, net())->state_root;
}

// ---- limits ----

void BM_Secp256k1Verify(benchmark::State& state) {
  const Key k = benchKey(1);
  const Bytes payload(38, 0x42);
  const auto sig = *primitives::signSecp256k1(k.info.private_key, payload);
  for (auto _ : state) benchmark::DoNotOptimize(primitives::verifySignature(sig, k.address, payload));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Secp256k1Verify);

void BM_Blake2b256StateBlocks(benchmark::State& state) {
  const Bytes block(static_cast<size_t>(state.range(0)), 0x17);
  for (auto _ : state) benchmark::DoNotOptimize(crypto::blake2b256(block));
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Blake2b256StateBlocks)->Arg(100)->Arg(1000);

// ---- messages ----

// Value transfers between two existing accounts, 1000 per block, applied
// and flushed as a tipset's messages are.
void BM_ApplySimpleSends(benchmark::State& state) {
  store::MemoryBlockstore blocks;
  const Key alice = benchKey(2), bob = benchKey(3);
  const cid::Cid root = genesisWith(blocks, {alice, bob});
  constexpr int kMessages = 1000;
  std::vector<primitives::SignedMessage> msgs;
  for (int i = 0; i < kMessages; ++i) msgs.push_back(sign(alice, bob.address, i, kMethodSend, {}, 1));
  for (auto _ : state) {
    auto vm = Vm::load(blocks, root, {1, 100, &net(), nullptr, nullptr});
    for (const auto& m : msgs) {
      auto r = (*vm)->applyMessage(m);
      if (!r || r->receipt.exit_code != ExitCode::kOk) state.SkipWithError("send failed");
    }
    benchmark::DoNotOptimize((*vm)->flush());
  }
  state.SetItemsProcessed(state.iterations() * kMessages);
}
BENCHMARK(BM_ApplySimpleSends)->Unit(benchmark::kMillisecond);

// PreCommitSector (PreCommitSectorBatch2 of one sector) from a miner's
// worker, 200 distinct sectors per block: deposit, pre-commit map, allocated
// sector bitfield, clean-up queue, calls to reward and power.
void BM_ApplyPreCommitSector(benchmark::State& state) {
  store::MemoryBlockstore blocks;
  const Key owner = benchKey(4);
  cid::Cid root = genesisWith(blocks, {owner});
  primitives::Address miner;
  {
    auto vm = Vm::load(blocks, root, {1, 100, &net(), nullptr, nullptr});
    power::CreateMinerParams p{owner.address, owner.address,
                               static_cast<int64_t>(proofs::RegisteredPoStProof::kStackedDrgWindow2KiBV1_1), {}, {}};
    auto r = (*vm)->applyMessage(sign(owner, powerActorAddress(), 0, power::kCreateMiner, codec::encode(p), fil(1000)));
    miner = codec::decode<power::CreateMinerReturn>(r->receipt.return_value)->id_address;
    root = *(*vm)->flush();
  }
  constexpr int kSectors = 200;
  std::mt19937_64 rng(5);
  std::vector<primitives::SignedMessage> msgs;
  for (int i = 0; i < kSectors; ++i) {
    proofs::Commitment comm_r;
    for (auto& b : comm_r) b = static_cast<uint8_t>(rng());
    comm_r[31] &= 0x3f;
    miner::SectorPreCommitInfo pc;
    pc.seal_proof = static_cast<int64_t>(proofs::RegisteredSealProof::kStackedDrg2KiBV1_1);
    pc.sector_number = static_cast<uint64_t>(i);
    pc.sealed_cid = proofs::sealedCid(comm_r);
    pc.seal_rand_epoch = 9;
    pc.expiration = 10 + net().max_prove_commit_duration + net().min_sector_expiration + 100;
    msgs.push_back(sign(owner, miner, static_cast<uint64_t>(i) + 1, miner::kPreCommitSectorBatch2,
                        codec::encode(miner::PreCommitSectorBatchParams2{{pc}}), 0));
  }
  for (auto _ : state) {
    auto vm = Vm::load(blocks, root, {10, 100, &net(), nullptr, nullptr});
    for (const auto& m : msgs) {
      auto r = (*vm)->applyMessage(m);
      if (!r || r->receipt.exit_code != ExitCode::kOk) state.SkipWithError("pre-commit failed");
    }
    benchmark::DoNotOptimize((*vm)->flush());
  }
  state.SetItemsProcessed(state.iterations() * kSectors);
}
BENCHMARK(BM_ApplyPreCommitSector)->Unit(benchmark::kMillisecond);

// ---- state root ----

Actor accountActor(store::Blockstore& blocks, uint8_t seed, int64_t balance) {
  static const cid::Cid head = *store::putCbor(blocks, account::State{benchKey(seed).address});
  return Actor{codeCid(ActorType::kAccount), head, 0, balance, std::nullopt};
}

// 100k actors written into an empty tree and the root computed: HAMT nodes
// built, encoded, hashed and stored.
void BM_StateRoot100kActors(benchmark::State& state) {
  constexpr ActorId kActors = 100'000;
  for (auto _ : state) {
    state.PauseTiming();
    store::MemoryBlockstore blocks;
    auto tree = StateTree::create(blocks);
    for (ActorId id = 100; id < 100 + kActors; ++id) {
      if (!tree->setActor(Address::id(id), accountActor(blocks, 1, static_cast<int64_t>(id)))) {
        state.SkipWithError("set");
      }
    }
    state.ResumeTiming();
    benchmark::DoNotOptimize(tree->flush());
  }
  state.SetItemsProcessed(state.iterations() * kActors);
}
BENCHMARK(BM_StateRoot100kActors)->Unit(benchmark::kMillisecond)->Iterations(3);

// The common case: 1000 of 100k actors changed (a block's worth of
// messages), the new root computed.
void BM_StateRootUpdate1kOf100k(benchmark::State& state) {
  constexpr ActorId kActors = 100'000;
  store::MemoryBlockstore blocks;
  cid::Cid root;
  {
    auto tree = StateTree::create(blocks);
    for (ActorId id = 100; id < 100 + kActors; ++id) {
      if (!tree->setActor(Address::id(id), accountActor(blocks, 1, static_cast<int64_t>(id)))) state.SkipWithError("set");
    }
    root = *tree->flush();
  }
  std::mt19937_64 rng(9);
  int64_t round = 0;
  for (auto _ : state) {
    auto tree = StateTree::load(blocks, root);
    ++round;
    for (int i = 0; i < 1000; ++i) {
      const ActorId id = 100 + rng() % kActors;
      if (!tree->setActor(Address::id(id), accountActor(blocks, 1, round))) state.SkipWithError("set");
    }
    benchmark::DoNotOptimize(tree->flush());
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_StateRootUpdate1kOf100k)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
