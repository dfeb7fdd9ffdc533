// The message pool: signed messages waiting for a block, as Lotus's
// chain/messagepool keeps them.
//
//   MessagePool pool(chain, datastore, MpoolConfig{});
//   FIL_TRY(pool.load());                           // local messages from before a restart
//   FIL_ASSIGN_OR_RETURN(cid::Cid c, pool.push(signed_message));   // a local message
//   FIL_TRY(pool.add(signed_message));              // one that came from elsewhere
//   pool.headChanged(reverted, applied);            // after the chain moves
//   auto msgs = pool.select(base_fee, block_gas_limit, kBlockMessageLimit);
//
// Rules (Lotus's, messagepool.go): a message must be valid for block
// inclusion (version 0, addresses set, value below the 2 billion FIL supply,
// premium <= fee cap, gas limit between the on-chain minimum and the block
// limit), at most 64 KiB, with a fee cap >= the minimum base fee, signed by
// its sender, with a nonce >= the sender's state nonce, and the sender must
// afford GasFeeCap x GasLimit for it and every other pending message. A
// message with the nonce of a pending one replaces it only with a premium at
// least 1.25x + 1 the old (replace-by-fee). Messages from elsewhere may not
// leave a nonce gap and are limited to 100 per sender; local ones (pushed
// through this node) to 1000 and are kept in the datastore until the chain
// includes them. When the pool holds more than size_limit_high messages it
// drops the least paying non-local ones down to size_limit_low.
//
// Thread-safety: every method may be called from several threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "fil/base/error.h"
#include "fil/node/gas_estimator.h"
#include "fil/cid/cid.h"
#include "fil/primitives/address.h"
#include "fil/primitives/big_int.h"
#include "fil/primitives/message.h"
#include "fil/store/datastore.h"

namespace prometheus {
class Registry;
}

namespace fil::node {

using primitives::Address;
using primitives::Message;
using primitives::SignedMessage;
using primitives::TokenAmount;

enum class MpoolError {
  kMessageTooBig = 1,
  kInvalidMessage,     // not valid for block inclusion
  kValueTooHigh,
  kGasFeeCapTooLow,
  kBadSignature,
  kNonceTooLow,
  kNonceGap,
  kExistingNonce,      // the same message is already pending
  kRbfTooLowPremium,
  kTooManyPending,
  kNotEnoughFunds,
  kUnknownSender,      // no actor at the sender's address
  kInvalidSender,      // the sender is not an account
};
std::string_view describe(MpoolError e);

}  // namespace fil::node

FIL_REGISTER_ERROR(fil::node::MpoolError, "mpool");

namespace fil::node {

// Limits from Lotus (messagepool.go, config.go).
inline constexpr size_t kMaxMessageSize = 64 << 10;
inline constexpr size_t kBlockMessageLimit = 10'000;
inline constexpr uint64_t kMaxNonceGap = 4;  // for local messages in strict mode (Lotus MaxNonceGap)

struct MpoolConfig {
  size_t size_limit_high = 30'000;
  size_t size_limit_low = 20'000;
  size_t max_pending_per_sender = 1000;            // local senders
  size_t max_untrusted_pending_per_sender = 100;   // messages from elsewhere
};

// What the pool reads from the chain at its current head (after executing it).
struct SenderState {
  uint64_t nonce = 0;
  TokenAmount balance;
  bool is_account = true;  // only accounts may send top-level messages
};

class MpoolChain {
 public:
  virtual ~MpoolChain() = default;
  // StoreError/GenericError::kNotFound when no actor is at the address.
  [[nodiscard]] virtual Result<SenderState> senderState(const Address& address) const = 0;
  // The key address (f1) behind an ID address; the address itself when it is one.
  [[nodiscard]] virtual Result<Address> keyAddress(const Address& address) const = 0;
  virtual TokenAmount minimumBaseFee() const = 0;
  virtual int64_t blockGasLimit() const = 0;
  // The gas a message of `size` bytes costs to be on chain (the price list's OnChainMessage).
  virtual int64_t onChainMessageGas(size_t size) const = 0;
};

// The premium above `premium` a replacement needs (Lotus ComputeMinRBF: x 1.25, + 1).
TokenAmount minReplacementPremium(const TokenAmount& premium);

// The premium a miner earns per gas unit: min(premium, fee cap - base fee), never negative.
TokenAmount effectivePremium(const Message& m, const TokenAmount& base_fee);

class MessagePool {
 public:
  // `local_store` keeps the local messages (keys /mpool/local/<cid>); it may
  // be a namespaced view of the node's metadata datastore.
  MessagePool(const MpoolChain& chain, store::Datastore& local_store, MpoolConfig config = {});
  ~MessagePool();
  MessagePool(const MessagePool&) = delete;
  MessagePool& operator=(const MessagePool&) = delete;

  // Re-adds the local messages kept from before a restart; those the chain
  // has included meanwhile are forgotten.
  [[nodiscard]] Status load();

  // A local message (MpoolPush): kept across restarts, nonce gaps allowed.
  [[nodiscard]] Result<cid::Cid> push(const SignedMessage& message);
  // A message from another node: no gaps, tighter per-sender limit.
  [[nodiscard]] Status add(const SignedMessage& message);

  // The next nonce for `address`: past its state nonce and every pending
  // message without a gap.
  [[nodiscard]] Result<uint64_t> nextNonce(const Address& address) const;

  // Everything pending, by sender and nonce.
  std::vector<SignedMessage> pending() const;
  std::vector<SignedMessage> pendingFor(const Address& address) const;
  size_t size() const;
  // What `address`'s pending messages may spend, for gas estimation.
  SenderAfterPending pendingTotals(const Address& address) const;

  // After the head moved: messages of `applied` tipsets leave the pool,
  // those of `reverted` ones come back unless applied again; then messages
  // whose nonce the new state has passed are dropped.
  void headChanged(const std::vector<SignedMessage>& reverted, const std::vector<Message>& applied);

  // Messages for a block under `base_fee`: each sender's from its state
  // nonce without gaps, those that can pay the base fee, chosen by
  // effective premium per gas until `gas_limit` or `max_messages`.
  std::vector<SignedMessage> select(const TokenAmount& base_fee, int64_t gas_limit,
                                    size_t max_messages = kBlockMessageLimit) const;

  // Gauges and counters under fil_mpool_* in `registry`.
  void registerMetrics(prometheus::Registry& registry);

 private:
  struct SenderSet;
  struct Metrics;

  [[nodiscard]] Status check(const SignedMessage& message) const;
  [[nodiscard]] Status addLocked(const SignedMessage& message, bool local);
  void removeLocked(const Address& from, uint64_t nonce, bool applied);
  void pruneLocked();
  Address senderKey(const Address& from) const;

  const MpoolChain& chain_;
  store::Datastore& local_store_;
  MpoolConfig config_;
  mutable std::mutex mutex_;
  std::unordered_map<Address, std::unique_ptr<SenderSet>> senders_;
  std::unordered_set<Address> local_senders_;
  size_t size_ = 0;
  std::unique_ptr<Metrics> metrics_;
};

}  // namespace fil::node
