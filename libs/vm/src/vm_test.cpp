#include "fil/vm/vm.h"

#include <gtest/gtest.h>

#include "fil/vm/actors/account.h"
#include "fil/vm/actors/init.h"
#include "fil/vm/actors/miner.h"
#include "fil/vm/actors/reward.h"
#include "fil/store/amt.h"
#include "fil/vm/gas.h"
#include "fil/vm/state_view.h"
#include "fil/vm/tipset.h"
#include "vm_testing.h"

namespace fil::vm {
namespace {

using testing::fil;
using testing::Key;
using testing::TestChain;
using testing::testKey;

class VmTest : public ::testing::Test {
 protected:
  void SetUp() override { chain.genesis({alice, bob}, fil(1000)); }

  TokenAmount balanceOf(const Address& a) {
    auto tree = StateTree::load(chain.blocks, chain.root);
    auto actor = tree->getActor(a);
    EXPECT_TRUE(actor && actor->has_value());
    return actor && actor->has_value() ? (*actor)->balance : TokenAmount(-1);
  }
  uint64_t nonceOf(const Address& a) {
    auto tree = StateTree::load(chain.blocks, chain.root);
    auto actor = tree->getActor(a);
    return actor && actor->has_value() ? (*actor)->nonce : ~uint64_t{0};
  }
  void expectConservation() {
    EXPECT_EQ(testing::totalBalance(chain.blocks, chain.root), genesis::kTotalFilecoin);
  }
  // What the sender paid for gas: burn, tip and what was over-estimated.
  static TokenAmount gasPaid(const ApplyRet& r) {
    return r.gas.base_fee_burn + r.gas.over_estimation_burn + r.gas.miner_tip;
  }

  TestChain chain;
  Key alice = testKey(1);
  Key bob = testKey(2);
};

TEST_F(VmTest, GenesisHoldsAccountsSingletonsAndAllFil) {
  auto view = StateView::load(chain.blocks, chain.root);
  ASSERT_TRUE(view);
  auto id = view->lookupId(alice.address);
  ASSERT_TRUE(id && id->has_value());
  EXPECT_EQ(**id, genesis::kAccountStart);
  auto key = view->accountKey(Address::id(genesis::kAccountStart + 1));
  ASSERT_TRUE(key);
  EXPECT_EQ(*key, bob.address);
  auto name = view->networkName();
  ASSERT_TRUE(name);
  EXPECT_EQ(*name, "testnet");
  // The default root key and remainder share a key: it names f080.
  auto root_key = view->lookupId(*Address::parse(genesis::kDefaultRemainderKey));
  ASSERT_TRUE(root_key && root_key->has_value());
  EXPECT_EQ(**root_key, kRootVerifierActorId);
  for (ActorId s : {kSystemActorId, kInitActorId, kRewardActorId, kCronActorId, kPowerActorId, kMarketActorId,
                    kRootVerifierActorId, kReserveActorId, kBurntFundsActorId}) {
    auto a = view->getActor(Address::id(s));
    ASSERT_TRUE(a && a->has_value()) << s;
  }
  expectConservation();
}

TEST_F(VmTest, SendMovesValueAndChargesGas) {
  auto r = chain.send(alice, bob.address, kMethodSend, {}, fil(10));
  ASSERT_EXIT_CODE(r, ExitCode::kOk);
  EXPECT_GT(r->receipt.gas_used, 0);
  EXPECT_EQ(balanceOf(bob.address), fil(1010));
  EXPECT_EQ(balanceOf(alice.address), fil(990) - gasPaid(*r));
  EXPECT_EQ(nonceOf(alice.address), 1u);
  // The base fee burnt goes to f099, the tip to the reward actor.
  EXPECT_EQ(r->gas.base_fee_burn, chain.base_fee * r->receipt.gas_used);
  EXPECT_EQ(balanceOf(burntFundsActorAddress()), r->gas.base_fee_burn + r->gas.over_estimation_burn);
  expectConservation();
}

TEST_F(VmTest, SendToNewKeyAddressCreatesAccount) {
  const Key carol = testKey(3);
  auto r = chain.send(alice, carol.address, kMethodSend, {}, fil(3));
  ASSERT_EXIT_CODE(r, ExitCode::kOk);
  auto view = StateView::load(chain.blocks, chain.root);
  auto id = view->lookupId(carol.address);
  ASSERT_TRUE(id && id->has_value());
  EXPECT_GE(**id, genesis::kMinerStart);  // genesis reserves IDs below 1000 for its accounts
  auto key = view->accountKey(Address::id(**id));
  ASSERT_TRUE(key);
  EXPECT_EQ(*key, carol.address);
  EXPECT_EQ(balanceOf(carol.address), fil(3));
  expectConservation();

  // The new account can send in turn.
  auto back = chain.send(carol, alice.address, kMethodSend, {}, fil(1));
  ASSERT_EXIT_CODE(back, ExitCode::kOk);
  expectConservation();
}

TEST_F(VmTest, WrongNonceIsRejectedWithoutCharge) {
  primitives::Message m;
  m.from = alice.address;
  m.to = bob.address;
  m.nonce = 5;
  m.value = fil(1);
  m.gas_limit = 10'000'000;
  m.gas_fee_cap = 1000;
  auto sm = primitives::signMessage(m, alice.info.private_key);
  ASSERT_TRUE(sm);
  const TokenAmount before = balanceOf(alice.address);
  auto r = chain.applySigned(*sm);
  ASSERT_EXIT_CODE(r, ExitCode::kSysErrSenderStateInvalid);
  EXPECT_EQ(r->receipt.gas_used, 0);
  EXPECT_EQ(r->gas.miner_penalty, chain.base_fee * m.gas_limit);
  EXPECT_EQ(balanceOf(alice.address), before);
  EXPECT_EQ(nonceOf(alice.address), 0u);
  expectConservation();
}

TEST_F(VmTest, UnknownSenderIsRejected) {
  auto r = chain.send(testKey(7), alice.address, kMethodSend, {}, 0);
  ASSERT_EXIT_CODE(r, ExitCode::kSysErrSenderInvalid);
  expectConservation();
}

TEST_F(VmTest, GasLimitOverBalanceIsRejected) {
  // 1000 FIL cannot cover a fee cap of 1 FIL per gas unit.
  primitives::Message m;
  m.from = alice.address;
  m.to = bob.address;
  m.gas_limit = 10'000'000;
  m.gas_fee_cap = fil(1);
  auto sm = primitives::signMessage(m, alice.info.private_key);
  auto r = chain.applySigned(*sm);
  ASSERT_EXIT_CODE(r, ExitCode::kSysErrSenderStateInvalid);
  EXPECT_EQ(nonceOf(alice.address), 0u);
  expectConservation();
}

TEST_F(VmTest, InsufficientValueFailsButPaysGasAndBumpsNonce) {
  auto r = chain.send(alice, bob.address, kMethodSend, {}, fil(5000));
  ASSERT_EXIT_CODE(r, ExitCode::kSysErrInsufficientFunds);
  EXPECT_EQ(balanceOf(bob.address), fil(1000));
  EXPECT_EQ(balanceOf(alice.address), fil(1000) - gasPaid(*r));
  EXPECT_EQ(nonceOf(alice.address), 1u);
  expectConservation();
}

TEST_F(VmTest, OutOfGasRevertsEverythingButTheFee) {
  // Enough for the on-chain message charge, not for creating an account.
  const int64_t limit = PriceList::current().onChainMessage(200).total() + 100'000;
  auto r = chain.send(alice, testKey(4).address, kMethodSend, {}, fil(1), limit);
  ASSERT_EXIT_CODE(r, ExitCode::kSysErrOutOfGas);
  EXPECT_EQ(r->receipt.gas_used, limit);
  auto view = StateView::load(chain.blocks, chain.root);
  auto id = view->lookupId(testKey(4).address);
  ASSERT_TRUE(id);
  EXPECT_FALSE(id->has_value());
  EXPECT_EQ(balanceOf(alice.address), fil(1000) - gasPaid(*r));
  expectConservation();

  // A limit below the message's own on-chain charge: rejected, no nonce.
  auto tiny = chain.send(alice, bob.address, kMethodSend, {}, 0, 1000);
  ASSERT_EXIT_CODE(tiny, ExitCode::kSysErrOutOfGas);
  EXPECT_EQ(tiny->receipt.gas_used, 0);
  EXPECT_EQ(nonceOf(alice.address), 1u);
}

TEST_F(VmTest, BadSignatureAndMalformedMessagesAreErrors) {
  primitives::Message m;
  m.from = alice.address;
  m.to = bob.address;
  m.gas_limit = 10'000'000;
  m.gas_fee_cap = 1000;
  auto sm = primitives::signMessage(m, bob.info.private_key);  // signed by the wrong key
  auto r = chain.applySigned(*sm);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(VmError::kInvalidMessage));

  m.gas_limit = 0;
  auto no_gas = primitives::signMessage(m, alice.info.private_key);
  auto r2 = chain.applySigned(*no_gas);
  ASSERT_FALSE(r2);
  EXPECT_TRUE(r2.error().is(VmError::kInvalidMessage));

  m.gas_limit = 10'000'000;
  m.value = -1;
  auto negative = primitives::signMessage(m, alice.info.private_key);
  auto r3 = chain.applySigned(*negative);
  ASSERT_FALSE(r3);
  EXPECT_TRUE(r3.error().is(VmError::kInvalidMessage));
}

TEST_F(VmTest, SendToMissingIdActorFails) {
  auto r = chain.send(alice, Address::id(5555), kMethodSend, {}, fil(1));
  ASSERT_EXIT_CODE(r, ExitCode::kSysErrInvalidReceiver);
  EXPECT_EQ(balanceOf(alice.address), fil(1000) - gasPaid(*r));
  expectConservation();
}

TEST_F(VmTest, UnhandledMethodAndBadParams) {
  auto r = chain.send(alice, bob.address, 77, {}, 0);
  ASSERT_EXIT_CODE(r, ExitCode::kErrUnhandledMessage);
  auto bad = chain.send(alice, bob.address, account::kAuthenticateMessage, Bytes{0x01}, 0);
  ASSERT_EXIT_CODE(bad, ExitCode::kErrSerialization);
  expectConservation();
}

TEST_F(VmTest, AccountPubkeyAddressAndAuthenticateMessage) {
  auto r = chain.send(alice, bob.address, account::kPubkeyAddress, {}, 0);
  ASSERT_EXIT_CODE(r, ExitCode::kOk);
  auto addr = codec::decode<Address>(r->receipt.return_value);
  ASSERT_TRUE(addr);
  EXPECT_EQ(*addr, bob.address);

  const Bytes payload = toBytes(asBytes(std::string_view("deal proposal bytes")));
  auto sig = primitives::signSecp256k1(bob.info.private_key, payload);
  ASSERT_TRUE(sig);
  auto good = chain.sendCbor(alice, bob.address, account::kAuthenticateMessage,
                             account::AuthenticateMessageParams{sig->data, payload});
  ASSERT_EXIT_CODE(good, ExitCode::kOk);
  EXPECT_EQ(good->receipt.return_value, codec::encode(true));

  auto wrong = primitives::signSecp256k1(alice.info.private_key, payload);
  auto bad = chain.sendCbor(alice, bob.address, account::kAuthenticateMessage,
                            account::AuthenticateMessageParams{wrong->data, payload});
  ASSERT_EXIT_CODE(bad, ExitCode::kErrIllegalArgument);
}

TEST_F(VmTest, AccountConstructorOnlyFromSystem) {
  auto r = chain.sendCbor(alice, bob.address, account::kConstructor, alice.address);
  ASSERT_EXIT_CODE(r, ExitCode::kErrForbidden);
}

TEST_F(VmTest, InitExecOnlyForPowerCreatingMiners) {
  init::ExecParams exec{codeCid(ActorType::kMiner), {}};
  auto r = chain.sendCbor(alice, initActorAddress(), init::kExec, exec);
  ASSERT_EXIT_CODE(r, ExitCode::kErrForbidden);
  init::ExecParams account_exec{codeCid(ActorType::kAccount), codec::encode(alice.address)};
  auto r2 = chain.sendCbor(alice, initActorAddress(), init::kExec, account_exec);
  ASSERT_EXIT_CODE(r2, ExitCode::kErrForbidden);
  auto ctor = chain.sendCbor(alice, initActorAddress(), init::kConstructor, init::ConstructorParams{"x"});
  ASSERT_EXIT_CODE(ctor, ExitCode::kErrForbidden);
  expectConservation();
}

TEST_F(VmTest, ImplicitMessagesPayNoGas) {
  const TokenAmount before = balanceOf(alice.address);
  auto r = chain.implicit(alice.address, bob.address, kMethodSend, {}, fil(2));
  ASSERT_EXIT_CODE(r, ExitCode::kOk);
  EXPECT_EQ(r->receipt.gas_used, 0);
  EXPECT_EQ(balanceOf(alice.address), before - fil(2));
  expectConservation();
}

TEST_F(VmTest, SameMessagesSameRoot) {
  auto run = [&]() {
    TestChain c;
    c.genesis({alice, bob}, fil(1000));
    EXPECT_TRUE(c.send(alice, bob.address, kMethodSend, {}, fil(1)));
    EXPECT_TRUE(c.send(bob, testKey(5).address, kMethodSend, {}, fil(2)));
    EXPECT_TRUE(c.tick());
    return c.root;
  };
  const cid::Cid first = run();
  EXPECT_EQ(first, run());
}

TEST_F(VmTest, ApplyTipSetSkipsDuplicatesRunsNullRoundCronAndRecordsReceipts) {
  auto sign = [&](const Key& from, uint64_t nonce, const TokenAmount& value) {
    primitives::Message m;
    m.from = from.address;
    m.to = testKey(6).address;
    m.nonce = nonce;
    m.value = value;
    m.gas_limit = 10'000'000;
    m.gas_fee_cap = 1000;
    m.gas_premium = 10;
    return *primitives::signMessage(m, from.info.private_key);
  };
  const auto a0 = sign(alice, 0, fil(1));
  const auto a1 = sign(alice, 1, fil(2));
  const auto b0 = sign(bob, 0, fil(10'000));  // more than bob has: fails, still a receipt
  // Two blocks; the second repeats a0, which is applied once.
  TipSetExecution exec{chain.root, 0, 3, 100, {{alice.address, 1, {}, {a0, a1}}, {bob.address, 1, {}, {a0, b0}}}};
  std::vector<bool> implicit_seen;
  auto r = applyTipSet(chain.blocks, exec, chain.net(), chain.randomness, nullptr,
                       [&](const cid::Cid&, const primitives::Message&, const ApplyRet&, bool implicit) {
                         implicit_seen.push_back(implicit);
                       });
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_EQ(r->receipts.size(), 3u);
  EXPECT_EQ(r->message_cids, (std::vector<cid::Cid>{a0.message.cid(), a1.message.cid(), b0.message.cid()}));
  EXPECT_EQ(r->receipts[0].exit_code, ExitCode::kOk);
  EXPECT_EQ(r->receipts[2].exit_code, ExitCode::kSysErrInsufficientFunds);
  EXPECT_EQ(r->gas_used, r->receipts[0].gas_used + r->receipts[1].gas_used + r->receipts[2].gas_used);
  // Cron for the null rounds 1 and 2, the two rewards, cron for 3: five
  // implicit messages around the three explicit ones.
  EXPECT_EQ(std::count(implicit_seen.begin(), implicit_seen.end(), true), 5);
  EXPECT_EQ(std::count(implicit_seen.begin(), implicit_seen.end(), false), 3);
  auto market = StateView::load(chain.blocks, r->state_root)->marketState();
  ASSERT_TRUE(market);
  EXPECT_EQ(market->last_cron, 3);
  // The receipts AMT (legacy v0) holds them in order.
  auto amt = store::Amt::load(chain.blocks, r->receipts_root, {3, store::AmtVersion::kV0});
  ASSERT_TRUE(amt);
  EXPECT_EQ(amt->count(), 3u);
  auto second = amt->getCbor<chain::MessageReceipt>(1);
  ASSERT_TRUE(second && second->has_value());
  EXPECT_EQ(**second, r->receipts[1]);
  EXPECT_EQ(testing::totalBalance(chain.blocks, r->state_root), genesis::kTotalFilecoin);

  // Same inputs, same roots; a tipset not after its parent is refused.
  auto again = applyTipSet(chain.blocks, exec, chain.net(), chain.randomness);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->state_root, r->state_root);
  EXPECT_EQ(again->receipts_root, r->receipts_root);
  exec.epoch = 0;
  EXPECT_FALSE(applyTipSet(chain.blocks, exec, chain.net(), chain.randomness));
}

TEST_F(VmTest, BuiltinOnlyMethodsRefuseAccounts) {
  ASSERT_EXIT_CODE(chain.send(alice, systemActorAddress(), kMethodConstructor, {}), ExitCode::kErrForbidden);
  ASSERT_EXIT_CODE(chain.send(alice, cronActorAddress(), 2, {}), ExitCode::kErrForbidden);  // EpochTick
  ASSERT_EXIT_CODE(chain.send(alice, rewardActorAddress(), 4, codec::encode(std::optional<TokenAmount>(1))),
                   ExitCode::kErrForbidden);  // UpdateNetworkKPI
  ASSERT_EXIT_CODE(chain.send(alice, marketActorAddress(), kMethodConstructor, {}), ExitCode::kErrForbidden);
  auto reward = chain.send(alice, rewardActorAddress(), 3, {});  // ThisEpochReward: anyone
  ASSERT_EXIT_CODE(reward, ExitCode::kOk);
  EXPECT_TRUE(codec::decode<reward::ThisEpochRewardReturn>(reward->receipt.return_value));
  expectConservation();
}

TEST(Gas, OutputsSplitTheFeeCapExactly) {
  // Lotus chain/vm/burn.go: up to 10% over the gas used is refunded; past
  // that, (limit-used) * min(limit - 1.1*used, used) / used is burnt.
  auto [refund, burn] = computeGasOverestimationBurn(100, 110);
  EXPECT_EQ(burn, 0);
  EXPECT_EQ(refund, 10);
  std::tie(refund, burn) = computeGasOverestimationBurn(100, 1000);
  EXPECT_EQ(burn, 900);
  EXPECT_EQ(refund, 0);
  std::tie(refund, burn) = computeGasOverestimationBurn(0, 50);
  EXPECT_EQ(burn, 50);

  // base fee over the fee cap: the miner pays the difference.
  GasOutputs g = computeGasOutputs(100, 110, /*base_fee=*/20, /*fee_cap=*/15, /*premium=*/5);
  EXPECT_EQ(g.base_fee_burn, 15 * 100);
  EXPECT_EQ(g.miner_penalty, 5 * 100);
  EXPECT_EQ(g.miner_tip, 0);
  EXPECT_EQ(g.base_fee_burn + g.over_estimation_burn + g.miner_tip + g.refund, TokenAmount(110 * 15));

  GasOutputs tip = computeGasOutputs(100, 110, 10, 20, 4);
  EXPECT_EQ(tip.miner_tip, 4 * 110);
  EXPECT_EQ(tip.refund, TokenAmount(110 * 20) - 1000 - 440);
}

TEST(BaseFee, MovesWithBlockFullnessAsLotus) {
  // Lotus chain/store/basefee_test.go TestBaseFee, post-Smoke column
  // (block gas target 5e9, limit 1e10, as our devnet).
  const auto& net = chain::devnetParams();
  ASSERT_EQ(net.block_gas_target, 5'000'000'000);
  ASSERT_EQ(net.block_gas_limit, 10'000'000'000);
  const TokenAmount base = 100'000'000;
  EXPECT_EQ(nextBaseFee(base, 0, 1, net), 87'500'000);
  EXPECT_EQ(nextBaseFee(base, 0, 5, net), 87'500'000);
  EXPECT_EQ(nextBaseFee(base, net.block_gas_target, 1, net), 100'000'000);
  EXPECT_EQ(nextBaseFee(base, net.block_gas_target * 2, 2, net), 100'000'000);
  EXPECT_EQ(nextBaseFee(base, net.block_gas_limit * 2, 2, net), 112'500'000);
  EXPECT_EQ(nextBaseFee(base, net.block_gas_limit * 15 / 10, 2, net), 106'250'000);
  // A falling fee rounds down, as Go's Euclidean big.Div.
  EXPECT_EQ(nextBaseFee(1001, 0, 1, net), 875);  // 1001 - ceil(1001 / 8)
  // Never below the minimum.
  EXPECT_EQ(nextBaseFee(100, 0, 1, net), net.minimum_base_fee);

  // From blocks: a message in two blocks counts once.
  primitives::Message m;
  m.from = testKey(1).address;
  m.to = testKey(2).address;
  m.gas_limit = net.block_gas_limit;
  auto sm = primitives::signMessage(m, testKey(1).info.private_key);
  std::vector<BlockMessages> blocks{{Address::id(1000), 1, {}, {*sm}}, {Address::id(1001), 1, {}, {*sm}}};
  EXPECT_EQ(nextBaseFee(base, blocks, net), nextBaseFee(base, net.block_gas_limit, 2, net));
}

}  // namespace
}  // namespace fil::vm
