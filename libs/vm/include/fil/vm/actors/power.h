// Storage power actor (f04): creates miners, keeps each miner's power claim
// and the network totals, and runs miners' deferred cron events.
#pragma once

#include <optional>
#include <vector>

#include "fil/cid/cid.h"
#include "fil/codec/cbor.h"
#include "fil/store/blockstore.h"
#include "fil/vm/actors/common.h"

namespace fil::vm::power {

inline constexpr MethodNum kConstructor = 1;
inline constexpr MethodNum kCreateMiner = 2;
inline constexpr MethodNum kUpdateClaimedPower = 3;
inline constexpr MethodNum kEnrollCronEvent = 4;
inline constexpr MethodNum kCronTick = 5;  // OnEpochTickEnd
inline constexpr MethodNum kUpdatePledgeTotal = 6;
inline constexpr MethodNum kSubmitPoRepForBulkVerify = 8;
inline constexpr MethodNum kCurrentTotalPower = 9;
// FRC-42 exported numbers.
inline constexpr MethodNum kCreateMinerExported = 1173380165;
inline constexpr MethodNum kNetworkRawPowerExported = 931722534;
inline constexpr MethodNum kMinerRawPowerExported = 3753401894;
inline constexpr MethodNum kMinerCountExported = 3998781813;
inline constexpr MethodNum kMinerConsensusCountExported = 4161271469;

inline constexpr int64_t kConsensusMinerMinMiners = 4;
inline constexpr unsigned kCronQueueHamtBitWidth = 6;
inline constexpr unsigned kCronQueueAmtBitWidth = 6;

struct Claim {
  int64_t window_post_proof_type = 0;
  StoragePower raw_byte_power;
  StoragePower quality_adj_power;
  friend bool operator==(const Claim&, const Claim&) = default;
};
FIL_CBOR_TUPLE(Claim, (window_post_proof_type, "WindowPoStProofType"), (raw_byte_power, "RawBytePower"),
               (quality_adj_power, "QualityAdjPower"))

struct CronEvent {
  Address miner_addr;
  Bytes callback_payload;
};
FIL_CBOR_TUPLE(CronEvent, (miner_addr, "MinerAddr"), (callback_payload, "CallbackPayload"))

struct State {
  StoragePower total_raw_byte_power;
  StoragePower total_bytes_committed;
  StoragePower total_quality_adj_power;
  StoragePower total_qa_bytes_committed;
  TokenAmount total_pledge_collateral;
  StoragePower this_epoch_raw_byte_power;
  StoragePower this_epoch_quality_adj_power;
  TokenAmount this_epoch_pledge_collateral;
  FilterEstimate this_epoch_qa_power_smoothed;
  int64_t miner_count = 0;
  int64_t miner_above_min_power_count = 0;
  cid::Cid cron_event_queue;  // HAMT[intKey(epoch)] -> AMT[CronEvent]
  int64_t first_cron_epoch = 0;
  cid::Cid claims;            // HAMT[address] -> Claim
  std::optional<cid::Cid> proof_validation_batch;
};
FIL_CBOR_TUPLE(State, (total_raw_byte_power, "TotalRawBytePower"), (total_bytes_committed, "TotalBytesCommitted"),
               (total_quality_adj_power, "TotalQualityAdjPower"), (total_qa_bytes_committed, "TotalQABytesCommitted"),
               (total_pledge_collateral, "TotalPledgeCollateral"),
               (this_epoch_raw_byte_power, "ThisEpochRawBytePower"),
               (this_epoch_quality_adj_power, "ThisEpochQualityAdjPower"),
               (this_epoch_pledge_collateral, "ThisEpochPledgeCollateral"),
               (this_epoch_qa_power_smoothed, "ThisEpochQAPowerSmoothed"), (miner_count, "MinerCount"),
               (miner_above_min_power_count, "MinerAboveMinPowerCount"), (cron_event_queue, "CronEventQueue"),
               (first_cron_epoch, "FirstCronEpoch"), (claims, "Claims"),
               (proof_validation_batch, "ProofValidationBatch"))

struct CreateMinerParams {
  Address owner;
  Address worker;
  int64_t window_post_proof_type = 0;
  Bytes peer;
  std::vector<Bytes> multiaddrs;
};
FIL_CBOR_TUPLE(CreateMinerParams, (owner, "Owner"), (worker, "Worker"),
               (window_post_proof_type, "WindowPoStProofType"), (peer, "Peer"), (multiaddrs, "Multiaddrs"))

struct CreateMinerReturn {
  Address id_address;
  Address robust_address;
  friend bool operator==(const CreateMinerReturn&, const CreateMinerReturn&) = default;
};
FIL_CBOR_TUPLE(CreateMinerReturn, (id_address, "IDAddress"), (robust_address, "RobustAddress"))

struct UpdateClaimedPowerParams {
  StoragePower raw_byte_delta;
  StoragePower quality_adjusted_delta;
};
FIL_CBOR_TUPLE(UpdateClaimedPowerParams, (raw_byte_delta, "RawByteDelta"),
               (quality_adjusted_delta, "QualityAdjustedDelta"))

struct EnrollCronEventParams {
  int64_t event_epoch = 0;
  Bytes payload;
};
FIL_CBOR_TUPLE(EnrollCronEventParams, (event_epoch, "EventEpoch"), (payload, "Payload"))

struct CurrentTotalPowerReturn {
  StoragePower raw_byte_power;
  StoragePower quality_adj_power;
  TokenAmount pledge_collateral;
  FilterEstimate quality_adj_power_smoothed;
};
FIL_CBOR_TUPLE(CurrentTotalPowerReturn, (raw_byte_power, "RawBytePower"), (quality_adj_power, "QualityAdjPower"),
               (pledge_collateral, "PledgeCollateral"), (quality_adj_power_smoothed, "QualityAdjPowerSmoothed"))

struct MinerRawPowerParams {
  ActorId miner = 0;
};
FIL_CBOR_TUPLE(MinerRawPowerParams, (miner, "Miner"))

struct MinerRawPowerReturn {
  StoragePower raw_byte_power;
  bool meets_consensus_minimum = false;
};
FIL_CBOR_TUPLE(MinerRawPowerReturn, (raw_byte_power, "RawBytePower"),
               (meets_consensus_minimum, "MeetsConsensusMinimum"))

// A fresh state with empty claims and cron queue.
[[nodiscard]] Result<State> makeState(store::Blockstore& store);
// A miner's claim, or nullopt.
[[nodiscard]] Result<std::optional<Claim>> loadClaim(store::Blockstore& store, const State& state, ActorId miner);
// Every claim, by miner ID.
[[nodiscard]] Result<std::vector<std::pair<ActorId, Claim>>> loadClaims(store::Blockstore& store,
                                                                        const State& state);
// The network totals consensus uses (Lotus's StateMinerPower total): the
// committed totals while fewer than kConsensusMinerMinMiners miners meet the
// minimum, the above-minimum totals after.
std::pair<StoragePower, StoragePower> currentTotalPower(const State& state);
// Whether the miner's claim meets the consensus minimum (Lotus's
// MinerNominalPowerMeetsConsensusMinimum).
[[nodiscard]] Result<bool> minerMeetsConsensusMinimum(store::Blockstore& store, const State& state, ActorId miner,
                                                      const StoragePower& consensus_min_power);

}  // namespace fil::vm::power
