// For the command tests: a small in-memory full node (a real secp256k1
// wallet, a chain of tipsets, actors, a message pool) served with
// serveFullNodeApi and the Common API on a real RPC server on loopback, and
// a fixture that runs `lotus ...` in-process against it through a repo
// directory holding the server's `api` and `token` files, capturing what
// the command prints.
#pragma once

#include <gtest/gtest.h>

#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "fil/api/common_client.h"
#include "fil/api/common_impl.h"
#include "fil/api/full_node_api.h"
#include "fil/api/full_node_json.h"
#include "fil/api/serve.h"
#include "fil/cli/common_commands.h"
#include "fil/cli/full_node_commands.h"
#include "fil/crypto/random.h"
#include "fil/rpc/client.h"
#include "fil/rpc/server.h"
#include "fil/testing/paths.h"
#include "lotus_format.h"

namespace fil::cli::testing {

using api::TipSetKey;
using chain::ChainEpoch;
using primitives::Address;
using primitives::SignedMessage;
using primitives::TokenAmount;

inline TokenAmount fil(int64_t n) { return TokenAmount(n) * primitives::kFilecoinPrecision; }
inline cid::Cid cidOf(std::string_view seed) { return cid::Cid::compute(cid::Codec::kDagCbor, asBytes(seed)); }

// The genesis timestamp of the test chain (unless a test sets
// genesis_time); block h is at genesis + 4h.
inline constexpr uint64_t kGenesisTime = 1700000000;
inline constexpr uint64_t kBlockDelay = 4;

class TestFullNode : public api::FullNodeApi {
 public:
  // Everything below is the node's state; tests set it before running a
  // command and read it after (the lock guards the server's threads).
  std::mutex mutex;
  std::vector<chain::TipSet> chain;  // by height, no null rounds
  std::map<cid::Cid, api::BlockMessages> block_messages;
  std::map<cid::Cid, std::vector<api::Message>> parent_messages;
  std::map<cid::Cid, std::vector<chain::MessageReceipt>> parent_receipts;
  std::map<cid::Cid, Bytes> objects;
  std::vector<std::pair<Address, primitives::KeyInfo>> wallet;
  std::optional<Address> default_address;
  std::map<Address, vm::Actor> actors;
  std::map<Address, std::string> actor_errors;  // StateGetActor fails with these
  std::map<Address, Address> id_addresses;
  std::map<Address, Address> account_keys;
  std::map<Address, api::MarketBalance> market;
  std::map<api::DealId, api::MarketDeal> deals;
  std::vector<Address> miners;
  std::map<Address, api::MinerInfo> miner_infos;
  std::map<Address, api::MinerPower> powers;
  std::map<Address, api::DeadlineInfo> deadlines;
  std::vector<SignedMessage> pending;
  std::vector<SignedMessage> pushed;  // by MpoolPush and MpoolPushMessage
  std::vector<primitives::Message> estimated;
  std::map<cid::Cid, api::MsgLookup> executed;
  std::vector<std::tuple<Address, Address, TokenAmount>> market_adds;
  api::SyncState sync;
  int sync_calls = 0;
  int sync_fails_after = -1;  // SyncState fails once called this many times (-1: never)
  uint64_t genesis_time = kGenesisTime;
  std::string id_error = "libp2p host is not running";
  // Calls of ChainHead so far; `on_head` may move the chain on.
  int head_calls = 0;
  std::function<void(TestFullNode&)> on_head;

  // Releases StateWaitMsg calls still waiting.
  void release() {
    std::lock_guard lock(mutex);
    released_ = true;
    wake_.notify_all();
  }

  // Appends a one-block tipset (or two blocks with `two_blocks`) at the next height.
  const chain::TipSet& grow(bool two_blocks = false) {
    const ChainEpoch height = static_cast<ChainEpoch>(chain.size());
    const std::vector<cid::Cid> parents = chain.empty() ? std::vector{cidOf("genesis parent")} : chain.back().cids();
    std::vector<chain::BlockHeader> blocks;
    for (uint8_t i = 0; i < (two_blocks ? 2 : 1); ++i) {
      chain::BlockHeader h;
      h.miner = Address::id(1000 + i);
      h.ticket = chain::Ticket{Bytes(32, static_cast<uint8_t>(i + 1))};
      h.parents = parents;
      h.parent_weight = 10 * height;
      h.height = height;
      h.parent_state_root = cidOf("state " + std::to_string(height));
      h.parent_message_receipts = cidOf("receipts " + std::to_string(height));
      h.messages = cidOf("messages " + std::to_string(height));
      h.timestamp = genesis_time + static_cast<uint64_t>(height) * kBlockDelay;
      h.parent_base_fee = 100 + height;
      blocks.push_back(h);
    }
    chain.push_back(*chain::TipSet::create(blocks));
    return chain.back();
  }

  Address addKey() {
    auto key = primitives::newSecp256k1Key();
    const Address a = *primitives::addressOf(key);
    wallet.emplace_back(a, key);
    return a;
  }

  Result<chain::TipSet> chainHead() override {
    std::lock_guard lock(mutex);
    ++head_calls;
    if (on_head) on_head(*this);
    if (chain.empty()) return fail(GenericError::kNotFound, "no chain");
    return chain.back();
  }
  Result<rpc::Channel<std::vector<api::HeadChange>>> chainNotify() override { return unserved("ChainNotify"); }
  Result<chain::TipSet> chainGetTipSet(const TipSetKey& key) override {
    std::lock_guard lock(mutex);
    for (const auto& ts : chain) {
      if (ts.key() == key) return ts;
    }
    return fail(GenericError::kNotFound, "loading tipset " + key.toString() + ": not found");
  }
  Result<chain::TipSet> chainGetTipSetByHeight(const ChainEpoch& height, const TipSetKey&) override {
    std::lock_guard lock(mutex);
    if (height < 0 || chain.empty() || height > chain.back().height()) {
      return fail(GenericError::kOutOfRange, "looking for tipset with height greater than start point");
    }
    return chain[static_cast<size_t>(height)];
  }
  Result<chain::BlockHeader> chainGetBlock(const cid::Cid& block) override {
    std::lock_guard lock(mutex);
    for (const auto& ts : chain) {
      for (const auto& b : ts.blocks()) {
        if (b.cid() == block) return b;
      }
    }
    return fail(GenericError::kNotFound, "ipld: could not find " + block.toString());
  }
  Result<api::BlockMessages> chainGetBlockMessages(const cid::Cid& block) override {
    std::lock_guard lock(mutex);
    auto it = block_messages.find(block);
    return it == block_messages.end() ? api::BlockMessages{} : it->second;
  }
  Result<primitives::Message> chainGetMessage(const cid::Cid&) override { return unserved("ChainGetMessage"); }
  Result<std::vector<chain::MessageReceipt>> chainGetParentReceipts(const cid::Cid& block) override {
    std::lock_guard lock(mutex);
    auto it = parent_receipts.find(block);
    return it == parent_receipts.end() ? std::vector<chain::MessageReceipt>{} : it->second;
  }
  Result<std::vector<api::Message>> chainGetParentMessages(const cid::Cid& block) override {
    std::lock_guard lock(mutex);
    auto it = parent_messages.find(block);
    return it == parent_messages.end() ? std::vector<api::Message>{} : it->second;
  }
  Result<Bytes> chainReadObj(const cid::Cid& object) override {
    std::lock_guard lock(mutex);
    auto it = objects.find(object);
    if (it == objects.end()) return fail(GenericError::kNotFound, "blockstore: block not found");
    return it->second;
  }
  Result<bool> chainHasObj(const cid::Cid&) override { return unserved("ChainHasObj"); }
  Result<chain::TipSet> chainGetGenesis() override { return unserved("ChainGetGenesis"); }

  Result<api::InvocResult> stateCall(const primitives::Message&, const TipSetKey&) override { return unserved("StateCall"); }
  Result<api::MsgLookup> stateWaitMsg(const cid::Cid& message, const uint64_t& confidence, const ChainEpoch& limit,
                                      const bool& allow_replaced) override {
    std::unique_lock lock(mutex);
    wait_args = {confidence, limit, allow_replaced};
    wake_.wait_for(lock, std::chrono::seconds(20), [&] { return released_ || executed.contains(message); });
    auto it = executed.find(message);
    if (it == executed.end()) return fail(GenericError::kCancelled, "node shutting down");
    return it->second;
  }
  Result<std::optional<api::MsgLookup>> stateSearchMsg(const TipSetKey&, const cid::Cid& message, const ChainEpoch&,
                                                       const bool&) override {
    std::lock_guard lock(mutex);
    auto it = executed.find(message);
    if (it == executed.end()) return std::optional<api::MsgLookup>();
    return std::optional<api::MsgLookup>(it->second);
  }
  Result<vm::Actor> stateGetActor(const Address& actor, const TipSetKey&) override {
    std::lock_guard lock(mutex);
    if (auto e = actor_errors.find(actor); e != actor_errors.end()) return fail(GenericError::kInternal, e->second);
    auto it = actors.find(actor);
    if (it == actors.end()) return fail(GenericError::kNotFound, "actor " + actor.toString() + " not found");
    return it->second;
  }
  Result<Address> stateLookupId(const Address& address, const TipSetKey&) override {
    std::lock_guard lock(mutex);
    auto it = id_addresses.find(address);
    if (it == id_addresses.end()) return fail(GenericError::kNotFound, "actor " + address.toString() + " not found");
    return it->second;
  }
  Result<Address> stateAccountKey(const Address& address, const TipSetKey&) override {
    std::lock_guard lock(mutex);
    auto it = account_keys.find(address);
    if (it == account_keys.end()) return fail(GenericError::kNotFound, "actor " + address.toString() + " not found");
    return it->second;
  }
  Result<api::MinerInfo> stateMinerInfo(const Address& miner, const TipSetKey& key) override {
    std::lock_guard lock(mutex);
    last_key = key;
    auto it = miner_infos.find(miner);
    if (it == miner_infos.end()) return fail(GenericError::kNotFound, "actor " + miner.toString() + " not found");
    return it->second;
  }
  Result<api::MinerPower> stateMinerPower(const Address& miner, const TipSetKey&) override {
    std::lock_guard lock(mutex);
    auto it = powers.find(miner);
    if (it == powers.end()) return fail(GenericError::kNotFound, "no power for " + miner.toString());
    return it->second;
  }
  Result<std::vector<Address>> stateListMiners(const TipSetKey&) override {
    std::lock_guard lock(mutex);
    return miners;
  }
  Result<std::vector<api::SectorOnChainInfo>> stateMinerSectors(const Address&, const std::optional<primitives::BitField>&,
                                                                const TipSetKey&) override {
    return unserved("StateMinerSectors");
  }
  Result<std::optional<api::SectorOnChainInfo>> stateSectorGetInfo(const Address&, const api::SectorNumber&,
                                                                   const TipSetKey&) override {
    return unserved("StateSectorGetInfo");
  }
  Result<std::optional<vm::miner::SectorPreCommitOnChainInfo>> stateSectorPreCommitInfo(const Address&,
                                                                                        const api::SectorNumber&,
                                                                                        const TipSetKey&) override {
    return unserved("StateSectorPreCommitInfo");
  }
  Result<api::DeadlineInfo> stateMinerProvingDeadline(const Address& miner, const TipSetKey&) override {
    std::lock_guard lock(mutex);
    auto it = deadlines.find(miner);
    if (it == deadlines.end()) return fail(GenericError::kNotFound, "actor " + miner.toString() + " not found");
    return it->second;
  }
  Result<std::vector<api::Deadline>> stateMinerDeadlines(const Address&, const TipSetKey&) override {
    return unserved("StateMinerDeadlines");
  }
  Result<std::vector<api::Partition>> stateMinerPartitions(const Address&, const uint64_t&, const TipSetKey&) override {
    return unserved("StateMinerPartitions");
  }
  Result<primitives::BitField> stateMinerFaults(const Address&, const TipSetKey&) override {
    return unserved("StateMinerFaults");
  }
  Result<TokenAmount> stateMinerAvailableBalance(const Address& miner, const TipSetKey&) override {
    std::lock_guard lock(mutex);
    auto it = actors.find(miner);
    if (it == actors.end()) return fail(GenericError::kNotFound, "actor " + miner.toString() + " not found");
    return it->second.balance / 2;
  }
  Result<api::MarketBalance> stateMarketBalance(const Address& address, const TipSetKey&) override {
    std::lock_guard lock(mutex);
    auto it = market.find(address);
    if (it == market.end()) return fail(GenericError::kNotFound, "actor " + address.toString() + " not found");
    return it->second;
  }
  Result<api::MarketDeal> stateMarketStorageDeal(const api::DealId& deal, const TipSetKey&) override {
    std::lock_guard lock(mutex);
    auto it = deals.find(deal);
    if (it == deals.end()) return fail(GenericError::kNotFound, "deal " + std::to_string(deal) + " not found");
    return it->second;
  }
  Result<api::MarketDeals> stateMarketDeals(const TipSetKey&) override {
    std::lock_guard lock(mutex);
    return deals;
  }
  Result<api::DealCollateralBounds> stateDealProviderCollateralBounds(const uint64_t&, const bool&,
                                                                     const TipSetKey&) override {
    return unserved("StateDealProviderCollateralBounds");
  }
  Result<api::NetworkVersion> stateNetworkVersion(const TipSetKey& key) override {
    std::lock_guard lock(mutex);
    last_key = key;
    return 21;
  }
  Result<std::string> stateNetworkName() override { return std::string("localnet"); }
  Result<Bytes> stateGetRandomnessFromTickets(const chain::DomainSeparationTag&, const ChainEpoch&, const Bytes&,
                                              const TipSetKey&) override {
    return unserved("StateGetRandomnessFromTickets");
  }
  Result<Bytes> stateGetRandomnessFromBeacon(const chain::DomainSeparationTag&, const ChainEpoch&, const Bytes&,
                                             const TipSetKey&) override {
    return unserved("StateGetRandomnessFromBeacon");
  }

  Result<cid::Cid> mpoolPush(const SignedMessage& message) override {
    std::lock_guard lock(mutex);
    FIL_TRY(message.verify());
    pushed.push_back(message);
    return message.cid();
  }
  Result<SignedMessage> mpoolPushMessage(const primitives::Message& message,
                                         const std::optional<api::MessageSendSpec>&) override {
    std::lock_guard lock(mutex);
    if (message.nonce != 0) return fail(GenericError::kInvalidArgument, "MpoolPushMessage expects message nonce to be 0");
    primitives::Message m = message;
    auto actor = actors.find(m.from);
    m.nonce = (actor == actors.end() ? 0 : actor->second.nonce) + pushed.size();
    FIL_ASSIGN_OR_RETURN(const auto key, keyOf(m.from));
    FIL_ASSIGN_OR_RETURN(auto signed_message, primitives::signMessage(m, key.private_key));
    pushed.push_back(signed_message);
    return signed_message;
  }
  Result<std::vector<SignedMessage>> mpoolPending(const TipSetKey&) override {
    std::lock_guard lock(mutex);
    auto all = pending;
    all.insert(all.end(), pushed.begin(), pushed.end());
    return all;
  }
  Result<uint64_t> mpoolGetNonce(const Address&) override { return unserved("MpoolGetNonce"); }
  Result<primitives::Message> gasEstimateMessageGas(const primitives::Message& message,
                                                    const std::optional<api::MessageSendSpec>&,
                                                    const TipSetKey&) override {
    std::lock_guard lock(mutex);
    estimated.push_back(message);
    primitives::Message m = message;
    if (m.gas_limit == 0) m.gas_limit = 1'000'000;
    if (m.gas_fee_cap == 0) m.gas_fee_cap = 20'000;
    if (m.gas_premium == 0) m.gas_premium = 1'000;
    return m;
  }
  Result<int64_t> gasEstimateGasLimit(const primitives::Message&, const TipSetKey&) override {
    return unserved("GasEstimateGasLimit");
  }
  Result<TokenAmount> gasEstimateGasPremium(const uint64_t&, const Address&, const int64_t&, const TipSetKey&) override {
    return unserved("GasEstimateGasPremium");
  }
  Result<TokenAmount> gasEstimateFeeCap(const primitives::Message&, const int64_t&, const TipSetKey&) override {
    return unserved("GasEstimateFeeCap");
  }
  Result<cid::Cid> marketAddBalance(const Address& wallet_address, const Address& address,
                                    const TokenAmount& amount) override {
    std::lock_guard lock(mutex);
    market_adds.emplace_back(wallet_address, address, amount);
    return cidOf("add balance " + std::to_string(market_adds.size()));
  }
  Result<TokenAmount> marketGetReserved(const Address&) override { return unserved("MarketGetReserved"); }
  Result<cid::Cid> marketReserveFunds(const Address&, const Address&, const TokenAmount&) override {
    return unserved("MarketReserveFunds");
  }
  Result<void> marketReleaseFunds(const Address&, const TokenAmount&) override { return unserved("MarketReleaseFunds"); }
  Result<api::SyncState> syncState() override {
    std::lock_guard lock(mutex);
    if (sync_fails_after >= 0 && ++sync_calls > sync_fails_after) return fail(GenericError::kCancelled, "node stopped");
    return sync;
  }
  Result<void> syncSubmitBlock(const chain::BlockMsg&) override { return unserved("SyncSubmitBlock"); }
  Result<std::optional<api::MiningBaseInfo>> minerGetBaseInfo(const Address&, const ChainEpoch&,
                                                              const TipSetKey&) override {
    return unserved("MinerGetBaseInfo");
  }
  Result<chain::BlockMsg> minerCreateBlock(const api::BlockTemplate&) override { return unserved("MinerCreateBlock"); }

  Result<Address> walletNew(const std::string& type) override {
    if (type != primitives::kKeyTypeSecp256k1) {
      return fail(GenericError::kInvalidArgument, "unsupported key type: " + type);
    }
    std::lock_guard lock(mutex);
    return addKey();
  }
  Result<bool> walletHas(const Address& address) override {
    std::lock_guard lock(mutex);
    return keyOf(address).has_value();
  }
  Result<std::vector<Address>> walletList() override {
    std::lock_guard lock(mutex);
    std::vector<Address> out;
    for (const auto& [a, key] : wallet) out.push_back(a);
    return out;
  }
  Result<TokenAmount> walletBalance(const Address& address) override {
    std::lock_guard lock(mutex);
    auto it = actors.find(address);
    return it == actors.end() ? TokenAmount(0) : it->second.balance;
  }
  Result<primitives::Signature> walletSign(const Address& signer, const Bytes& data) override {
    std::lock_guard lock(mutex);
    FIL_ASSIGN_OR_RETURN(const auto key, keyOf(signer));
    return primitives::signSecp256k1(key.private_key, data);
  }
  Result<SignedMessage> walletSignMessage(const Address& signer, const primitives::Message& message) override {
    std::lock_guard lock(mutex);
    FIL_ASSIGN_OR_RETURN(const auto key, keyOf(signer));
    return primitives::signMessage(message, key.private_key);
  }
  Result<bool> walletVerify(const Address& signer, const Bytes& data, const primitives::Signature& signature) override {
    return primitives::verifySignature(signature, signer, data).has_value();
  }
  Result<Address> walletDefaultAddress() override {
    std::lock_guard lock(mutex);
    if (!default_address) return fail(GenericError::kNotFound, "no default address set");
    return *default_address;
  }
  Result<void> walletSetDefault(const Address& address) override {
    std::lock_guard lock(mutex);
    FIL_TRY(keyOf(address));
    default_address = address;
    return ok();
  }
  Result<primitives::KeyInfo> walletExport(const Address& address) override {
    std::lock_guard lock(mutex);
    return keyOf(address);
  }
  Result<Address> walletImport(const primitives::KeyInfo& key) override {
    std::lock_guard lock(mutex);
    FIL_ASSIGN_OR_RETURN(const Address a, primitives::addressOf(key));
    wallet.emplace_back(a, key);
    return a;
  }
  Result<void> walletDelete(const Address& address) override {
    std::lock_guard lock(mutex);
    FIL_TRY(keyOf(address));
    std::erase_if(wallet, [&](const auto& entry) { return entry.first == address; });
    if (default_address == address) default_address.reset();
    return ok();
  }
  Result<void> createBackup(const std::string&) override { return unserved("CreateBackup"); }
  Result<net::PeerId> id() override { return fail(GenericError::kInternal, id_error); }

  // Methods main's FullNodeApi is gaining (MpoolSelect, WalletComputeVRF),
  // declared without `override` so that this node builds on both sides of
  // that merge; no command calls them.
  Result<std::vector<SignedMessage>> mpoolSelect(const TipSetKey&, const double&) { return unserved("MpoolSelect"); }
  Result<Bytes> walletComputeVrf(const Address&, const Bytes&) { return unserved("WalletComputeVRF"); }

  std::tuple<uint64_t, ChainEpoch, bool> wait_args{};
  TipSetKey last_key;

 private:
  static tl::unexpected<Error> unserved(std::string_view method) {
    return fail(GenericError::kInternal, std::string(method) + " is not served by the CLI test node");
  }
  Result<primitives::KeyInfo> keyOf(const Address& address) const {
    for (const auto& [a, key] : wallet) {
      if (a == address) return key;
    }
    return fail(GenericError::kNotFound, "key not found for " + address.toString());
  }

  std::condition_variable wake_;
  bool released_ = false;
};

class CommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    unsetenv("FULLNODE_API_INFO");
    setenv("TZ", "UTC", 1);
    tzset();
    auth_ = std::make_shared<rpc::JwtAuth>(crypto::randomBytes(rpc::kJwtSecretSize));
    server_ = std::make_unique<rpc::Server>(rpc::ServerOptions{}, auth_);
    common_ = std::make_unique<api::CommonImpl>(
        api::CommonOptions{"1.25.2+test", api::kFullApiVersion1, kBlockDelay, auth_, [] {}, [] { return std::string(); }});
    api::serveCommonApi(*server_, *common_);
    api::serveFullNodeApi(*server_, node_);
    auto bound = server_->start();
    ASSERT_TRUE(bound) << bound.error().message();
    const auto repo = dir_.path() / "repo";
    std::filesystem::create_directories(repo);
    std::ofstream(repo / "api") << *bound;
    std::ofstream(repo / "token") << auth_->create({rpc::allPermissions(), std::nullopt, std::nullopt});
    std::filesystem::permissions(repo / "token", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    ctx_.program = "lotus";
    ctx_.full_node_repo = repo.string();
    ctx_.out = &out_;
    ctx_.in = &in_;
    ctx_.now = [this] { return now_; };
    ctx_.sleep = [this](std::chrono::milliseconds d) {
      now_ += d;
      ++sleeps_;
    };
  }

  void TearDown() override {
    node_.release();
    server_->stop();
  }

  // Runs `lotus ARGS...` in-process; returns the error the command failed
  // with ("ERROR: ..." in the real program), empty when it succeeded.
  // output() has what it printed.
  std::string run(std::vector<std::string> args) {
    CLI::App app("lotus test", "lotus");
    app.require_subcommand(1);
    addFullNodeCommands(app, ctx_);
    addWaitApiCommand(app, ctx_);
    out_.str("");
    args.insert(args.begin(), "lotus");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    try {
      app.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::ParseError& e) {
      return std::string("usage: ") + e.what();
    } catch (const CommandFailure& e) {
      return e.what();
    }
    return "";
  }
  std::string output() const { return out_.str(); }

  // Sets the clock `seconds_after_head` past the head's timestamp.
  void setNowAfterHead(int64_t seconds_after_head) {
    std::lock_guard lock(node_.mutex);
    now_ = TimePoint(std::chrono::seconds(static_cast<int64_t>(node_.chain.back().minTimestamp()) + seconds_after_head));
  }

  fil::testing::TempDir dir_;
  TestFullNode node_;
  std::shared_ptr<rpc::JwtAuth> auth_;
  std::unique_ptr<rpc::Server> server_;
  std::unique_ptr<api::CommonImpl> common_;
  CliContext ctx_;
  std::ostringstream out_;
  std::istringstream in_;
  TimePoint now_ = TimePoint(std::chrono::seconds(kGenesisTime));
  int sleeps_ = 0;
};

}  // namespace fil::cli::testing
