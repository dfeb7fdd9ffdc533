#include <gtest/gtest.h>

#include <memory>

#include "block_scenario.h"
#include "fil/chain/base_fee.h"
#include "fil/chain/chain_error.h"
#include "fil/chain/messages.h"
#include "fil/proofs/sealer.h"
#include "fil/testing/paths.h"

namespace fil::chain {
namespace {

using testing::BlockScenario;
using testing::keyFrom;

// One real 2 KiB sector, sealed once for the whole suite, proves the
// winning PoSt of every block here.
class BlockValidation : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<fil::testing::TempDir>();
    pool_ = std::make_unique<proofs::ThreadPool>(2);
    sealer_ = std::make_unique<proofs::LocalSealer>(dir_->path() / "store", dir_->path() / "parents", *pool_);
    const proofs::SectorRef ref{1000, 1, proofs::RegisteredSealProof::kStackedDrg2KiBV1_1};
    proofs::JobContext ctx;
    const Bytes data(2032, 0x5c);
    size_t pos = 0;
    auto piece = sealer_->addPiece(ref, {}, data.size(),
                                   [&](MutableBytesView out) -> Result<size_t> {
                                     const size_t n = std::min(out.size(), data.size() - pos);
                                     std::copy_n(data.begin() + static_cast<long>(pos), n, out.begin());
                                     pos += n;
                                     return n;
                                   },
                                   ctx);
    ASSERT_TRUE(piece) << piece.error().message();
    proofs::Ticket ticket{};
    ticket[0] = 1;
    const std::vector<proofs::PieceInfo> pieces{*piece};
    auto pc1 = sealer_->preCommit1(ref, ticket, pieces, ctx);
    ASSERT_TRUE(pc1) << pc1.error().message();
    auto sealed = sealer_->preCommit2(ref, *pc1, ctx);
    ASSERT_TRUE(sealed) << sealed.error().message();
    sector_ = {ref.proof, ref.number, sealed->comm_r};
    scenario_ = std::make_unique<BlockScenario>(BlockScenario::make(
        sector_, [](std::span<const proofs::PublicSectorInfo> challenged, const proofs::PoStRandomness& seed) {
          return sealer_->generateWinningPoSt(1000, challenged, seed);
        }));
  }
  static void TearDownTestSuite() {
    scenario_.reset();
    sealer_.reset();
    pool_.reset();
    dir_.reset();
  }

  void SetUp() override { s_ = *scenario_; }

  Status validate() const { return validateBlock(s_.block, s_.inputs()); }

  void expectRejected(BlockError kind, std::string_view field) const {
    const Status st = validate();
    ASSERT_FALSE(st) << "accepted; expected " << describe(kind);
    EXPECT_TRUE(st.error().is(kind)) << st.error().message();
    EXPECT_NE(st.error().message().find(field), std::string::npos) << st.error().message();
  }

  // Re-signs after a change that later checks (not the signature) must catch.
  void resign() { ASSERT_TRUE(signBlock(s_.block.header, s_.worker_key)); }

  // Replaces the messages and fixes the root and signature.
  void setMessages(std::vector<primitives::SignedMessage> messages) {
    std::vector<cid::Cid> cids;
    for (const auto& m : messages) cids.push_back(m.cid());
    store::MemoryBlockstore scratch;
    s_.block.header.messages = *storeMsgMeta(scratch, {}, cids);
    s_.block.secpk_messages = std::move(messages);
    resign();
  }

  static inline std::unique_ptr<fil::testing::TempDir> dir_;
  static inline std::unique_ptr<proofs::ThreadPool> pool_;
  static inline std::unique_ptr<proofs::LocalSealer> sealer_;
  static inline proofs::PublicSectorInfo sector_;
  static inline std::unique_ptr<BlockScenario> scenario_;
  BlockScenario s_;
};

TEST_F(BlockValidation, AcceptsAValidBlock) {
  const Status st = validate();
  ASSERT_TRUE(st) << st.error().message();
  EXPECT_GE(s_.block.header.election_proof->win_count, 1);
  EXPECT_EQ(s_.block.secpk_messages.size(), 2u);
  // Every rule on its own.
  const TipSet parent = *s_.parent.tipset();
  const auto& h = s_.block.header;
  EXPECT_TRUE(checkBlockSyntax(h));
  EXPECT_TRUE(checkTimestamp(h, parent, s_.now, s_.params));
  EXPECT_TRUE(checkBlockSignature(h, s_.worker));
  EXPECT_TRUE(checkTicket(h, parent, s_.parent_beacon, s_.worker));
  EXPECT_TRUE(checkElection(h, s_.parent_beacon, s_.state.lookback));
  EXPECT_TRUE(checkMessages(s_.block, s_.state, s_.params));
  EXPECT_TRUE(checkWinningPoSt(h, s_.parent_beacon, s_.state.lookback, s_.state));
  // The block survives its wire form.
  EXPECT_EQ(*BlockHeader::decode(h.serialize()), h);
}

TEST_F(BlockValidation, MissingFieldsAndMinerAddress) {
  s_.block.header.ticket.reset();
  expectRejected(BlockError::kMissingField, "Ticket");
  SetUp();
  s_.block.header.election_proof.reset();
  expectRejected(BlockError::kMissingField, "ElectionProof");
  SetUp();
  s_.block.header.block_sig.reset();
  expectRejected(BlockError::kMissingField, "BlockSig");
  SetUp();
  s_.block.header.bls_aggregate.reset();
  expectRejected(BlockError::kMissingField, "BLSAggregate");
  SetUp();
  s_.block.header.miner = s_.worker;
  expectRejected(BlockError::kMinerNotIdAddress, "Miner");
}

TEST_F(BlockValidation, ParentsHeightAndTimestamp) {
  s_.block.header.parents = {s_.executed.state_root};
  expectRejected(BlockError::kWrongParents, "Parents");
  SetUp();
  s_.block.header.height = 0;
  expectRejected(BlockError::kHeightNotAboveParent, "Height");
  SetUp();
  s_.block.header.timestamp += 1;
  expectRejected(BlockError::kWrongTimestamp, "Timestamp");
  SetUp();
  s_.now -= kAllowableClockDriftSeconds + 1;
  expectRejected(BlockError::kFromTheFuture, "Timestamp");
  SetUp();
  s_.now -= kAllowableClockDriftSeconds;  // within the allowed drift
  EXPECT_TRUE(validate());
}

TEST_F(BlockValidation, ParentWeightBaseFeeAndState) {
  s_.block.header.parent_weight += 1;
  expectRejected(BlockError::kWrongParentWeight, "ParentWeight");
  SetUp();
  s_.state.network_power = 4096;  // another parent power gives another weight
  expectRejected(BlockError::kWrongParentWeight, "ParentWeight");
  SetUp();
  s_.block.header.parent_base_fee -= 1;
  expectRejected(BlockError::kWrongBaseFee, "ParentBaseFee");
  SetUp();
  s_.executed.state_root = s_.executed.receipts_root;
  expectRejected(BlockError::kWrongParentState, "ParentStateRoot");
  SetUp();
  s_.executed.receipts_root = s_.executed.state_root;
  expectRejected(BlockError::kWrongParentState, "ParentMessageReceipts");
}

TEST_F(BlockValidation, MinerEligibility) {
  s_.state.lookback_miner = primitives::Address::id(1001);  // the miner is unknown
  expectRejected(BlockError::kMinerNotEligible, "no miner actor");
  SetUp();
  s_.state.lookback.meets_consensus_minimum = false;
  expectRejected(BlockError::kMinerNotEligible, "consensus minimum");
  SetUp();
  s_.state.parent.has_claim = false;
  expectRejected(BlockError::kMinerNotEligible, "slashed");
  SetUp();
  s_.state.parent.has_fee_debt = true;
  expectRejected(BlockError::kMinerNotEligible, "fee debt");
  SetUp();
  s_.state.parent.consensus_fault_elapsed = 5;
  expectRejected(BlockError::kMinerNotEligible, "consensus fault");
}

TEST_F(BlockValidation, BeaconTicketAndElection) {
  s_.block.header.beacon_entries.back().data[70] ^= 1;
  expectRejected(BlockError::kInvalidBeaconEntries, "BeaconEntries");
  SetUp();
  s_.block.header.beacon_entries.clear();
  expectRejected(BlockError::kInvalidBeaconEntries, "BeaconEntries");
  SetUp();
  // A ticket by another key, or over another seed.
  s_.block.header.ticket = *computeTicket(keyFrom(99), Randomness{});
  expectRejected(BlockError::kInvalidTicket, "Ticket.VRFProof");
  SetUp();
  s_.block.header.ticket = *computeTicket(s_.worker_key, Randomness{});
  expectRejected(BlockError::kInvalidTicket, "Ticket.VRFProof");
  SetUp();
  s_.block.header.election_proof->win_count = 0;
  expectRejected(BlockError::kNotAWinner, "WinCount");
  SetUp();
  s_.block.header.election_proof->win_count += 1;
  expectRejected(BlockError::kWrongWinCount, "WinCount");
  SetUp();
  s_.state.lookback.miner_power = 1;  // less power: fewer wins than claimed (or none)
  expectRejected(BlockError::kWrongWinCount, "WinCount");
  SetUp();
  s_.block.header.election_proof->vrf_proof = s_.block.header.ticket->vrf_proof;
  expectRejected(BlockError::kInvalidElectionProof, "ElectionProof.VRFProof");
}

TEST_F(BlockValidation, SignatureAndBlsAggregate) {
  ASSERT_TRUE(signBlock(s_.block.header, keyFrom(99)));
  expectRejected(BlockError::kInvalidBlockSignature, "BlockSig");
  SetUp();
  s_.block.header.fork_signaling = 1;  // any change after signing
  expectRejected(BlockError::kInvalidBlockSignature, "BlockSig");
  SetUp();
  s_.block.header.bls_aggregate->data[5] = 1;
  resign();
  expectRejected(BlockError::kInvalidBlsAggregate, "BLSAggregate");
}

TEST_F(BlockValidation, Messages) {
  // A message dropped from the block but not from its root.
  s_.block.secpk_messages.pop_back();
  expectRejected(BlockError::kWrongMessagesRoot, "Messages");
  SetUp();
  setMessages({s_.message(0), s_.message(2)});
  expectRejected(BlockError::kInvalidMessage, "Nonce 2 should be 1");
  SetUp();
  setMessages({s_.message(0, 100)});
  expectRejected(BlockError::kInvalidMessage, "GasLimit 100 is below");
  SetUp();
  setMessages({s_.message(0, s_.params.block_gas_limit / 2 + 1), s_.message(1, s_.params.block_gas_limit / 2 + 1)});
  expectRejected(BlockError::kBlockGasLimitExceeded, "block limit");
  SetUp();
  auto forged = s_.message(0);
  forged.message.value = 2;  // signature no longer matches
  setMessages({forged});
  expectRejected(BlockError::kInvalidMessage, "SecpkMessages[0]");
  SetUp();
  s_.state.senders.clear();
  expectRejected(BlockError::kInvalidMessage, "does not exist");
  SetUp();
  s_.state.senders[s_.sender].can_send = false;
  expectRejected(BlockError::kInvalidMessage, "not an account actor");
  SetUp();
  s_.block.bls_messages.push_back(s_.message(0).message);
  expectRejected(BlockError::kInvalidMessage, "BlsMessages");
  SetUp();
  std::vector<primitives::SignedMessage> many(kBlockMessageLimit + 1, s_.message(0));
  s_.block.secpk_messages = many;
  expectRejected(BlockError::kTooManyMessages, "messages");
}

TEST_F(BlockValidation, WinningPoSt) {
  s_.block.header.win_post_proof.front().proof_bytes.back() ^= 1;
  resign();
  expectRejected(BlockError::kInvalidWinningPoSt, "WinPoStProof");
  SetUp();
  s_.block.header.win_post_proof.clear();
  resign();
  expectRejected(BlockError::kInvalidWinningPoSt, "WinPoStProof");
  SetUp();
  s_.state.lookback.active_sectors = 0;
  expectRejected(BlockError::kInvalidWinningPoSt, "no active sectors");
  SetUp();
  s_.state.sectors.front().comm_r[3] ^= 1;  // the proof is for another sector
  expectRejected(BlockError::kInvalidWinningPoSt, "WinPoStProof");
}

TEST_F(BlockValidation, StateReadFailuresAreNotBlockErrors) {
  s_.state.sectors.clear();  // the view cannot answer
  const Status st = validate();
  ASSERT_FALSE(st);
  EXPECT_FALSE(st.error().is(BlockError::kInvalidWinningPoSt));
  EXPECT_TRUE(st.error().is(GenericError::kOutOfRange));
}

TEST(MessageInclusion, LotusRules) {
  const NetworkParams& p = devnetParams();
  primitives::Message m;
  m.to = primitives::Address::id(1);
  m.from = primitives::Address::id(2);
  m.gas_limit = 1'000'000;
  m.gas_fee_cap = 10;
  m.gas_premium = 5;
  EXPECT_TRUE(checkMessageForInclusion(m, 1000, p));
  auto rejected = [&](primitives::Message bad, std::string_view field) {
    const Status st = checkMessageForInclusion(bad, 1000, p);
    ASSERT_FALSE(st) << field;
    EXPECT_TRUE(st.error().is(BlockError::kInvalidMessage));
    EXPECT_NE(st.error().message().find(field), std::string::npos) << st.error().message();
  };
  auto bad = m;
  bad.version = 1;
  rejected(bad, "Version");
  bad = m;
  bad.to = *primitives::Address::parse("f3yaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaby2smx7a");
  rejected(bad, "zero address");
  bad = m;
  bad.value = -1;
  rejected(bad, "Value");
  bad = m;
  bad.value = primitives::TokenAmount(2'000'000'001) * primitives::kFilecoinPrecision;
  rejected(bad, "supply");
  bad = m;
  bad.gas_premium = 11;
  rejected(bad, "GasPremium");
  bad = m;
  bad.gas_fee_cap = -1;
  rejected(bad, "GasFeeCap");
  bad = m;
  bad.gas_limit = p.block_gas_limit + 1;
  rejected(bad, "GasLimit");
  bad = m;
  bad.gas_limit = 0;
  rejected(bad, "GasLimit");
  bad = m;
  bad.gas_limit = 999;
  rejected(bad, "GasLimit");
  EXPECT_EQ(messageInclusionGas(100), 513863 + 136 * 1300);
}

}  // namespace
}  // namespace fil::chain
