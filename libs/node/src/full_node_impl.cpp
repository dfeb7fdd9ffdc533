// Chain, message pool, gas, market funds, sync, wallet and node methods of
// the full node API; state methods are in full_node_impl_state.cpp, mining
// in full_node_impl_mining.cpp.
#include "fil/node/full_node_impl.h"

#include <set>

#include <fmt/format.h>

#include "fil/base/log.h"
#include "fil/chain/base_fee.h"
#include "fil/chain/messages.h"
#include "fil/codec/cbor.h"
#include "fil/chain/validation.h"
#include "fil/repo/backup_path.h"
#include "fil/store/amt.h"
#include "fil/vm/actor.h"

namespace fil::node {
namespace {

api::HeadChangeType apiType(HeadChange::Type t) {
  switch (t) {
    case HeadChange::Type::kCurrent: return api::HeadChangeType::kCurrent;
    case HeadChange::Type::kRevert: return api::HeadChangeType::kRevert;
    case HeadChange::Type::kApply: return api::HeadChangeType::kApply;
  }
  return api::HeadChangeType::kCurrent;
}

MessageSendSpec nodeSpec(const std::optional<api::MessageSendSpec>& spec) {
  if (!spec) return {};
  return {.max_fee = spec->max_fee, .maximize_fee_cap = spec->maximize_fee_cap};
}

}  // namespace

FullNodeImpl::FullNodeImpl(FullNode& node, FullNodeImplOptions options)
    : node_(node),
      options_(std::move(options)),
      funds_(node.metadata(), node.pusher(), [this](const primitives::Address& address) -> Result<TokenAmount> {
        FIL_ASSIGN_OR_RETURN(auto balance, stateMarketBalance(address, {}));
        return balance.escrow - balance.locked;
      }) {}

FullNodeImpl::~FullNodeImpl() {
  std::lock_guard lock(notify_mutex_);
  for (uint64_t id : notify_subscriptions_) node_.chain().unsubscribe(id);
}

Result<chain::FullTipSet> FullNodeImpl::fullTipSet(const chain::TipSet& ts) const {
  chain::FullTipSet full;
  for (const auto& c : ts.cids()) {
    FIL_ASSIGN_OR_RETURN(auto block, node_.chain().getFullBlock(c));
    full.blocks.push_back(std::move(block));
  }
  return full;
}

Result<chain::TipSet> FullNodeImpl::tipset(const api::TipSetKey& key) const {
  if (key.cids().empty()) return node_.chain().heaviest();
  return node_.chain().loadTipSet(key);
}

// ---- chain ----

Result<chain::TipSet> FullNodeImpl::chainHead() { return node_.chain().heaviest(); }

Result<rpc::Channel<std::vector<api::HeadChange>>> FullNodeImpl::chainNotify() {
  rpc::Channel<std::vector<api::HeadChange>> channel;
  // The subscriber runs on the thread that moves the head: it must never
  // block, so a consumer that falls a whole queue behind is dropped (its
  // channel closes), as Lotus drops slow ChainNotify subscribers.
  auto id = std::make_shared<std::atomic<uint64_t>>(0);
  auto dropped = std::make_shared<std::atomic<bool>>(false);
  const uint64_t subscription = node_.chain().subscribe([this, channel, id, dropped](const std::vector<HeadChange>& changes) {
    if (dropped->load()) return;
    std::vector<api::HeadChange> out;
    out.reserve(changes.size());
    for (const auto& c : changes) out.push_back({apiType(c.type), c.tipset});
    if (!channel.tryPush(std::move(out))) {
      dropped->store(true);
      channel.close();
      if (const uint64_t mine = id->load(); mine != 0) {
        node_.chain().unsubscribe(mine);
        std::lock_guard lock(notify_mutex_);
        std::erase(notify_subscriptions_, mine);
      }
    }
  });
  id->store(subscription);
  std::lock_guard lock(notify_mutex_);
  notify_subscriptions_.push_back(subscription);
  return channel;
}

Result<chain::TipSet> FullNodeImpl::chainGetTipSet(const api::TipSetKey& key) { return tipset(key); }

Result<chain::TipSet> FullNodeImpl::chainGetTipSetByHeight(const api::ChainEpoch& height, const api::TipSetKey& key) {
  FIL_ASSIGN_OR_RETURN(auto from, tipset(key));
  if (height < 0) return fail(GenericError::kInvalidArgument, fmt::format("negative height {}", height));
  if (height > from.height()) {
    return fail(GenericError::kInvalidArgument,
                fmt::format("looking for tipset with height greater than start point ({} > {})", height, from.height()));
  }
  return node_.chain().tipSetAtHeight(height, from, true);
}

Result<chain::BlockHeader> FullNodeImpl::chainGetBlock(const cid::Cid& block) { return node_.chain().getBlock(block); }

Result<api::BlockMessages> FullNodeImpl::chainGetBlockMessages(const cid::Cid& block) {
  FIL_ASSIGN_OR_RETURN(auto full, node_.chain().getFullBlock(block));
  api::BlockMessages out;
  for (const auto& m : full.bls_messages) out.cids.push_back(m.cid());
  for (const auto& m : full.secpk_messages) out.cids.push_back(m.cid());
  out.bls_messages = std::move(full.bls_messages);
  out.secpk_messages = std::move(full.secpk_messages);
  return out;
}

Result<primitives::Message> FullNodeImpl::chainGetMessage(const cid::Cid& message) {
  return node_.state().loadMessage(message);
}

Result<std::vector<chain::MessageReceipt>> FullNodeImpl::chainGetParentReceipts(const cid::Cid& block) {
  FIL_ASSIGN_OR_RETURN(auto header, node_.chain().getBlock(block));
  FIL_ASSIGN_OR_RETURN(auto receipts,
                       store::Amt::load(node_.blocks(), header.parent_message_receipts, {3, store::AmtVersion::kV0}));
  std::vector<chain::MessageReceipt> out;
  out.reserve(receipts.count());
  FIL_TRY(receipts.forEach([&](uint64_t index, BytesView raw) -> Status {
    if (index != out.size()) {
      return fail(GenericError::kInternal, fmt::format("receipt {} missing under block {}", out.size(), block.toString()));
    }
    FIL_ASSIGN_OR_RETURN(auto receipt, codec::decode<chain::MessageReceipt>(raw));
    out.push_back(std::move(receipt));
    return ok();
  }));
  return out;
}

Result<std::vector<api::Message>> FullNodeImpl::chainGetParentMessages(const cid::Cid& block) {
  FIL_ASSIGN_OR_RETURN(auto header, node_.chain().getBlock(block));
  std::vector<api::Message> out;
  if (header.height == 0) return out;
  // Execution order: block by block, BLS then secp256k1, each unsigned CID once.
  std::set<cid::Cid> seen;
  for (const auto& parent : header.parents) {
    FIL_ASSIGN_OR_RETURN(auto full, node_.chain().getFullBlock(parent));
    for (auto& m : full.bls_messages) {
      if (seen.insert(m.cid()).second) out.push_back({m.cid(), std::move(m)});
    }
    for (auto& sm : full.secpk_messages) {
      if (seen.insert(sm.message.cid()).second) out.push_back({sm.cid(), std::move(sm.message)});
    }
  }
  return out;
}

Result<Bytes> FullNodeImpl::chainReadObj(const cid::Cid& object) { return node_.blocks().get(object); }

Result<bool> FullNodeImpl::chainHasObj(const cid::Cid& object) { return node_.blocks().has(object); }

Result<chain::TipSet> FullNodeImpl::chainGetGenesis() { return node_.chain().genesis(); }

// ---- message pool and gas ----

Result<cid::Cid> FullNodeImpl::mpoolPush(const primitives::SignedMessage& message) {
  return node_.mpool().push(message);
}

Result<primitives::SignedMessage> FullNodeImpl::mpoolPushMessage(const primitives::Message& message,
                                                                 const std::optional<api::MessageSendSpec>& spec) {
  if (message.nonce != 0) {
    return fail(GenericError::kInvalidArgument, "MpoolPushMessage expects message nonce to be 0, was " +
                                                    std::to_string(message.nonce));
  }
  return node_.pusher().push(message, nodeSpec(spec));
}

Result<std::vector<primitives::SignedMessage>> FullNodeImpl::mpoolPending(const api::TipSetKey& key) {
  FIL_TRY(tipset(key));  // a key the node does not know is an error, as in Lotus
  return node_.mpool().pending();
}

Result<uint64_t> FullNodeImpl::mpoolGetNonce(const api::Address& address) { return node_.mpool().nextNonce(address); }

Result<std::vector<primitives::SignedMessage>> FullNodeImpl::mpoolSelect(const api::TipSetKey& key, const double&) {
  FIL_ASSIGN_OR_RETURN(auto base, tipset(key));
  // The base fee the block will pay: the one its parent (`base`) leads to.
  FIL_ASSIGN_OR_RETURN(auto full, fullTipSet(base));
  const auto base_fee = chain::computeBaseFee(full, node_.network());
  return node_.mpool().select(base_fee, node_.network().block_gas_limit, chain::kBlockMessageLimit);
}

Result<primitives::Message> FullNodeImpl::gasEstimateMessageGas(const primitives::Message& message,
                                                                const std::optional<api::MessageSendSpec>& spec,
                                                                const api::TipSetKey& key) {
  FIL_TRY(tipset(key));
  return node_.gas().estimateMessageGas(message, nodeSpec(spec));
}

Result<int64_t> FullNodeImpl::gasEstimateGasLimit(const primitives::Message& message, const api::TipSetKey& key) {
  FIL_TRY(tipset(key));
  return node_.gas().estimateGasLimit(message);
}

Result<api::TokenAmount> FullNodeImpl::gasEstimateGasPremium(const uint64_t& blocks_included, const api::Address&,
                                                             const int64_t&, const api::TipSetKey& key) {
  FIL_TRY(tipset(key));
  return node_.gas().estimateGasPremium(blocks_included);
}

Result<api::TokenAmount> FullNodeImpl::gasEstimateFeeCap(const primitives::Message& message,
                                                         const int64_t& max_queue_blocks, const api::TipSetKey& key) {
  FIL_TRY(tipset(key));
  return node_.gas().estimateFeeCap(message, max_queue_blocks);
}

// ---- market funds ----

Result<cid::Cid> FullNodeImpl::marketAddBalance(const api::Address& wallet, const api::Address& address,
                                                const api::TokenAmount& amount) {
  return funds_.addBalance(wallet, address, amount);
}

Result<api::TokenAmount> FullNodeImpl::marketGetReserved(const api::Address& address) {
  return funds_.reserved(address);
}

Result<cid::Cid> FullNodeImpl::marketReserveFunds(const api::Address& wallet, const api::Address& address,
                                                  const api::TokenAmount& amount) {
  return funds_.reserve(wallet, address, amount);
}

Result<void> FullNodeImpl::marketReleaseFunds(const api::Address& address, const api::TokenAmount& amount) {
  return funds_.release(address, amount);
}

// ---- sync ----

Result<api::SyncState> FullNodeImpl::syncState() {
  // This node takes blocks one at a time as they are submitted (no chain
  // exchange yet), so its one sync worker is always complete at the head.
  const auto status = node_.syncer().status();
  api::ActiveSync sync;
  sync.stage = api::SyncStage::kSyncComplete;
  sync.target = status.head;
  if (status.head.height() > 0) {
    FIL_ASSIGN_OR_RETURN(auto parent, node_.chain().parentOf(status.head));
    sync.base = std::move(parent);
  } else {
    sync.base = status.head;
  }
  sync.height = status.head.height();
  sync.message = status.last_error;
  api::SyncState out;
  out.active_syncs.push_back(std::move(sync));
  out.vm_applied = status.blocks_accepted;
  return out;
}

Result<void> FullNodeImpl::syncSubmitBlock(const chain::BlockMsg& block) {
  FIL_ASSIGN_OR_RETURN(auto full, node_.syncer().fullBlock(block));
  FIL_TRY(node_.syncer().submitBlock(full).map_error(
      [](Error e) { return std::move(e).withContext("submitted block failed validation"); }));
  return ok();
}

// ---- wallet ----

Result<api::Address> FullNodeImpl::walletNew(const std::string& type) { return node_.wallet().newAddress(type); }

Result<bool> FullNodeImpl::walletHas(const api::Address& address) { return node_.wallet().has(address); }

Result<std::vector<api::Address>> FullNodeImpl::walletList() { return node_.wallet().list(); }

Result<api::TokenAmount> FullNodeImpl::walletBalance(const api::Address& address) {
  FIL_ASSIGN_OR_RETURN(auto view, stateAt({}));
  FIL_ASSIGN_OR_RETURN(auto actor, view.getActor(address));
  return actor ? actor->balance : api::TokenAmount(0);  // an address not on chain yet holds nothing
}

Result<primitives::Signature> FullNodeImpl::walletSign(const api::Address& signer, const Bytes& data) {
  FIL_ASSIGN_OR_RETURN(auto key, node_.provider().keyAddress(signer));
  return node_.wallet().sign(key, data);
}

Result<primitives::SignedMessage> FullNodeImpl::walletSignMessage(const api::Address& signer,
                                                                  const primitives::Message& message) {
  const cid::Cid c = message.cid();
  FIL_ASSIGN_OR_RETURN(auto signature, walletSign(signer, c.toBytes()));
  return primitives::SignedMessage{message, std::move(signature)};
}

Result<bool> FullNodeImpl::walletVerify(const api::Address& signer, const Bytes& data,
                                        const primitives::Signature& signature) {
  FIL_ASSIGN_OR_RETURN(auto key, node_.provider().keyAddress(signer));
  return static_cast<bool>(primitives::verifySignature(signature, key, data));
}

Result<api::Address> FullNodeImpl::walletDefaultAddress() { return node_.wallet().defaultAddress(); }

Result<void> FullNodeImpl::walletSetDefault(const api::Address& address) { return node_.wallet().setDefault(address); }

Result<primitives::KeyInfo> FullNodeImpl::walletExport(const api::Address& address) {
  return node_.wallet().exportKey(address);
}

Result<api::Address> FullNodeImpl::walletImport(const primitives::KeyInfo& key) { return node_.wallet().importKey(key); }

Result<void> FullNodeImpl::walletDelete(const api::Address& address) { return node_.wallet().remove(address); }

Result<Bytes> FullNodeImpl::walletComputeVrf(const api::Address& signer, const Bytes& input) {
  FIL_ASSIGN_OR_RETURN(auto key, node_.provider().keyAddress(signer));
  return node_.wallet().computeVrf(key, input);
}

// ---- node ----

Result<void> FullNodeImpl::createBackup(const std::string& path) {
  if (!options_.backup) return fail(GenericError::kInvalidArgument, "this node does not offer backups");
  FIL_ASSIGN_OR_RETURN(auto resolved, repo::resolveBackupPath(path));
  return options_.backup(resolved);
}

Result<net::PeerId> FullNodeImpl::id() {
  return fail(GenericError::kNotFound,
              "the full node has no libp2p host yet (devnet blocks arrive through SyncSubmitBlock); it has no peer ID");
}

}  // namespace fil::node
