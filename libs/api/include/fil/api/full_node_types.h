// The value types of the full node API, shaped as Lotus v1.25's api
// package (api/api_full.go, api/types.go) and the go-state-types structs
// it returns, so that reflection gives Lotus's JSON: the Go field names are
// the JSON keys, in Go's order. Chain, VM and primitive types are reused
// where Lotus's JSON of them is the same; the JSON codecs of the special
// forms are in fil/api/full_node_json.h (include from .cpp files only).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fil/api/types.h"
#include "fil/base/bytes.h"
#include "fil/chain/block.h"
#include "fil/chain/network.h"
#include "fil/chain/randomness.h"
#include "fil/chain/receipt.h"
#include "fil/chain/tipset.h"
#include "fil/cid/cid.h"
#include "fil/codec/reflect.h"
#include "fil/net/peer_id.h"
#include "fil/primitives/address.h"
#include "fil/primitives/big_int.h"
#include "fil/primitives/bitfield.h"
#include "fil/primitives/key_info.h"
#include "fil/primitives/message.h"
#include "fil/primitives/signature.h"
#include "fil/proofs/post.h"
#include "fil/proofs/registered_proof.h"
#include "fil/vm/actor.h"
#include "fil/vm/actors/market.h"
#include "fil/vm/actors/miner.h"

namespace fil::api {

using chain::ChainEpoch;
using primitives::Address;
using primitives::BigInt;
using primitives::TokenAmount;
using DealId = uint64_t;
using SectorNumber = uint64_t;
using NetworkVersion = uint32_t;  // Lotus network.Version

// ---- chain -----------------------------------------------------------------

// A block's messages (api.BlockMessages): Cids lists the BLS messages' CIDs
// then the secp256k1 messages' CIDs, in block order.
struct BlockMessages {
  std::vector<primitives::Message> bls_messages;
  std::vector<primitives::SignedMessage> secpk_messages;
  std::vector<cid::Cid> cids;
  friend bool operator==(const BlockMessages&, const BlockMessages&) = default;
};
FIL_CBOR_MAP(BlockMessages, (bls_messages, "BlsMessages"), (secpk_messages, "SecpkMessages"), (cids, "Cids"))

// A message with its CID (api.Message, what ChainGetParentMessages lists);
// for a secp256k1 message the CID is the signed message's.
struct Message {
  cid::Cid cid;
  primitives::Message message;
  friend bool operator==(const Message&, const Message&) = default;
};
FIL_CBOR_MAP(Message, (cid, "Cid"), (message, "Message"))

// Lotus's head change types (store.HCRevert, HCApply, HCCurrent); JSON
// strings "revert", "apply", "current".
enum class HeadChangeType { kCurrent, kRevert, kApply };
std::string_view headChangeTypeName(HeadChangeType type);

// One entry of ChainNotify: the first batch is the current head
// ([{"current", head}]), later batches the reverts then applies of a head
// change.
struct HeadChange {
  HeadChangeType type = HeadChangeType::kCurrent;
  chain::TipSet val;
  friend bool operator==(const HeadChange&, const HeadChange&) = default;
};
FIL_CBOR_MAP(HeadChange, (type, "Type"), (val, "Val"))

// ---- state -----------------------------------------------------------------

// Where a message was executed (api.MsgLookup). ReturnDec (the return value
// decoded by the receiving actor's method) is kept as given; this node
// leaves it null.
struct MsgLookup {
  cid::Cid message;  // may differ from the one asked for when it was replaced
  chain::MessageReceipt receipt;
  JsonDocument return_dec;
  chain::TipSetKey tipset;  // the tipset that executed it (its child holds the receipt)
  ChainEpoch height = 0;
  friend bool operator==(const MsgLookup&, const MsgLookup&) = default;
};
FIL_CBOR_MAP(MsgLookup, (message, "Message"), (receipt, "Receipt"), (return_dec, "ReturnDec"), (tipset, "TipSet"),
             (height, "Height"))

// How a message's gas was paid for (api.MsgGasCost).
struct MsgGasCost {
  cid::Cid message;
  TokenAmount gas_used;
  TokenAmount base_fee_burn;
  TokenAmount over_estimation_burn;
  TokenAmount miner_penalty;
  TokenAmount miner_tip;
  TokenAmount refund;
  TokenAmount total_cost;
  friend bool operator==(const MsgGasCost&, const MsgGasCost&) = default;
};
FIL_CBOR_MAP(MsgGasCost, (message, "Message"), (gas_used, "GasUsed"), (base_fee_burn, "BaseFeeBurn"),
             (over_estimation_burn, "OverEstimationBurn"), (miner_penalty, "MinerPenalty"), (miner_tip, "MinerTip"),
             (refund, "Refund"), (total_cost, "TotalCost"))

// StateCall's answer (api.InvocResult). ExecutionTrace is kept as given;
// this node leaves it null.
struct InvocResult {
  cid::Cid msg_cid;
  std::optional<primitives::Message> msg;
  std::optional<chain::MessageReceipt> msg_rct;
  MsgGasCost gas_cost;
  JsonDocument execution_trace;
  std::string error;  // empty when the message succeeded
  std::chrono::nanoseconds duration{0};
  friend bool operator==(const InvocResult&, const InvocResult&) = default;
};
FIL_CBOR_MAP(InvocResult, (msg_cid, "MsgCid"), (msg, "Msg"), (msg_rct, "MsgRct"), (gas_cost, "GasCost"),
             (execution_trace, "ExecutionTrace"), (error, "Error"), (duration, "Duration"))

// A miner as StateMinerInfo presents it (api.MinerInfo): the state's
// MinerInfo with the pending worker key flattened into NewWorker (undefined
// address when none) and WorkerChangeEpoch (-1 when none), and the peer ID
// parsed (null when the state holds none or bytes that are not a peer ID).
struct MinerInfo {
  Address owner;
  Address worker;
  Address new_worker;
  std::vector<Address> control_addresses;
  ChainEpoch worker_change_epoch = -1;
  std::optional<net::PeerId> peer_id;
  std::vector<Bytes> multiaddrs;  // binary multiaddrs, base64 in JSON
  proofs::RegisteredPoStProof window_post_proof_type{};
  uint64_t sector_size = 0;
  uint64_t window_post_partition_sectors = 0;
  ChainEpoch consensus_fault_elapsed = -1;
  std::optional<Address> pending_owner_address;
  Address beneficiary;
  std::optional<vm::miner::BeneficiaryTerm> beneficiary_term;
  std::optional<vm::miner::PendingBeneficiaryChange> pending_beneficiary_term;
  friend bool operator==(const MinerInfo&, const MinerInfo&) = default;
};
FIL_CBOR_MAP(MinerInfo, (owner, "Owner"), (worker, "Worker"), (new_worker, "NewWorker"),
             (control_addresses, "ControlAddresses"), (worker_change_epoch, "WorkerChangeEpoch"), (peer_id, "PeerId"),
             (multiaddrs, "Multiaddrs"), (window_post_proof_type, "WindowPoStProofType"), (sector_size, "SectorSize"),
             (window_post_partition_sectors, "WindowPoStPartitionSectors"),
             (consensus_fault_elapsed, "ConsensusFaultElapsed"), (pending_owner_address, "PendingOwnerAddress"),
             (beneficiary, "Beneficiary"), (beneficiary_term, "BeneficiaryTerm"),
             (pending_beneficiary_term, "PendingBeneficiaryTerm"))

// The API form of the miner state's MinerInfo, as Lotus's StateMinerInfo
// builds it.
MinerInfo minerInfoFromState(const vm::miner::MinerInfo& info);

// Lotus's power.Claim.
struct PowerClaim {
  BigInt raw_byte_power;
  BigInt quality_adj_power;
  friend bool operator==(const PowerClaim&, const PowerClaim&) = default;
};
FIL_CBOR_MAP(PowerClaim, (raw_byte_power, "RawBytePower"), (quality_adj_power, "QualityAdjPower"))

struct MinerPower {
  PowerClaim miner_power;
  PowerClaim total_power;
  bool has_min_power = false;
  friend bool operator==(const MinerPower&, const MinerPower&) = default;
};
FIL_CBOR_MAP(MinerPower, (miner_power, "MinerPower"), (total_power, "TotalPower"), (has_min_power, "HasMinPower"))

// A proven sector as Lotus v1.25's API returns it (go-state-types
// builtin/v9/miner SectorOnChainInfo, the shape Lotus converts every actors
// version to): ReplacedSectorAge and SimpleQAPower instead of v12's
// PowerBaseEpoch and Flags.
struct SectorOnChainInfo {
  SectorNumber sector_number = 0;
  proofs::RegisteredSealProof seal_proof{};
  cid::Cid sealed_cid;
  std::vector<DealId> deal_ids;
  ChainEpoch activation = 0;
  ChainEpoch expiration = 0;
  BigInt deal_weight;
  BigInt verified_deal_weight;
  TokenAmount initial_pledge;
  TokenAmount expected_day_reward;
  TokenAmount expected_storage_pledge;
  ChainEpoch replaced_sector_age = 0;
  TokenAmount replaced_day_reward;
  std::optional<cid::Cid> sector_key_cid;
  bool simple_qa_power = false;
  friend bool operator==(const SectorOnChainInfo&, const SectorOnChainInfo&) = default;
};
FIL_CBOR_MAP(SectorOnChainInfo, (sector_number, "SectorNumber"), (seal_proof, "SealProof"), (sealed_cid, "SealedCID"),
             (deal_ids, "DealIDs"), (activation, "Activation"), (expiration, "Expiration"),
             (deal_weight, "DealWeight"), (verified_deal_weight, "VerifiedDealWeight"),
             (initial_pledge, "InitialPledge"), (expected_day_reward, "ExpectedDayReward"),
             (expected_storage_pledge, "ExpectedStoragePledge"), (replaced_sector_age, "ReplacedSectorAge"),
             (replaced_day_reward, "ReplacedDayReward"), (sector_key_cid, "SectorKeyCID"),
             (simple_qa_power, "SimpleQAPower"))

SectorOnChainInfo sectorInfoFromState(const vm::miner::SectorOnChainInfo& info);

// A WindowPoSt deadline relative to an epoch (go-state-types dline.Info).
struct DeadlineInfo {
  ChainEpoch current_epoch = 0;  // the epoch this was computed at
  ChainEpoch period_start = 0;   // first epoch of the proving period (<= current_epoch)
  uint64_t index = 0;            // the deadline, in [0, wpost_period_deadlines)
  ChainEpoch open = 0;           // first epoch a proof may be submitted
  ChainEpoch close = 0;          // first epoch it may no longer be
  ChainEpoch challenge = 0;      // the epoch whose randomness challenges it (< open)
  ChainEpoch fault_cutoff = 0;   // first epoch a fault declaration is refused (< open)
  uint64_t wpost_period_deadlines = 0;
  ChainEpoch wpost_proving_period = 0;
  ChainEpoch wpost_challenge_window = 0;
  ChainEpoch wpost_challenge_lookback = 0;
  ChainEpoch fault_declaration_cutoff = 0;
  friend bool operator==(const DeadlineInfo&, const DeadlineInfo&) = default;
};
FIL_CBOR_MAP(DeadlineInfo, (current_epoch, "CurrentEpoch"), (period_start, "PeriodStart"), (index, "Index"),
             (open, "Open"), (close, "Close"), (challenge, "Challenge"), (fault_cutoff, "FaultCutoff"),
             (wpost_period_deadlines, "WPoStPeriodDeadlines"), (wpost_proving_period, "WPoStProvingPeriod"),
             (wpost_challenge_window, "WPoStChallengeWindow"), (wpost_challenge_lookback, "WPoStChallengeLookback"),
             (fault_declaration_cutoff, "FaultDeclarationCutoff"))

// api.Deadline: the partitions with a PoSt submitted this proving period.
struct Deadline {
  primitives::BitField post_submissions;
  uint64_t disputable_proof_count = 0;
  friend bool operator==(const Deadline&, const Deadline&) = default;
};
FIL_CBOR_MAP(Deadline, (post_submissions, "PostSubmissions"), (disputable_proof_count, "DisputableProofCount"))

// api.Partition: sector sets of one partition.
struct Partition {
  primitives::BitField all_sectors;
  primitives::BitField faulty_sectors;
  primitives::BitField recovering_sectors;
  primitives::BitField live_sectors;
  primitives::BitField active_sectors;
  friend bool operator==(const Partition&, const Partition&) = default;
};
FIL_CBOR_MAP(Partition, (all_sectors, "AllSectors"), (faulty_sectors, "FaultySectors"),
             (recovering_sectors, "RecoveringSectors"), (live_sectors, "LiveSectors"),
             (active_sectors, "ActiveSectors"))

// ---- market ----------------------------------------------------------------

struct MarketBalance {
  TokenAmount escrow;
  TokenAmount locked;
  friend bool operator==(const MarketBalance&, const MarketBalance&) = default;
};
FIL_CBOR_MAP(MarketBalance, (escrow, "Escrow"), (locked, "Locked"))

struct MarketDeal {
  vm::market::DealProposal proposal;
  vm::market::DealState state;
  friend bool operator==(const MarketDeal&, const MarketDeal&) = default;
};
FIL_CBOR_MAP(MarketDeal, (proposal, "Proposal"), (state, "State"))

// StateMarketDeals: deal ID -> deal (JSON object keyed by decimal IDs).
using MarketDeals = std::map<DealId, MarketDeal>;

struct DealCollateralBounds {
  TokenAmount min;
  TokenAmount max;
  friend bool operator==(const DealCollateralBounds&, const DealCollateralBounds&) = default;
};
FIL_CBOR_MAP(DealCollateralBounds, (min, "Min"), (max, "Max"))

// ---- message pool ----------------------------------------------------------

// A UUID (Lotus MessageSendSpec.MsgUuid), canonical 8-4-4-4-12 hex in JSON;
// all zero means none.
struct Uuid {
  ByteArray<16> bytes{};
  bool isZero() const;
  std::string toString() const;
  [[nodiscard]] static Result<Uuid> parse(std::string_view text);
  friend bool operator==(const Uuid&, const Uuid&) = default;
};

// How MpoolPushMessage and GasEstimateMessageGas may spend on fees.
struct MessageSendSpec {
  TokenAmount max_fee;  // 0: the node's default cap
  Uuid msg_uuid;        // zero: none
  bool maximize_fee_cap = false;
  friend bool operator==(const MessageSendSpec&, const MessageSendSpec&) = default;
};
FIL_CBOR_MAP(MessageSendSpec, (max_fee, "MaxFee"), (msg_uuid, "MsgUuid"), (maximize_fee_cap, "MaximizeFeeCap"))

// ---- sync ------------------------------------------------------------------

// Lotus's SyncStateStage numbers.
enum class SyncStage : int64_t {
  kIdle = 0,
  kHeaders = 1,
  kPersistHeaders = 2,
  kMessages = 3,
  kSyncComplete = 4,
  kSyncErrored = 5,
  kFetchingMessages = 6,
};
// Lotus's SyncStateStage.String(): "idle", "header sync", ... "complete".
std::string syncStageName(SyncStage stage);

// Start and End are Go times; an unset one (Go's zero time,
// "0001-01-01T00:00:00Z" in JSON) is nullopt.
struct ActiveSync {
  uint64_t worker_id = 0;
  std::optional<chain::TipSet> base;
  std::optional<chain::TipSet> target;
  SyncStage stage = SyncStage::kIdle;
  ChainEpoch height = 0;
  std::optional<Timestamp> start;
  std::optional<Timestamp> end;
  std::string message;
  friend bool operator==(const ActiveSync&, const ActiveSync&) = default;
};
FIL_CBOR_MAP(ActiveSync, (worker_id, "WorkerID"), (base, "Base"), (target, "Target"), (stage, "Stage"),
             (height, "Height"), (start, "Start"), (end, "End"), (message, "Message"))

struct SyncState {
  std::vector<ActiveSync> active_syncs;
  uint64_t vm_applied = 0;
  friend bool operator==(const SyncState&, const SyncState&) = default;
};
FIL_CBOR_MAP(SyncState, (active_syncs, "ActiveSyncs"), (vm_applied, "VMApplied"))

// ---- mining ----------------------------------------------------------------

// builtin.ExtendedSectorInfo: a sector eligible for the winning PoSt.
struct ExtendedSectorInfo {
  proofs::RegisteredSealProof seal_proof{};
  SectorNumber sector_number = 0;
  std::optional<cid::Cid> sector_key;  // set once the sector was snap-updated
  cid::Cid sealed_cid;
  friend bool operator==(const ExtendedSectorInfo&, const ExtendedSectorInfo&) = default;
};
FIL_CBOR_MAP(ExtendedSectorInfo, (seal_proof, "SealProof"), (sector_number, "SectorNumber"),
             (sector_key, "SectorKey"), (sealed_cid, "SealedCID"))

// What a miner needs to try for a block at an epoch (MinerGetBaseInfo).
struct MiningBaseInfo {
  BigInt miner_power;    // quality-adjusted, at the election lookback
  BigInt network_power;
  std::vector<ExtendedSectorInfo> sectors;  // the winning PoSt challenge set
  Address worker_key;                       // the worker's key address (signs the block)
  uint64_t sector_size = 0;
  chain::BeaconEntry prev_beacon_entry;
  std::vector<chain::BeaconEntry> beacon_entries;  // new rounds for the block
  bool eligible_for_mining = false;
  friend bool operator==(const MiningBaseInfo&, const MiningBaseInfo&) = default;
};
FIL_CBOR_MAP(MiningBaseInfo, (miner_power, "MinerPower"), (network_power, "NetworkPower"), (sectors, "Sectors"),
             (worker_key, "WorkerKey"), (sector_size, "SectorSize"), (prev_beacon_entry, "PrevBeaconEntry"),
             (beacon_entries, "BeaconEntries"), (eligible_for_mining, "EligibleForMining"))

// What MinerCreateBlock turns into a signed block.
struct BlockTemplate {
  Address miner;
  chain::TipSetKey parents;
  std::optional<chain::Ticket> ticket;
  std::optional<chain::ElectionProof> eproof;
  std::vector<chain::BeaconEntry> beacon_values;
  std::vector<primitives::SignedMessage> messages;  // BLS ones carry BLS signatures
  ChainEpoch epoch = 0;
  uint64_t timestamp = 0;
  std::vector<proofs::PoStProof> winning_post_proof;
  friend bool operator==(const BlockTemplate&, const BlockTemplate&) = default;
};
FIL_CBOR_MAP(BlockTemplate, (miner, "Miner"), (parents, "Parents"), (ticket, "Ticket"), (eproof, "Eproof"),
             (beacon_values, "BeaconValues"), (messages, "Messages"), (epoch, "Epoch"), (timestamp, "Timestamp"),
             (winning_post_proof, "WinningPoStProof"))

}  // namespace fil::api
