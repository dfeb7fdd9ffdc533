#include "fil/node/mpool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "fil/codec/cbor.h"
#include "fil/node/gas_estimator.h"
#include "fil/node/message_pusher.h"
#include "fil/node/msg_selection.h"
#include "fil/node/wallet.h"
#include "fil/primitives/key_info.h"
#include "fil/store/keystore.h"
#include "fil/store/memory_datastore.h"
#include "fil/testing/paths.h"

namespace fil::node {
namespace {

constexpr int64_t kBlockGasLimit = 10'000'000'000;

// The chain as the pool sees it: actors by key address, ID aliases.
class FakeChain : public MpoolChain, public GasChain {
 public:
  Result<SenderState> senderState(const Address& a) const override {
    std::lock_guard lock(mutex);
    auto it = actors.find(resolve(a));
    if (it == actors.end()) return fail(GenericError::kNotFound, "actor not found");
    return it->second;
  }
  Result<Address> keyAddress(const Address& a) const override {
    std::lock_guard lock(mutex);
    auto key = resolve(a);
    if (!actors.contains(key)) return fail(GenericError::kNotFound, "actor not found");
    return key;
  }
  TokenAmount minimumBaseFee() const override { return 100; }
  int64_t blockGasLimit() const override { return kBlockGasLimit; }
  int64_t onChainMessageGas(size_t size) const override { return 38863 + 1300 * static_cast<int64_t>(size); }

  Result<int64_t> gasUsed(const Message&, const SenderAfterPending& sender) const override {
    last_prior = sender.count;
    return 1'000'000;
  }
  TokenAmount headParentBaseFee() const override { return 100; }
  Result<std::vector<TipSetGas>> recentGas(size_t) const override { return history; }
  int64_t blockGasTarget() const override { return kBlockGasLimit / 2; }

  void setNonce(const Address& a, uint64_t nonce) {
    std::lock_guard lock(mutex);
    actors[a].nonce = nonce;
  }

  Address resolve(const Address& a) const {
    auto alias = ids.find(a);
    return alias == ids.end() ? a : alias->second;
  }

  mutable std::mutex mutex;
  std::map<Address, SenderState> actors;
  std::map<Address, Address> ids;  // ID -> key
  std::vector<TipSetGas> history;
  mutable std::atomic<size_t> last_prior{0};
};

struct Sender {
  primitives::KeyInfo key;
  Address address;
};

Sender newSender(FakeChain& chain, TokenAmount balance = primitives::kFilecoinPrecision * 1000) {
  Sender s{primitives::newSecp256k1Key(), {}};
  s.address = *primitives::addressOf(s.key);
  chain.actors[s.address] = SenderState{0, balance, true};
  return s;
}

Message message(const Sender& from, uint64_t nonce, int64_t premium = 1000, int64_t gas_limit = 1'000'000) {
  Message m;
  m.to = Address::id(1000);
  m.from = from.address;
  m.nonce = nonce;
  m.value = 1;
  m.gas_limit = gas_limit;
  m.gas_fee_cap = premium + 1000;
  m.gas_premium = premium;
  return m;
}

SignedMessage sign(const Sender& from, const Message& m) { return *primitives::signMessage(m, from.key.private_key); }

SignedMessage signedMessage(const Sender& from, uint64_t nonce, int64_t premium = 1000, int64_t gas_limit = 1'000'000) {
  return sign(from, message(from, nonce, premium, gas_limit));
}

class MpoolTest : public ::testing::Test {
 protected:
  FakeChain chain_;
  std::unique_ptr<store::Datastore> ds_ = store::makeMemoryDatastore();
};

TEST_F(MpoolTest, PushKeepsNonceOrderAndSurvivesRestart) {
  auto alice = newSender(chain_);
  MessagePool pool(chain_, *ds_);
  chain_.setNonce(alice.address, 5);
  EXPECT_EQ(*pool.nextNonce(alice.address), 5u);
  for (uint64_t n : {5, 6, 7}) ASSERT_TRUE(pool.push(signedMessage(alice, n)));
  EXPECT_EQ(*pool.nextNonce(alice.address), 8u);
  EXPECT_EQ(pool.size(), 3u);
  auto pending = pool.pendingFor(alice.address);
  ASSERT_EQ(pending.size(), 3u);
  EXPECT_EQ(pending[0].message.nonce, 5u);
  EXPECT_EQ(pending[2].message.nonce, 7u);

  // A new pool over the same datastore has them back; one was included meanwhile.
  chain_.setNonce(alice.address, 6);
  MessagePool restarted(chain_, *ds_);
  ASSERT_TRUE(restarted.load());
  EXPECT_EQ(restarted.size(), 2u);
  EXPECT_EQ(*restarted.nextNonce(alice.address), 8u);
  bool empty = true;
  ASSERT_TRUE(store::forEach(*ds_, store::Query{store::Key("/mpool/local")}, [&](auto, auto) -> Result<bool> {
    empty = false;
    return true;
  }));
  EXPECT_FALSE(empty);
}

TEST_F(MpoolTest, RefusesInvalidMessagesNamingTheProblem) {
  auto alice = newSender(chain_);
  auto mallory = newSender(chain_);
  MessagePool pool(chain_, *ds_);
  chain_.setNonce(alice.address, 3);

  EXPECT_TRUE(pool.push(signedMessage(alice, 2)).error().is(MpoolError::kNonceTooLow));

  auto forged = signedMessage(mallory, 3);
  forged.message.from = alice.address;
  EXPECT_TRUE(pool.push(forged).error().is(MpoolError::kBadSignature));

  auto cheap = message(alice, 3);
  cheap.gas_fee_cap = 99;
  cheap.gas_premium = 10;
  EXPECT_TRUE(pool.push(sign(alice, cheap)).error().is(MpoolError::kGasFeeCapTooLow));

  auto huge = message(alice, 3);
  huge.params = Bytes(kMaxMessageSize, 0);
  EXPECT_TRUE(pool.push(sign(alice, huge)).error().is(MpoolError::kMessageTooBig));

  auto greedy = message(alice, 3);
  greedy.gas_limit = kBlockGasLimit + 1;
  auto r = pool.push(sign(alice, greedy));
  EXPECT_TRUE(r.error().is(MpoolError::kInvalidMessage));
  EXPECT_NE(r.error().message().find("gas limit"), std::string::npos) << r.error().message();

  auto tiny = message(alice, 3);
  tiny.gas_limit = 100;
  EXPECT_TRUE(pool.push(sign(alice, tiny)).error().is(MpoolError::kInvalidMessage));

  auto inverted = message(alice, 3);
  inverted.gas_premium = inverted.gas_fee_cap + 1;
  EXPECT_TRUE(pool.push(sign(alice, inverted)).error().is(MpoolError::kInvalidMessage));

  auto rich = message(alice, 3);
  rich.value = TokenAmount(2'000'000'000) * primitives::kFilecoinPrecision;
  EXPECT_TRUE(pool.push(sign(alice, rich)).error().is(MpoolError::kValueTooHigh));

  Sender stranger{primitives::newSecp256k1Key(), {}};
  stranger.address = *primitives::addressOf(stranger.key);
  EXPECT_TRUE(pool.push(signedMessage(stranger, 0)).error().is(MpoolError::kUnknownSender));

  chain_.actors[mallory.address].is_account = false;
  EXPECT_TRUE(pool.push(signedMessage(mallory, 0)).error().is(MpoolError::kInvalidSender));
  EXPECT_EQ(pool.size(), 0u);
}

TEST_F(MpoolTest, ReplaceByFeeNeedsAQuarterMorePremium) {
  auto alice = newSender(chain_);
  MessagePool pool(chain_, *ds_);
  ASSERT_TRUE(pool.push(signedMessage(alice, 0, 1000)));
  EXPECT_TRUE(pool.push(signedMessage(alice, 0, 1000)).error().is(MpoolError::kExistingNonce));
  EXPECT_EQ(minReplacementPremium(1000), 1251);
  EXPECT_TRUE(pool.push(signedMessage(alice, 0, 1250)).error().is(MpoolError::kRbfTooLowPremium));
  auto replacement = signedMessage(alice, 0, 1251);
  ASSERT_TRUE(pool.push(replacement));
  auto pending = pool.pendingFor(alice.address);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0], replacement);
  // The replaced message is no longer kept for a restart.
  size_t kept = 0;
  ASSERT_TRUE(store::forEach(*ds_, store::Query{store::Key("/mpool/local")}, [&](auto, auto) -> Result<bool> {
    ++kept;
    return true;
  }));
  EXPECT_EQ(kept, 1u);
}

TEST_F(MpoolTest, GapsAllowedLocallyNotFromElsewhere) {
  auto alice = newSender(chain_);
  auto bob = newSender(chain_);
  MessagePool pool(chain_, *ds_);
  EXPECT_TRUE(pool.add(signedMessage(bob, 1)).error().is(MpoolError::kNonceGap));
  ASSERT_TRUE(pool.add(signedMessage(bob, 0)));
  ASSERT_TRUE(pool.add(signedMessage(bob, 1)));

  ASSERT_TRUE(pool.push(signedMessage(alice, 0)));
  ASSERT_TRUE(pool.push(signedMessage(alice, 2)));
  EXPECT_EQ(*pool.nextNonce(alice.address), 1u);  // the gap is the next nonce
  // Only the run without a gap can go into a block.
  auto chosen = pool.select(100, kBlockGasLimit);
  EXPECT_EQ(chosen.size(), 3u);
  ASSERT_TRUE(pool.push(signedMessage(alice, 1)));
  EXPECT_EQ(*pool.nextNonce(alice.address), 3u);
  EXPECT_EQ(pool.select(100, kBlockGasLimit).size(), 5u);
}

TEST_F(MpoolTest, PerSenderLimitsAndFunds) {
  auto alice = newSender(chain_);
  MessagePool pool(chain_, *ds_, MpoolConfig{.max_pending_per_sender = 3, .max_untrusted_pending_per_sender = 2});
  for (uint64_t n = 0; n < 3; ++n) ASSERT_TRUE(pool.push(signedMessage(alice, n)));
  EXPECT_TRUE(pool.push(signedMessage(alice, 3)).error().is(MpoolError::kTooManyPending));

  // Each message may cost 2000 x 1M attoFIL in gas; the balance covers two.
  auto bob = newSender(chain_, TokenAmount(2000) * 1'000'000 * 2);
  ASSERT_TRUE(pool.push(signedMessage(bob, 0)));
  ASSERT_TRUE(pool.push(signedMessage(bob, 1)));
  auto r = pool.push(signedMessage(bob, 2));
  EXPECT_TRUE(r.error().is(MpoolError::kNotEnoughFunds));
  EXPECT_NE(r.error().message().find("including pending"), std::string::npos) << r.error().message();
}

TEST_F(MpoolTest, HeadChangesRemoveIncludedAndRestoreReverted) {
  auto alice = newSender(chain_);
  MessagePool pool(chain_, *ds_);
  std::vector<SignedMessage> sent;
  for (uint64_t n = 0; n < 4; ++n) {
    sent.push_back(signedMessage(alice, n));
    ASSERT_TRUE(pool.push(sent.back()));
  }
  // A block includes nonces 0 and 1.
  chain_.setNonce(alice.address, 2);
  pool.headChanged({}, {sent[0].message, sent[1].message});
  EXPECT_EQ(pool.size(), 2u);
  EXPECT_EQ(*pool.nextNonce(alice.address), 4u);

  // It is reverted: the messages come back in the pool.
  chain_.setNonce(alice.address, 0);
  pool.headChanged({sent[0], sent[1]}, {});
  EXPECT_EQ(pool.size(), 4u);
  EXPECT_EQ(pool.select(100, kBlockGasLimit).size(), 4u);

  // Another chain includes all four: nothing is left, locally either.
  chain_.setNonce(alice.address, 4);
  pool.headChanged({}, {sent[0].message, sent[1].message, sent[2].message, sent[3].message});
  EXPECT_EQ(pool.size(), 0u);
  MessagePool restarted(chain_, *ds_);
  ASSERT_TRUE(restarted.load());
  EXPECT_EQ(restarted.size(), 0u);

  // A message included elsewhere (the state passed it) is dropped too.
  ASSERT_TRUE(pool.push(signedMessage(alice, 4)));
  chain_.setNonce(alice.address, 5);
  pool.headChanged({}, {});
  EXPECT_EQ(pool.size(), 0u);
  EXPECT_EQ(*pool.nextNonce(alice.address), 5u);
}

TEST_F(MpoolTest, PrunesTheLeastPayingForeignMessages) {
  auto alice = newSender(chain_);
  auto bob = newSender(chain_);
  auto carol = newSender(chain_);
  MessagePool pool(chain_, *ds_, MpoolConfig{.size_limit_high = 6, .size_limit_low = 4});
  for (uint64_t n = 0; n < 3; ++n) ASSERT_TRUE(pool.push(signedMessage(alice, n, 10)));  // local, cheap
  for (uint64_t n = 0; n < 2; ++n) ASSERT_TRUE(pool.add(signedMessage(bob, n, 5000)));
  for (uint64_t n = 0; n < 2; ++n) ASSERT_TRUE(pool.add(signedMessage(carol, n, 200)));
  // 7 > 6: the cheapest foreign messages go, highest nonce first, down to 4:
  // carol's two, then bob's last. Local ones stay, however cheap.
  EXPECT_EQ(pool.size(), 4u);
  EXPECT_EQ(pool.pendingFor(alice.address).size(), 3u);
  EXPECT_TRUE(pool.pendingFor(carol.address).empty());
  EXPECT_EQ(pool.pendingFor(bob.address).size(), 1u);
}

TEST(MessageSelection, BestPayingFirstWithinTheGasLimit) {
  FakeChain chain;
  auto a = newSender(chain);
  auto b = newSender(chain);
  auto c = newSender(chain);
  // a: two messages paying 100; b: a cheap one (10) before a rich one (10000),
  // so b's pair pays 5005 on average; c: fee cap below the base fee.
  std::vector<SenderRun> runs;
  runs.push_back({{signedMessage(a, 0, 100), signedMessage(a, 1, 100)}});
  runs.push_back({{signedMessage(b, 0, 10), signedMessage(b, 1, 10000)}});
  auto poor = message(c, 0, 10);
  poor.gas_fee_cap = 50;
  runs.push_back({{sign(c, poor)}});

  auto all = selectMessages(runs, 100, kBlockGasLimit, kBlockMessageLimit);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].message.from, b.address);
  EXPECT_EQ(all[0].message.nonce, 0u);
  EXPECT_EQ(all[1].message.from, b.address);
  EXPECT_EQ(all[2].message.from, a.address);

  // Room for three messages of 1M gas: b's pair, then the first of a's.
  auto three = selectMessages(runs, 100, 3'000'000, kBlockMessageLimit);
  ASSERT_EQ(three.size(), 3u);
  EXPECT_EQ(three[2].message.from, a.address);
  EXPECT_EQ(three[2].message.nonce, 0u);
  // And a message-count limit.
  EXPECT_EQ(selectMessages(runs, 100, kBlockGasLimit, 1).size(), 1u);
}

TEST(GasEstimation, MedianPremiumAndFeeCaps) {
  // One block's gas target is 5e9: 52.5% of it is 2.625e9.
  std::vector<GasMeta> prices = {{300, 1'000'000'000}, {200, 1'000'000'000}, {100, 1'000'000'000}, {50, 10}};
  EXPECT_EQ(medianGasPremium(prices, 1, kBlockGasLimit / 2), 150);  // crosses at 100: mean of 200 and 100
  EXPECT_EQ(medianGasPremium({{300, 10}}, 1, kBlockGasLimit / 2), 300);
  EXPECT_EQ(medianGasPremium({}, 1, kBlockGasLimit / 2), 0);

  Message m;
  m.gas_limit = 1000;
  m.gas_fee_cap = 10'000;
  m.gas_premium = 20'000;
  capGasFee(m, 5'000'000, false);  // 1e7 > 5e6
  EXPECT_EQ(m.gas_fee_cap, 5000);
  EXPECT_EQ(m.gas_premium, 5000);
  capGasFee(m, 8'000'000, true);
  EXPECT_EQ(m.gas_fee_cap, 8000);
}

TEST(GasEstimation, FillsLimitPremiumAndFeeCap) {
  FakeChain chain;
  auto alice = newSender(chain);
  auto ds = store::makeMemoryDatastore();
  MessagePool pool(chain, *ds);
  ASSERT_TRUE(pool.push(signedMessage(alice, 0)));
  GasEstimator gas(chain, pool, GasConfig{.premium_noise = false});

  Message m = message(alice, 0, 0);
  m.gas_limit = 0;
  m.gas_fee_cap = 0;
  auto out = gas.estimateMessageGas(m, {});
  ASSERT_TRUE(out) << out.error().message();
  EXPECT_EQ(out->gas_limit, 1'250'000);           // 1M used x 1.25
  EXPECT_EQ(chain.last_prior, 1u);                // after the pending message
  EXPECT_EQ(out->gas_premium, kMinGasPremium);    // no history
  // 100 x floor(1.125^20 x 256) / 256 = 100 x 2699 / 256 = 1054, + premium.
  EXPECT_EQ(out->gas_fee_cap, 1054 + kMinGasPremium);

  chain.history = {TipSetGas{1, {{500'000, 4'000'000'000}}}};
  EXPECT_EQ(*gas.estimateGasPremium(10), 500'000);
  EXPECT_EQ(*gas.estimateGasPremium(1), 500'000);

  GasEstimator noisy(chain, pool);
  auto p = *noisy.estimateGasPremium(10);
  EXPECT_GT(p, 500'000 * 95 / 100);
  EXPECT_LT(p, 500'000 * 105 / 100);
}

TEST(MessagePusherTest, ConcurrentPushesNeverShareANonce) {
  testing::TempDir dir;
  auto keystore = *store::Keystore::open(store::defaultFileSystem(), (dir.path() / "keystore").string());
  Wallet wallet(keystore);
  FakeChain chain;
  constexpr int kClients = 8;
  constexpr int kPerClient = 250;  // from its own sender and as many from the shared one
  std::vector<Address> own;
  for (int i = 0; i < kClients + 1; ++i) {
    auto a = *wallet.newAddress("secp256k1");
    chain.actors[a] = SenderState{0, primitives::kFilecoinPrecision * 1'000'000, true};
    own.push_back(a);
  }
  const Address shared = own.back();
  // The shared sender is also known by its ID address.
  chain.ids[Address::id(1234)] = shared;
  auto ds = store::makeMemoryDatastore();
  // The shared sender has 2000 pending: above Lotus's 1000 per sender.
  MessagePool pool(chain, *ds, MpoolConfig{.max_pending_per_sender = 4000});
  GasEstimator gas(chain, pool, GasConfig{.premium_noise = false});
  MessagePusher pusher(pool, gas, wallet, chain);

  std::atomic<int> failures{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      for (int k = 0; k < kPerClient; ++k) {
        for (const Address& from : {own[i], k % 2 ? shared : Address::id(1234)}) {
          Message m;
          m.from = from;
          m.to = Address::id(1000);
          m.value = 1;
          if (!pusher.push(m, {})) ++failures;
        }
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(failures.load(), 0);
  for (int i = 0; i < kClients; ++i) {
    auto msgs = pool.pendingFor(own[i]);
    ASSERT_EQ(msgs.size(), static_cast<size_t>(kPerClient));
    for (size_t n = 0; n < msgs.size(); ++n) EXPECT_EQ(msgs[n].message.nonce, n);
  }
  auto shared_msgs = pool.pendingFor(shared);
  ASSERT_EQ(shared_msgs.size(), static_cast<size_t>(kClients * kPerClient));
  for (size_t n = 0; n < shared_msgs.size(); ++n) {
    EXPECT_EQ(shared_msgs[n].message.nonce, n);
    EXPECT_EQ(shared_msgs[n].message.from, shared);  // ID senders are signed as their key
  }

  Message with_nonce;
  with_nonce.from = own[0];
  with_nonce.to = Address::id(1000);
  with_nonce.nonce = 7;
  EXPECT_TRUE(pusher.push(with_nonce, {}).error().is(MpoolError::kInvalidMessage));
  Message too_rich = with_nonce;
  too_rich.nonce = 0;
  too_rich.value = primitives::kFilecoinPrecision * 2'000'000;
  EXPECT_TRUE(pusher.push(too_rich, {}).error().is(MpoolError::kNotEnoughFunds));
}

}  // namespace
}  // namespace fil::node
