// A valid block on a devnet genesis, with the state facts that make it
// valid: shared by the validation tests, the validation fuzz target and
// the benchmarks (not part of the library).
#pragma once

#include <functional>
#include <map>
#include <stdexcept>

#include "fil/chain/beacon.h"
#include "fil/chain/chain_randomness.h"
#include "fil/chain/election.h"
#include "fil/chain/genesis_block.h"
#include "fil/chain/messages.h"
#include "fil/chain/mining.h"
#include "fil/chain/validation.h"
#include "fil/proofs/porep.h"
#include "fil/store/blockstore.h"

namespace fil::chain::testing {

// Facts held in memory.
class FakeState final : public ConsensusStateView {
 public:
  LookbackMinerFacts lookback;
  std::vector<proofs::PublicSectorInfo> sectors;  // the miner's active sectors, by number
  ParentMinerFacts parent;
  primitives::StoragePower network_power;
  std::map<primitives::Address, SenderFacts> senders;

  Result<LookbackMinerFacts> lookbackMiner(const primitives::Address& miner) const override {
    if (miner != lookback_miner) return LookbackMinerFacts{};
    return lookback;
  }
  Result<std::vector<proofs::PublicSectorInfo>> lookbackSectors(const primitives::Address&,
                                                                std::span<const uint64_t> positions) const override {
    std::vector<proofs::PublicSectorInfo> out;
    for (uint64_t p : positions) {
      if (p >= sectors.size()) return fail(GenericError::kOutOfRange, "no active sector at that position");
      out.push_back(sectors[p]);
    }
    return out;
  }
  Result<ParentMinerFacts> parentMiner(const primitives::Address& miner) const override {
    if (miner != lookback_miner) return ParentMinerFacts{};
    return parent;
  }
  Result<primitives::StoragePower> parentNetworkPower() const override { return network_power; }
  Result<SenderFacts> sender(const primitives::Address& from) const override {
    auto it = senders.find(from);
    if (it == senders.end()) return SenderFacts{};
    return it->second;
  }

  primitives::Address lookback_miner;
};

inline crypto::secp256k1::PrivateKey keyFrom(uint8_t seed) {
  crypto::secp256k1::PrivateKey k{};
  k.fill(seed);
  return k;
}

inline primitives::Address addressOf(const crypto::secp256k1::PrivateKey& key) {
  return *primitives::Address::secp256k1(*crypto::secp256k1::derivePublicKey(key));
}

// Makes the winning PoSt of the challenged sectors for the given seed.
using WinningProver = std::function<Result<std::vector<proofs::PoStProof>>(
    std::span<const proofs::PublicSectorInfo> challenged, const proofs::PoStRandomness& seed)>;

struct BlockScenario {
  NetworkParams params = testDevnetParams();
  crypto::secp256k1::PrivateKey worker_key = keyFrom(11);
  crypto::secp256k1::PrivateKey sender_key = keyFrom(12);
  DevnetBeaconSigner beacon = *DevnetBeaconSigner::create(keyFrom(13));
  primitives::Address miner = primitives::Address::id(1000);
  primitives::Address worker = addressOf(worker_key);
  primitives::Address sender = addressOf(sender_key);
  primitives::Address sender_id = primitives::Address::id(100);
  FullTipSet parent;
  BeaconEntry parent_beacon;
  ParentExecution executed;
  FakeState state;
  FullBlock block;
  uint64_t now = 0;

  BlockValidationInputs inputs() const {
    return BlockValidationInputs{params, beacon.beacon(), parent, parent_beacon, executed, state, now};
  }

  primitives::SignedMessage message(uint64_t nonce, int64_t gas_limit = 10'000'000) const {
    primitives::Message m;
    m.to = primitives::Address::id(99);
    m.from = sender;
    m.nonce = nonce;
    m.value = 1;
    m.gas_limit = gas_limit;
    m.gas_fee_cap = 1000;
    m.gas_premium = 100;
    return *primitives::signMessage(m, sender_key);
  }

  // Builds genesis, the facts and a winning block at the first epoch the
  // miner wins (with all the power it wins at nearly every epoch).
  static BlockScenario make(const proofs::PublicSectorInfo& sector, const WinningProver& prove) {
    BlockScenario s;
    const auto state_root = cid::Cid::compute(cid::Codec::kDagCbor, asBytes("genesis state"));
    store::MemoryBlockstore blocks;
    auto genesis = makeGenesisHeader(blocks, state_root, 1'700'000'000, Ticket{Bytes(32, 7)},
                                     s.beacon.genesisEntry(), s.params);
    if (!genesis) throw std::runtime_error(genesis.error().message());
    s.parent.blocks = {FullBlock{*genesis, {}, {}}};
    s.parent_beacon = genesis->beacon_entries.back();
    s.executed = {cid::Cid::compute(cid::Codec::kDagCbor, asBytes("state after genesis")), emptyAmtV0Root()};

    const primitives::StoragePower power = 2048;
    s.state.lookback_miner = s.miner;
    s.state.lookback = {true, s.worker, true, power, power, true,
                        proofs::RegisteredPoStProof::kStackedDrgWinning2KiBV1, 1};
    s.state.sectors = {sector};
    s.state.parent = {true, power, false, -1};
    s.state.network_power = power;
    s.state.senders[s.sender] = {true, s.sender_id, s.sender, true, 0};
    s.state.senders[s.sender_id] = s.state.senders[s.sender];

    const TipSet parent_ts = *s.parent.tipset();
    for (ChainEpoch epoch = 1;; ++epoch) {
      BlockTemplate t;
      t.miner = s.miner;
      t.epoch = epoch;
      t.beacon_entries = *s.beacon.entriesForEpoch(s.parent_beacon, epoch);
      const BeaconEntry& base = t.beacon_entries.back();
      t.election_proof = *computeElectionProof(s.worker_key, electionSeed(base, epoch, s.miner), power, power);
      if (t.election_proof.win_count < 1) continue;
      t.ticket = *computeTicket(s.worker_key, ticketSeed(base, epoch, s.miner, parent_ts.minTicket()));
      const proofs::PoStRandomness seed = winningPoStSeed(base, epoch, s.miner);
      auto proofs = prove(s.state.sectors, seed);
      if (!proofs) throw std::runtime_error(proofs.error().message());
      t.winning_post_proof = *proofs;
      t.messages = {s.message(0), s.message(1)};
      auto block = createBlock(t, s.parent, s.executed, s.state.network_power, s.params, s.worker_key);
      if (!block) throw std::runtime_error(block.error().message());
      s.block = std::move(*block);
      s.now = s.block.header.timestamp;
      return s;
    }
  }
};

}  // namespace fil::chain::testing
