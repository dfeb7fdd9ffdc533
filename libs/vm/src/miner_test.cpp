// Storage miner and storage power actor methods through the VM, with real
// 2 KiB sectors: each method's success and its failures with exit codes.
#include <gtest/gtest.h>

#include "fil/vm/actors/miner.h"
#include "fil/vm/actors/power.h"
#include "fil/vm/actors/reward.h"
#include "vm_testing.h"

namespace fil::vm {
namespace {

using testing::fil;
using testing::SealedSector;
using testing::StorageHarness;

class MinerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h.genesis();
    ASSERT_TRUE(h.chain.tickTo(5));
    auto created = h.createMiner();
    ASSERT_TRUE(created) << created.error().message();
    miner = created->id_address;
    robust = created->robust_address;
  }

  miner::MinerInfo info() {
    auto i = h.chain.view().minerInfo(miner);
    EXPECT_TRUE(i) << i.error().message();
    return *i;
  }
  miner::State state() {
    auto s = h.chain.view().minerState(miner);
    EXPECT_TRUE(s) << s.error().message();
    return *s;
  }
  void expectConservation() {
    EXPECT_EQ(testing::totalBalance(h.chain.blocks, h.chain.root), genesis::kTotalFilecoin);
  }

  // Pre-commits (at the current epoch) a sector sealed with the previous
  // epoch's ticket; returns it with its pre-commit epoch.
  std::pair<SealedSector, chain::ChainEpoch> preCommitted(uint64_t number) {
    const auto rand_epoch = h.chain.epoch - 1;
    auto s = h.seal(miner, number, rand_epoch);
    EXPECT_TRUE(s) << s.error().message();
    auto r = h.preCommit(miner, h.preCommitInfo(*s, rand_epoch));
    EXPECT_TRUE(r && r->receipt.exit_code == ExitCode::kOk) << (r ? r->error : r.error().message());
    return {*s, h.chain.epoch};
  }

  // Pre-committed, then proven once the seed is drawn.
  SealedSector proven(uint64_t number) {
    auto [s, epoch] = preCommitted(number);
    EXPECT_TRUE(h.chain.tickTo(epoch + h.chain.net().pre_commit_challenge_delay + 1));
    auto proof = h.sealer.prove(s, h.seedFor(miner, epoch));
    EXPECT_TRUE(proof) << proof.error().message();
    auto r = h.proveCommit(miner, number, *proof);
    EXPECT_TRUE(r && r->receipt.exit_code == ExitCode::kOk) << (r ? r->error : r.error().message());
    return s;
  }

  StorageHarness h;
  Address miner;
  Address robust;
};

// ---- power: CreateMiner and the methods only miners may call ----

TEST_F(MinerTest, CreateMinerSetsInfoClaimAndBalance) {
  EXPECT_GE(*miner.idValue(), genesis::kMinerStart);
  EXPECT_EQ(robust.protocol(), primitives::AddressProtocol::kActor);
  auto view = h.chain.view();
  auto by_robust = view.lookupId(robust);
  ASSERT_TRUE(by_robust && by_robust->has_value());
  EXPECT_EQ(**by_robust, *miner.idValue());
  const auto i = info();
  EXPECT_EQ(i.owner, Address::id(**view.lookupId(h.owner.address)));
  EXPECT_EQ(i.worker, Address::id(**view.lookupId(h.worker.address)));
  EXPECT_EQ(i.sector_size, 2048u);
  EXPECT_EQ(i.window_post_partition_sectors, 2u);
  EXPECT_EQ(i.peer_id, (Bytes{1, 2, 3}));
  EXPECT_EQ(h.chain.balance(miner), fil(100));
  EXPECT_EQ(h.claim(miner), (power::Claim{StorageHarness::kWindowPoStProof, 0, 0}));
  auto ps = view.powerState();
  EXPECT_EQ(ps->miner_count, 1);
  expectConservation();
}

TEST_F(MinerTest, CreateMinerFailures) {
  auto send = [&](power::CreateMinerParams p) {
    return h.chain.sendCbor(h.owner, powerActorAddress(), power::kCreateMiner, p, fil(1));
  };
  // A proof type this network does not allow (32 GiB).
  ASSERT_EXIT_CODE(send({h.owner.address, h.worker.address,
                         static_cast<int64_t>(proofs::RegisteredPoStProof::kStackedDrgWindow32GiBV1_1), {}, {}}),
                   ExitCode::kErrIllegalArgument);
  // The worker must be an account.
  ASSERT_EXIT_CODE(send({h.owner.address, powerActorAddress(), StorageHarness::kWindowPoStProof, {}, {}}),
                   ExitCode::kErrIllegalArgument);
  // A peer ID over 128 bytes and an empty multiaddr.
  ASSERT_EXIT_CODE(send({h.owner.address, h.worker.address, StorageHarness::kWindowPoStProof, Bytes(129, 1), {}}),
                   ExitCode::kErrIllegalArgument);
  ASSERT_EXIT_CODE(send({h.owner.address, h.worker.address, StorageHarness::kWindowPoStProof, {}, {Bytes{}}}),
                   ExitCode::kErrIllegalArgument);
  // Parameters that do not decode.
  ASSERT_EXIT_CODE(h.chain.send(h.owner, powerActorAddress(), power::kCreateMiner, Bytes{0x82, 0x01}, 0),
                   ExitCode::kErrSerialization);
  // None of them left a miner behind, and their value came back.
  EXPECT_EQ(h.chain.view().powerState()->miner_count, 1);
  expectConservation();
}

TEST_F(MinerTest, PowerMethodsOnlyForMinersAndCron) {
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.owner, powerActorAddress(), power::kUpdateClaimedPower,
                                    power::UpdateClaimedPowerParams{2048, 2048}),
                   ExitCode::kErrForbidden);
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.owner, powerActorAddress(), power::kEnrollCronEvent,
                                    power::EnrollCronEventParams{10, {}}),
                   ExitCode::kErrForbidden);
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.owner, powerActorAddress(), power::kUpdatePledgeTotal, TokenAmount(5)),
                   ExitCode::kErrForbidden);
  ASSERT_EXIT_CODE(h.chain.send(h.owner, powerActorAddress(), power::kCronTick, {}), ExitCode::kErrForbidden);
  ASSERT_EXIT_CODE(h.chain.send(h.owner, powerActorAddress(), power::kConstructor, {}), ExitCode::kErrForbidden);
  // Reads are open to anyone.
  auto total = h.chain.send(h.owner, powerActorAddress(), power::kCurrentTotalPower, {});
  ASSERT_EXIT_CODE(total, ExitCode::kOk);
  EXPECT_TRUE(codec::decode<power::CurrentTotalPowerReturn>(total->receipt.return_value));
  auto count = h.chain.send(h.owner, powerActorAddress(), power::kMinerCountExported, {});
  ASSERT_EXIT_CODE(count, ExitCode::kOk);
  EXPECT_EQ(count->receipt.return_value, codec::encode(int64_t{1}));
  auto raw = h.chain.sendCbor(h.owner, powerActorAddress(), power::kMinerRawPowerExported,
                              power::MinerRawPowerParams{*miner.idValue()});
  ASSERT_EXIT_CODE(raw, ExitCode::kOk);
  auto no_claim = h.chain.sendCbor(h.owner, powerActorAddress(), power::kMinerRawPowerExported,
                                   power::MinerRawPowerParams{12345});
  ASSERT_EXIT_CODE(no_claim, ExitCode::kErrIllegalArgument);
}

// ---- identity ----

TEST_F(MinerTest, ControlAddresses) {
  auto r = h.chain.send(h.stranger, miner, miner::kControlAddresses, {});
  ASSERT_EXIT_CODE(r, ExitCode::kOk);
  auto ctl = codec::decode<miner::GetControlAddressesReturn>(r->receipt.return_value);
  ASSERT_TRUE(ctl);
  EXPECT_EQ(ctl->owner, info().owner);
  EXPECT_EQ(ctl->worker, info().worker);
}

TEST_F(MinerTest, ChangePeerIdAndMultiaddrs) {
  const Bytes peer{0x00, 0x24, 0x08, 0x01};
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, miner, miner::kChangePeerId, miner::ChangePeerIdParams{peer}),
                   ExitCode::kOk);
  EXPECT_EQ(info().peer_id, peer);
  // The exported number does the same (FRC-42).
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.owner, miner, miner::kChangePeerIdExported, miner::ChangePeerIdParams{{7}}),
                   ExitCode::kOk);
  EXPECT_EQ(info().peer_id, Bytes{7});
  const std::vector<Bytes> addrs{{0x04, 127, 0, 0, 1, 0x06, 0x04, 0xd2}};
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, miner, miner::kChangeMultiaddrs, miner::ChangeMultiaddrsParams{addrs}),
                   ExitCode::kOk);
  EXPECT_EQ(info().multiaddrs, addrs);

  // Only owner, worker and control addresses.
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.stranger, miner, miner::kChangePeerId, miner::ChangePeerIdParams{{9}}),
                   ExitCode::kErrForbidden);
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.stranger, miner, miner::kChangeMultiaddrs, miner::ChangeMultiaddrsParams{{}}),
                   ExitCode::kErrForbidden);
  // Limits.
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, miner, miner::kChangePeerId, miner::ChangePeerIdParams{Bytes(129, 1)}),
                   ExitCode::kErrIllegalArgument);
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, miner, miner::kChangeMultiaddrs, miner::ChangeMultiaddrsParams{{{}}}),
                   ExitCode::kErrIllegalArgument);
  EXPECT_EQ(info().peer_id, Bytes{7});
  EXPECT_EQ(info().multiaddrs, addrs);
}

TEST_F(MinerTest, ChangeWorkerAddressTakesEffectAfterTheDelay) {
  const auto new_worker = h.stranger;
  const auto new_worker_id = Address::id(**h.chain.view().lookupId(new_worker.address));
  miner::ChangeWorkerAddressParams p{new_worker.address, {h.client.address}};
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, miner, miner::kChangeWorkerAddress, p), ExitCode::kErrForbidden);
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.owner, miner, miner::kChangeWorkerAddress, p), ExitCode::kOk);
  auto i = info();
  ASSERT_TRUE(i.pending_worker_key);
  EXPECT_EQ(i.pending_worker_key->new_worker, new_worker_id);
  EXPECT_EQ(i.control_addresses.size(), 1u);
  // Confirming too early changes nothing.
  ASSERT_EXIT_CODE(h.chain.send(h.owner, miner, miner::kConfirmChangeWorkerAddress, {}), ExitCode::kOk);
  EXPECT_NE(info().worker, new_worker_id);
  ASSERT_TRUE(h.chain.tickTo(i.pending_worker_key->effective_at));
  ASSERT_EXIT_CODE(h.chain.send(h.stranger, miner, miner::kConfirmChangeWorkerAddress, {}), ExitCode::kErrForbidden);
  ASSERT_EXIT_CODE(h.chain.send(h.owner, miner, miner::kConfirmChangeWorkerAddress, {}), ExitCode::kOk);
  EXPECT_EQ(info().worker, new_worker_id);
  EXPECT_FALSE(info().pending_worker_key);
}

TEST_F(MinerTest, ChangeOwnerNeedsTheNewOwnersConfirmation) {
  const auto new_owner = Address::id(**h.chain.view().lookupId(h.stranger.address));
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, miner, miner::kChangeOwnerAddress, new_owner), ExitCode::kErrForbidden);
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.owner, miner, miner::kChangeOwnerAddress, new_owner), ExitCode::kOk);
  EXPECT_EQ(info().pending_owner_address, new_owner);
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.client, miner, miner::kChangeOwnerAddress, new_owner), ExitCode::kErrForbidden);
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.stranger, miner, miner::kChangeOwnerAddress, new_owner), ExitCode::kOk);
  EXPECT_EQ(info().owner, new_owner);
  EXPECT_EQ(info().beneficiary, new_owner);
  EXPECT_FALSE(info().pending_owner_address);
}

// ---- sectors ----

TEST_F(MinerTest, PreCommitTakesADepositAndRecordsTheSector) {
  const TokenAmount before = h.chain.balance(miner);
  auto [s, epoch] = preCommitted(3);
  auto pc = h.chain.view().minerPreCommit(miner, 3);
  ASSERT_TRUE(pc && pc->has_value());
  EXPECT_EQ((*pc)->info.sealed_cid, s.sealedCid());
  EXPECT_EQ((*pc)->pre_commit_epoch, epoch);
  EXPECT_GT((*pc)->pre_commit_deposit, 0);
  EXPECT_EQ(state().pre_commit_deposits, (*pc)->pre_commit_deposit);
  EXPECT_TRUE(state().deadline_cron_active);
  EXPECT_EQ(h.chain.balance(miner), before);  // the deposit stays with the miner, locked
  auto available = h.chain.view().minerAvailableBalance(miner);
  EXPECT_EQ(*available, before - (*pc)->pre_commit_deposit);
  expectConservation();
}

TEST_F(MinerTest, PreCommitFailures) {
  const auto rand_epoch = h.chain.epoch - 1;
  auto s = h.seal(miner, 1, rand_epoch);
  ASSERT_TRUE(s) << s.error().message();
  const auto good = h.preCommitInfo(*s, rand_epoch);

  // Wrong caller.
  ASSERT_EXIT_CODE(h.preCommit(miner, good, &h.stranger), ExitCode::kErrForbidden);
  // Randomness from the future, and from too long ago.
  auto future = good;
  future.seal_rand_epoch = h.chain.epoch;
  ASSERT_EXIT_CODE(h.preCommit(miner, future), ExitCode::kErrIllegalArgument);
  auto stale = good;
  stale.seal_rand_epoch = h.chain.epoch - 1000;
  ASSERT_EXIT_CODE(h.preCommit(miner, stale), ExitCode::kErrIllegalArgument);
  // Expiring too soon after activation.
  auto short_lived = good;
  short_lived.expiration = h.chain.epoch + 10;
  ASSERT_EXIT_CODE(h.preCommit(miner, short_lived), ExitCode::kErrIllegalArgument);
  // A sealed CID that is not a sealed commitment.
  auto bad_cid = good;
  bad_cid.sealed_cid = s->unsealedCid();
  ASSERT_EXIT_CODE(h.preCommit(miner, bad_cid), ExitCode::kErrIllegalArgument);
  // A seal proof this network does not allow.
  auto big = good;
  big.seal_proof = static_cast<int64_t>(proofs::RegisteredSealProof::kStackedDrg32GiBV1_1);
  ASSERT_EXIT_CODE(h.preCommit(miner, big), ExitCode::kErrIllegalArgument);
  // An unsealed CID the deals (none) do not produce.
  auto with_commd = good;
  with_commd.unsealed_cid = s->unsealedCid();
  ASSERT_EXIT_CODE(h.preCommit(miner, with_commd), ExitCode::kErrIllegalArgument);
  // The same sector number twice in a batch.
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, miner, miner::kPreCommitSectorBatch2,
                                    miner::PreCommitSectorBatchParams2{{good, good}}),
                   ExitCode::kErrIllegalArgument);

  ASSERT_EXIT_CODE(h.preCommit(miner, good), ExitCode::kOk);
  // Duplicate sector number.
  ASSERT_EXIT_CODE(h.preCommit(miner, good), ExitCode::kErrIllegalArgument);
  expectConservation();
}

TEST_F(MinerTest, PreCommitWithoutFundsForTheDeposit) {
  auto poor = h.createMiner(0);
  ASSERT_TRUE(poor) << poor.error().message();
  const auto rand_epoch = h.chain.epoch - 1;
  auto s = h.seal(poor->id_address, 1, rand_epoch);
  ASSERT_TRUE(s);
  ASSERT_EXIT_CODE(h.preCommit(poor->id_address, h.preCommitInfo(*s, rand_epoch)), ExitCode::kErrInsufficientFunds);
}

TEST_F(MinerTest, LegacyPreCommitSectorDecodes) {
  const auto rand_epoch = h.chain.epoch - 1;
  auto s = h.seal(miner, 2, rand_epoch);
  ASSERT_TRUE(s);
  const auto info = h.preCommitInfo(*s, rand_epoch);
  miner::PreCommitSectorParams p{info.seal_proof, 2, info.sealed_cid, rand_epoch, {}, info.expiration, false, 0, 0, 0};
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, miner, miner::kPreCommitSector, p), ExitCode::kOk);
  auto upgrade = p;
  upgrade.sector_number = 9;
  upgrade.replace_capacity = true;
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, miner, miner::kPreCommitSector, upgrade), ExitCode::kErrForbidden);
}

TEST_F(MinerTest, ProveCommitActivatesTheSector) {
  auto [s, epoch] = preCommitted(4);
  const auto deposit = state().pre_commit_deposits;
  ASSERT_TRUE(h.chain.tickTo(epoch + h.chain.net().pre_commit_challenge_delay + 1));
  auto proof = h.sealer.prove(s, h.seedFor(miner, epoch));
  ASSERT_TRUE(proof) << proof.error().message();
  ASSERT_EXIT_CODE(h.proveCommit(miner, 4, *proof), ExitCode::kOk);

  auto sector = h.chain.view().minerSector(miner, 4);
  ASSERT_TRUE(sector && sector->has_value());
  EXPECT_EQ((*sector)->sealed_cid, s.sealedCid());
  EXPECT_EQ((*sector)->activation, h.chain.epoch);
  EXPECT_GT((*sector)->initial_pledge, 0);
  const auto st = state();
  EXPECT_EQ(st.pre_commit_deposits, 0);
  EXPECT_EQ(st.initial_pledge, (*sector)->initial_pledge);
  EXPECT_NE(deposit, 0);
  auto pc = h.chain.view().minerPreCommit(miner, 4);
  EXPECT_FALSE(pc->has_value());
  // Assigned to a partition, unproven until its first WindowPoSt: no power yet.
  auto where = h.locate(miner, 4);
  ASSERT_TRUE(where);
  auto parts = h.chain.view().minerPartitions(miner, where->first);
  EXPECT_TRUE((*parts)[where->second].unproven.has(4));
  EXPECT_EQ(h.claim(miner).raw_byte_power, 0);
  EXPECT_EQ(h.chain.view().powerState()->total_pledge_collateral, st.initial_pledge);
  expectConservation();
}

TEST_F(MinerTest, ProveCommitFailures) {
  auto [s, epoch] = preCommitted(5);
  auto proof = h.sealer.prove(s, h.seedFor(miner, epoch));
  ASSERT_TRUE(proof);
  // Before the seed is drawn.
  ASSERT_EXIT_CODE(h.proveCommit(miner, 5, *proof), ExitCode::kErrForbidden);
  ASSERT_TRUE(h.chain.tickTo(epoch + h.chain.net().pre_commit_challenge_delay + 1));
  // A sector never pre-committed.
  ASSERT_EXIT_CODE(h.proveCommit(miner, 77, *proof), ExitCode::kErrNotFound);
  // A corrupted proof, and a proof for another seed.
  Bytes corrupt = *proof;
  corrupt[corrupt.size() / 2] ^= 0x01;
  ASSERT_EXIT_CODE(h.proveCommit(miner, 5, corrupt), ExitCode::kErrIllegalArgument);
  auto other_seed = h.sealer.prove(s, h.seedFor(miner, epoch + 1));
  ASSERT_EXIT_CODE(h.proveCommit(miner, 5, *other_seed), ExitCode::kErrIllegalArgument);
  ASSERT_EXIT_CODE(h.proveCommit(miner, 5, Bytes{0x80}), ExitCode::kErrIllegalArgument);
  // Too late: past the prove-commit window (jumping epochs without cron).
  const auto saved_root = h.chain.root;
  const auto saved_epoch = h.chain.epoch;
  h.chain.epoch = epoch + h.chain.net().max_prove_commit_duration + 1;
  ASSERT_EXIT_CODE(h.proveCommit(miner, 5, *proof), ExitCode::kErrIllegalArgument);
  h.chain.root = saved_root;
  h.chain.epoch = saved_epoch;
  // The right proof still works in time; a second time the sector is gone.
  ASSERT_EXIT_CODE(h.proveCommit(miner, 5, *proof), ExitCode::kOk);
  ASSERT_EXIT_CODE(h.proveCommit(miner, 5, *proof), ExitCode::kErrNotFound);
  expectConservation();
}

TEST_F(MinerTest, WindowPoStGivesPowerAndMissingItMakesSectorsFaulty) {
  const SealedSector s = proven(6);
  auto where = h.locate(miner, 6);
  ASSERT_TRUE(where);
  const auto [dl, part] = *where;
  ASSERT_TRUE(h.tickToDeadline(miner, dl));

  // Failures first: wrong caller, corrupted proof, wrong deadline, wrong commit randomness.
  ASSERT_EXIT_CODE(h.submitPoSt(miner, {{part, {}}}, {s}, &h.stranger), ExitCode::kErrForbidden);
  ASSERT_EXIT_CODE(h.submitPoSt(miner, {{part, {}}}, {s}, nullptr, true), ExitCode::kErrIllegalArgument);
  ASSERT_EXIT_CODE(h.submitPoSt(miner, {{part + 5, {}}}, {s}), ExitCode::kErrNotFound);
  {
    miner::SubmitWindowedPoStParams p;
    p.deadline = (dl + 1) % h.chain.net().wpost_period_deadlines;
    p.partitions = {{part, {}}};
    p.proofs = {{StorageHarness::kWindowPoStProof, Bytes(32)}};
    p.chain_commit_epoch = h.chain.epoch - 1;
    ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, miner, miner::kSubmitWindowedPoSt, p), ExitCode::kErrIllegalArgument);
    p.deadline = dl;
    p.chain_commit_rand = Bytes(32, 7);
    ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, miner, miner::kSubmitWindowedPoSt, p), ExitCode::kErrIllegalArgument);
  }
  EXPECT_EQ(h.claim(miner).raw_byte_power, 0);

  ASSERT_EXIT_CODE(h.submitPoSt(miner, {{part, {}}}, {s}), ExitCode::kOk);
  EXPECT_EQ(h.claim(miner).raw_byte_power, 2048);
  EXPECT_EQ(h.claim(miner).quality_adj_power, 2048);
  auto parts = h.chain.view().minerPartitions(miner, dl);
  EXPECT_TRUE((*parts)[part].unproven.empty());
  expectConservation();

  // The next period: the deadline passes without a proof.
  const TokenAmount burnt_before = h.chain.balance(burntFundsActorAddress());
  const auto period = h.chain.net().wpost_proving_period;
  ASSERT_TRUE(h.chain.tickTo(h.provingDeadline(miner).close + period));
  parts = h.chain.view().minerPartitions(miner, dl);
  EXPECT_TRUE((*parts)[part].faults.has(6));
  EXPECT_EQ(h.claim(miner).raw_byte_power, 0);
  EXPECT_GT(h.chain.balance(burntFundsActorAddress()), burnt_before);  // the fault fee
  expectConservation();

  // Declared recovered, then proven: power returns.
  miner::DeclareFaultsRecoveredParams rec{{{dl, part, primitives::BitField::fromIndexes({6})}}};
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.stranger, miner, miner::kDeclareFaultsRecovered, rec), ExitCode::kErrForbidden);
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, miner, miner::kDeclareFaultsRecovered, rec), ExitCode::kOk);
  parts = h.chain.view().minerPartitions(miner, dl);
  EXPECT_TRUE((*parts)[part].recoveries.has(6));
  ASSERT_TRUE(h.tickToDeadline(miner, dl));
  ASSERT_EXIT_CODE(h.submitPoSt(miner, {{part, {}}}, {s}), ExitCode::kOk);
  parts = h.chain.view().minerPartitions(miner, dl);
  EXPECT_FALSE((*parts)[part].faults.has(6));
  EXPECT_TRUE((*parts)[part].recoveries.empty());
  EXPECT_EQ(h.claim(miner).raw_byte_power, 2048);
  expectConservation();
}

TEST_F(MinerTest, DeclareFaultsRemovesPowerAndLateDeclarationsFail) {
  const SealedSector s = proven(7);
  auto [dl, part] = *h.locate(miner, 7);
  ASSERT_TRUE(h.tickToDeadline(miner, dl));
  ASSERT_EXIT_CODE(h.submitPoSt(miner, {{part, {}}}, {s}), ExitCode::kOk);
  ASSERT_EQ(h.claim(miner).raw_byte_power, 2048);

  // Just after the deadline closes, a declaration for the next period is in time.
  ASSERT_TRUE(h.chain.tickTo(h.provingDeadline(miner).close + 1));
  miner::DeclareFaultsParams faults{{{dl, part, primitives::BitField::fromIndexes({7})}}};
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.stranger, miner, miner::kDeclareFaults, faults), ExitCode::kErrForbidden);
  miner::DeclareFaultsParams outside{{{dl, part, primitives::BitField::fromIndexes({8})}}};
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, miner, miner::kDeclareFaults, outside), ExitCode::kErrIllegalArgument);
  miner::DeclareFaultsParams bad_deadline{{{99, 0, primitives::BitField::fromIndexes({7})}}};
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, miner, miner::kDeclareFaults, bad_deadline),
                   ExitCode::kErrIllegalArgument);
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, miner, miner::kDeclareFaults, faults), ExitCode::kOk);
  EXPECT_EQ(h.claim(miner).raw_byte_power, 0);

  // Within the fault cutoff before the deadline opens, a recovery is too late.
  auto next = h.provingDeadline(miner);
  while (next.index != dl) {
    ASSERT_TRUE(h.chain.tick());
    next = h.provingDeadline(miner);
  }
  ASSERT_TRUE(h.chain.tickTo(next.fault_cutoff));
  miner::DeclareFaultsRecoveredParams rec{{{dl, part, primitives::BitField::fromIndexes({7})}}};
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, miner, miner::kDeclareFaultsRecovered, rec),
                   ExitCode::kErrIllegalArgument);
  expectConservation();
}

TEST_F(MinerTest, TerminateSectorsReleasesPledgeAndBurnsTheFee) {
  const SealedSector s = proven(8);
  auto [dl, part] = *h.locate(miner, 8);
  ASSERT_TRUE(h.tickToDeadline(miner, dl));
  ASSERT_EXIT_CODE(h.submitPoSt(miner, {{part, {}}}, {s}), ExitCode::kOk);
  const TokenAmount pledge = state().initial_pledge;
  ASSERT_GT(pledge, 0);
  const TokenAmount burnt_before = h.chain.balance(burntFundsActorAddress());

  // Terminations are refused while the deadline is open or about to be.
  miner::TerminateSectorsParams t{{{dl, part, primitives::BitField::fromIndexes({8})}}};
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, miner, miner::kTerminateSectors, t), ExitCode::kErrIllegalArgument);
  ASSERT_TRUE(h.chain.tickTo(h.provingDeadline(miner).close + 1));
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.stranger, miner, miner::kTerminateSectors, t), ExitCode::kErrForbidden);
  miner::TerminateSectorsParams unknown{{{dl, part, primitives::BitField::fromIndexes({99})}}};
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, miner, miner::kTerminateSectors, unknown),
                   ExitCode::kErrIllegalArgument);
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, miner, miner::kTerminateSectors, t), ExitCode::kOk);
  EXPECT_EQ(state().initial_pledge, 0);
  EXPECT_EQ(h.claim(miner).raw_byte_power, 0);
  auto sector = h.chain.view().minerSector(miner, 8);
  EXPECT_FALSE(sector->has_value());
  EXPECT_GT(h.chain.balance(burntFundsActorAddress()), burnt_before);
  EXPECT_EQ(h.chain.view().powerState()->total_pledge_collateral, 0);
  // Terminating it again: no longer live.
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, miner, miner::kTerminateSectors, t), ExitCode::kErrIllegalArgument);
  expectConservation();
}

// ---- funds ----

TEST_F(MinerTest, WithdrawBalanceOnlyByOwnerAndOnlyWhatIsAvailable) {
  auto [s, epoch] = preCommitted(9);
  const TokenAmount deposit = state().pre_commit_deposits;
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, miner, miner::kWithdrawBalance, miner::WithdrawBalanceParams{fil(1)}),
                   ExitCode::kErrForbidden);
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.owner, miner, miner::kWithdrawBalance, miner::WithdrawBalanceParams{-1}),
                   ExitCode::kErrIllegalArgument);
  const TokenAmount owner_before = h.chain.balance(h.owner.address);
  auto r = h.chain.sendCbor(h.owner, miner, miner::kWithdrawBalance, miner::WithdrawBalanceParams{fil(1000)});
  ASSERT_EXIT_CODE(r, ExitCode::kOk);
  // All but the deposit came back to the owner (less the gas it paid).
  const TokenAmount withdrawn = fil(100) - deposit;
  EXPECT_EQ(r->receipt.return_value, codec::encode(withdrawn));
  EXPECT_EQ(h.chain.balance(miner), deposit);
  EXPECT_EQ(h.chain.balance(h.owner.address),
            owner_before + withdrawn - r->gas.base_fee_burn - r->gas.over_estimation_burn - r->gas.miner_tip);
  expectConservation();
}

TEST_F(MinerTest, OnlyBuiltinActorsCallTheirMethods) {
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.owner, miner, miner::kApplyRewards, miner::ApplyRewardParams{1, 0}),
                   ExitCode::kErrForbidden);
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.owner, miner, miner::kOnDeferredCronEvent,
                                    miner::DeferredCronEventParams{codec::encode(miner::CronEventPayload{1}), {}, {}}),
                   ExitCode::kErrForbidden);
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.owner, miner, miner::kConfirmSectorProofsValid,
                                    miner::ConfirmSectorProofsParams{{1}, {}, 0, {}}),
                   ExitCode::kErrForbidden);
  miner::ConstructorParams ctor{h.owner.address, h.worker.address, {}, StorageHarness::kWindowPoStProof, {}, {}};
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.owner, miner, miner::kConstructor, ctor), ExitCode::kErrForbidden);
  ASSERT_EXIT_CODE(h.chain.send(h.owner, miner, miner::kExtendSectorExpiration, {}), ExitCode::kErrUnhandledMessage);
}

TEST_F(MinerTest, ExportedReadersAnswerAnyone) {
  auto size = h.chain.send(h.stranger, miner, miner::kGetSectorSizeExported, {});
  ASSERT_EXIT_CODE(size, ExitCode::kOk);
  EXPECT_EQ(size->receipt.return_value, codec::encode(uint64_t{2048}));
  auto controlling = h.chain.sendCbor(h.stranger, miner, miner::kIsControllingAddressExported, h.worker.address);
  ASSERT_EXIT_CODE(controlling, ExitCode::kOk);
  EXPECT_EQ(controlling->receipt.return_value, codec::encode(true));
  auto not_controlling = h.chain.sendCbor(h.stranger, miner, miner::kIsControllingAddressExported, h.client.address);
  EXPECT_EQ(not_controlling->receipt.return_value, codec::encode(false));
  auto available = h.chain.send(h.stranger, miner, miner::kGetAvailableBalanceExported, {});
  ASSERT_EXIT_CODE(available, ExitCode::kOk);
  EXPECT_EQ(available->receipt.return_value, codec::encode(fil(100)));
  auto peer = h.chain.send(h.stranger, miner, miner::kGetPeerIdExported, {});
  ASSERT_EXIT_CODE(peer, ExitCode::kOk);
  EXPECT_EQ(codec::decode<miner::GetPeerIdReturn>(peer->receipt.return_value)->peer_id, (Bytes{1, 2, 3}));
  auto addrs = h.chain.send(h.stranger, miner, miner::kGetMultiaddrsExported, {});
  ASSERT_EXIT_CODE(addrs, ExitCode::kOk);
  EXPECT_TRUE(codec::decode<miner::GetMultiaddrsReturn>(addrs->receipt.return_value)->multiaddrs.empty());
  auto owner = h.chain.send(h.stranger, miner, miner::kGetOwnerExported, {});
  ASSERT_EXIT_CODE(owner, ExitCode::kOk);
  codec::CborEncoder expected;  // GetOwnerReturn [Owner, Proposed]
  expected.writeArrayHeader(2);
  codec::encode(expected, info().owner);
  codec::encode(expected, std::optional<Address>());
  EXPECT_EQ(owner->receipt.return_value, std::move(expected).take());
}

TEST_F(MinerTest, CheckSectorProvenAndRepayDebt) {
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.stranger, miner, miner::kCheckSectorProven, miner::CheckSectorProvenParams{1}),
                   ExitCode::kErrNotFound);
  proven(1);
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.stranger, miner, miner::kCheckSectorProven, miner::CheckSectorProvenParams{1}),
                   ExitCode::kOk);
  // No debt: repaying is a no-op for controlling addresses, forbidden for others.
  ASSERT_EXIT_CODE(h.chain.send(h.stranger, miner, miner::kRepayDebt, {}), ExitCode::kErrForbidden);
  ASSERT_EXIT_CODE(h.chain.send(h.worker, miner, miner::kRepayDebt, {}), ExitCode::kOk);
  EXPECT_EQ(state().fee_debt, 0);
}

TEST_F(MinerTest, PreCommitSectorBatchOfLegacyEntries) {
  const auto rand_epoch = h.chain.epoch - 1;
  miner::PreCommitSectorBatchParams batch;
  for (uint64_t n : {20, 21}) {
    auto s = h.seal(miner, n, rand_epoch);
    ASSERT_TRUE(s);
    const auto info = h.preCommitInfo(*s, rand_epoch);
    batch.sectors.push_back({info.seal_proof, n, info.sealed_cid, rand_epoch, {}, info.expiration, false, 0, 0, 0});
  }
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, miner, miner::kPreCommitSectorBatch, batch), ExitCode::kOk);
  auto pcs = h.chain.view().minerState(miner);
  auto all = miner::loadPreCommits(h.chain.blocks, *pcs);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 2u);
  auto allocated = miner::loadAllocatedSectors(h.chain.blocks, *pcs);
  EXPECT_TRUE(allocated->has(20) && allocated->has(21));
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, miner, miner::kPreCommitSectorBatch, miner::PreCommitSectorBatchParams{}),
                   ExitCode::kErrIllegalArgument);
}

// ---- reward ----

TEST_F(MinerTest, BlockRewardGoesToTheMinerAndOnlySystemAwardsIt) {
  const TokenAmount before = h.chain.balance(miner);
  reward::AwardBlockRewardParams p{miner, 0, 0, 1};
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.owner, rewardActorAddress(), reward::kAwardBlockReward, p),
                   ExitCode::kErrForbidden);
  auto r = h.chain.implicit(systemActorAddress(), rewardActorAddress(), reward::kAwardBlockReward, codec::encode(p));
  ASSERT_EXIT_CODE(r, ExitCode::kOk);
  const TokenAmount expected = reward::epochReward(h.chain.epoch) / reward::kExpectedLeadersPerEpoch;
  EXPECT_EQ(h.chain.balance(miner), before + expected);
  p.win_count = 0;
  auto zero = h.chain.implicit(systemActorAddress(), rewardActorAddress(), reward::kAwardBlockReward, codec::encode(p));
  ASSERT_EXIT_CODE(zero, ExitCode::kErrIllegalArgument);
  // A reward for an actor that is not a miner is burnt.
  const TokenAmount burnt = h.chain.balance(burntFundsActorAddress());
  reward::AwardBlockRewardParams to_account{h.client.address, 0, 0, 2};
  auto burn = h.chain.implicit(systemActorAddress(), rewardActorAddress(), reward::kAwardBlockReward,
                               codec::encode(to_account));
  ASSERT_EXIT_CODE(burn, ExitCode::kOk);
  EXPECT_EQ(h.chain.balance(burntFundsActorAddress()), burnt + 2 * expected);
  expectConservation();
}

TEST(Reward, ScheduleHalves) {
  EXPECT_EQ(reward::epochReward(0), fil(100));
  EXPECT_EQ(reward::epochReward(reward::kRewardHalvingEpochs - 1), fil(100));
  EXPECT_EQ(reward::epochReward(reward::kRewardHalvingEpochs), fil(50));
  EXPECT_EQ(reward::epochReward(3 * reward::kRewardHalvingEpochs), fil(100) / 8);
}

}  // namespace
}  // namespace fil::vm
