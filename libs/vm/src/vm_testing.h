// Test helpers for libs/vm (test binaries only): deterministic keys, a
// deterministic randomness source, a genesis state with funded accounts and
// a small chain driver that applies signed messages through the VM.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "fil/chain/network.h"
#include "fil/chain/randomness.h"
#include "fil/crypto/blake2b.h"
#include "fil/primitives/key_info.h"
#include "fil/primitives/message.h"
#include "fil/store/blockstore.h"
#include "fil/vm/genesis.h"
#include "fil/vm/state_tree.h"
#include "fil/vm/vm.h"

namespace fil::vm::testing {

inline TokenAmount fil(int64_t n) { return TokenAmount(n) * primitives::kFilecoinPrecision; }

struct Key {
  primitives::KeyInfo info;
  Address address;
};

// The same key for the same seed on every run.
inline Key testKey(uint8_t seed) {
  Bytes material = toBytes(asBytes(std::string_view("fil vm test key")));
  material.push_back(seed);
  const auto digest = crypto::blake2b256(material);
  Key k;
  k.info = {std::string(primitives::kKeyTypeSecp256k1), Bytes(digest.begin(), digest.end())};
  k.address = *primitives::addressOf(k.info);
  return k;
}

// Randomness from a fixed per-epoch base: unpredictable enough for tests,
// the same on every run.
class TestRandomness final : public chain::RandomnessSource {
 public:
  Result<chain::Randomness> fromTickets(chain::DomainSeparationTag tag, chain::ChainEpoch round,
                                        BytesView entropy) const override {
    return chain::drawRandomness(base("ticket", round), tag, round, entropy);
  }
  Result<chain::Randomness> fromBeacon(chain::DomainSeparationTag tag, chain::ChainEpoch round,
                                       BytesView entropy) const override {
    return chain::drawRandomness(base("beacon", round), tag, round, entropy);
  }

 private:
  static Bytes base(std::string_view kind, chain::ChainEpoch round) {
    Bytes b = toBytes(asBytes(kind));
    putU64BE(b, static_cast<uint64_t>(round));
    return b;
  }
};

// Every actor's balance added up: what conservation checks compare with
// genesis::kTotalFilecoin.
inline TokenAmount totalBalance(store::Blockstore& blocks, const cid::Cid& root) {
  auto tree = StateTree::load(blocks, root);
  EXPECT_TRUE(tree) << tree.error().message();
  TokenAmount total = 0;
  auto visited = tree->forEach([&](ActorId, const Actor& a) -> Status {
    total += a.balance;
    return ok();
  });
  EXPECT_TRUE(visited) << visited.error().message();
  return total;
}

// A chain of states driven one message (or cron tick) at a time.
class TestChain {
 public:
  explicit TestChain(const chain::NetworkParams& net = chain::testDevnetParams()) : net_(&net) {}

  // Genesis with an account for each key holding `balance`.
  void genesis(const std::vector<Key>& keys, const TokenAmount& balance) {
    genesis::Template t = genesis::newTemplate(std::string(net_->name));
    for (const auto& k : keys) t.accounts.push_back(genesis::accountEntry(k.address, balance));
    genesisFrom(t);
  }
  void genesisFrom(const genesis::Template& t) {
    auto g = genesis::buildGenesisState(blocks, t, *net_);
    ASSERT_TRUE(g) << g.error().message();
    root = g->state_root;
    genesis_state = *g;
  }

  VmOptions options() const { return {epoch, base_fee, net_, &randomness, verifier}; }

  // Applies one message from `from` (nonce tracked here) at the current epoch.
  Result<ApplyRet> send(const Key& from, const Address& to, MethodNum method, Bytes params,
                        const TokenAmount& value = 0, int64_t gas_limit = 10'000'000'000) {
    primitives::Message m;
    m.from = from.address;
    m.to = to;
    m.nonce = nonces_[from.address.toString()];
    m.value = value;
    m.gas_limit = gas_limit;
    m.gas_fee_cap = base_fee + 10;
    m.gas_premium = 10;
    m.method = method;
    m.params = std::move(params);
    FIL_ASSIGN_OR_RETURN(auto signed_message, primitives::signMessage(m, from.info.private_key));
    FIL_ASSIGN_OR_RETURN(auto r, applySigned(signed_message));
    if (r.receipt.exit_code != ExitCode::kSysErrSenderInvalid &&
        r.receipt.exit_code != ExitCode::kSysErrSenderStateInvalid) {
      nonces_[from.address.toString()] += 1;
    }
    return r;
  }
  template <typename P>
  Result<ApplyRet> sendCbor(const Key& from, const Address& to, MethodNum method, const P& params,
                            const TokenAmount& value = 0) {
    return send(from, to, method, codec::encode(params), value);
  }

  Result<ApplyRet> applySigned(const primitives::SignedMessage& m) {
    FIL_ASSIGN_OR_RETURN(auto vm, Vm::load(blocks, root, options()));
    FIL_ASSIGN_OR_RETURN(auto r, vm->applyMessage(m));
    FIL_ASSIGN_OR_RETURN(root, vm->flush());
    return r;
  }

  // An implicit message (no gas, no nonce) from any actor: how tests call
  // methods that only builtin actors may call.
  Result<ApplyRet> implicit(const Address& from, const Address& to, MethodNum method, Bytes params,
                            const TokenAmount& value = 0) {
    primitives::Message m;
    m.from = from;
    m.to = to;
    m.method = method;
    m.params = std::move(params);
    m.value = value;
    FIL_ASSIGN_OR_RETURN(auto vm, Vm::load(blocks, root, options()));
    FIL_ASSIGN_OR_RETURN(auto r, vm->applyImplicitMessage(m));
    FIL_ASSIGN_OR_RETURN(root, vm->flush());
    return r;
  }

  // Moves to the next epoch and runs its cron tick.
  Status tick() {
    epoch += 1;
    FIL_ASSIGN_OR_RETURN(auto r, implicit(systemActorAddress(), cronActorAddress(), 2, {}));
    if (r.receipt.exit_code != ExitCode::kOk) return fail(VmError::kFatal, "cron failed: " + r.error);
    return ok();
  }
  Status tickTo(chain::ChainEpoch target) {
    while (epoch < target) FIL_TRY(tick());
    return ok();
  }

  const chain::NetworkParams& net() const { return *net_; }

  store::MemoryBlockstore blocks;
  cid::Cid root;
  genesis::GenesisState genesis_state;
  chain::ChainEpoch epoch = 0;
  TokenAmount base_fee = 100;
  TestRandomness randomness;
  const ProofVerifier* verifier = nullptr;

 private:
  const chain::NetworkParams* net_;
  std::map<std::string, uint64_t> nonces_;
};

#define ASSERT_EXIT_CODE(result, code)                                                          \
  do {                                                                                          \
    auto&& fil_r_ = (result);                                                                   \
    ASSERT_TRUE(fil_r_) << fil_r_.error().message();                                           \
    ASSERT_EQ(fil_r_->receipt.exit_code, (code)) << "error: " << fil_r_->error;                 \
  } while (0)

}  // namespace fil::vm::testing
