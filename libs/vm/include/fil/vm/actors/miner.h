// Storage miner actor: the miner's identity (owner, worker, peer ID,
// multiaddrs), its sectors from pre-commit through proof to termination,
// the WindowPoSt deadlines and partitions that keep its power, and its
// funds (pre-commit deposits, initial pledge, fee debt).
//
// Layouts are go-state-types builtin/v12/miner's; docs/actors.md lists the
// rules we simplify (proofs verified inline, no vesting, no expiration
// queues, immediate termination).
#pragma once

#include <optional>
#include <vector>

#include "fil/cid/cid.h"
#include "fil/codec/cbor.h"
#include "fil/primitives/bitfield.h"
#include "fil/store/blockstore.h"
#include "fil/vm/actors/common.h"

namespace fil::chain {
struct NetworkParams;
}

namespace fil::vm::miner {

using primitives::BitField;

inline constexpr MethodNum kConstructor = 1;
inline constexpr MethodNum kControlAddresses = 2;
inline constexpr MethodNum kChangeWorkerAddress = 3;
inline constexpr MethodNum kChangePeerId = 4;
inline constexpr MethodNum kSubmitWindowedPoSt = 5;
inline constexpr MethodNum kPreCommitSector = 6;
inline constexpr MethodNum kProveCommitSector = 7;
inline constexpr MethodNum kExtendSectorExpiration = 8;
inline constexpr MethodNum kTerminateSectors = 9;
inline constexpr MethodNum kDeclareFaults = 10;
inline constexpr MethodNum kDeclareFaultsRecovered = 11;
inline constexpr MethodNum kOnDeferredCronEvent = 12;
inline constexpr MethodNum kCheckSectorProven = 13;
inline constexpr MethodNum kApplyRewards = 14;
inline constexpr MethodNum kReportConsensusFault = 15;
inline constexpr MethodNum kWithdrawBalance = 16;
inline constexpr MethodNum kConfirmSectorProofsValid = 17;
inline constexpr MethodNum kChangeMultiaddrs = 18;
inline constexpr MethodNum kConfirmChangeWorkerAddress = 21;
inline constexpr MethodNum kRepayDebt = 22;
inline constexpr MethodNum kChangeOwnerAddress = 23;
inline constexpr MethodNum kPreCommitSectorBatch = 25;
inline constexpr MethodNum kPreCommitSectorBatch2 = 28;
// FRC-42 exported numbers.
inline constexpr MethodNum kChangeWorkerAddressExported = 3302309124;
inline constexpr MethodNum kChangePeerIdExported = 1236548004;
inline constexpr MethodNum kWithdrawBalanceExported = 2280458852;
inline constexpr MethodNum kChangeMultiaddrsExported = 1063480576;
inline constexpr MethodNum kConfirmChangeWorkerAddressExported = 2354970453;
inline constexpr MethodNum kRepayDebtExported = 3665352697;
inline constexpr MethodNum kChangeOwnerAddressExported = 1010589339;
inline constexpr MethodNum kGetPeerIdExported = 2812875329;
inline constexpr MethodNum kGetMultiaddrsExported = 1332909407;
inline constexpr MethodNum kGetOwnerExported = 3275365574;
inline constexpr MethodNum kIsControllingAddressExported = 348244887;
inline constexpr MethodNum kGetSectorSizeExported = 3858292296;
inline constexpr MethodNum kGetAvailableBalanceExported = 4026106874;

// Policy constants (builtin-actors runtime/src/runtime/policy.rs).
inline constexpr size_t kMaxPeerIdLength = 128;
inline constexpr size_t kMaxMultiaddrData = 1024;
inline constexpr size_t kMaxControlAddresses = 10;
inline constexpr size_t kPreCommitSectorBatchMaxSize = 256;
inline constexpr size_t kPoStedPartitionsMax = 3;
inline constexpr uint64_t kDeclarationsMax = 3000;
inline constexpr uint64_t kAddressedSectorsMax = 25000;
inline constexpr uint64_t kMaxSectorNumber = (uint64_t{1} << 63) - 1;
inline constexpr unsigned kPrecommitCleanUpAmtBitWidth = 6;
inline constexpr unsigned kSectorsAmtBitWidth = 5;
inline constexpr unsigned kDeadlinePartitionsAmtBitWidth = 3;
inline constexpr unsigned kDeadlineExpirationAmtBitWidth = 5;
inline constexpr unsigned kDeadlineOptimisticPoStSubmissionsAmtBitWidth = 2;
inline constexpr unsigned kPartitionExpirationAmtBitWidth = 4;
inline constexpr unsigned kPartitionEarlyTerminationArrayAmtBitWidth = 3;

// Cron event types (CronEventPayload.EventType).
inline constexpr int64_t kCronEventWorkerKeyChange = 0;
inline constexpr int64_t kCronEventProvingDeadline = 1;
inline constexpr int64_t kCronEventProcessEarlyTerminations = 2;

struct WorkerKeyChange {
  Address new_worker;
  int64_t effective_at = 0;
  friend bool operator==(const WorkerKeyChange&, const WorkerKeyChange&) = default;
};
FIL_CBOR_TUPLE(WorkerKeyChange, (new_worker, "NewWorker"), (effective_at, "EffectiveAt"))

struct BeneficiaryTerm {
  TokenAmount quota;
  TokenAmount used_quota;
  int64_t expiration = 0;
  friend bool operator==(const BeneficiaryTerm&, const BeneficiaryTerm&) = default;
};
FIL_CBOR_TUPLE(BeneficiaryTerm, (quota, "Quota"), (used_quota, "UsedQuota"), (expiration, "Expiration"))

struct PendingBeneficiaryChange {
  Address new_beneficiary;
  TokenAmount new_quota;
  int64_t new_expiration = 0;
  bool approved_by_beneficiary = false;
  bool approved_by_nominee = false;
  friend bool operator==(const PendingBeneficiaryChange&, const PendingBeneficiaryChange&) = default;
};
FIL_CBOR_TUPLE(PendingBeneficiaryChange, (new_beneficiary, "NewBeneficiary"), (new_quota, "NewQuota"),
               (new_expiration, "NewExpiration"), (approved_by_beneficiary, "ApprovedByBeneficiary"),
               (approved_by_nominee, "ApprovedByNominee"))

struct MinerInfo {
  Address owner;   // ID addresses
  Address worker;
  std::vector<Address> control_addresses;
  std::optional<WorkerKeyChange> pending_worker_key;
  Bytes peer_id;
  std::vector<Bytes> multiaddrs;
  int64_t window_post_proof_type = 0;
  uint64_t sector_size = 0;
  uint64_t window_post_partition_sectors = 0;
  int64_t consensus_fault_elapsed = -1;
  std::optional<Address> pending_owner_address;
  Address beneficiary;
  BeneficiaryTerm beneficiary_term;
  std::optional<PendingBeneficiaryChange> pending_beneficiary_term;
  friend bool operator==(const MinerInfo&, const MinerInfo&) = default;
};
FIL_CBOR_TUPLE(MinerInfo, (owner, "Owner"), (worker, "Worker"), (control_addresses, "ControlAddresses"),
               (pending_worker_key, "PendingWorkerKey"), (peer_id, "PeerId"), (multiaddrs, "Multiaddrs"),
               (window_post_proof_type, "WindowPoStProofType"), (sector_size, "SectorSize"),
               (window_post_partition_sectors, "WindowPoStPartitionSectors"),
               (consensus_fault_elapsed, "ConsensusFaultElapsed"), (pending_owner_address, "PendingOwnerAddress"),
               (beneficiary, "Beneficiary"), (beneficiary_term, "BeneficiaryTerm"),
               (pending_beneficiary_term, "PendingBeneficiaryTerm"))

struct VestingFund {
  int64_t epoch = 0;
  TokenAmount amount;
};
FIL_CBOR_TUPLE(VestingFund, (epoch, "Epoch"), (amount, "Amount"))
struct VestingFunds {
  std::vector<VestingFund> funds;
};
FIL_CBOR_TUPLE(VestingFunds, (funds, "Funds"))

struct SectorPreCommitInfo {
  int64_t seal_proof = 0;  // RegisteredSealProof
  SectorNumber sector_number = 0;
  cid::Cid sealed_cid;  // comm_r
  int64_t seal_rand_epoch = 0;
  std::vector<DealId> deal_ids;
  int64_t expiration = 0;
  std::optional<cid::Cid> unsealed_cid;  // comm_d; null for a sector without deals
  friend bool operator==(const SectorPreCommitInfo&, const SectorPreCommitInfo&) = default;
};
FIL_CBOR_TUPLE(SectorPreCommitInfo, (seal_proof, "SealProof"), (sector_number, "SectorNumber"),
               (sealed_cid, "SealedCID"), (seal_rand_epoch, "SealRandEpoch"), (deal_ids, "DealIDs"),
               (expiration, "Expiration"), (unsealed_cid, "UnsealedCid"))

struct SectorPreCommitOnChainInfo {
  SectorPreCommitInfo info;
  TokenAmount pre_commit_deposit;
  int64_t pre_commit_epoch = 0;
  friend bool operator==(const SectorPreCommitOnChainInfo&, const SectorPreCommitOnChainInfo&) = default;
};
FIL_CBOR_TUPLE(SectorPreCommitOnChainInfo, (info, "Info"), (pre_commit_deposit, "PreCommitDeposit"),
               (pre_commit_epoch, "PreCommitEpoch"))

inline constexpr uint64_t kSectorFlagSimpleQaPower = 1;

struct SectorOnChainInfo {
  SectorNumber sector_number = 0;
  int64_t seal_proof = 0;
  cid::Cid sealed_cid;
  std::vector<DealId> deal_ids;
  int64_t activation = 0;
  int64_t expiration = 0;
  DealWeight deal_weight;
  DealWeight verified_deal_weight;
  TokenAmount initial_pledge;
  TokenAmount expected_day_reward;
  TokenAmount expected_storage_pledge;
  int64_t power_base_epoch = 0;
  TokenAmount replaced_day_reward;
  std::optional<cid::Cid> sector_key_cid;
  uint64_t flags = 0;
  friend bool operator==(const SectorOnChainInfo&, const SectorOnChainInfo&) = default;
};
FIL_CBOR_TUPLE(SectorOnChainInfo, (sector_number, "SectorNumber"), (seal_proof, "SealProof"),
               (sealed_cid, "SealedCID"), (deal_ids, "DealIDs"), (activation, "Activation"),
               (expiration, "Expiration"), (deal_weight, "DealWeight"), (verified_deal_weight, "VerifiedDealWeight"),
               (initial_pledge, "InitialPledge"), (expected_day_reward, "ExpectedDayReward"),
               (expected_storage_pledge, "ExpectedStoragePledge"), (power_base_epoch, "PowerBaseEpoch"),
               (replaced_day_reward, "ReplacedDayReward"), (sector_key_cid, "SectorKeyCID"), (flags, "Flags"))

struct PowerPair {
  StoragePower raw;
  StoragePower qa;
  bool isZero() const { return raw == 0 && qa == 0; }
  PowerPair operator+(const PowerPair& o) const { return {raw + o.raw, qa + o.qa}; }
  PowerPair operator-(const PowerPair& o) const { return {raw - o.raw, qa - o.qa}; }
  PowerPair operator-() const { return {-raw, -qa}; }
  PowerPair& operator+=(const PowerPair& o) { return *this = *this + o; }
  PowerPair& operator-=(const PowerPair& o) { return *this = *this - o; }
  friend bool operator==(const PowerPair&, const PowerPair&) = default;
};
FIL_CBOR_TUPLE(PowerPair, (raw, "Raw"), (qa, "QA"))

struct Partition {
  BitField sectors;
  BitField unproven;
  BitField faults;
  BitField recoveries;
  BitField terminated;
  cid::Cid expirations_epochs;  // AMT[epoch]ExpirationSet, bit width 4 (kept empty: docs/actors.md)
  cid::Cid early_terminated;    // AMT[epoch]BitField, bit width 3
  PowerPair live_power;
  PowerPair unproven_power;
  PowerPair faulty_power;
  PowerPair recovering_power;

  BitField liveSectors() const { return sectors.subtract(terminated); }
  // Live, not faulty, not unproven.
  BitField activeSectors() const { return liveSectors().subtract(faults).subtract(unproven); }
  PowerPair activePower() const { return live_power - faulty_power - unproven_power; }
  friend bool operator==(const Partition&, const Partition&) = default;
};
FIL_CBOR_TUPLE(Partition, (sectors, "Sectors"), (unproven, "Unproven"), (faults, "Faults"),
               (recoveries, "Recoveries"), (terminated, "Terminated"), (expirations_epochs, "ExpirationsEpochs"),
               (early_terminated, "EarlyTerminated"), (live_power, "LivePower"), (unproven_power, "UnprovenPower"),
               (faulty_power, "FaultyPower"), (recovering_power, "RecoveringPower"))

struct Deadline {
  cid::Cid partitions;          // AMT[partition index]Partition, bit width 3
  cid::Cid expirations_epochs;  // AMT[epoch]BitField, bit width 5 (kept empty)
  BitField partitions_posted;
  BitField early_terminations;
  uint64_t live_sectors = 0;
  uint64_t total_sectors = 0;
  PowerPair faulty_power;
  cid::Cid optimistic_post_submissions;           // AMT, bit width 2 (kept empty: proofs are checked at once)
  cid::Cid sectors_snapshot;                      // AMT, bit width 5
  cid::Cid partitions_snapshot;                   // AMT, bit width 3
  cid::Cid optimistic_post_submissions_snapshot;  // AMT, bit width 2
  friend bool operator==(const Deadline&, const Deadline&) = default;
};
FIL_CBOR_TUPLE(Deadline, (partitions, "Partitions"), (expirations_epochs, "ExpirationsEpochs"),
               (partitions_posted, "PartitionsPoSted"), (early_terminations, "EarlyTerminations"),
               (live_sectors, "LiveSectors"), (total_sectors, "TotalSectors"), (faulty_power, "FaultyPower"),
               (optimistic_post_submissions, "OptimisticPoStSubmissions"), (sectors_snapshot, "SectorsSnapshot"),
               (partitions_snapshot, "PartitionsSnapshot"),
               (optimistic_post_submissions_snapshot, "OptimisticPoStSubmissionsSnapshot"))

// One CID per deadline (48 on the networks Lotus knows; our fast test
// profile has fewer).
struct Deadlines {
  std::vector<cid::Cid> due;
};
FIL_CBOR_TUPLE(Deadlines, (due, "Due"))

struct State {
  cid::Cid info;
  TokenAmount pre_commit_deposits;
  TokenAmount locked_funds;
  cid::Cid vesting_funds;
  TokenAmount fee_debt;
  TokenAmount initial_pledge;
  cid::Cid pre_committed_sectors;             // HAMT[uintKey(sector)]SectorPreCommitOnChainInfo
  cid::Cid pre_committed_sectors_clean_up;    // AMT[epoch]BitField, bit width 6
  cid::Cid allocated_sectors;                 // BitField
  cid::Cid sectors;                           // AMT[sector]SectorOnChainInfo, bit width 5
  int64_t proving_period_start = 0;
  uint64_t current_deadline = 0;
  cid::Cid deadlines;
  BitField early_terminations;
  bool deadline_cron_active = false;
};
FIL_CBOR_TUPLE(State, (info, "Info"), (pre_commit_deposits, "PreCommitDeposits"), (locked_funds, "LockedFunds"),
               (vesting_funds, "VestingFunds"), (fee_debt, "FeeDebt"), (initial_pledge, "InitialPledge"),
               (pre_committed_sectors, "PreCommittedSectors"),
               (pre_committed_sectors_clean_up, "PreCommittedSectorsCleanUp"),
               (allocated_sectors, "AllocatedSectors"), (sectors, "Sectors"),
               (proving_period_start, "ProvingPeriodStart"), (current_deadline, "CurrentDeadline"),
               (deadlines, "Deadlines"), (early_terminations, "EarlyTerminations"),
               (deadline_cron_active, "DeadlineCronActive"))

// ---- parameters and returns ----

struct ConstructorParams {
  Address owner;
  Address worker;
  std::vector<Address> control_addresses;
  int64_t window_post_proof_type = 0;
  Bytes peer_id;
  std::vector<Bytes> multiaddrs;
};
FIL_CBOR_TUPLE(ConstructorParams, (owner, "OwnerAddr"), (worker, "WorkerAddr"), (control_addresses, "ControlAddrs"),
               (window_post_proof_type, "WindowPoStProofType"), (peer_id, "PeerId"), (multiaddrs, "Multiaddrs"))

struct GetControlAddressesReturn {
  Address owner;
  Address worker;
  std::vector<Address> control_addresses;
};
FIL_CBOR_TUPLE(GetControlAddressesReturn, (owner, "Owner"), (worker, "Worker"), (control_addresses, "ControlAddrs"))

struct ChangeWorkerAddressParams {
  Address new_worker;
  std::vector<Address> new_control_addresses;
};
FIL_CBOR_TUPLE(ChangeWorkerAddressParams, (new_worker, "NewWorker"), (new_control_addresses, "NewControlAddrs"))

struct ChangePeerIdParams {
  Bytes new_id;
};
FIL_CBOR_TUPLE(ChangePeerIdParams, (new_id, "NewID"))

struct ChangeMultiaddrsParams {
  std::vector<Bytes> new_multiaddrs;
};
FIL_CBOR_TUPLE(ChangeMultiaddrsParams, (new_multiaddrs, "NewMultiaddrs"))

struct GetPeerIdReturn {
  Bytes peer_id;
};
FIL_CBOR_TUPLE(GetPeerIdReturn, (peer_id, "PeerId"))

struct GetMultiaddrsReturn {
  std::vector<Bytes> multiaddrs;
};
FIL_CBOR_TUPLE(GetMultiaddrsReturn, (multiaddrs, "MultiAddrs"))

struct PoStPartition {
  uint64_t index = 0;
  BitField skipped;
};
FIL_CBOR_TUPLE(PoStPartition, (index, "Index"), (skipped, "Skipped"))

struct SubmitWindowedPoStParams {
  uint64_t deadline = 0;
  std::vector<PoStPartition> partitions;
  std::vector<PoStProof> proofs;
  int64_t chain_commit_epoch = 0;
  Bytes chain_commit_rand;
};
FIL_CBOR_TUPLE(SubmitWindowedPoStParams, (deadline, "Deadline"), (partitions, "Partitions"), (proofs, "Proofs"),
               (chain_commit_epoch, "ChainCommitEpoch"), (chain_commit_rand, "ChainCommitRand"))

struct PreCommitSectorParams {
  int64_t seal_proof = 0;
  SectorNumber sector_number = 0;
  cid::Cid sealed_cid;
  int64_t seal_rand_epoch = 0;
  std::vector<DealId> deal_ids;
  int64_t expiration = 0;
  bool replace_capacity = false;
  uint64_t replace_sector_deadline = 0;
  uint64_t replace_sector_partition = 0;
  SectorNumber replace_sector_number = 0;
};
FIL_CBOR_TUPLE(PreCommitSectorParams, (seal_proof, "SealProof"), (sector_number, "SectorNumber"),
               (sealed_cid, "SealedCID"), (seal_rand_epoch, "SealRandEpoch"), (deal_ids, "DealIDs"),
               (expiration, "Expiration"), (replace_capacity, "ReplaceCapacity"),
               (replace_sector_deadline, "ReplaceSectorDeadline"), (replace_sector_partition, "ReplaceSectorPartition"),
               (replace_sector_number, "ReplaceSectorNumber"))

struct PreCommitSectorBatchParams {
  std::vector<PreCommitSectorParams> sectors;
};
FIL_CBOR_TUPLE(PreCommitSectorBatchParams, (sectors, "Sectors"))

struct PreCommitSectorBatchParams2 {
  std::vector<SectorPreCommitInfo> sectors;
};
FIL_CBOR_TUPLE(PreCommitSectorBatchParams2, (sectors, "Sectors"))

struct ProveCommitSectorParams {
  SectorNumber sector_number = 0;
  Bytes proof;
};
FIL_CBOR_TUPLE(ProveCommitSectorParams, (sector_number, "SectorNumber"), (proof, "Proof"))

// Used for terminations, fault and recovery declarations alike.
struct SectorDeclaration {
  uint64_t deadline = 0;
  uint64_t partition = 0;
  BitField sectors;
};
FIL_CBOR_TUPLE(SectorDeclaration, (deadline, "Deadline"), (partition, "Partition"), (sectors, "Sectors"))

struct TerminateSectorsParams {
  std::vector<SectorDeclaration> terminations;
};
FIL_CBOR_TUPLE(TerminateSectorsParams, (terminations, "Terminations"))

struct TerminateSectorsReturn {
  bool done = false;
};
FIL_CBOR_TUPLE(TerminateSectorsReturn, (done, "Done"))

struct DeclareFaultsParams {
  std::vector<SectorDeclaration> faults;
};
FIL_CBOR_TUPLE(DeclareFaultsParams, (faults, "Faults"))

struct DeclareFaultsRecoveredParams {
  std::vector<SectorDeclaration> recoveries;
};
FIL_CBOR_TUPLE(DeclareFaultsRecoveredParams, (recoveries, "Recoveries"))

struct CronEventPayload {
  int64_t event_type = 0;
};
FIL_CBOR_TUPLE(CronEventPayload, (event_type, "EventType"))

struct DeferredCronEventParams {
  Bytes event_payload;
  FilterEstimate reward_smoothed;
  FilterEstimate quality_adj_power_smoothed;
};
FIL_CBOR_TUPLE(DeferredCronEventParams, (event_payload, "EventPayload"), (reward_smoothed, "RewardSmoothed"),
               (quality_adj_power_smoothed, "QualityAdjPowerSmoothed"))

struct ApplyRewardParams {
  TokenAmount reward;
  TokenAmount penalty;
};
FIL_CBOR_TUPLE(ApplyRewardParams, (reward, "Reward"), (penalty, "Penalty"))

struct WithdrawBalanceParams {
  TokenAmount amount_requested;
};
FIL_CBOR_TUPLE(WithdrawBalanceParams, (amount_requested, "AmountRequested"))

struct ConfirmSectorProofsParams {
  std::vector<SectorNumber> sectors;
  FilterEstimate reward_smoothed;
  StoragePower reward_baseline_power;
  FilterEstimate quality_adj_power_smoothed;
};
FIL_CBOR_TUPLE(ConfirmSectorProofsParams, (sectors, "Sectors"), (reward_smoothed, "RewardSmoothed"),
               (reward_baseline_power, "RewardBaselinePower"), (quality_adj_power_smoothed, "QualityAdjPowerSmoothed"))

struct CheckSectorProvenParams {
  SectorNumber sector_number = 0;
};
FIL_CBOR_TUPLE(CheckSectorProvenParams, (sector_number, "SectorNumber"))

// ---- deadlines ----

// builtin-actors DeadlineInfo: where `current_epoch` falls relative to one
// deadline of a proving period (Lotus's StateMinerProvingDeadline).
struct DeadlineInfo {
  int64_t current_epoch = 0;
  int64_t period_start = 0;
  uint64_t index = 0;
  int64_t open = 0;
  int64_t close = 0;
  int64_t challenge = 0;
  int64_t fault_cutoff = 0;

  bool isOpen() const { return current_epoch >= open && current_epoch < close; }
  bool hasElapsed() const { return current_epoch >= close; }
  bool faultCutoffPassed() const { return current_epoch >= fault_cutoff; }
  bool periodStarted() const { return current_epoch >= period_start; }
  int64_t last() const { return close - 1; }
};

DeadlineInfo newDeadlineInfo(const chain::NetworkParams& params, int64_t period_start, uint64_t index,
                             int64_t current_epoch);
// The same deadline in the first period where it has not yet closed.
DeadlineInfo nextNotElapsed(const chain::NetworkParams& params, const DeadlineInfo& info);
// The deadline open at `current_epoch` for this miner (from its proving
// period offset; builtin-actors State::deadline_info).
DeadlineInfo currentDeadlineInfo(const chain::NetworkParams& params, const State& state, int64_t current_epoch);
// The proving period start the miner's offset implies at `current_epoch`.
int64_t currentProvingPeriodStart(const chain::NetworkParams& params, const State& state, int64_t current_epoch);

// ---- state readers ----

[[nodiscard]] Result<MinerInfo> loadInfo(store::Blockstore& store, const State& state);
[[nodiscard]] Result<std::optional<SectorOnChainInfo>> loadSector(store::Blockstore& store, const State& state,
                                                                 SectorNumber sector);
// All sectors, or those in `filter` (Lotus StateMinerSectors).
[[nodiscard]] Result<std::vector<SectorOnChainInfo>> loadSectors(store::Blockstore& store, const State& state,
                                                                 const std::optional<BitField>& filter = {});
[[nodiscard]] Result<std::optional<SectorPreCommitOnChainInfo>> loadPreCommit(store::Blockstore& store,
                                                                             const State& state,
                                                                             SectorNumber sector);
[[nodiscard]] Result<std::vector<SectorPreCommitOnChainInfo>> loadPreCommits(store::Blockstore& store,
                                                                             const State& state);
[[nodiscard]] Result<BitField> loadAllocatedSectors(store::Blockstore& store, const State& state);
[[nodiscard]] Result<std::vector<Deadline>> loadDeadlines(store::Blockstore& store, const State& state);
[[nodiscard]] Result<std::vector<Partition>> loadPartitions(store::Blockstore& store, const Deadline& deadline);

// Genesis: marks every unproven sector proven (Lotus's EraseAllUnproven, so
// pre-sealed sectors have power from the start); returns the power they add.
[[nodiscard]] Result<PowerPair> eraseAllUnproven(store::Blockstore& store, State& state);

// Balance not held for deposits, pledge or debt (may be negative).
TokenAmount availableBalance(const State& state, const TokenAmount& actor_balance);

}  // namespace fil::vm::miner
