#include "fil/node/state_manager.h"

#include <condition_variable>

#include <fmt/format.h>

#include "fil/base/log.h"
#include "fil/chain/chain_randomness.h"
#include "fil/chain/messages.h"
#include "fil/store/amt.h"
#include "fil/vm/buffered_blockstore.h"
#include "fil/vm/state_tree.h"
#include "fil/vm/tipset.h"

namespace fil::node {
namespace {

const store::Key kStatePrefix("/chain/tsstate");
const store::Key kExecPrefix("/chain/msgexec");

spdlog::logger& logger() { return log::get("statemgr"); }

store::Key stateKey(const chain::TipSetKey& key) { return kStatePrefix.child(key.cid().toString()); }
store::Key execPrefix(const cid::Cid& message) { return kExecPrefix.child(message.toString()); }

}  // namespace

StateManager::StateManager(ChainStore& chain, store::Blockstore& blocks, store::Datastore& metadata,
                           const chain::NetworkParams& network, const chain::RandomBeacon& beacon,
                           const vm::ProofVerifier* verifier)
    : chain_(chain), blocks_(blocks), metadata_(metadata), network_(network), beacon_(beacon), verifier_(verifier) {}

Result<TipSetState> StateManager::tipSetState(const chain::TipSet& ts) {
  std::lock_guard lock(mutex_);
  if (auto it = cache_.find(ts.key()); it != cache_.end()) return it->second;
  auto kept = metadata_.get(stateKey(ts.key()));
  if (kept) {
    FIL_ASSIGN_OR_RETURN(auto st, codec::decode<TipSetState>(*kept));
    cache_.emplace(ts.key(), st);
    return st;
  }
  if (!kept.error().is(store::StoreError::kNotFound)) return fail(std::move(kept).error());
  FIL_ASSIGN_OR_RETURN(auto st, execute(ts));
  cache_.emplace(ts.key(), st);
  return st;
}

Result<TipSetState> StateManager::execute(const chain::TipSet& ts) {
  if (ts.height() == 0) return TipSetState{ts.parentState(), ts.parentMessageReceipts()};
  FIL_ASSIGN_OR_RETURN(auto parent, chain_.parentOf(ts));

  vm::TipSetExecution exec{.parent_state = ts.parentState(),
                           .parent_epoch = parent.height(),
                           .epoch = ts.height(),
                           .base_fee = ts.parentBaseFee(),
                           .blocks = {}};
  for (const auto& c : ts.cids()) {
    FIL_ASSIGN_OR_RETURN(auto block, chain_.getFullBlock(c));
    exec.blocks.push_back(vm::BlockMessages{block.header.miner,
                                            block.header.election_proof ? block.header.election_proof->win_count : 0,
                                            std::move(block.bls_messages), std::move(block.secpk_messages)});
  }
  chain::ChainRandomness randomness(chain_, ts, beacon_);
  const auto started = std::chrono::steady_clock::now();
  FIL_ASSIGN_OR_RETURN(auto result, vm::applyTipSet(blocks_, exec, network_, randomness, verifier_));

  // The result and the message index are written together.
  store::Batch batch;
  const std::string ts_cid = ts.key().cid().toString();
  for (size_t i = 0; i < result.message_cids.size(); ++i) {
    batch.put(execPrefix(result.message_cids[i]).child(ts_cid), codec::encode(static_cast<uint64_t>(i)));
  }
  const TipSetState st{result.state_root, result.receipts_root};
  batch.put(stateKey(ts.key()), codec::encode(st));
  FIL_TRY(metadata_.commit(batch));
  logger().debug("executed tipset {} at height {}: {} messages, {} gas, {} ms", ts.key().toString(), ts.height(),
                 result.message_cids.size(), result.gas_used,
                 std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
                     .count());
  return st;
}

Result<primitives::Message> StateManager::loadMessage(const cid::Cid& c) const {
  auto bytes = blocks_.get(c);
  if (!bytes) return fail(std::move(bytes).error().withContext("message " + c.toString()));
  if (auto signed_message = codec::decode<primitives::SignedMessage>(*bytes)) return signed_message->message;
  auto message = codec::decode<primitives::Message>(*bytes);
  if (!message) return fail(std::move(message).error().withContext("block " + c.toString() + " is not a message"));
  return message;
}

Result<std::optional<MessageLookup>> StateManager::searchMessage(const chain::TipSet& from, const cid::Cid& c,
                                                                 chain::ChainEpoch limit) {
  // A secp256k1 message is stored signed; the index is by unsigned CID, so
  // a CID that names no stored block is taken as an unsigned one.
  cid::Cid unsigned_cid = c;
  if (auto message = loadMessage(c)) {
    unsigned_cid = message->cid();
  } else if (!message.error().is(store::StoreError::kNotFound)) {
    return fail(std::move(message).error());
  }
  // Every tipset that executed the message (forks too), by its key's CID.
  std::map<std::string, uint64_t> executed;
  FIL_TRY(store::forEach(metadata_, store::Query{execPrefix(unsigned_cid)},
                         [&](std::string_view key, BytesView value) -> Result<bool> {
                           FIL_ASSIGN_OR_RETURN(auto index, codec::decode<uint64_t>(value));
                           executed.emplace(std::string(store::Key(key).baseNamespace()), index);
                           return true;
                         }));
  // Walk down from `from`: the receipt belongs to the first tipset whose
  // parent executed the message.
  if (executed.empty()) return std::optional<MessageLookup>{};
  chain::TipSet child = from;
  while (child.height() > 0) {
    if (limit != kNoLookbackLimit && child.height() < from.height() - limit) break;
    if (auto hit = executed.find(child.parents().cid().toString()); hit != executed.end()) {
      const uint64_t index = hit->second;
      FIL_ASSIGN_OR_RETURN(auto parent, chain_.parentOf(child));
      FIL_ASSIGN_OR_RETURN(auto st, tipSetState(parent));
      FIL_ASSIGN_OR_RETURN(auto receipts, store::Amt::load(blocks_, st.receipts_root, {3, store::AmtVersion::kV0}));
      FIL_ASSIGN_OR_RETURN(auto receipt, receipts.getCbor<chain::MessageReceipt>(index));
      if (!receipt) {
        return fail(GenericError::kInternal, fmt::format("no receipt {} in tipset {}", index, parent.key().toString()));
      }
      return std::optional<MessageLookup>{MessageLookup{unsigned_cid, std::move(*receipt), child, child.height()}};
    }
    FIL_ASSIGN_OR_RETURN(child, chain_.parentOf(child));
  }
  return std::optional<MessageLookup>{};
}

Result<MessageLookup> StateManager::waitMessage(const cid::Cid& c, uint64_t confidence, chain::ChainEpoch limit,
                                               std::chrono::milliseconds timeout) {
  std::mutex m;
  std::condition_variable cv;
  bool changed = true;  // look once at the current head
  const uint64_t id = chain_.subscribe([&](const std::vector<HeadChange>&) {
    {
      std::lock_guard lock(m);
      changed = true;
    }
    cv.notify_all();
  });
  struct Unsubscribe {
    ChainStore& chain;
    uint64_t id;
    ~Unsubscribe() { chain.unsubscribe(id); }
  } unsubscribe{chain_, id};

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    {
      std::unique_lock lock(m);
      if (!cv.wait_until(lock, deadline, [&] { return changed; })) {
        return fail(GenericError::kTimeout,
                    fmt::format("message {} not executed with {} confirmations within {} ms", c.toString(), confidence,
                                timeout.count()));
      }
      changed = false;
    }
    const chain::TipSet head = chain_.heaviest();
    FIL_ASSIGN_OR_RETURN(auto found, searchMessage(head, c, limit));
    if (found && head.height() - found->height >= static_cast<chain::ChainEpoch>(confidence)) return std::move(*found);
  }
}

Result<vm::ApplyRet> StateManager::call(primitives::Message message, const chain::TipSet& ts,
                                        const std::optional<SenderAfterPending>& sender) {
  FIL_ASSIGN_OR_RETURN(auto st, tipSetState(ts));
  // Nothing a call writes reaches the node's store.
  vm::BufferedBlockstore scratch(blocks_);
  FIL_ASSIGN_OR_RETURN(auto tree, vm::StateTree::load(scratch, st.state_root));
  FIL_ASSIGN_OR_RETURN(auto actor, tree.getActor(message.from));
  if (!actor) {
    return fail(GenericError::kNotFound, fmt::format("call from {}: no such actor", message.from.toString()));
  }
  if (sender) {
    actor->nonce += sender->count;
    actor->balance = std::max<primitives::TokenAmount>(0, actor->balance - sender->max_cost);
    FIL_TRY(tree.setActor(message.from, *actor));
  }
  message.nonce = actor->nonce;
  FIL_ASSIGN_OR_RETURN(auto root, tree.flush());
  chain::ChainRandomness randomness(chain_, ts, beacon_);
  FIL_ASSIGN_OR_RETURN(auto vm, vm::Vm::load(scratch, root,
                                             vm::VmOptions{.epoch = ts.height() + 1,
                                                           .base_fee = ts.parentBaseFee(),
                                                           .network = &network_,
                                                           .randomness = &randomness,
                                                           .verifier = verifier_}));
  const size_t size = codec::encode(message).size();
  return vm->applyMessage(message, size);
}

}  // namespace fil::node
