// Fuzz target: any method of any builtin actor, with any parameter bytes,
// sent by an account through the VM, ends with a receipt: never a crash,
// never a fatal VM error, and the FIL in the state still adds up.
//
// Input: [actor selector][method selector][params...].
#include <array>
#include <cstdint>
#include <cstdlib>

#include "fil/chain/network.h"
#include "fil/crypto/blake2b.h"
#include "fil/primitives/key_info.h"
#include "fil/vm/actors/market.h"
#include "fil/vm/actors/miner.h"
#include "fil/vm/actors/power.h"
#include "fil/vm/buffered_blockstore.h"
#include "fil/vm/genesis.h"
#include "fil/vm/vm.h"

namespace {

using namespace fil;
using namespace fil::vm;

class FixedRandomness final : public chain::RandomnessSource {
 public:
  Result<chain::Randomness> fromTickets(chain::DomainSeparationTag tag, chain::ChainEpoch round,
                                        BytesView entropy) const override {
    return chain::drawRandomness(Bytes{1}, tag, round, entropy);
  }
  Result<chain::Randomness> fromBeacon(chain::DomainSeparationTag tag, chain::ChainEpoch round,
                                       BytesView entropy) const override {
    return chain::drawRandomness(Bytes{2}, tag, round, entropy);
  }
};

struct Fixture {
  store::MemoryBlockstore blocks;
  cid::Cid root;
  Address sender;
  Address miner;
  FixedRandomness randomness;
};

Fixture& fixture() {
  static Fixture* f = [] {
    auto* fx = new Fixture;
    const auto digest = crypto::blake2b256(Bytes{'f', 'u', 'z', 'z'});
    const primitives::KeyInfo key{std::string(primitives::kKeyTypeSecp256k1), Bytes(digest.begin(), digest.end())};
    fx->sender = *primitives::addressOf(key);
    auto t = genesis::newTemplate("fuzznet");
    t.accounts.push_back(
        genesis::accountEntry(fx->sender, primitives::TokenAmount(1'000'000) * primitives::kFilecoinPrecision));
    auto g = genesis::buildGenesisState(fx->blocks, t, chain::testDevnetParams());
    if (!g) std::abort();
    // A miner owned and worked by the sender, so miner methods get past
    // their caller checks.
    auto vm = Vm::load(fx->blocks, g->state_root, {5, 100, &chain::testDevnetParams(), &fx->randomness, nullptr});
    power::CreateMinerParams p{fx->sender, fx->sender,
                               static_cast<int64_t>(proofs::RegisteredPoStProof::kStackedDrgWindow2KiBV1_1), {}, {}};
    primitives::Message m;
    m.from = fx->sender;
    m.to = powerActorAddress();
    m.method = power::kCreateMiner;
    m.params = codec::encode(p);
    m.value = primitives::TokenAmount(100) * primitives::kFilecoinPrecision;
    auto r = (*vm)->applyImplicitMessage(m);
    if (!r || r->receipt.exit_code != ExitCode::kOk) std::abort();
    fx->miner = codec::decode<power::CreateMinerReturn>(r->receipt.return_value)->id_address;
    fx->root = *(*vm)->flush();
    return fx;
  }();
  return *f;
}

// Every classic method number the actors have, and their exported ones.
constexpr std::array<MethodNum, 40> kMethods = {
    0,          1,          2,          3,          4,          5,          6,          7,
    8,          9,          10,         11,         12,         13,         14,         15,
    16,         17,         18,         21,         22,         23,         25,         28,
    2643134072, 1173380165, 822473126,  2280458852, 2236929350, 726108461,  1236548004, 1063480576,
    3302309124, 2354970453, 3665352697, 1010589339, 2812875329, 348244887,  4026106874, 3858292296};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  Fixture& f = fixture();
  const std::array<Address, 8> targets = {systemActorAddress(), initActorAddress(), rewardActorAddress(),
                                          cronActorAddress(),   powerActorAddress(), marketActorAddress(),
                                          f.miner,              Address::id(genesis::kAccountStart)};
  primitives::Message m;
  m.from = f.sender;
  m.to = targets[data[0] % targets.size()];
  m.method = kMethods[data[1] % kMethods.size()];
  m.params = Bytes(data + 2, data + size);
  m.value = data[0] >= 128 ? 1'000'000 : 0;
  m.gas_limit = 10'000'000'000;
  m.gas_fee_cap = 200;
  m.gas_premium = 100;

  // Writes go to a scratch layer, so every input starts from the same state.
  BufferedBlockstore scratch(f.blocks);
  auto vm = Vm::load(scratch, f.root, {10, 100, &chain::testDevnetParams(), &f.randomness, nullptr});
  if (!vm) std::abort();
  auto r = (*vm)->applyMessage(m, codec::encode(m).size() + 67);
  if (!r) std::abort();  // a well-formed message always gets a receipt
  auto root = (*vm)->flush();
  if (!root) std::abort();
  auto tree = StateTree::load(scratch, *root);
  primitives::TokenAmount total = 0;
  if (!tree || !tree->forEach([&](ActorId, const Actor& a) -> Status {
        total += a.balance;
        return ok();
      })) {
    std::abort();
  }
  if (total != genesis::kTotalFilecoin) std::abort();
  return 0;
}
