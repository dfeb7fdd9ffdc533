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
#include "fil/proofs/commp.h"
#include "fil/proofs/sealer.h"
#include "fil/store/blockstore.h"
#include "fil/testing/paths.h"
#include "fil/vm/actors/market.h"
#include "fil/vm/actors/miner.h"
#include "fil/vm/actors/power.h"
#include "fil/vm/genesis.h"
#include "fil/vm/state_tree.h"
#include "fil/vm/state_view.h"
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

// Real 2 KiB sectors for tests: sealed, proven and PoSted with libs/proofs
// in a temporary directory.
struct SealedSector {
  ActorId miner = 0;
  uint64_t number = 0;
  proofs::Ticket ticket{};
  proofs::SealedCommitments cids;
  std::vector<proofs::PieceInfo> pieces;
  cid::Cid sealedCid() const { return proofs::sealedCid(cids.comm_r); }
  cid::Cid unsealedCid() const { return proofs::pieceCid(cids.comm_d); }
  proofs::PublicSectorInfo publicInfo() const {
    return {proofs::RegisteredSealProof::kStackedDrg2KiBV1_1, number, cids.comm_r};
  }
};

class SectorSealer {
 public:
  SectorSealer() : pool_(1), sealer_(dir_.path() / "store", dir_.path() / "parents", pool_) { ctx_.pool = &pool_; }

  // A piece of `unpadded_size` bytes (a valid piece size: 127 * 2^k) of
  // data made from `data_seed` (zeros for seed 0).
  Result<proofs::PieceInfo> addPiece(ActorId miner, uint64_t number, uint64_t unpadded_size, uint8_t data_seed,
                                     std::span<const uint64_t> existing = {}) {
    uint64_t left = unpadded_size;
    uint8_t next = data_seed;
    auto reader = [&](MutableBytesView out) -> Result<size_t> {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(out.size(), left));
      for (size_t i = 0; i < n; ++i) out[i] = next = data_seed == 0 ? 0 : static_cast<uint8_t>(next * 31 + 7);
      left -= n;
      return n;
    };
    return sealer_.addPiece(ref(miner, number), existing, unpadded_size, reader, ctx_);
  }

  // Seals the sector with its pieces added; without pieces, a committed-
  // capacity sector (zeros: the chain expects the zero CommD of sectors
  // without deals).
  Result<SealedSector> seal(ActorId miner, uint64_t number, const proofs::Ticket& ticket,
                            std::vector<proofs::PieceInfo> pieces = {}) {
    if (pieces.empty()) {
      FIL_ASSIGN_OR_RETURN(auto p, addPiece(miner, number, 2032, 0));
      pieces.push_back(p);
    }
    FIL_ASSIGN_OR_RETURN(Bytes pc1, sealer_.preCommit1(ref(miner, number), ticket, pieces, ctx_));
    FIL_ASSIGN_OR_RETURN(auto cids, sealer_.preCommit2(ref(miner, number), pc1, ctx_));
    return SealedSector{miner, number, ticket, cids, std::move(pieces)};
  }

  Result<Bytes> prove(const SealedSector& s, const proofs::InteractiveSeed& seed) {
    return sealer_.commit1(ref(s.miner, s.number), s.ticket, seed, s.cids, ctx_);
  }

  Result<std::vector<proofs::PoStProof>> windowPoSt(ActorId miner, std::span<const proofs::PublicSectorInfo> sectors,
                                                    const proofs::PoStRandomness& randomness) {
    return sealer_.generateWindowPoSt(miner, sectors, randomness, nullptr);
  }

  const std::filesystem::path& dir() const { return dir_.path(); }

 private:
  static proofs::SectorRef ref(ActorId miner, uint64_t number) {
    return {miner, number, proofs::RegisteredSealProof::kStackedDrg2KiBV1_1};
  }
  fil::testing::TempDir dir_;
  proofs::ThreadPool pool_;
  proofs::LocalSealer sealer_;
  proofs::JobContext ctx_;
};

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
    m.nonce = nonceOf(from.address);
    m.value = value;
    m.gas_limit = gas_limit;
    m.gas_fee_cap = base_fee + 10;
    m.gas_premium = 10;
    m.method = method;
    m.params = std::move(params);
    FIL_ASSIGN_OR_RETURN(auto signed_message, primitives::signMessage(m, from.info.private_key));
    return applySigned(signed_message);
  }

  // The sender's next nonce as the current state has it (0 for an unknown sender).
  uint64_t nonceOf(const Address& a) {
    auto tree = StateTree::load(blocks, root);
    if (!tree) return 0;
    auto actor = tree->getActor(a);
    return actor && actor->has_value() ? (*actor)->nonce : 0;
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

  StateView view() {
    auto v = StateView::load(blocks, root);
    EXPECT_TRUE(v) << v.error().message();
    return std::move(*v);
  }
  TokenAmount balance(const Address& a) {
    auto actor = view().getActor(a);
    EXPECT_TRUE(actor && actor->has_value()) << a.toString();
    return actor && actor->has_value() ? (*actor)->balance : TokenAmount(-1);
  }
  // What actors draw: the seal ticket, the interactive seed, WindowPoSt
  // challenges and chain commits (entropy: the miner's address in CBOR).
  chain::Randomness ticketRandomness(chain::DomainSeparationTag tag, chain::ChainEpoch e, const Address& miner) const {
    return *randomness.fromTickets(tag, e, codec::encode(miner));
  }
  chain::Randomness beaconRandomness(chain::DomainSeparationTag tag, chain::ChainEpoch e, const Address& miner) const {
    return *randomness.fromBeacon(tag, e, codec::encode(miner));
  }

  store::MemoryBlockstore blocks;
  cid::Cid root;
  genesis::GenesisState genesis_state;
  chain::ChainEpoch epoch = 0;
  TokenAmount base_fee = 100;
  TestRandomness randomness;
  const ProofVerifier* verifier = nullptr;

 private:
  const chain::NetworkParams* net_;
};

// A chain with funded accounts and miners driven through the VM: creates
// miners, seals real sectors, pre-commits, proves and PoSts them.
class StorageHarness {
 public:
  explicit StorageHarness(const chain::NetworkParams& net = chain::testDevnetParams()) : chain(net) {}

  void genesis(const TokenAmount& balance = fil(10'000)) {
    chain.genesis({owner, worker, client, stranger}, balance);
  }

  // CreateMiner through the power actor, sent by `from` (owner by default).
  Result<power::CreateMinerReturn> createMiner(const TokenAmount& value = fil(100)) {
    power::CreateMinerParams p{owner.address, worker.address, kWindowPoStProof, Bytes{1, 2, 3}, {}};
    FIL_ASSIGN_OR_RETURN(auto r, chain.sendCbor(owner, powerActorAddress(), power::kCreateMiner, p, value));
    if (r.receipt.exit_code != ExitCode::kOk) return fail(r.receipt.exit_code, "CreateMiner: " + r.error);
    return codec::decode<power::CreateMinerReturn>(r.receipt.return_value);
  }

  // Seals sector `number` of `miner` with the ticket drawn at `seal_rand_epoch`.
  Result<SealedSector> seal(const Address& miner, uint64_t number, chain::ChainEpoch seal_rand_epoch,
                            std::vector<proofs::PieceInfo> pieces = {}) {
    const auto ticket = chain.ticketRandomness(chain::DomainSeparationTag::kSealRandomness, seal_rand_epoch, miner);
    return sealer.seal(*miner.idValue(), number, ticket, std::move(pieces));
  }

  miner::SectorPreCommitInfo preCommitInfo(const SealedSector& s, chain::ChainEpoch seal_rand_epoch,
                                           std::vector<DealId> deals = {}) {
    miner::SectorPreCommitInfo info;
    info.seal_proof = static_cast<int64_t>(proofs::RegisteredSealProof::kStackedDrg2KiBV1_1);
    info.sector_number = s.number;
    info.sealed_cid = s.sealedCid();
    info.seal_rand_epoch = seal_rand_epoch;
    info.deal_ids = std::move(deals);
    info.expiration = chain.epoch + chain.net().max_prove_commit_duration + chain.net().min_sector_expiration + 100;
    if (!info.deal_ids.empty()) info.unsealed_cid = s.unsealedCid();
    return info;
  }

  Result<ApplyRet> preCommit(const Address& miner, const miner::SectorPreCommitInfo& info, const Key* from = nullptr) {
    miner::PreCommitSectorBatchParams2 p{{info}};
    return chain.sendCbor(from ? *from : worker, miner, miner::kPreCommitSectorBatch2, p);
  }

  // The interactive seed the miner will draw for a sector pre-committed at `pre_commit_epoch`.
  proofs::InteractiveSeed seedFor(const Address& miner, chain::ChainEpoch pre_commit_epoch) const {
    return chain.beaconRandomness(chain::DomainSeparationTag::kInteractiveSealChallengeSeed,
                                  pre_commit_epoch + chain.net().pre_commit_challenge_delay, miner);
  }

  Result<ApplyRet> proveCommit(const Address& miner, uint64_t number, Bytes proof, const Key* from = nullptr) {
    return chain.sendCbor(from ? *from : worker, miner, miner::kProveCommitSector,
                          miner::ProveCommitSectorParams{number, std::move(proof)});
  }

  // Where the sector sits: (deadline, partition).
  std::optional<std::pair<uint64_t, uint64_t>> locate(const Address& miner, uint64_t number) {
    auto view = chain.view();
    auto deadlines = view.minerDeadlines(miner);
    if (!deadlines) return std::nullopt;
    for (uint64_t d = 0; d < deadlines->size(); ++d) {
      auto parts = view.minerPartitions(miner, d);
      if (!parts) return std::nullopt;
      for (uint64_t p = 0; p < parts->size(); ++p) {
        if ((*parts)[p].sectors.has(number)) return std::pair{d, p};
      }
    }
    return std::nullopt;
  }

  miner::DeadlineInfo provingDeadline(const Address& miner) {
    auto dl = chain.view().minerProvingDeadline(miner, chain.net(), chain.epoch);
    EXPECT_TRUE(dl) << dl.error().message();
    return *dl;
  }

  // Ticks until `deadline` of the miner is open (at its first epoch + `into`).
  Status tickToDeadline(const Address& miner, uint64_t deadline, int64_t into = 1) {
    auto dl = provingDeadline(miner);
    while (!(dl.index == deadline && dl.isOpen())) {
      FIL_TRY(chain.tick());
      dl = provingDeadline(miner);
    }
    return chain.tickTo(dl.open + into);
  }

  // A WindowPoSt for the open deadline over `partitions`, proving `sectors`
  // (the non-faulty sectors of those partitions).
  Result<ApplyRet> submitPoSt(const Address& miner, std::vector<miner::PoStPartition> partitions,
                              const std::vector<SealedSector>& sectors, const Key* from = nullptr,
                              bool corrupt = false) {
    const auto dl = provingDeadline(miner);
    std::vector<proofs::PublicSectorInfo> pub;
    for (const auto& s : sectors) pub.push_back(s.publicInfo());
    std::sort(pub.begin(), pub.end(), [](const auto& a, const auto& b) { return a.sector < b.sector; });
    const auto randomness =
        chain.beaconRandomness(chain::DomainSeparationTag::kWindowedPoStChallengeSeed, dl.challenge, miner);
    miner::SubmitWindowedPoStParams p;
    p.deadline = dl.index;
    p.partitions = std::move(partitions);
    if (!pub.empty()) {
      FIL_ASSIGN_OR_RETURN(auto proofs, sealer.windowPoSt(*miner.idValue(), pub, randomness));
      for (auto& pr : proofs) p.proofs.push_back({static_cast<int64_t>(pr.proof), std::move(pr.proof_bytes)});
    } else {
      p.proofs.push_back({kWindowPoStProof, Bytes(32, 0)});
    }
    if (corrupt) p.proofs[0].proof_bytes[p.proofs[0].proof_bytes.size() / 2] ^= 0x55;
    p.chain_commit_epoch = chain.epoch - 1;
    const auto commit = *chain.randomness.fromTickets(chain::DomainSeparationTag::kPoStChainCommit,
                                                      p.chain_commit_epoch, {});
    p.chain_commit_rand = Bytes(commit.begin(), commit.end());
    return chain.sendCbor(from ? *from : worker, miner, miner::kSubmitWindowedPoSt, p);
  }

  power::Claim claim(const Address& miner) {
    auto power = chain.view().minerPower(miner, chain.net());
    EXPECT_TRUE(power) << power.error().message();
    return power ? power->miner : power::Claim{};
  }

  // Publishes one deal of `piece` from the client to `miner`, starting at
  // `start` and lasting `duration` epochs; returns its ID.
  Result<DealId> publishDeal(const Address& miner, const proofs::PieceInfo& piece, chain::ChainEpoch start,
                             chain::ChainEpoch duration, const TokenAmount& price = 1000,
                             const TokenAmount& provider_collateral = 0) {
    market::DealProposal d;
    d.piece_cid = piece.piece_cid;
    d.piece_size = piece.size;
    d.client = client.address;
    d.provider = miner;
    d.label = {"deal", true};
    d.start_epoch = start;
    d.end_epoch = start + duration;
    d.storage_price_per_epoch = price;
    d.provider_collateral = provider_collateral;
    d.client_collateral = 0;
    FIL_ASSIGN_OR_RETURN(auto signed_deal, market::signProposal(d, client.info.private_key));
    FIL_ASSIGN_OR_RETURN(auto r, chain.sendCbor(worker, marketActorAddress(), market::kPublishStorageDeals,
                                                market::PublishStorageDealsParams{{signed_deal}}));
    if (r.receipt.exit_code != ExitCode::kOk) return fail(r.receipt.exit_code, "PublishStorageDeals: " + r.error);
    FIL_ASSIGN_OR_RETURN(auto ret, codec::decode<market::PublishStorageDealsReturn>(r.receipt.return_value));
    return ret.ids.at(0);
  }

  static constexpr int64_t kWindowPoStProof = static_cast<int64_t>(proofs::RegisteredPoStProof::kStackedDrgWindow2KiBV1_1);

  TestChain chain;
  SectorSealer sealer;
  Key owner = testKey(11);
  Key worker = testKey(12);
  Key client = testKey(13);
  Key stranger = testKey(14);
};

#define ASSERT_EXIT_CODE(result, code)                                                          \
  do {                                                                                          \
    auto&& fil_r_ = (result);                                                                   \
    ASSERT_TRUE(fil_r_) << fil_r_.error().message();                                           \
    ASSERT_EQ(fil_r_->receipt.exit_code, (code)) << "error: " << fil_r_->error;                 \
  } while (0)

}  // namespace fil::vm::testing
