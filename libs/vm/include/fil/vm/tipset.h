// Applying a tipset's messages to its parent state, as Lotus's
// TipSetExecutor.ApplyBlocks does:
//
//   1. cron runs for every null round between the parent and this epoch;
//   2. each block's messages in order (BLS, then secp256k1), a message
//      already applied from an earlier block skipped (by unsigned CID);
//   3. after each block, the reward actor's AwardBlockReward for its miner
//      with the gas tips and penalties its messages paid;
//   4. cron for this epoch;
//   5. the receipts (one per applied message) in a legacy v0 AMT.
//
//   TipSetExecution exec{.parent_state = root, .parent_epoch = 9, .epoch = 10,
//                        .base_fee = base_fee, .blocks = {{miner, 1, bls, secp}}};
//   FIL_ASSIGN_OR_RETURN(TipSetResult r, applyTipSet(blocks, exec, net, rand));
//   // r.state_root: the next parent state; r.receipts_root: ParentMessageReceipts
//
// Deterministic: the same inputs give the same roots.
#pragma once

#include <functional>
#include <vector>

#include "fil/chain/network.h"
#include "fil/chain/randomness.h"
#include "fil/chain/receipt.h"
#include "fil/primitives/message.h"
#include "fil/store/blockstore.h"
#include "fil/vm/vm.h"

namespace fil::vm {

// One block's part: its miner, win count and messages (the block's
// signatures were checked by block validation; secp256k1 messages are
// checked again here).
struct BlockMessages {
  Address miner;
  int64_t win_count = 1;
  std::vector<primitives::Message> bls_messages;
  std::vector<primitives::SignedMessage> secp_messages;
};

struct TipSetExecution {
  cid::Cid parent_state;
  chain::ChainEpoch parent_epoch = 0;
  chain::ChainEpoch epoch = 0;  // > parent_epoch; the gap is null rounds
  TokenAmount base_fee;         // the parent base fee (consensus computes it)
  std::vector<BlockMessages> blocks;  // in the tipset's block order
};

struct TipSetResult {
  cid::Cid state_root;
  cid::Cid receipts_root;  // legacy AMT v0 of receipts
  std::vector<chain::MessageReceipt> receipts;
  std::vector<cid::Cid> message_cids;  // unsigned CIDs of the applied messages, receipt order
  int64_t gas_used = 0;                // by the receipts' messages
};

// Called after each message (explicit or implicit) is applied; a node uses
// it to index messages by CID and record execution results.
using ExecMonitor = std::function<void(const cid::Cid& message_cid, const primitives::Message& message,
                                       const ApplyRet& result, bool implicit)>;

[[nodiscard]] Result<TipSetResult> applyTipSet(store::Blockstore& store, const TipSetExecution& execution,
                                               const chain::NetworkParams& network,
                                               const chain::RandomnessSource& randomness,
                                               const ProofVerifier* verifier = nullptr,
                                               const ExecMonitor& monitor = {});

// The implicit messages Lotus applies: cron's EpochTick and the block reward.
primitives::Message cronMessage(chain::ChainEpoch epoch);
primitives::Message rewardMessage(chain::ChainEpoch epoch, const Address& miner, const TokenAmount& penalty,
                                  const TokenAmount& gas_reward, int64_t win_count);

// The empty legacy AMT v0 (receipts of a tipset without messages).
[[nodiscard]] Result<cid::Cid> emptyReceiptsRoot(store::Blockstore& store);

// Filecoin's EIP-1559 base fee (Lotus chain/store/basefee.go, after the
// Smoke upgrade): the child of a tipset whose blocks hold `blocks` pays
//   parent + parent * clamp(limits / blocks - target, ±target) / target / 8,
// at least the network's minimum, where `limits` is the gas limit of every
// distinct message of the tipset. A full tipset raises the fee by 12.5 %,
// an empty one lowers it by 12.5 %.
TokenAmount nextBaseFee(const TokenAmount& parent_base_fee, int64_t gas_limit_total, size_t block_count,
                        const chain::NetworkParams& network);
TokenAmount nextBaseFee(const TokenAmount& parent_base_fee, const std::vector<BlockMessages>& blocks,
                        const chain::NetworkParams& network);

}  // namespace fil::vm
