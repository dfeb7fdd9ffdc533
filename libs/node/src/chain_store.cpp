#include "fil/node/chain_store.h"

#include <algorithm>

#include <fmt/format.h>

#include "fil/base/log.h"
#include "fil/chain/messages.h"

namespace fil::node {
namespace {

const store::Key kHeadKey("/head");
const store::Key kGenesisKey("/genesis");
constexpr size_t kTipSetCacheSize = 4096;

spdlog::logger& logger() { return log::get("chainstore"); }

// Lotus breakWeightTie: the first block pair whose tickets differ decides;
// the smaller ticket wins.
bool winsTie(const chain::TipSet& a, const chain::TipSet& b) {
  const size_t n = std::min(a.blocks().size(), b.blocks().size());
  for (size_t i = 0; i < n; ++i) {
    const auto& ta = a.blocks()[i].ticket;
    const auto& tb = b.blocks()[i].ticket;
    if (!ta || !tb) continue;
    const auto da = chain::ticketDigest(*ta);
    const auto db = chain::ticketDigest(*tb);
    if (da != db) return da < db;
  }
  return false;
}

}  // namespace

std::string_view headChangeTypeName(HeadChange::Type type) {
  switch (type) {
    case HeadChange::Type::kCurrent: return "current";
    case HeadChange::Type::kRevert: return "revert";
    case HeadChange::Type::kApply: return "apply";
  }
  return "unknown";
}

ChainStore::ChainStore(store::Blockstore& blocks, store::Datastore& metadata, WeightFn weigh)
    : blocks_(blocks), metadata_(metadata), weigh_(std::move(weigh)) {}

Status ChainStore::load() {
  auto genesis = metadata_.get(kGenesisKey);
  if (!genesis) {
    if (genesis.error().is(store::StoreError::kNotFound)) return {};
    return fail(std::move(genesis).error().withContext("reading the genesis CID"));
  }
  FIL_ASSIGN_OR_RETURN(auto genesis_cid, cid::Cid::fromBytes(*genesis));
  auto head_bytes = metadata_.get(kHeadKey);
  if (!head_bytes) return fail(std::move(head_bytes).error().withContext("reading the chain head"));
  FIL_ASSIGN_OR_RETURN(auto key, codec::decode<chain::TipSetKey>(*head_bytes));
  auto head = loadTipSet(key);
  if (!head) return fail(std::move(head).error().withContext("loading the chain head " + key.toString()));
  FIL_ASSIGN_OR_RETURN(auto weight, weigh_(*head));
  std::lock_guard lock(mutex_);
  genesis_ = genesis_cid;
  head_ = std::move(*head);
  head_weight_ = std::move(weight);
  logger().info("chain head at height {}: {}", head_->height(), key.toString());
  return {};
}

bool ChainStore::hasHead() const {
  std::lock_guard lock(mutex_);
  return head_.has_value();
}

Status ChainStore::setGenesis(const chain::BlockHeader& genesis) {
  const cid::Cid c = genesis.cid();
  {
    std::lock_guard lock(mutex_);
    if (genesis_) {
      if (*genesis_ == c) return {};
      return fail(GenericError::kInvalidArgument,
                  fmt::format("this repo's chain starts at genesis {}, not {}", genesis_->toString(), c.toString()));
    }
  }
  FIL_TRY(blocks_.put(c, genesis.serialize()));
  FIL_ASSIGN_OR_RETURN(auto ts, chain::TipSet::create({genesis}));
  FIL_ASSIGN_OR_RETURN(auto weight, weigh_(ts));
  store::Batch batch;
  batch.put(kGenesisKey, c.toBytes());
  batch.put(kHeadKey, codec::encode(ts.key()));
  FIL_TRY(metadata_.commit(batch));
  std::lock_guard lock(mutex_);
  genesis_ = c;
  head_ = std::move(ts);
  head_weight_ = std::move(weight);
  return {};
}

Result<chain::TipSet> ChainStore::genesis() const {
  std::optional<cid::Cid> c;
  {
    std::lock_guard lock(mutex_);
    c = genesis_;
  }
  if (!c) return fail(GenericError::kNotFound, "no genesis set");
  return loadTipSet(chain::TipSetKey({*c}));
}

chain::TipSet ChainStore::heaviest() const {
  std::lock_guard lock(mutex_);
  if (!head_) std::abort();  // a caller broke the documented requirement
  return *head_;
}

Status ChainStore::putBlock(const chain::FullBlock& block) {
  FIL_ASSIGN_OR_RETURN(auto messages_root, chain::storeBlockMessages(blocks_, block.bls_messages, block.secpk_messages));
  if (messages_root != block.header.messages) {
    return fail(GenericError::kInvalidArgument,
                fmt::format("block {} names messages {} but carries {}", block.cid().toString(),
                            block.header.messages.toString(), messages_root.toString()));
  }
  return blocks_.put(block.cid(), block.header.serialize());
}

Result<chain::BlockHeader> ChainStore::getBlock(const cid::Cid& c) const {
  auto bytes = blocks_.get(c);
  if (!bytes) return fail(std::move(bytes).error().withContext("block " + c.toString()));
  auto header = chain::BlockHeader::decode(*bytes);
  if (!header) return fail(std::move(header).error().withContext("decoding block " + c.toString()));
  return header;
}

Result<chain::FullBlock> ChainStore::getFullBlock(const cid::Cid& c) const {
  FIL_ASSIGN_OR_RETURN(auto header, getBlock(c));
  return chain::loadFullBlock(blocks_, header);
}

void ChainStore::remember(const chain::TipSet& ts) const {
  std::lock_guard lock(cache_mutex_);
  auto key = ts.key();
  if (auto it = cache_.find(key); it != cache_.end()) {
    cache_order_.splice(cache_order_.begin(), cache_order_, it->second);
    return;
  }
  cache_order_.push_front(ts);
  cache_.emplace(std::move(key), cache_order_.begin());
  if (cache_order_.size() > kTipSetCacheSize) {
    cache_.erase(cache_order_.back().key());
    cache_order_.pop_back();
  }
}

Result<chain::TipSet> ChainStore::loadTipSet(const chain::TipSetKey& key) const {
  if (key.empty()) return fail(GenericError::kInvalidArgument, "empty tipset key");
  {
    std::lock_guard lock(cache_mutex_);
    if (auto it = cache_.find(key); it != cache_.end()) {
      cache_order_.splice(cache_order_.begin(), cache_order_, it->second);
      return *it->second;
    }
  }
  std::vector<chain::BlockHeader> headers;
  headers.reserve(key.cids().size());
  for (const auto& c : key.cids()) {
    FIL_ASSIGN_OR_RETURN(auto h, getBlock(c));
    headers.push_back(std::move(h));
  }
  FIL_ASSIGN_OR_RETURN(auto ts, chain::TipSet::create(std::move(headers)));
  if (ts.key() != key) {
    return fail(GenericError::kInvalidArgument,
                fmt::format("tipset key {} is not in canonical block order", key.toString()));
  }
  remember(ts);
  return ts;
}

Result<chain::TipSet> ChainStore::parentOf(const chain::TipSet& ts) const {
  if (ts.height() == 0) return fail(GenericError::kNotFound, "genesis has no parent tipset");
  return loadTipSet(ts.parents());
}

Result<chain::TipSet> ChainStore::tipSetAtHeight(chain::ChainEpoch height, const chain::TipSet& from,
                                                 bool prev) const {
  if (height < 0) return fail(GenericError::kInvalidArgument, fmt::format("negative height {}", height));
  if (height > from.height()) {
    return fail(GenericError::kInvalidArgument,
                fmt::format("looking for tipset with height greater than start point ({} > {})", height, from.height()));
  }
  chain::TipSet ts = from;
  while (ts.height() > height) {
    FIL_ASSIGN_OR_RETURN(auto parent, parentOf(ts));
    if (parent.height() < height) return prev ? parent : ts;  // `height` was a null round
    ts = std::move(parent);
  }
  return ts;
}

Result<bool> ChainStore::isCanonical(const chain::TipSet& ts) const {
  FIL_ASSIGN_OR_RETURN(auto at, tipSetAtHeight(ts.height(), heaviest(), true));
  return at == ts;
}

Result<ChainStore::ReorgPath> ChainStore::reorgPath(const chain::TipSet& from, const chain::TipSet& to) const {
  ReorgPath path;
  chain::TipSet left = from, right = to;
  while (!(left == right)) {
    if (left.height() >= right.height()) {
      path.revert.push_back(left);
      FIL_ASSIGN_OR_RETURN(left, parentOf(left));
    } else {
      path.apply.push_back(right);
      FIL_ASSIGN_OR_RETURN(right, parentOf(right));
    }
  }
  std::reverse(path.apply.begin(), path.apply.end());
  return path;
}

Result<bool> ChainStore::maybeTakeHeavier(const chain::TipSet& ts) {
  std::lock_guard serial(notify_mutex_);
  chain::TipSet head = heaviest();
  if (ts == head) return false;
  FIL_ASSIGN_OR_RETURN(auto weight, weigh_(ts));
  primitives::BigInt head_weight;
  {
    std::lock_guard lock(mutex_);
    head_weight = *head_weight_;
  }
  const bool heavier = weight > head_weight || (weight == head_weight && winsTie(ts, head));
  if (!heavier) return false;
  FIL_ASSIGN_OR_RETURN(auto path, reorgPath(head, ts));
  FIL_TRY(metadata_.put(kHeadKey, codec::encode(ts.key())));
  {
    std::lock_guard lock(mutex_);
    head_ = ts;
    head_weight_ = weight;
  }
  if (!path.revert.empty()) {
    logger().warn("reorg: reverting {} tipsets from height {}, applying {} up to height {}", path.revert.size(),
                  head.height(), path.apply.size(), ts.height());
  }
  std::vector<HeadChange> changes;
  for (auto& r : path.revert) changes.push_back({HeadChange::Type::kRevert, std::move(r)});
  for (auto& a : path.apply) changes.push_back({HeadChange::Type::kApply, std::move(a)});
  std::vector<Subscriber> subscribers;
  {
    std::lock_guard lock(subscribers_mutex_);
    for (const auto& [id, fn] : subscribers_) subscribers.push_back(fn);
  }
  for (const auto& fn : subscribers) fn(changes);
  return true;
}

uint64_t ChainStore::subscribe(Subscriber fn) {
  // Under the notify lock, so the subscriber hears "current" before any change after it.
  std::lock_guard serial(notify_mutex_);
  uint64_t id;
  {
    std::lock_guard lock(subscribers_mutex_);
    id = next_subscriber_++;
    subscribers_.emplace(id, fn);
  }
  std::optional<chain::TipSet> head;
  {
    std::lock_guard lock(mutex_);
    head = head_;
  }
  if (head) fn({HeadChange{HeadChange::Type::kCurrent, std::move(*head)}});
  return id;
}

void ChainStore::unsubscribe(uint64_t id) {
  std::lock_guard lock(subscribers_mutex_);
  subscribers_.erase(id);
}

}  // namespace fil::node
