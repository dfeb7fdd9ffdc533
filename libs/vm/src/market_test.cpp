// Storage market actor methods through the VM: escrow, deal publication
// with client signatures and collateral, activation in real sectors whose
// CommD must match the deals' pieces, payments, timeouts and slashing.
#include <gtest/gtest.h>

#include "fil/vm/actors/market.h"
#include "fil/vm/actors/miner.h"
#include "vm_testing.h"

namespace fil::vm {
namespace {

using testing::fil;
using testing::SealedSector;
using testing::StorageHarness;

class MarketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h.genesis();
    ASSERT_TRUE(h.chain.tickTo(5));
    auto created = h.createMiner();
    ASSERT_TRUE(created) << created.error().message();
    miner = created->id_address;
    ASSERT_EXIT_CODE(h.chain.sendCbor(h.client, marketActorAddress(), market::kAddBalance, h.client.address, fil(10)),
                     ExitCode::kOk);
    ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, marketActorAddress(), market::kAddBalance, miner, fil(5)),
                     ExitCode::kOk);
  }

  market::GetBalanceReturn balance(const Address& a) {
    auto b = h.chain.view().marketBalance(a);
    EXPECT_TRUE(b) << b.error().message();
    return *b;
  }
  void expectConservation() {
    EXPECT_EQ(testing::totalBalance(h.chain.blocks, h.chain.root), genesis::kTotalFilecoin);
  }

  market::DealProposal proposal(const proofs::PieceInfo& piece, chain::ChainEpoch start, chain::ChainEpoch duration) {
    market::DealProposal d;
    d.piece_cid = piece.piece_cid;
    d.piece_size = piece.size;
    d.client = h.client.address;
    d.provider = miner;
    d.label = {"label", true};
    d.start_epoch = start;
    d.end_epoch = start + duration;
    d.storage_price_per_epoch = 1000;
    d.provider_collateral = fil(1);
    d.client_collateral = 500;
    return d;
  }
  Result<ApplyRet> publish(std::vector<market::ClientDealProposal> deals, const testing::Key* from = nullptr) {
    return h.chain.sendCbor(from ? *from : h.worker, marketActorAddress(), market::kPublishStorageDeals,
                            market::PublishStorageDealsParams{std::move(deals)});
  }
  market::ClientDealProposal signedBy(const market::DealProposal& d, const testing::Key& key) {
    auto s = market::signProposal(d, key.info.private_key);
    EXPECT_TRUE(s);
    return *s;
  }

  // A sector holding `piece` (and zeros), pre-committed with `deals` at the
  // current epoch and proven after the seed; returns the receipts' codes.
  std::pair<ExitCode, ExitCode> sealAndProve(uint64_t number, std::vector<proofs::PieceInfo> pieces,
                                             std::vector<DealId> deals) {
    const auto rand_epoch = h.chain.epoch - 1;
    auto s = h.seal(miner, number, rand_epoch, std::move(pieces));
    EXPECT_TRUE(s) << s.error().message();
    auto pc = h.preCommit(miner, h.preCommitInfo(*s, rand_epoch, deals));
    EXPECT_TRUE(pc);
    if (pc->receipt.exit_code != ExitCode::kOk) return {pc->receipt.exit_code, ExitCode::kOk};
    const auto epoch = h.chain.epoch;
    EXPECT_TRUE(h.chain.tickTo(epoch + h.chain.net().pre_commit_challenge_delay + 1));
    auto proof = h.sealer.prove(*s, h.seedFor(miner, epoch));
    EXPECT_TRUE(proof) << proof.error().message();
    auto r = h.proveCommit(miner, number, *proof);
    EXPECT_TRUE(r);
    return {ExitCode::kOk, r->receipt.exit_code};
  }

  StorageHarness h;
  Address miner;
};

TEST_F(MarketTest, AddBalanceEscrowsFunds) {
  EXPECT_EQ(balance(h.client.address).balance, fil(10));
  EXPECT_EQ(balance(miner).balance, fil(5));
  EXPECT_EQ(h.chain.balance(marketActorAddress()), fil(15));
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.client, marketActorAddress(), market::kAddBalance, h.client.address, 0),
                   ExitCode::kErrIllegalArgument);
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.client, marketActorAddress(), market::kAddBalance, Address::id(4444), fil(1)),
                   ExitCode::kErrIllegalArgument);
  // Anyone may add to anyone's escrow; the exported number works too.
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.stranger, marketActorAddress(), market::kAddBalanceExported, h.client.address,
                                    fil(1)),
                   ExitCode::kOk);
  EXPECT_EQ(balance(h.client.address).balance, fil(11));
  auto got = h.chain.sendCbor(h.stranger, marketActorAddress(), market::kGetBalanceExported, h.client.address);
  ASSERT_EXIT_CODE(got, ExitCode::kOk);
  auto b = codec::decode<market::GetBalanceReturn>(got->receipt.return_value);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->balance, fil(11));
  expectConservation();
}

TEST_F(MarketTest, WithdrawBalance) {
  const TokenAmount before = h.chain.balance(h.client.address);
  auto r = h.chain.sendCbor(h.client, marketActorAddress(), market::kWithdrawBalance,
                            market::WithdrawBalanceParams{h.client.address, fil(4)});
  ASSERT_EXIT_CODE(r, ExitCode::kOk);
  EXPECT_EQ(balance(h.client.address).balance, fil(6));
  EXPECT_EQ(h.chain.balance(h.client.address),
            before + fil(4) - r->gas.base_fee_burn - r->gas.over_estimation_burn - r->gas.miner_tip);
  // Only the party itself (for a miner: owner or worker).
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.stranger, marketActorAddress(), market::kWithdrawBalance,
                                    market::WithdrawBalanceParams{h.client.address, fil(1)}),
                   ExitCode::kErrForbidden);
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.client, marketActorAddress(), market::kWithdrawBalance,
                                    market::WithdrawBalanceParams{miner, fil(1)}),
                   ExitCode::kErrForbidden);
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.client, marketActorAddress(), market::kWithdrawBalance,
                                    market::WithdrawBalanceParams{h.client.address, -1}),
                   ExitCode::kErrIllegalArgument);
  // A miner's funds go to its owner.
  const TokenAmount owner_before = h.chain.balance(h.owner.address);
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, marketActorAddress(), market::kWithdrawBalance,
                                    market::WithdrawBalanceParams{miner, fil(2)}),
                   ExitCode::kOk);
  EXPECT_EQ(h.chain.balance(h.owner.address), owner_before + fil(2));
  EXPECT_EQ(balance(miner).balance, fil(3));
  expectConservation();
}

TEST_F(MarketTest, PublishLocksFundsAndWithdrawLeavesThemLocked) {
  const proofs::PieceInfo piece{1024, proofs::pieceCid(proofs::zeroPieceCommitment(1024))};
  const auto d = proposal(piece, h.chain.epoch + 50, 200);
  auto r = publish({signedBy(d, h.client)});
  ASSERT_EXIT_CODE(r, ExitCode::kOk);
  auto ret = codec::decode<market::PublishStorageDealsReturn>(r->receipt.return_value);
  ASSERT_TRUE(ret);
  ASSERT_EQ(ret->ids.size(), 1u);
  EXPECT_TRUE(ret->valid_deals.has(0));
  EXPECT_EQ(balance(h.client.address).locked, d.clientBalanceRequirement());
  EXPECT_EQ(balance(miner).locked, fil(1));
  auto deal = h.chain.view().marketDeal(ret->ids[0]);
  ASSERT_TRUE(deal && deal->has_value());
  EXPECT_EQ((*deal)->proposal.client, Address::id(**h.chain.view().lookupId(h.client.address)));
  EXPECT_EQ((*deal)->state.sector_start_epoch, market::kEpochUndefined);

  // Withdrawing everything leaves what is locked.
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.client, marketActorAddress(), market::kWithdrawBalance,
                                    market::WithdrawBalanceParams{h.client.address, fil(100)}),
                   ExitCode::kOk);
  EXPECT_EQ(balance(h.client.address).balance, d.clientBalanceRequirement());
  // The same deal again is a duplicate.
  ASSERT_EXIT_CODE(publish({signedBy(d, h.client)}), ExitCode::kErrIllegalArgument);
  expectConservation();
}

TEST_F(MarketTest, PublishFailures) {
  const proofs::PieceInfo piece{1024, proofs::pieceCid(proofs::zeroPieceCommitment(1024))};
  const auto d = proposal(piece, h.chain.epoch + 50, 200);
  // Not the provider's worker or control address.
  ASSERT_EXIT_CODE(publish({signedBy(d, h.client)}, &h.stranger), ExitCode::kErrForbidden);
  // Signed by someone else.
  ASSERT_EXIT_CODE(publish({signedBy(d, h.stranger)}), ExitCode::kErrIllegalArgument);
  // No deals.
  ASSERT_EXIT_CODE(publish({}), ExitCode::kErrIllegalArgument);
  // More than the client's escrow.
  auto expensive = d;
  expensive.storage_price_per_epoch = fil(1);
  ASSERT_EXIT_CODE(publish({signedBy(expensive, h.client)}), ExitCode::kErrIllegalArgument);
  // More collateral than the provider has.
  auto collateral = d;
  collateral.provider_collateral = fil(50);
  ASSERT_EXIT_CODE(publish({signedBy(collateral, h.client)}), ExitCode::kErrIllegalArgument);
  // Already started, too short, verified, a bad piece size, a long label.
  auto started = d;
  started.start_epoch = h.chain.epoch - 1;
  ASSERT_EXIT_CODE(publish({signedBy(started, h.client)}), ExitCode::kErrIllegalArgument);
  auto short_deal = d;
  short_deal.end_epoch = short_deal.start_epoch + 10;
  ASSERT_EXIT_CODE(publish({signedBy(short_deal, h.client)}), ExitCode::kErrIllegalArgument);
  auto verified = d;
  verified.verified_deal = true;
  ASSERT_EXIT_CODE(publish({signedBy(verified, h.client)}), ExitCode::kErrIllegalArgument);
  auto odd_size = d;
  odd_size.piece_size = 1000;
  ASSERT_EXIT_CODE(publish({signedBy(odd_size, h.client)}), ExitCode::kErrIllegalArgument);
  auto long_label = d;
  long_label.label = {std::string(300, 'x'), true};
  ASSERT_EXIT_CODE(publish({signedBy(long_label, h.client)}), ExitCode::kErrIllegalArgument);
  // A provider that is not a miner.
  auto not_miner = d;
  not_miner.provider = h.client.address;
  ASSERT_EXIT_CODE(publish({signedBy(not_miner, h.client)}), ExitCode::kErrIllegalArgument);
  // In a batch, the invalid deals are dropped and the valid ones kept.
  auto batch = publish({signedBy(started, h.client), signedBy(d, h.client)});
  ASSERT_EXIT_CODE(batch, ExitCode::kOk);
  auto ret = codec::decode<market::PublishStorageDealsReturn>(batch->receipt.return_value);
  EXPECT_EQ(ret->ids.size(), 1u);
  EXPECT_FALSE(ret->valid_deals.has(0));
  EXPECT_TRUE(ret->valid_deals.has(1));
  EXPECT_EQ(balance(h.client.address).locked, d.clientBalanceRequirement());
  expectConservation();
}

TEST_F(MarketTest, OnlyMinersAndCronCallActivationMethods) {
  market::SectorDeals sd{static_cast<int64_t>(proofs::RegisteredSealProof::kStackedDrg2KiBV1_1), 100000, {0}};
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, marketActorAddress(), market::kVerifyDealsForActivation,
                                    market::VerifyDealsForActivationParams{{sd}}),
                   ExitCode::kErrForbidden);
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, marketActorAddress(), market::kBatchActivateDeals,
                                    market::BatchActivateDealsParams{{sd}, true}),
                   ExitCode::kErrForbidden);
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, marketActorAddress(), market::kOnMinerSectorsTerminate,
                                    market::OnMinerSectorsTerminateParams{10, {0}}),
                   ExitCode::kErrForbidden);
  ASSERT_EXIT_CODE(h.chain.send(h.worker, marketActorAddress(), market::kCronTick, {}), ExitCode::kErrForbidden);
}

TEST_F(MarketTest, DealActivatesInASectorHoldingItsPieceAndPays) {
  auto piece = h.sealer.addPiece(*miner.idValue(), 1, 1016, 42);
  ASSERT_TRUE(piece) << piece.error().message();
  const chain::ChainEpoch start = h.chain.epoch + 30;
  const auto d = proposal(*piece, start, 150);
  auto r = publish({signedBy(d, h.client)});
  ASSERT_EXIT_CODE(r, ExitCode::kOk);
  const DealId id = codec::decode<market::PublishStorageDealsReturn>(r->receipt.return_value)->ids.at(0);

  auto [pc, prove] = sealAndProve(1, {*piece}, {id});
  ASSERT_EQ(pc, ExitCode::kOk);
  ASSERT_EQ(prove, ExitCode::kOk);
  auto deal = h.chain.view().marketDeal(id);
  ASSERT_TRUE(deal && deal->has_value());
  EXPECT_EQ((*deal)->state.sector_start_epoch, h.chain.epoch);
  auto sector = h.chain.view().minerSector(miner, 1);
  ASSERT_TRUE(sector && sector->has_value());
  EXPECT_EQ((*sector)->deal_ids, std::vector<DealId>{id});
  EXPECT_EQ((*sector)->deal_weight, BigInt(1024) * ((*sector)->expiration - (*sector)->activation));

  // Paid per epoch from the start epoch on.
  const TokenAmount provider_before = balance(miner).balance;
  ASSERT_TRUE(h.chain.tickTo(start + 10));
  EXPECT_EQ(balance(miner).balance, provider_before + d.storage_price_per_epoch * 10);
  EXPECT_EQ(balance(h.client.address).balance, fil(10) - d.storage_price_per_epoch * 10);
  // At the end, collateral is unlocked and the deal is gone.
  ASSERT_TRUE(h.chain.tickTo(d.end_epoch + 1));
  EXPECT_EQ(balance(miner).locked, 0);
  EXPECT_EQ(balance(h.client.address).locked, 0);
  EXPECT_EQ(balance(miner).balance, provider_before + d.totalStorageFee());
  EXPECT_FALSE(h.chain.view().marketDeal(id)->has_value());
  expectConservation();
}

TEST_F(MarketTest, DealsMustMatchTheSectorsCommD) {
  auto piece = h.sealer.addPiece(*miner.idValue(), 2, 1016, 42);
  ASSERT_TRUE(piece);
  const auto d = proposal(*piece, h.chain.epoch + 30, 150);
  auto r = publish({signedBy(d, h.client)});
  ASSERT_EXIT_CODE(r, ExitCode::kOk);
  const DealId id = codec::decode<market::PublishStorageDealsReturn>(r->receipt.return_value)->ids.at(0);
  // A sector of other data cannot claim the deal: its CommD differs.
  auto [pc, prove] = sealAndProve(3, {}, {id});
  EXPECT_EQ(pc, ExitCode::kErrIllegalArgument);
  // A deal of another miner cannot be put in this one's sector.
  auto other = h.createMiner();
  ASSERT_TRUE(other);
  const auto rand_epoch = h.chain.epoch - 1;
  auto same_piece = h.sealer.addPiece(*other->id_address.idValue(), 1, 1016, 42);
  ASSERT_TRUE(same_piece);
  EXPECT_EQ(same_piece->piece_cid, piece->piece_cid);
  auto s = h.seal(other->id_address, 1, rand_epoch, {*same_piece});
  ASSERT_TRUE(s) << s.error().message();
  ASSERT_EXIT_CODE(h.preCommit(other->id_address, h.preCommitInfo(*s, rand_epoch, {id})), ExitCode::kErrForbidden);
  // A deal that does not exist.
  ASSERT_EXIT_CODE(h.preCommit(miner, h.preCommitInfo(*s, rand_epoch, {99})), ExitCode::kErrNotFound);
}

TEST_F(MarketTest, UnactivatedDealTimesOutAndSlashesTheProvider) {
  const proofs::PieceInfo piece{1024, proofs::pieceCid(proofs::zeroPieceCommitment(1024))};
  const auto d = proposal(piece, h.chain.epoch + 10, 150);
  ASSERT_EXIT_CODE(publish({signedBy(d, h.client)}), ExitCode::kOk);
  const TokenAmount burnt = h.chain.balance(burntFundsActorAddress());
  ASSERT_TRUE(h.chain.tickTo(d.start_epoch + 1));
  EXPECT_EQ(balance(h.client.address).locked, 0);
  EXPECT_EQ(balance(h.client.address).balance, fil(10));
  EXPECT_EQ(balance(miner).locked, 0);
  EXPECT_EQ(balance(miner).balance, fil(4));
  EXPECT_EQ(h.chain.balance(burntFundsActorAddress()), burnt + fil(1));
  EXPECT_TRUE(h.chain.view().marketDeals()->empty());
  expectConservation();
}

TEST_F(MarketTest, TerminatedSectorSlashesItsDeals) {
  auto piece = h.sealer.addPiece(*miner.idValue(), 4, 1016, 9);
  ASSERT_TRUE(piece);
  const auto d = proposal(*piece, h.chain.epoch + 20, 150);
  auto r = publish({signedBy(d, h.client)});
  ASSERT_EXIT_CODE(r, ExitCode::kOk);
  const DealId id = codec::decode<market::PublishStorageDealsReturn>(r->receipt.return_value)->ids.at(0);
  auto [pc, prove] = sealAndProve(4, {*piece}, {id});
  ASSERT_EQ(prove, ExitCode::kOk);
  auto where = h.locate(miner, 4);
  ASSERT_TRUE(where);
  // Terminate from a mutable deadline (neither open nor next).
  auto dl = h.provingDeadline(miner);
  while (dl.index == where->first || (dl.index + 1) % h.chain.net().wpost_period_deadlines == where->first) {
    ASSERT_TRUE(h.chain.tick());
    dl = h.provingDeadline(miner);
  }
  ASSERT_TRUE(h.chain.tickTo(std::max(h.chain.epoch, d.start_epoch + 5)));
  dl = h.provingDeadline(miner);
  while (dl.index == where->first || (dl.index + 1) % h.chain.net().wpost_period_deadlines == where->first) {
    ASSERT_TRUE(h.chain.tick());
    dl = h.provingDeadline(miner);
  }
  const TokenAmount burnt = h.chain.balance(burntFundsActorAddress());
  miner::TerminateSectorsParams t{{{where->first, where->second, primitives::BitField::fromIndexes({4})}}};
  ASSERT_EXIT_CODE(h.chain.sendCbor(h.worker, miner, miner::kTerminateSectors, t), ExitCode::kOk);
  auto deal = h.chain.view().marketDeal(id);
  ASSERT_TRUE(deal && deal->has_value());
  EXPECT_EQ((*deal)->state.slash_epoch, h.chain.epoch);
  ASSERT_TRUE(h.chain.tick());
  // The provider's collateral is burnt, the client's remaining fee and collateral unlocked.
  EXPECT_FALSE(h.chain.view().marketDeal(id)->has_value());
  EXPECT_EQ(balance(h.client.address).locked, 0);
  EXPECT_EQ(balance(miner).locked, 0);
  EXPECT_GE(h.chain.balance(burntFundsActorAddress()), burnt + fil(1));
  expectConservation();
}

}  // namespace
}  // namespace fil::vm
