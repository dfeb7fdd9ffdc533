// A storage provider's life on a devnet, driven through tipsets only
// (applyTipSet: signed messages, block rewards, cron):
//
//   genesis with a pre-sealed miner (t01000, sectors sealed by preSeal);
//   a second miner created with CreateMiner; a client deal published; a
//   real 2 KiB sector holding the deal's piece pre-committed and proven
//   with the interactive seed; WindowPoSt for its deadlines (and the
//   genesis miner's, from its pre-sealed files); one deadline missed, the
//   sector marked faulty, declared recovered and proven again; the miner's
//   peer ID and multiaddrs changed.
//
// After every tipset the balances add up to the 2 billion FIL of genesis,
// and the reward actor pays exactly the block reward. The scenario runs
// twice and must end at the same state root, which is also pinned.
#include <gtest/gtest.h>

#include "fil/base/base58.h"
#include "fil/cid/multiaddr.h"
#include "fil/vm/actors/market.h"
#include "fil/vm/actors/miner.h"
#include "fil/vm/actors/power.h"
#include "fil/vm/actors/reward.h"
#include "fil/vm/preseal.h"
#include "fil/vm/tipset.h"
#include "vm_testing.h"

namespace fil::vm {
namespace {

using chain::DomainSeparationTag;
using testing::fil;
using testing::Key;
using testing::testKey;

// The state root the scenario ends at. It changes when anything that goes
// into the state changes (actor rules, gas prices, encodings); update it
// only for an intended change.
constexpr std::string_view kGoldenRoot = "bafy2bzacebozukt7df2daksqbme67fdc3wfasul55mrcrxvhpxzx677fecdui";

using Prover = std::function<Result<std::vector<proofs::PoStProof>>(std::span<const proofs::PublicSectorInfo>,
                                                                    const proofs::PoStRandomness&)>;

class Scenario {
 public:
  Scenario() : net_(chain::testDevnetParams()) {}

  // Runs the whole scenario; returns the final state root.
  cid::Cid run() {
    setUpGenesis();
    if (::testing::Test::HasFatalFailure()) return {};
    createSecondMiner();
    if (::testing::Test::HasFatalFailure()) return {};
    publishAndSeal();
    if (::testing::Test::HasFatalFailure()) return {};
    proveMissRecover();
    if (::testing::Test::HasFatalFailure()) return {};
    changeIdentity();
    return root_;
  }

 private:
  // ---- chain driving ----

  StateView view() {
    auto v = StateView::load(blocks_, root_);
    EXPECT_TRUE(v) << v.error().message();
    return std::move(*v);
  }
  TokenAmount balance(const Address& a) {
    auto actor = view().getActor(a);
    return actor && actor->has_value() ? (*actor)->balance : TokenAmount(0);
  }
  // The epoch the next tipset applies its messages at.
  chain::ChainEpoch nextEpoch() const { return epoch_ + 1; }

  void queue(const Key& from, const Address& to, MethodNum method, Bytes params, const TokenAmount& value = 0) {
    primitives::Message m;
    m.from = from.address;
    m.to = to;
    uint64_t nonce = 0;
    auto actor = view().getActor(from.address);
    if (actor && actor->has_value()) nonce = (*actor)->nonce;
    for (const auto& q : queued_) nonce += q.message.from == from.address ? 1 : 0;
    m.nonce = nonce;
    m.value = value;
    m.gas_limit = 5'000'000'000;
    m.gas_fee_cap = base_fee_ + 100;
    m.gas_premium = 100;
    m.method = method;
    m.params = std::move(params);
    auto sm = primitives::signMessage(m, from.info.private_key);
    ASSERT_TRUE(sm);
    queued_.push_back(*sm);
  }
  template <typename P>
  void queueCbor(const Key& from, const Address& to, MethodNum method, const P& p, const TokenAmount& value = 0) {
    queue(from, to, method, codec::encode(p), value);
  }

  // Applies the next tipset (one block by the genesis miner); every message
  // must succeed. Returns the receipts.
  std::vector<chain::MessageReceipt> step() {
    // PoSts due at the next epoch go in the same block.
    for (auto& [id, prover] : provers_) queuePoStIfDue(Address::id(id), prover);
    const TokenAmount total_before = testing::totalBalance(blocks_, root_);
    const TokenAmount reward_before = balance(rewardActorAddress());
    const TokenAmount burnt_before = balance(burntFundsActorAddress());
    TipSetExecution exec{root_, epoch_, nextEpoch(), base_fee_, {{Address::id(1000), 1, {}, std::move(queued_)}}};
    queued_.clear();
    auto r = applyTipSet(blocks_, exec, net_, randomness_);
    EXPECT_TRUE(r) << r.error().message();
    if (!r) return {};
    for (size_t i = 0; i < r->receipts.size(); ++i) {
      EXPECT_EQ(r->receipts[i].exit_code, ExitCode::kOk) << "message " << i << " at epoch " << nextEpoch();
    }
    root_ = r->state_root;
    epoch_ = nextEpoch();
    // No FIL is created or lost: the block reward moves from the reward
    // actor (which also passes on the gas tips it received), burns go to f099.
    EXPECT_EQ(testing::totalBalance(blocks_, root_), total_before) << "at epoch " << epoch_;
    EXPECT_EQ(balance(rewardActorAddress()), reward_before - reward::epochReward(epoch_) / 5) << "at epoch " << epoch_;
    EXPECT_GE(balance(burntFundsActorAddress()), burnt_before);
    return r->receipts;
  }
  void stepTo(chain::ChainEpoch target) {
    while (epoch_ < target && !::testing::Test::HasFailure()) step();
  }

  // ---- WindowPoSt ----

  // Queues a PoSt for the miner's deadline open at the next epoch, once per
  // deadline and period, unless the miner is skipping that deadline.
  void queuePoStIfDue(const Address& miner, const Prover& prover) {
    auto dl = view().minerProvingDeadline(miner, net_, nextEpoch());
    ASSERT_TRUE(dl);
    if (!dl->isOpen()) return;
    const auto key = std::make_pair(*miner.idValue(), dl->open);
    if (posted_.contains(key)) return;
    if (skip_ && skip_->first == *miner.idValue() && skip_->second == dl->open) return;
    auto parts = view().minerPartitions(miner, dl->index);
    ASSERT_TRUE(parts);
    std::vector<miner::PoStPartition> posted;
    primitives::BitField proven;
    for (uint64_t i = 0; i < parts->size(); ++i) {
      const auto& p = (*parts)[i];
      const auto live = p.liveSectors();
      if (live.empty()) continue;
      posted.push_back({i, {}});
      proven = proven.unite(live.subtract(p.faults.subtract(p.recoveries)));
    }
    if (posted.empty()) return;
    auto infos = view().minerSectors(miner, proven);
    ASSERT_TRUE(infos);
    std::vector<proofs::PublicSectorInfo> pub;
    for (const auto& s : *infos) {
      pub.push_back({static_cast<proofs::RegisteredSealProof>(s.seal_proof), s.sector_number,
                     *proofs::commitmentFromSealedCid(s.sealed_cid)});
    }
    const auto rand = *randomness_.fromBeacon(DomainSeparationTag::kWindowedPoStChallengeSeed, dl->challenge,
                                              codec::encode(miner));
    auto proofs = prover(pub, rand);
    ASSERT_TRUE(proofs) << proofs.error().message();
    miner::SubmitWindowedPoStParams params;
    params.deadline = dl->index;
    params.partitions = std::move(posted);
    for (auto& pr : *proofs) params.proofs.push_back({static_cast<int64_t>(pr.proof), std::move(pr.proof_bytes)});
    params.chain_commit_epoch = epoch_;
    const auto commit = *randomness_.fromTickets(DomainSeparationTag::kPoStChainCommit, epoch_, {});
    params.chain_commit_rand = Bytes(commit.begin(), commit.end());
    queueCbor(*miner.idValue() == 1000 ? owner1_ : worker2_, miner, miner::kSubmitWindowedPoSt, params);
    posted_.insert(key);
  }

  Prover presealProver() {
    return [this](std::span<const proofs::PublicSectorInfo> sectors, const proofs::PoStRandomness& r) {
      return preseal_sealer_->generateWindowPoSt(1000, sectors, r, nullptr);
    };
  }

  // ---- the scenario ----

  void setUpGenesis() {
    genesis::PreSealOptions o;
    o.miner = Address::id(1000);
    o.sectors = 2;
    o.root = preseal_dir_.path() / "genesis-sectors";
    o.parent_cache_dir = preseal_dir_.path() / "parents";
    o.key = owner1_.info;
    o.data_seed = 1;
    auto sealed = genesis::preSeal(o);
    ASSERT_TRUE(sealed) << sealed.error().message();
    preseal_sealer_ = std::make_unique<proofs::LocalSealer>(o.root, o.parent_cache_dir, pool_);

    genesis::Template t = genesis::newTemplate("testnet");
    for (const Key* k : {&owner2_, &worker2_, &client_}) t.accounts.push_back(genesis::accountEntry(k->address, fil(10'000)));
    ASSERT_TRUE(genesis::addMiners(t, {{"t01000", sealed->miner}}, 1000));
    auto g = genesis::buildGenesisState(blocks_, t, net_);
    ASSERT_TRUE(g) << g.error().message();
    root_ = g->state_root;
    EXPECT_EQ(testing::totalBalance(blocks_, root_), genesis::kTotalFilecoin);
    auto power = view().minerPower(Address::id(1000), net_);
    ASSERT_TRUE(power);
    EXPECT_EQ(power->miner.raw_byte_power, 4096);
    provers_.emplace(1000, presealProver());
  }

  void createSecondMiner() {
    power::CreateMinerParams p{owner2_.address, worker2_.address,
                               static_cast<int64_t>(proofs::RegisteredPoStProof::kStackedDrgWindow2KiBV1_1), {}, {}};
    queueCbor(owner2_, powerActorAddress(), power::kCreateMiner, p, fil(50));
    queueCbor(client_, marketActorAddress(), market::kAddBalance, client_.address, fil(1));
    auto receipts = step();
    ASSERT_EQ(receipts.size(), 2u);
    auto created = codec::decode<power::CreateMinerReturn>(receipts[0].return_value);
    ASSERT_TRUE(created);
    miner2_ = created->id_address;
    EXPECT_EQ(miner2_, Address::id(1001));
    EXPECT_EQ(balance(miner2_), fil(50));
    provers_.emplace(1001, [this](std::span<const proofs::PublicSectorInfo> sectors, const proofs::PoStRandomness& r) {
      return sealer2_.windowPoSt(1001, sectors, r);
    });
    queueCbor(worker2_, marketActorAddress(), market::kAddBalance, miner2_, fil(1));
    step();
  }

  void publishAndSeal() {
    auto piece = sealer2_.addPiece(1001, 0, 1016, 77);
    ASSERT_TRUE(piece) << piece.error().message();
    market::DealProposal d;
    d.piece_cid = piece->piece_cid;
    d.piece_size = piece->size;
    d.client = client_.address;
    d.provider = miner2_;
    d.label = {"scenario deal", true};
    d.start_epoch = epoch_ + 30;
    d.end_epoch = d.start_epoch + 200;
    d.storage_price_per_epoch = 1'000'000;
    d.provider_collateral = fil(1) / 10;
    d.client_collateral = 0;
    deal_ = d;
    auto signed_deal = market::signProposal(d, client_.info.private_key);
    ASSERT_TRUE(signed_deal);
    queueCbor(worker2_, marketActorAddress(), market::kPublishStorageDeals,
              market::PublishStorageDealsParams{{*signed_deal}});
    auto receipts = step();
    ASSERT_EQ(receipts.size(), 1u);
    auto published = codec::decode<market::PublishStorageDealsReturn>(receipts[0].return_value);
    ASSERT_TRUE(published);
    deal_id_ = published->ids.at(0);

    // Sealed with the ticket the actor will draw for the previous epoch.
    const chain::ChainEpoch rand_epoch = epoch_;
    const auto ticket = *randomness_.fromTickets(DomainSeparationTag::kSealRandomness, rand_epoch, codec::encode(miner2_));
    auto sector = sealer2_.seal(1001, 0, ticket, {*piece});
    ASSERT_TRUE(sector) << sector.error().message();
    sector_ = *sector;
    miner::SectorPreCommitInfo pc;
    pc.seal_proof = static_cast<int64_t>(proofs::RegisteredSealProof::kStackedDrg2KiBV1_1);
    pc.sector_number = 0;
    pc.sealed_cid = sector_.sealedCid();
    pc.seal_rand_epoch = rand_epoch;
    pc.deal_ids = {deal_id_};
    pc.expiration = nextEpoch() + net_.max_prove_commit_duration + net_.min_sector_expiration + 1000;
    pc.unsealed_cid = sector_.unsealedCid();
    EXPECT_EQ(*pc.unsealed_cid, proofs::pieceCid(*proofs::computeCommD(2048, std::vector{*piece})));
    queueCbor(worker2_, miner2_, miner::kPreCommitSectorBatch2, miner::PreCommitSectorBatchParams2{{pc}});
    step();
    const chain::ChainEpoch pre_commit_epoch = epoch_;
    auto on_chain = view().minerPreCommit(miner2_, 0);
    ASSERT_TRUE(on_chain && on_chain->has_value());

    // The seed is drawn from the beacon after the challenge delay.
    const chain::ChainEpoch seed_epoch = pre_commit_epoch + net_.pre_commit_challenge_delay;
    stepTo(seed_epoch);
    const auto seed = *randomness_.fromBeacon(DomainSeparationTag::kInteractiveSealChallengeSeed, seed_epoch,
                                              codec::encode(miner2_));
    auto proof = sealer2_.prove(sector_, seed);
    ASSERT_TRUE(proof) << proof.error().message();
    queueCbor(worker2_, miner2_, miner::kProveCommitSector, miner::ProveCommitSectorParams{0, *proof});
    step();
    auto active = view().minerSector(miner2_, 0);
    ASSERT_TRUE(active && active->has_value());
    auto deal = view().marketDeal(deal_id_);
    ASSERT_TRUE(deal && deal->has_value());
    EXPECT_EQ((*deal)->state.sector_start_epoch, epoch_);
  }

  miner::Partition partition(uint64_t dl, uint64_t part) {
    auto parts = view().minerPartitions(miner2_, dl);
    EXPECT_TRUE(parts && part < parts->size());
    return (*parts)[part];
  }
  StoragePower power2() { return view().minerPower(miner2_, net_)->miner.raw_byte_power; }

  void proveMissRecover() {
    // Find the sector's deadline; step until its first PoSt has been applied.
    auto deadlines = view().minerDeadlines(miner2_);
    ASSERT_TRUE(deadlines);
    uint64_t dl_index = 0;
    for (uint64_t i = 0; i < deadlines->size(); ++i) {
      if ((*deadlines)[i].live_sectors > 0) dl_index = i;
    }
    EXPECT_EQ(power2(), 0);
    while (power2() == 0 && !::testing::Test::HasFailure()) step();
    EXPECT_EQ(power2(), 2048);
    EXPECT_TRUE(partition(dl_index, 0).unproven.empty());
    auto first = view().minerProvingDeadline(miner2_, net_, epoch_);
    ASSERT_EQ(first->index, dl_index);

    // The next period's occurrence is missed: the sector becomes faulty and
    // the miner pays the fault fee.
    const chain::ChainEpoch missed_open = first->open + net_.wpost_proving_period;
    skip_ = std::make_pair(uint64_t{1001}, missed_open);
    const TokenAmount burnt_before = balance(burntFundsActorAddress());
    stepTo(missed_open + net_.wpost_challenge_window);
    EXPECT_TRUE(partition(dl_index, 0).faults.has(0));
    EXPECT_EQ(power2(), 0);
    EXPECT_GT(balance(burntFundsActorAddress()), burnt_before);
    // The genesis miner kept proving its pre-sealed sectors.
    EXPECT_EQ(view().minerPower(Address::id(1000), net_)->miner.raw_byte_power, 4096);

    // Declared recovered; the next PoSt proves it again.
    miner::DeclareFaultsRecoveredParams rec{{{dl_index, 0, primitives::BitField::fromIndexes({0})}}};
    queueCbor(worker2_, miner2_, miner::kDeclareFaultsRecovered, rec);
    step();
    EXPECT_TRUE(partition(dl_index, 0).recoveries.has(0));
    stepTo(missed_open + net_.wpost_proving_period + 1);
    EXPECT_FALSE(partition(dl_index, 0).faults.has(0));
    EXPECT_EQ(power2(), 2048);

    // The deal has been paid since its start.
    auto escrow = view().marketBalance(miner2_);
    ASSERT_TRUE(escrow);
    const int64_t paid_epochs = epoch_ - deal_.start_epoch;
    ASSERT_GT(paid_epochs, 0);
    EXPECT_EQ(escrow->balance, fil(1) + deal_.storage_price_per_epoch * paid_epochs);
    EXPECT_EQ(view().marketBalance(client_.address)->balance, fil(1) - deal_.storage_price_per_epoch * paid_epochs);
  }

  void changeIdentity() {
    const Bytes peer = *fromBase58("12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN");
    const std::vector<Bytes> addrs{cid::Multiaddr::parse("/ip4/10.0.0.7/tcp/24001")->toBytes()};
    queueCbor(worker2_, miner2_, miner::kChangePeerId, miner::ChangePeerIdParams{peer});
    queueCbor(owner2_, miner2_, miner::kChangeMultiaddrs, miner::ChangeMultiaddrsParams{addrs});
    step();
    auto info = view().minerInfo(miner2_);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->peer_id, peer);
    EXPECT_EQ(info->multiaddrs, addrs);
  }

  const chain::NetworkParams& net_;
  store::MemoryBlockstore blocks_;
  cid::Cid root_;
  chain::ChainEpoch epoch_ = 0;
  TokenAmount base_fee_ = 100;
  testing::TestRandomness randomness_;
  std::vector<primitives::SignedMessage> queued_;

  fil::testing::TempDir preseal_dir_;
  proofs::ThreadPool pool_{1};
  std::unique_ptr<proofs::LocalSealer> preseal_sealer_;
  testing::SectorSealer sealer2_;
  std::map<ActorId, Prover> provers_;
  std::set<std::pair<ActorId, chain::ChainEpoch>> posted_;
  std::optional<std::pair<ActorId, chain::ChainEpoch>> skip_;

  Key owner1_ = testKey(21);
  Key owner2_ = testKey(22);
  Key worker2_ = testKey(23);
  Key client_ = testKey(24);
  Address miner2_;
  market::DealProposal deal_;
  DealId deal_id_ = 0;
  testing::SealedSector sector_;
};

TEST(Scenario, StorageProviderLifeCycleThroughTheVm) {
  const cid::Cid first = Scenario().run();
  ASSERT_FALSE(::testing::Test::HasFailure());
  // Determinism: the same inputs end at the same root.
  const cid::Cid second = Scenario().run();
  EXPECT_EQ(first, second);
  EXPECT_EQ(first.toString(), kGoldenRoot);
}

}  // namespace
}  // namespace fil::vm
