#include "fil/node/mpool.h"

#include <algorithm>
#include <unordered_set>

#include <fmt/format.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "fil/base/log.h"
#include "fil/codec/cbor.h"
#include "fil/node/msg_selection.h"
#include "fil/primitives/signature.h"

namespace fil::node {

std::string_view describe(MpoolError e) {
  switch (e) {
    case MpoolError::kMessageTooBig: return "message too big";
    case MpoolError::kInvalidMessage: return "message will not be included in a block";
    case MpoolError::kValueTooHigh: return "cannot send more filecoin than will ever exist";
    case MpoolError::kGasFeeCapTooLow: return "gas fee cap too low";
    case MpoolError::kBadSignature: return "signature verification failed";
    case MpoolError::kNonceTooLow: return "message nonce too low";
    case MpoolError::kNonceGap: return "unfulfilled nonce gap";
    case MpoolError::kExistingNonce: return "message with nonce already exists";
    case MpoolError::kRbfTooLowPremium: return "replace by fee has too low GasPremium";
    case MpoolError::kTooManyPending: return "too many pending messages for actor";
    case MpoolError::kNotEnoughFunds: return "not enough funds to execute transaction";
    case MpoolError::kUnknownSender: return "sender actor not found";
    case MpoolError::kInvalidSender: return "sender is not a valid top-level sender";
  }
  return "unknown mpool error";
}

namespace {

const store::Key kLocalPrefix("/mpool/local");
// 2 billion FIL (Lotus types.TotalFilecoinInt).
const TokenAmount kTotalFilecoin = TokenAmount(2'000'000'000) * primitives::kFilecoinPrecision;

spdlog::logger& logger() { return log::get("mpool"); }

store::Key localKey(const cid::Cid& c) { return kLocalPrefix.child(c.toString()); }

TokenAmount gasFunds(const Message& m) { return m.gas_fee_cap * m.gas_limit; }

}  // namespace

TokenAmount minReplacementPremium(const TokenAmount& premium) {
  // Lotus: ReplaceByFeeRatioDefault 1.25 as 320/256.
  return premium * 320 / 256 + 1;
}

TokenAmount effectivePremium(const Message& m, const TokenAmount& base_fee) {
  TokenAmount room = m.gas_fee_cap - base_fee;
  if (room < 0) return 0;
  return std::min(room, m.gas_premium);
}

// One sender's pending messages by nonce, what they may cost in gas, and the
// first nonce after the run that starts at the state nonce (Lotus msgSet).
struct MessagePool::SenderSet {
  struct Entry {
    SignedMessage message;
    cid::Cid cid;
    bool local = false;
  };
  std::map<uint64_t, Entry> messages;
  uint64_t next_nonce = 0;
  TokenAmount required_funds;  // GasFeeCap x GasLimit of every pending message
  TokenAmount values;          // their Value

  void advanceOverGap() {
    while (messages.contains(next_nonce)) ++next_nonce;
  }
};

struct MessagePool::Metrics {
  prometheus::Gauge& pending;
  prometheus::Counter& added;
  prometheus::Counter& rejected;
  prometheus::Counter& removed;
};

MessagePool::MessagePool(const MpoolChain& chain, store::Datastore& local_store, MpoolConfig config)
    : chain_(chain), local_store_(local_store), config_(config) {}

MessagePool::~MessagePool() = default;

void MessagePool::registerMetrics(prometheus::Registry& registry) {
  std::lock_guard lock(mutex_);
  auto& pending = prometheus::BuildGauge()
                      .Name("fil_mpool_pending_messages")
                      .Help("Messages waiting in the message pool")
                      .Register(registry);
  auto& events = prometheus::BuildCounter()
                     .Name("fil_mpool_messages_total")
                     .Help("Messages added to, rejected by and removed from the message pool")
                     .Register(registry);
  metrics_ = std::make_unique<Metrics>(Metrics{pending.Add({}), events.Add({{"event", "added"}}),
                                               events.Add({{"event", "rejected"}}),
                                               events.Add({{"event", "removed"}})});
  metrics_->pending.Set(static_cast<double>(size_));
}

Address MessagePool::senderKey(const Address& from) const {
  // Pending sets are keyed by the key address so that messages from the ID
  // and the key form of one account share nonces (Lotus resolveToKey).
  auto key = chain_.keyAddress(from);
  return key ? *key : from;
}

Status MessagePool::check(const SignedMessage& sm) const {
  const Message& m = sm.message;
  const size_t size = codec::encode(sm).size();
  if (size > kMaxMessageSize) {
    return fail(MpoolError::kMessageTooBig, fmt::format("mpool message too large ({}B > {}B)", size, kMaxMessageSize));
  }
  auto invalid = [](std::string what) { return fail(MpoolError::kInvalidMessage, std::move(what)); };
  if (m.version != 0) return invalid("'Version' unsupported");
  if (!m.to.defined()) return invalid("'To' address cannot be empty");
  if (!m.from.defined()) return invalid("'From' address cannot be empty");
  if (m.value < 0) return invalid("'Value' field cannot be negative");
  if (m.value >= kTotalFilecoin) {
    return fail(MpoolError::kValueTooHigh, fmt::format("value {} attoFIL", primitives::toDecimal(m.value)));
  }
  if (m.gas_fee_cap < 0) return invalid("'GasFeeCap' field cannot be negative");
  if (m.gas_premium < 0) return invalid("'GasPremium' field cannot be negative");
  if (m.gas_premium > m.gas_fee_cap) return invalid("'GasFeeCap' less than 'GasPremium'");
  if (m.gas_limit > chain_.blockGasLimit()) {
    return invalid(fmt::format("'GasLimit' field cannot be greater than a block's gas limit ({} > {})", m.gas_limit,
                               chain_.blockGasLimit()));
  }
  if (m.gas_limit <= 0) return invalid(fmt::format("'GasLimit' field {} must be positive", m.gas_limit));
  const int64_t min_gas = chain_.onChainMessageGas(size);
  if (m.gas_limit < min_gas) {
    return invalid(fmt::format("'GasLimit' field cannot be less than the cost of storing a message on chain {} < {}",
                               m.gas_limit, min_gas));
  }
  if (m.gas_fee_cap < chain_.minimumBaseFee()) {
    return fail(MpoolError::kGasFeeCapTooLow,
                fmt::format("fee cap {} is below the minimum base fee {}", primitives::toDecimal(m.gas_fee_cap),
                            primitives::toDecimal(chain_.minimumBaseFee())));
  }
  if (sm.signature.type != primitives::SignatureType::kSecp256k1) {
    return fail(MpoolError::kBadSignature, "only secp256k1 signed messages are accepted (BLS is on the roadmap)");
  }
  auto key = chain_.keyAddress(m.from);
  if (!key) {
    return fail(MpoolError::kUnknownSender,
                fmt::format("resolving sender {}: {}", m.from.toString(), key.error().message()));
  }
  if (auto ok = primitives::verifySignature(sm.signature, *key, m.cid().toBytes()); !ok) {
    return fail(MpoolError::kBadSignature, fmt::format("message from {}: {}", m.from.toString(), ok.error().message()));
  }
  return {};
}

Status MessagePool::addLocked(const SignedMessage& sm, bool local) {
  const Message& m = sm.message;
  auto state = chain_.senderState(m.from);
  if (!state) {
    return fail(MpoolError::kUnknownSender,
                fmt::format("sender {}: {}", m.from.toString(), state.error().message()));
  }
  if (!state->is_account) {
    return fail(MpoolError::kInvalidSender, fmt::format("sender {} is not an account", m.from.toString()));
  }
  if (m.nonce < state->nonce) {
    return fail(MpoolError::kNonceTooLow,
                fmt::format("minimum expected nonce is {}, got {}", state->nonce, m.nonce));
  }
  const Address from = senderKey(m.from);
  auto& set_ptr = senders_[from];
  if (!set_ptr) {
    set_ptr = std::make_unique<SenderSet>();
    set_ptr->next_nonce = state->nonce;
    set_ptr->advanceOverGap();
  }
  SenderSet& set = *set_ptr;
  const cid::Cid c = sm.cid();

  // Funds: this message plus every other pending one must be affordable.
  TokenAmount required = set.required_funds + gasFunds(m);
  auto existing = set.messages.find(m.nonce);
  if (existing != set.messages.end()) required -= gasFunds(existing->second.message.message);
  if (state->balance < gasFunds(m)) {
    return fail(MpoolError::kNotEnoughFunds,
                fmt::format("not enough funds (required: {}, balance: {})", primitives::formatFil(gasFunds(m)),
                            primitives::formatFil(state->balance)));
  }
  if (state->balance < required) {
    return fail(MpoolError::kNotEnoughFunds,
                fmt::format("not enough funds including pending messages (required: {}, balance: {})",
                            primitives::formatFil(required), primitives::formatFil(state->balance)));
  }

  // Nonce rules (Lotus msgSet.add): a message from elsewhere may not leave a gap.
  const bool strict = !local;
  const bool gap = m.nonce > set.next_nonce;
  if (strict && gap) {
    return fail(MpoolError::kNonceGap, fmt::format("message nonce has too big a gap from expected nonce (Nonce: {}, "
                                                   "nextNonce: {})",
                                                   m.nonce, set.next_nonce));
  }
  if (existing != set.messages.end()) {
    if (existing->second.cid == c) {
      return fail(MpoolError::kExistingNonce,
                  fmt::format("message from {} with nonce {} already in mpool", m.from.toString(), m.nonce));
    }
    const TokenAmount min_premium = minReplacementPremium(existing->second.message.message.gas_premium);
    if (m.gas_premium < min_premium) {
      return fail(MpoolError::kRbfTooLowPremium,
                  fmt::format("message from {} with nonce {} already in mpool, increase GasPremium to {} from {} to "
                              "trigger replace by fee",
                              m.from.toString(), m.nonce, primitives::toDecimal(min_premium),
                              primitives::toDecimal(m.gas_premium)));
    }
  } else {
    const size_t limit = local ? config_.max_pending_per_sender : config_.max_untrusted_pending_per_sender;
    if (set.messages.size() >= limit) {
      return fail(MpoolError::kTooManyPending,
                  fmt::format("too many pending messages from actor {} (limit {})", m.from.toString(), limit));
    }
  }

  // Local messages are written before they count as pending, so a crash
  // right after push() returns loses nothing.
  const bool was_local = existing != set.messages.end() && existing->second.local;
  if (local) FIL_TRY(local_store_.put(localKey(c), codec::encode(sm)));
  if (was_local && existing->second.cid != c) {
    if (auto r = local_store_.remove(localKey(existing->second.cid)); !r) {
      logger().warn("forgetting replaced local message {}: {}", existing->second.cid.toString(), r.error().message());
    }
  }

  if (existing != set.messages.end()) {
    set.required_funds -= gasFunds(existing->second.message.message);
    set.values -= existing->second.message.message.value;
    existing->second = SenderSet::Entry{sm, c, local || was_local};
  } else {
    set.messages.emplace(m.nonce, SenderSet::Entry{sm, c, local});
    ++size_;
  }
  set.required_funds += gasFunds(m);
  set.values += m.value;
  if (m.nonce == set.next_nonce) set.advanceOverGap();
  if (local) local_senders_.insert(from);
  if (metrics_) {
    metrics_->added.Increment();
    metrics_->pending.Set(static_cast<double>(size_));
  }
  if (size_ > config_.size_limit_high) pruneLocked();
  return {};
}

Result<cid::Cid> MessagePool::push(const SignedMessage& message) {
  auto checked = check(message);
  std::lock_guard lock(mutex_);
  if (checked) checked = addLocked(message, true);
  if (!checked) {
    if (metrics_) metrics_->rejected.Increment();
    return fail(std::move(checked).error());
  }
  return message.cid();
}

Status MessagePool::add(const SignedMessage& message) {
  auto checked = check(message);
  std::lock_guard lock(mutex_);
  if (checked) checked = addLocked(message, false);
  if (!checked && metrics_) metrics_->rejected.Increment();
  return checked;
}

Status MessagePool::load() {
  std::vector<std::pair<std::string, SignedMessage>> kept;
  std::vector<std::string> broken;
  FIL_TRY(store::forEach(local_store_, store::Query{kLocalPrefix}, [&](std::string_view key, BytesView value) -> Result<bool> {
    auto m = codec::decode<SignedMessage>(value);
    if (m) {
      kept.emplace_back(std::string(key), std::move(*m));
    } else {
      logger().error("local message {} cannot be decoded ({}); dropping it", key, m.error().message());
      broken.emplace_back(key);
    }
    return true;
  }));
  std::sort(kept.begin(), kept.end(),
            [](const auto& a, const auto& b) { return a.second.message.nonce < b.second.message.nonce; });
  size_t restored = 0;
  std::lock_guard lock(mutex_);
  for (auto& [key, m] : kept) {
    auto r = addLocked(m, true);
    if (r) {
      ++restored;
      continue;
    }
    // Included while we were down, or no longer valid: forget it.
    logger().info("local message {} from {} nonce {} not restored: {}", m.cid().toString(),
                  m.message.from.toString(), m.message.nonce, r.error().message());
    broken.push_back(key);
  }
  for (const auto& key : broken) {
    if (auto r = local_store_.remove(store::Key(key)); !r) return r;
  }
  logger().info("restored {} local messages", restored);
  return {};
}

Result<uint64_t> MessagePool::nextNonce(const Address& address) const {
  auto state = chain_.senderState(address);
  if (!state) {
    return fail(MpoolError::kUnknownSender, fmt::format("sender {}: {}", address.toString(), state.error().message()));
  }
  std::lock_guard lock(mutex_);
  auto it = senders_.find(senderKey(address));
  if (it == senders_.end()) return state->nonce;
  return std::max(state->nonce, it->second->next_nonce);
}

std::vector<SignedMessage> MessagePool::pending() const {
  std::lock_guard lock(mutex_);
  std::vector<SignedMessage> out;
  out.reserve(size_);
  std::vector<const Address*> order;
  for (const auto& [from, set] : senders_) order.push_back(&from);
  std::sort(order.begin(), order.end(), [](const Address* a, const Address* b) { return *a < *b; });
  for (const Address* from : order) {
    for (const auto& [nonce, e] : senders_.at(*from)->messages) out.push_back(e.message);
  }
  return out;
}

std::vector<SignedMessage> MessagePool::pendingFor(const Address& address) const {
  const Address from = senderKey(address);
  std::lock_guard lock(mutex_);
  std::vector<SignedMessage> out;
  auto it = senders_.find(from);
  if (it == senders_.end()) return out;
  for (const auto& [nonce, e] : it->second->messages) out.push_back(e.message);
  return out;
}

size_t MessagePool::size() const {
  std::lock_guard lock(mutex_);
  return size_;
}

SenderAfterPending MessagePool::pendingTotals(const Address& address) const {
  const Address from = senderKey(address);
  std::lock_guard lock(mutex_);
  auto it = senders_.find(from);
  if (it == senders_.end()) return {};
  return {it->second->messages.size(), it->second->required_funds + it->second->values};
}

void MessagePool::removeLocked(const Address& from, uint64_t nonce, bool applied) {
  auto it = senders_.find(from);
  if (it == senders_.end()) return;
  SenderSet& set = *it->second;
  auto m = set.messages.find(nonce);
  if (m == set.messages.end()) {
    if (applied && nonce >= set.next_nonce) {
      set.next_nonce = nonce + 1;
      set.advanceOverGap();
    }
    return;
  }
  if (m->second.local) {
    if (auto r = local_store_.remove(localKey(m->second.cid)); !r) {
      logger().warn("forgetting local message {}: {}", m->second.cid.toString(), r.error().message());
    }
  }
  set.required_funds -= gasFunds(m->second.message.message);
  set.values -= m->second.message.message.value;
  set.messages.erase(m);
  --size_;
  if (metrics_) metrics_->removed.Increment();
  if (applied) {
    if (nonce >= set.next_nonce) set.next_nonce = nonce + 1;
  } else if (nonce < set.next_nonce) {
    set.next_nonce = nonce;
  }
  if (set.messages.empty()) senders_.erase(it);
}

void MessagePool::headChanged(const std::vector<SignedMessage>& reverted, const std::vector<Message>& applied) {
  std::lock_guard lock(mutex_);
  std::unordered_set<cid::Cid> applied_cids;
  for (const Message& m : applied) applied_cids.insert(m.cid());
  for (const Message& m : applied) removeLocked(senderKey(m.from), m.nonce, true);
  for (const SignedMessage& sm : reverted) {
    if (applied_cids.contains(sm.message.cid())) continue;
    // Back from a dropped block: it was valid there, so only the state checks apply.
    if (auto r = addLocked(sm, false); !r && !r.error().is(MpoolError::kExistingNonce)) {
      logger().debug("reverted message {} not re-added: {}", sm.cid().toString(), r.error().message());
    }
  }
  // Drop what the new state has passed, and recompute where each run starts.
  std::vector<Address> senders;
  for (const auto& [from, set] : senders_) senders.push_back(from);
  for (const Address& from : senders) {
    auto state = chain_.senderState(from);
    if (!state) continue;
    while (true) {
      auto it = senders_.find(from);
      if (it == senders_.end() || it->second->messages.empty()) break;
      auto first = it->second->messages.begin();
      if (first->first >= state->nonce) {
        it->second->next_nonce = state->nonce;
        it->second->advanceOverGap();
        break;
      }
      removeLocked(from, first->first, true);
    }
  }
  if (metrics_) metrics_->pending.Set(static_cast<double>(size_));
}

void MessagePool::pruneLocked() {
  // Drop the least paying non-local messages, highest nonces first so no
  // sender is left with a gap, until the pool is at its low mark.
  struct Candidate {
    TokenAmount premium;
    Address from;
    uint64_t nonce;
  };
  std::vector<Candidate> candidates;
  for (const auto& [from, set] : senders_) {
    if (local_senders_.contains(from)) continue;
    for (const auto& [nonce, e] : set->messages) {
      if (!e.local) candidates.push_back({e.message.message.gas_premium, from, nonce});
    }
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.premium != b.premium) return a.premium < b.premium;
    if (a.from != b.from) return a.from < b.from;
    return a.nonce > b.nonce;
  });
  size_t dropped = 0;
  for (const auto& c : candidates) {
    if (size_ <= config_.size_limit_low) break;
    // Everything above this nonce from the same sender goes too.
    auto it = senders_.find(c.from);
    if (it == senders_.end()) continue;
    std::vector<uint64_t> above;
    for (auto m = it->second->messages.lower_bound(c.nonce); m != it->second->messages.end(); ++m) {
      above.push_back(m->first);
    }
    for (auto n = above.rbegin(); n != above.rend(); ++n) removeLocked(c.from, *n, false);
    dropped += above.size();
  }
  logger().info("pruned {} messages; {} pending", dropped, size_);
}

std::vector<SignedMessage> MessagePool::select(const TokenAmount& base_fee, int64_t gas_limit,
                                               size_t max_messages) const {
  std::vector<SenderRun> runs;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [from, set] : senders_) {
      auto state = chain_.senderState(from);
      if (!state) continue;
      SenderRun run;
      TokenAmount balance = state->balance;
      for (auto it = set->messages.find(state->nonce); it != set->messages.end(); ++it) {
        if (it->first != state->nonce + run.messages.size()) break;  // a gap ends the run
        const Message& m = it->second.message.message;
        const TokenAmount cost = gasFunds(m) + m.value;
        if (balance < cost) break;
        balance -= cost;
        run.messages.push_back(it->second.message);
      }
      if (!run.messages.empty()) runs.push_back(std::move(run));
    }
  }
  return selectMessages(std::move(runs), base_fee, gas_limit, max_messages);
}

}  // namespace fil::node
