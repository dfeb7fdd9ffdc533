// Gas estimation as Lotus's GasEstimate* methods do it (node/impl/gasutils):
//
//   GasEstimator gas(chain, pool, GasConfig{.default_max_fee = ...});
//   FIL_ASSIGN_OR_RETURN(Message m, gas.estimateMessageGas(msg, spec));
//
// - GasLimit: the gas the message uses on the head's state, with the
//   sender's nonce past its pending messages and its balance less what
//   they may cost, x 1.25 (GasLimitOverestimation), capped at the block gas
//   limit. Lotus executes the pending messages first; that costs O(pending)
//   executions per estimate, so a sender with a deep queue slows down
//   quadratically. We do not, so a message whose gas depends on what a
//   pending message of the same sender changes is estimated on the state
//   before that change (docs/decisions.md).
// - GasPremium: from the premiums of the messages in the last 2 x N tipsets
//   (N = 10 blocks of inclusion): sorted from the highest, the premium at
//   which 52.5% of their blocks' gas target is used (the mean of the two
//   around it); at least 100000 attoFIL (2x for N=1, 1.5x for N=2); then
//   +-0.5% of noise so that senders do not all bid the same.
// - GasFeeCap: the head's parent base fee grown by 12.5% per block for 20
//   blocks (BaseFeeMaxChangeDenom 8), plus the premium.
// - Then the fee is capped: GasFeeCap x GasLimit at most MaxFee (the
//   sender's, or [Fees] DefaultMaxFee), and the premium at most the fee cap.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "fil/base/error.h"
#include "fil/primitives/big_int.h"
#include "fil/primitives/message.h"

namespace fil::node {

class MessagePool;

// Lotus's api.MessageSendSpec.
struct MessageSendSpec {
  primitives::TokenAmount max_fee;  // 0: the node's default
  bool maximize_fee_cap = false;    // fee cap = MaxFee / GasLimit
};

struct GasMeta {
  primitives::TokenAmount premium;
  int64_t limit = 0;
};

struct TipSetGas {
  size_t blocks = 0;
  std::vector<GasMeta> messages;
};

// The sender as its pending messages will leave it: `count` more nonces
// used, up to `max_cost` (value + fee cap x gas limit) spent.
struct SenderAfterPending {
  uint64_t count = 0;
  primitives::TokenAmount max_cost;
};

class GasChain {
 public:
  virtual ~GasChain() = default;
  // The gas `message` uses when applied to the head's state, its signature
  // not checked, the sender's nonce and balance taken as `sender` says. An
  // error when it fails, naming the exit code.
  [[nodiscard]] virtual Result<int64_t> gasUsed(const primitives::Message& message,
                                                const SenderAfterPending& sender) const = 0;
  // The base fee the head's blocks carry (ParentBaseFee).
  virtual primitives::TokenAmount headParentBaseFee() const = 0;
  // The messages of up to `count` tipsets that are parents of the head and
  // of its ancestors, newest first, stopping at genesis.
  [[nodiscard]] virtual Result<std::vector<TipSetGas>> recentGas(size_t count) const = 0;
  virtual int64_t blockGasLimit() const = 0;
  virtual int64_t blockGasTarget() const = 0;
};

struct GasConfig {
  double gas_limit_overestimation = 1.25;
  primitives::TokenAmount default_max_fee = primitives::kFilecoinPrecision * 7 / 100;  // 0.07 FIL
  bool premium_noise = true;  // off for reproducible tests
};

inline constexpr int64_t kMinGasPremium = 100'000;
inline constexpr uint64_t kMaxGasHistory = 128;

// The premium at which 52.5% of `blocks` blocks' gas target is filled by
// `prices` (Lotus medianGasPremium).
primitives::TokenAmount medianGasPremium(std::vector<GasMeta> prices, size_t blocks, int64_t block_gas_target);

// Lotus CapGasFee.
void capGasFee(primitives::Message& message, const primitives::TokenAmount& max_fee, bool maximize_fee_cap);

class GasEstimator {
 public:
  GasEstimator(const GasChain& chain, const MessagePool& pool, GasConfig config = {})
      : chain_(chain), pool_(pool), config_(std::move(config)) {}

  [[nodiscard]] Result<int64_t> estimateGasLimit(const primitives::Message& message) const;
  [[nodiscard]] Result<primitives::TokenAmount> estimateGasPremium(uint64_t blocks_to_inclusion) const;
  primitives::TokenAmount estimateFeeCap(const primitives::Message& message, int64_t max_queue_blocks) const;
  // GasEstimateMessageGas: fills what is zero (limit, premium, fee cap) and caps the fee.
  [[nodiscard]] Result<primitives::Message> estimateMessageGas(primitives::Message message,
                                                               const MessageSendSpec& spec) const;

  const GasConfig& config() const { return config_; }

 private:
  const GasChain& chain_;
  const MessagePool& pool_;
  GasConfig config_;
};

}  // namespace fil::node
