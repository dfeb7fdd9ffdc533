#include "fil/node/state_manager.h"

#include "fil/node/chain_providers.h"
#include "fil/node/message_pusher.h"
#include "fil/node/wallet.h"
#include "fil/store/keystore.h"
#include "fil/testing/paths.h"

#include <gtest/gtest.h>

#include <future>

#include "fil/chain/genesis_block.h"
#include "fil/chain/messages.h"
#include "fil/crypto/secp256k1.h"
#include "fil/primitives/key_info.h"
#include "fil/store/memory_datastore.h"
#include "fil/vm/genesis.h"
#include "fil/vm/state_view.h"

namespace fil::node {
namespace {

using primitives::TokenAmount;

TokenAmount fil(int64_t n) { return TokenAmount(n) * primitives::kFilecoinPrecision; }

struct Account {
  primitives::KeyInfo key = primitives::newSecp256k1Key();
  primitives::Address address = *primitives::addressOf(key);
};

class StateManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto& net = chain::testDevnetParams();
    auto t = vm::genesis::newTemplate(std::string(net.name));
    t.accounts.push_back(vm::genesis::accountEntry(alice_.address, fil(1000)));
    t.accounts.push_back(vm::genesis::accountEntry(bob_.address, fil(10)));
    auto g = vm::genesis::buildGenesisState(blocks_, t, net);
    ASSERT_TRUE(g) << g.error().message();
    auto signer = chain::DevnetBeaconSigner::create(crypto::secp256k1::generatePrivateKey());
    ASSERT_TRUE(signer);
    beacon_ = std::make_unique<chain::DevnetBeacon>(signer->beacon());
    auto genesis = chain::makeGenesisHeader(blocks_, g->state_root, 1000, chain::Ticket{Bytes(32, 7)},
                                            signer->genesisEntry(), net);
    ASSERT_TRUE(genesis) << genesis.error().message();
    chain_ = std::make_unique<ChainStore>(blocks_, *meta_, [](const chain::TipSet& ts) -> Result<primitives::BigInt> {
      return primitives::BigInt(ts.height());
    });
    ASSERT_TRUE(chain_->setGenesis(*genesis));
    sm_ = std::make_unique<StateManager>(*chain_, blocks_, *meta_, net, *beacon_);
    auto alice_id = vm::StateView::load(blocks_, g->state_root)->lookupId(alice_.address);
    ASSERT_TRUE(alice_id && alice_id->has_value());
    miner_ = primitives::Address::id(**alice_id);  // an account: its block reward is burnt
  }

  // A block on the head carrying `messages`, made the head.
  chain::TipSet mine(const std::vector<primitives::SignedMessage>& messages) {
    const chain::TipSet parent = chain_->heaviest();
    auto st = sm_->tipSetState(parent);
    EXPECT_TRUE(st) << st.error().message();
    chain::BlockHeader h;
    h.miner = miner_;
    h.ticket = chain::Ticket{Bytes(32, static_cast<uint8_t>(parent.height() + 1))};
    h.election_proof = chain::ElectionProof{1, Bytes(32, 1)};
    h.parents = parent.cids();
    h.height = parent.height() + 1;
    h.parent_state_root = st->state_root;
    h.parent_message_receipts = st->receipts_root;
    h.messages = *chain::storeBlockMessages(blocks_, {}, messages);
    h.timestamp = parent.blocks()[0].timestamp + 1;
    h.parent_base_fee = chain::testDevnetParams().initial_base_fee;
    EXPECT_TRUE(chain_->putBlock(chain::FullBlock{h, {}, messages}));
    auto ts = *chain::TipSet::create({h});
    EXPECT_TRUE(*chain_->maybeTakeHeavier(ts));
    return ts;
  }

  primitives::SignedMessage send(const Account& from, const primitives::Address& to, const TokenAmount& value,
                                 uint64_t nonce) {
    primitives::Message m;
    m.from = from.address;
    m.to = to;
    m.nonce = nonce;
    m.value = value;
    m.gas_limit = 10'000'000;
    m.gas_fee_cap = fil(1) / 1'000'000'000;
    m.gas_premium = 1000;
    return *primitives::signMessage(m, from.key.private_key);
  }

  TokenAmount balanceAt(const chain::TipSet& ts, const primitives::Address& a) {
    auto st = sm_->tipSetState(ts);
    EXPECT_TRUE(st) << st.error().message();
    auto actor = vm::StateView::load(blocks_, st->state_root)->getActor(a);
    return actor && actor->has_value() ? (*actor)->balance : TokenAmount(-1);
  }

  Account alice_, bob_;
  store::MemoryBlockstore blocks_;
  std::unique_ptr<store::Datastore> meta_ = store::makeMemoryDatastore();
  std::unique_ptr<chain::DevnetBeacon> beacon_;
  std::unique_ptr<ChainStore> chain_;
  std::unique_ptr<StateManager> sm_;
  primitives::Address miner_;
};

TEST_F(StateManagerTest, ExecutesTipsetsAndFindsMessages) {
  const auto sent = send(alice_, bob_.address, fil(5), 0);
  const chain::TipSet t1 = mine({sent});
  EXPECT_EQ(balanceAt(t1, bob_.address), fil(15));
  EXPECT_LT(balanceAt(t1, alice_.address), fil(995));  // and gas

  // The receipt is in the next tipset's parent receipts: not found until it exists.
  EXPECT_FALSE(sm_->searchMessage(t1, sent.cid())->has_value());
  const chain::TipSet t2 = mine({});
  auto found = sm_->searchMessage(t2, sent.cid());
  ASSERT_TRUE(found) << found.error().message();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->tipset, t2);
  EXPECT_EQ((*found)->height, 2);
  EXPECT_EQ((*found)->message, sent.message.cid());
  EXPECT_EQ((*found)->receipt.exit_code, chain::ExitCode::kOk);
  EXPECT_GT((*found)->receipt.gas_used, 0);
  // By the unsigned CID too; not beyond the look-back limit.
  EXPECT_TRUE(sm_->searchMessage(t2, sent.message.cid())->has_value());
  const chain::TipSet t3 = mine({});
  EXPECT_FALSE(sm_->searchMessage(t3, sent.cid(), 0)->has_value());
  EXPECT_TRUE(sm_->searchMessage(t3, sent.cid(), 1)->has_value());

  // A new manager over the same datastore has the results without executing again.
  StateManager again(*chain_, blocks_, *meta_, chain::testDevnetParams(), *beacon_);
  EXPECT_EQ(again.tipSetState(t1)->state_root, sm_->tipSetState(t1)->state_root);
  EXPECT_TRUE(again.searchMessage(t3, sent.cid())->has_value());
}

TEST_F(StateManagerTest, WaitsForConfirmations) {
  const auto sent = send(alice_, bob_.address, fil(1), 0);
  // Nothing mines: the wait times out, naming the message.
  auto early = sm_->waitMessage(sent.cid(), 0, kNoLookbackLimit, std::chrono::milliseconds(50));
  ASSERT_FALSE(early);
  EXPECT_TRUE(early.error().is(GenericError::kTimeout));

  auto waiting = std::async(std::launch::async, [&] {
    return sm_->waitMessage(sent.cid(), 2, kNoLookbackLimit, std::chrono::seconds(30));
  });
  mine({sent});  // included at 1, receipt at 2, two confirmations at 4
  mine({});
  EXPECT_EQ(waiting.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout);
  mine({});
  mine({});
  auto found = waiting.get();
  ASSERT_TRUE(found) << found.error().message();
  EXPECT_EQ(found->height, 2);
  EXPECT_EQ(found->receipt.exit_code, chain::ExitCode::kOk);
}

TEST_F(StateManagerTest, CallsChangeNothing) {
  const chain::TipSet t1 = mine({send(alice_, bob_.address, fil(1), 0)});
  primitives::Message m;
  m.from = bob_.address;
  m.to = alice_.address;
  m.value = fil(2);
  m.gas_limit = 10'000'000'000;
  auto r = sm_->call(m, t1);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->receipt.exit_code, chain::ExitCode::kOk) << r->error;
  EXPECT_GT(r->receipt.gas_used, 0);
  EXPECT_EQ(balanceAt(t1, bob_.address), fil(11));

  // As if bob's pending messages had spent all he has: the value cannot be sent.
  auto poor = sm_->call(m, t1, SenderAfterPending{3, fil(11)});
  ASSERT_TRUE(poor) << poor.error().message();
  EXPECT_NE(poor->receipt.exit_code, chain::ExitCode::kOk);

  primitives::Message stranger = m;
  stranger.from = Account{}.address;
  EXPECT_FALSE(sm_->call(stranger, t1));
}

// The pool, gas estimation and MpoolPushMessage over the real chain and VM:
// a pushed message is estimated, signed, selected into a block, executed and
// leaves the pool.
TEST_F(StateManagerTest, PushedMessagesAreMinedAndLeaveThePool) {
  testing::TempDir dir;
  auto keystore = *store::Keystore::open(store::defaultFileSystem(), (dir.path() / "keystore").string());
  Wallet wallet(keystore);
  ASSERT_TRUE(wallet.importKey(alice_.key));
  HeadStateProvider provider(*chain_, *sm_);
  auto pool_store = store::makeMemoryDatastore();
  MessagePool pool(provider, *pool_store);
  GasEstimator gas(provider, pool, GasConfig{.premium_noise = false});
  MessagePusher pusher(pool, gas, wallet, provider);

  std::vector<cid::Cid> pushed;
  for (int i = 0; i < 3; ++i) {
    primitives::Message m;
    m.from = miner_;  // alice by her ID address
    m.to = bob_.address;
    m.value = fil(1);
    auto sm = pusher.push(m, {});
    ASSERT_TRUE(sm) << sm.error().message();
    EXPECT_EQ(sm->message.from, alice_.address);
    EXPECT_EQ(sm->message.nonce, static_cast<uint64_t>(i));
    EXPECT_GT(sm->message.gas_limit, 0);
    pushed.push_back(sm->cid());
  }
  EXPECT_EQ(*pool.nextNonce(alice_.address), 3u);

  const auto selected = pool.select(chain_->heaviest().parentBaseFee(), chain::testDevnetParams().block_gas_limit);
  ASSERT_EQ(selected.size(), 3u);
  const chain::TipSet t1 = mine(selected);
  std::vector<primitives::Message> applied;
  for (const auto& m : selected) applied.push_back(m.message);
  pool.headChanged({}, applied);
  EXPECT_EQ(pool.size(), 0u);
  EXPECT_EQ(balanceAt(t1, bob_.address), fil(13));

  const chain::TipSet t2 = mine({});
  for (const auto& c : pushed) {
    auto found = sm_->searchMessage(t2, c);
    ASSERT_TRUE(found && found->has_value());
    EXPECT_EQ((*found)->receipt.exit_code, chain::ExitCode::kOk);
    EXPECT_LE((*found)->receipt.gas_used, selected[0].message.gas_limit);
  }
  // A message that would fail is refused at estimation, naming the exit code.
  primitives::Message broke;
  broke.from = bob_.address;
  broke.to = alice_.address;
  broke.value = fil(1000);
  EXPECT_FALSE(gas.estimateMessageGas(broke, {}));
}

}  // namespace
}  // namespace fil::node
