// Storage market actor (f05): escrow balances, published deals, their
// activation in sectors, payments from client to provider and slashing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fil/cid/cid.h"
#include "fil/codec/cbor.h"
#include "fil/primitives/bitfield.h"
#include "fil/primitives/signature.h"
#include "fil/store/blockstore.h"
#include "fil/vm/actors/common.h"

namespace fil::vm::market {

inline constexpr MethodNum kConstructor = 1;
inline constexpr MethodNum kAddBalance = 2;
inline constexpr MethodNum kWithdrawBalance = 3;
inline constexpr MethodNum kPublishStorageDeals = 4;
inline constexpr MethodNum kVerifyDealsForActivation = 5;
inline constexpr MethodNum kBatchActivateDeals = 6;
inline constexpr MethodNum kOnMinerSectorsTerminate = 7;
inline constexpr MethodNum kCronTick = 9;
// FRC-42 exported numbers.
inline constexpr MethodNum kAddBalanceExported = 822473126;
inline constexpr MethodNum kWithdrawBalanceExported = 2280458852;
inline constexpr MethodNum kPublishStorageDealsExported = 2236929350;
inline constexpr MethodNum kGetBalanceExported = 726108461;

inline constexpr int64_t kEpochUndefined = -1;
inline constexpr size_t kDealMaxLabelSize = 256;
inline constexpr unsigned kProposalsAmtBitWidth = 5;
inline constexpr unsigned kStatesAmtBitWidth = 6;
inline constexpr int kBalanceTableBitWidth = 6;
// Exit codes of the market actor.
inline constexpr ExitCode kErrDealExpired = ExitCode{32};

// A deal label: UTF-8 text (CBOR text) or bytes (CBOR bytes).
struct DealLabel {
  std::string data;
  bool is_string = true;
  friend bool operator==(const DealLabel&, const DealLabel&) = default;
};

struct DealProposal {
  cid::Cid piece_cid;
  uint64_t piece_size = 0;  // padded
  bool verified_deal = false;
  Address client;
  Address provider;
  DealLabel label;
  int64_t start_epoch = 0;
  int64_t end_epoch = 0;
  TokenAmount storage_price_per_epoch;
  TokenAmount provider_collateral;
  TokenAmount client_collateral;

  int64_t duration() const { return end_epoch - start_epoch; }
  TokenAmount totalStorageFee() const { return storage_price_per_epoch * duration(); }
  TokenAmount clientBalanceRequirement() const { return client_collateral + totalStorageFee(); }
  // The CID of the proposal's CBOR (the pending-proposals key).
  cid::Cid cid() const;
  friend bool operator==(const DealProposal&, const DealProposal&) = default;
};
FIL_CBOR_TUPLE(DealProposal, (piece_cid, "PieceCID"), (piece_size, "PieceSize"), (verified_deal, "VerifiedDeal"),
               (client, "Client"), (provider, "Provider"), (label, "Label"), (start_epoch, "StartEpoch"),
               (end_epoch, "EndEpoch"), (storage_price_per_epoch, "StoragePricePerEpoch"),
               (provider_collateral, "ProviderCollateral"), (client_collateral, "ClientCollateral"))

struct ClientDealProposal {
  DealProposal proposal;
  primitives::Signature client_signature;
  friend bool operator==(const ClientDealProposal&, const ClientDealProposal&) = default;
};
FIL_CBOR_TUPLE(ClientDealProposal, (proposal, "Proposal"), (client_signature, "ClientSignature"))

// Signs a proposal as a client does (secp256k1 over the proposal's CBOR).
[[nodiscard]] Result<ClientDealProposal> signProposal(const DealProposal& proposal, BytesView private_key);

struct DealState {
  int64_t sector_start_epoch = kEpochUndefined;
  int64_t last_updated_epoch = kEpochUndefined;
  int64_t slash_epoch = kEpochUndefined;
  uint64_t verified_claim = 0;
  friend bool operator==(const DealState&, const DealState&) = default;
};
FIL_CBOR_TUPLE(DealState, (sector_start_epoch, "SectorStartEpoch"), (last_updated_epoch, "LastUpdatedEpoch"),
               (slash_epoch, "SlashEpoch"), (verified_claim, "VerifiedClaim"))

struct State {
  cid::Cid proposals;          // AMT[DealID]DealProposal, bit width 5
  cid::Cid states;             // AMT[DealID]DealState, bit width 6
  cid::Cid pending_proposals;  // HAMT set of proposal CIDs
  cid::Cid escrow_table;       // HAMT[address]TokenAmount, bit width 6
  cid::Cid locked_table;       // HAMT[address]TokenAmount, bit width 6
  DealId next_id = 0;
  cid::Cid deal_ops_by_epoch;  // HAMT[uintKey(epoch)] -> HAMT set of deal IDs
  int64_t last_cron = kEpochUndefined;
  TokenAmount total_client_locked_collateral;
  TokenAmount total_provider_locked_collateral;
  TokenAmount total_client_storage_fee;
  cid::Cid pending_deal_allocation_ids;  // HAMT[DealID]AllocationID (no verified deals here: empty)
};
FIL_CBOR_TUPLE(State, (proposals, "Proposals"), (states, "States"), (pending_proposals, "PendingProposals"),
               (escrow_table, "EscrowTable"), (locked_table, "LockedTable"), (next_id, "NextID"),
               (deal_ops_by_epoch, "DealOpsByEpoch"), (last_cron, "LastCron"),
               (total_client_locked_collateral, "TotalClientLockedCollateral"),
               (total_provider_locked_collateral, "TotalProviderLockedCollateral"),
               (total_client_storage_fee, "TotalClientStorageFee"),
               (pending_deal_allocation_ids, "PendingDealAllocationIds"))

struct WithdrawBalanceParams {
  Address provider_or_client;
  TokenAmount amount;
};
FIL_CBOR_TUPLE(WithdrawBalanceParams, (provider_or_client, "ProviderOrClientAddress"), (amount, "Amount"))

struct PublishStorageDealsParams {
  std::vector<ClientDealProposal> deals;
};
FIL_CBOR_TUPLE(PublishStorageDealsParams, (deals, "Deals"))

struct PublishStorageDealsReturn {
  std::vector<DealId> ids;
  primitives::BitField valid_deals;
};
FIL_CBOR_TUPLE(PublishStorageDealsReturn, (ids, "IDs"), (valid_deals, "ValidDeals"))

// builtin-actors v12 (three fields; v13 adds the sector number first).
struct SectorDeals {
  int64_t sector_type = 0;  // RegisteredSealProof
  int64_t sector_expiry = 0;
  std::vector<DealId> deal_ids;
};
FIL_CBOR_TUPLE(SectorDeals, (sector_type, "SectorType"), (sector_expiry, "SectorExpiry"), (deal_ids, "DealIDs"))

struct VerifyDealsForActivationParams {
  std::vector<SectorDeals> sectors;
};
FIL_CBOR_TUPLE(VerifyDealsForActivationParams, (sectors, "Sectors"))

struct VerifyDealsForActivationReturn {
  std::vector<std::optional<cid::Cid>> unsealed_cids;
};
FIL_CBOR_TUPLE(VerifyDealsForActivationReturn, (unsealed_cids, "UnsealedCIDs"))

struct BatchActivateDealsParams {
  std::vector<SectorDeals> sectors;
  bool compute_cid = false;
};
FIL_CBOR_TUPLE(BatchActivateDealsParams, (sectors, "Sectors"), (compute_cid, "ComputeCid"))

struct VerifiedDealInfo {
  ActorId client = 0;
  uint64_t allocation_id = 0;
  cid::Cid data;
  uint64_t size = 0;
};
FIL_CBOR_TUPLE(VerifiedDealInfo, (client, "Client"), (allocation_id, "AllocationId"), (data, "Data"), (size, "Size"))

struct SectorDealActivation {
  BigInt nonverified_deal_space;
  std::vector<VerifiedDealInfo> verified_infos;
  std::optional<cid::Cid> unsealed_cid;
};
FIL_CBOR_TUPLE(SectorDealActivation, (nonverified_deal_space, "NonVerifiedDealSpace"),
               (verified_infos, "VerifiedInfos"), (unsealed_cid, "UnsealedCid"))

// builtin-actors' BatchReturn: [SuccessCount, FailCodes [[Idx, Code]]].
struct FailCode {
  uint32_t idx = 0;
  uint32_t code = 0;
};
FIL_CBOR_TUPLE(FailCode, (idx, "Idx"), (code, "Code"))
struct BatchReturn {
  uint32_t success_count = 0;
  std::vector<FailCode> fail_codes;
};
FIL_CBOR_TUPLE(BatchReturn, (success_count, "SuccessCount"), (fail_codes, "FailCodes"))

struct BatchActivateDealsResult {
  BatchReturn activation_results;
  std::vector<SectorDealActivation> activations;
};
FIL_CBOR_TUPLE(BatchActivateDealsResult, (activation_results, "ActivationResults"), (activations, "Activations"))

struct OnMinerSectorsTerminateParams {
  int64_t epoch = 0;
  std::vector<DealId> deal_ids;
};
FIL_CBOR_TUPLE(OnMinerSectorsTerminateParams, (epoch, "Epoch"), (deal_ids, "DealIDs"))

struct GetBalanceReturn {
  TokenAmount balance;
  TokenAmount locked;
};
FIL_CBOR_TUPLE(GetBalanceReturn, (balance, "Balance"), (locked, "Locked"))

// The provider collateral a deal proposal may carry (PublishStorageDeals
// refuses others). builtin-actors' minimum is a share of the circulating
// supply; this VM has no circulating-supply model, so its minimum is 0 and
// its maximum the total FIL supply (docs/actors.md).
struct CollateralBounds {
  TokenAmount min;
  TokenAmount max;
};
CollateralBounds providerCollateralBounds();

// ---- state readers ----
[[nodiscard]] Result<State> makeState(store::Blockstore& store);
[[nodiscard]] Result<std::optional<DealProposal>> loadProposal(store::Blockstore& store, const State& state,
                                                              DealId id);
[[nodiscard]] Result<std::optional<DealState>> loadDealState(store::Blockstore& store, const State& state,
                                                            DealId id);
struct Deal {
  DealId id = 0;
  DealProposal proposal;
  DealState state;  // all undefined (-1) until activated
};
// Every deal with a proposal (Lotus StateMarketDeals).
[[nodiscard]] Result<std::vector<Deal>> loadDeals(store::Blockstore& store, const State& state);
// Escrow and locked balance of an ID address.
[[nodiscard]] Result<GetBalanceReturn> loadBalance(store::Blockstore& store, const State& state, ActorId id);

}  // namespace fil::vm::market

template <>
struct fil::codec::CborCodec<fil::vm::market::DealLabel> {
  static void encode(CborEncoder& e, const vm::market::DealLabel& l);
  static Status decode(CborDecoder& d, vm::market::DealLabel& out);
};
