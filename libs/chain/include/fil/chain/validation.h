// Block validation (Lotus filcns.ValidateBlock and consensus.CommonBlkChecks)
// as pure functions of their inputs: the block with its messages, its
// parent tipset with messages, the parent's latest beacon entry, what
// executing the parent produced, and facts from chain states read through
// ConsensusStateView.
//
//   BlockValidationInputs in{.params = devnetParams(), .beacon = beacon, .parent = parent,
//                            .parent_beacon = latest, .executed = {state_root, receipts},
//                            .state = view, .now = unixNow()};
//   Status s = validateBlock(block, in);
//   if (!s && s.error().is(BlockError::kFromTheFuture)) ... retry later
//
// A failed rule is a BlockError naming the field; any other error means
// the block could not be checked (a fact the view could not read), not
// that it is invalid.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "fil/base/error.h"
#include "fil/chain/beacon.h"
#include "fil/chain/block.h"
#include "fil/chain/network.h"
#include "fil/chain/tipset.h"
#include "fil/primitives/address.h"
#include "fil/primitives/big_int.h"
#include "fil/proofs/post.h"

namespace fil::chain {

enum class BlockError {
  kMissingField = 1,        // Ticket, ElectionProof, BlockSig or BLSAggregate absent
  kMinerNotIdAddress,       // Miner
  kWrongParents,            // Parents
  kHeightNotAboveParent,    // Height
  kWrongTimestamp,          // Timestamp
  kFromTheFuture,           // Timestamp beyond now + drift: may become valid later
  kWrongParentWeight,       // ParentWeight
  kWrongParentState,        // ParentStateRoot, ParentMessageReceipts
  kWrongBaseFee,            // ParentBaseFee
  kMinerNotEligible,        // Miner: no claim, below minimum power, fee debt, consensus fault
  kNotAWinner,              // ElectionProof.WinCount < 1
  kWrongWinCount,           // ElectionProof.WinCount
  kInvalidElectionProof,    // ElectionProof.VRFProof
  kInvalidTicket,           // Ticket.VRFProof
  kInvalidBeaconEntries,    // BeaconEntries
  kInvalidWinningPoSt,      // WinPoStProof
  kInvalidBlockSignature,   // BlockSig
  kInvalidBlsAggregate,     // BLSAggregate
  kInvalidMessage,          // one message breaks an inclusion rule
  kWrongMessagesRoot,       // Messages
  kTooManyMessages,         // more than kBlockMessageLimit
  kBlockGasLimitExceeded,   // the messages' gas limits sum above the block gas limit
};
std::string_view describe(BlockError e);

// Lotus build.BlockMessageLimit.
inline constexpr size_t kBlockMessageLimit = 10000;

// A miner as its election sees it: in the lookback state, the state of the
// tipset WinningPoStSectorSetLookback epochs before the block (lookbackState()).
struct LookbackMinerFacts {
  bool found = false;                      // a miner actor with this address
  primitives::Address worker;              // its worker's key address
  bool has_claim = false;                  // a power claim exists
  primitives::StoragePower miner_power;    // quality-adjusted
  primitives::StoragePower network_power;  // quality-adjusted total
  bool meets_consensus_minimum = false;
  proofs::RegisteredPoStProof winning_post_proof = proofs::RegisteredPoStProof::kStackedDrgWinning2KiBV1;
  uint64_t active_sectors = 0;
};

// A miner in the parent tipset's parent state (Lotus MinerEligibleToMine's
// base-tipset checks and minerIsValid).
struct ParentMinerFacts {
  bool has_claim = false;
  primitives::StoragePower power;  // quality-adjusted
  bool has_fee_debt = false;
  ChainEpoch consensus_fault_elapsed = -1;
};

// A message sender in the state after executing the parent tipset.
struct SenderFacts {
  bool found = false;
  primitives::Address id;           // nonces are tracked per ID
  primitives::Address key_address;  // what its signatures recover to
  bool can_send = false;            // an account actor
  uint64_t nonce = 0;
};

class ConsensusStateView {
 public:
  virtual ~ConsensusStateView() = default;
  [[nodiscard]] virtual Result<LookbackMinerFacts> lookbackMiner(const primitives::Address& miner) const = 0;
  // The miner's active sectors at `positions` (0-based, in sector number
  // order) in the lookback state, in the order asked.
  [[nodiscard]] virtual Result<std::vector<proofs::PublicSectorInfo>> lookbackSectors(
      const primitives::Address& miner, std::span<const uint64_t> positions) const = 0;
  [[nodiscard]] virtual Result<ParentMinerFacts> parentMiner(const primitives::Address& miner) const = 0;
  [[nodiscard]] virtual Result<primitives::StoragePower> parentNetworkPower() const = 0;
  [[nodiscard]] virtual Result<SenderFacts> sender(const primitives::Address& from) const = 0;
};

// What executing the parent tipset produced.
struct ParentExecution {
  cid::Cid state_root;
  cid::Cid receipts_root;
};

struct BlockValidationInputs {
  const NetworkParams& params;
  const RandomBeacon& beacon;
  const FullTipSet& parent;         // the block's parent tipset with its messages
  const BeaconEntry& parent_beacon; // latestBeaconEntry() of the parent
  const ParentExecution& executed;
  const ConsensusStateView& state;
  uint64_t now = 0;                 // Unix seconds
};

// All rules, cheapest first; the first broken one is returned.
[[nodiscard]] Status validateBlock(const FullBlock& block, const BlockValidationInputs& in);

// The rules one by one (validateBlock runs them all).
[[nodiscard]] Status checkBlockSyntax(const BlockHeader& block);
[[nodiscard]] Status checkTimestamp(const BlockHeader& block, const TipSet& parent, uint64_t now,
                                    const NetworkParams& params);
[[nodiscard]] Status checkBlockSignature(const BlockHeader& block, const primitives::Address& worker);
[[nodiscard]] Status checkTicket(const BlockHeader& block, const TipSet& parent, const BeaconEntry& parent_beacon,
                                 const primitives::Address& worker);
[[nodiscard]] Status checkElection(const BlockHeader& block, const BeaconEntry& parent_beacon,
                                   const LookbackMinerFacts& miner);
[[nodiscard]] Status checkWinningPoSt(const BlockHeader& block, const BeaconEntry& parent_beacon,
                                      const LookbackMinerFacts& miner, const ConsensusStateView& state);
[[nodiscard]] Status checkMessages(const FullBlock& block, const ConsensusStateView& state, const NetworkParams& params);

// Lotus Message.ValidForBlockInclusion: version, addresses, value and gas
// fields, and a gas limit that covers storing the message (min_gas).
[[nodiscard]] Status checkMessageForInclusion(const primitives::Message& message, int64_t min_gas,
                                              const NetworkParams& params);
// The gas a message of `size` bytes (its signed CBOR) costs to include:
// compute 38863 + 475000 plus storage (36 + size) * 1300 (OnChainMessage in
// Lotus's price list from network version 18 on).
int64_t messageInclusionGas(size_t size);

}  // namespace fil::chain

FIL_REGISTER_ERROR(fil::chain::BlockError, "block");
