// The full node API (Lotus api/api_full.go v1, and ID from api/api_net.go):
// the methods `lotus`, `lotus-miner` and the markets node call on a full
// node, and their one method table: name, permission (Lotus's //perm:
// tags) and, from the member function, parameters and result. The Common
// API (Version, Auth*, Shutdown, ...) is served beside it (common_api.h).
//
// Lotus's pointer parameters that may be null are std::optional; pointer
// results that Lotus returns as null for "not found" (StateSearchMsg,
// StateSectorGetInfo, StateSectorPreCommitInfo, MinerGetBaseInfo) are
// std::optional too. A TipSetKey parameter that is empty means the head.
#pragma once

#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "fil/api/full_node_types.h"
#include "fil/rpc/channel.h"
#include "fil/rpc/method.h"

namespace fil::api {

using chain::TipSetKey;

class FullNodeApi {
 public:
  virtual ~FullNodeApi() = default;

  // ---- chain ----
  virtual Result<chain::TipSet> chainHead() = 0;
  // First value: [{"current", head}]; then each head change's reverts and
  // applies, in order.
  virtual Result<rpc::Channel<std::vector<HeadChange>>> chainNotify() = 0;
  virtual Result<chain::TipSet> chainGetTipSet(const TipSetKey& key) = 0;
  // The tipset at `height` on the chain of `key` (the head when empty); for
  // a null round, the first non-null tipset below it.
  virtual Result<chain::TipSet> chainGetTipSetByHeight(const ChainEpoch& height, const TipSetKey& key) = 0;
  virtual Result<chain::BlockHeader> chainGetBlock(const cid::Cid& block) = 0;
  virtual Result<BlockMessages> chainGetBlockMessages(const cid::Cid& block) = 0;
  virtual Result<primitives::Message> chainGetMessage(const cid::Cid& message) = 0;
  // The receipts of the messages of the block's parent tipset, in
  // execution order (ChainGetParentMessages order).
  virtual Result<std::vector<chain::MessageReceipt>> chainGetParentReceipts(const cid::Cid& block) = 0;
  virtual Result<std::vector<Message>> chainGetParentMessages(const cid::Cid& block) = 0;
  virtual Result<Bytes> chainReadObj(const cid::Cid& object) = 0;
  virtual Result<bool> chainHasObj(const cid::Cid& object) = 0;
  virtual Result<chain::TipSet> chainGetGenesis() = 0;

  // ---- state ----
  virtual Result<InvocResult> stateCall(const primitives::Message& message, const TipSetKey& key) = 0;
  // Waits until the message is executed and `confidence` tipsets are on
  // top; searches back at most `limit` epochs (-1: no limit).
  virtual Result<MsgLookup> stateWaitMsg(const cid::Cid& message, const uint64_t& confidence, const ChainEpoch& limit,
                                         const bool& allow_replaced) = 0;
  // Null when the message is not found from `from` back `limit` epochs.
  virtual Result<std::optional<MsgLookup>> stateSearchMsg(const TipSetKey& from, const cid::Cid& message,
                                                          const ChainEpoch& limit, const bool& allow_replaced) = 0;
  virtual Result<vm::Actor> stateGetActor(const Address& actor, const TipSetKey& key) = 0;
  virtual Result<Address> stateLookupId(const Address& address, const TipSetKey& key) = 0;
  virtual Result<Address> stateAccountKey(const Address& address, const TipSetKey& key) = 0;
  virtual Result<MinerInfo> stateMinerInfo(const Address& miner, const TipSetKey& key) = 0;
  virtual Result<MinerPower> stateMinerPower(const Address& miner, const TipSetKey& key) = 0;
  virtual Result<std::vector<Address>> stateListMiners(const TipSetKey& key) = 0;
  // The miner's sectors, only those in `filter` when given.
  virtual Result<std::vector<SectorOnChainInfo>> stateMinerSectors(const Address& miner,
                                                                   const std::optional<primitives::BitField>& filter,
                                                                   const TipSetKey& key) = 0;
  virtual Result<std::optional<SectorOnChainInfo>> stateSectorGetInfo(const Address& miner, const SectorNumber& sector,
                                                                      const TipSetKey& key) = 0;
  virtual Result<std::optional<vm::miner::SectorPreCommitOnChainInfo>> stateSectorPreCommitInfo(
      const Address& miner, const SectorNumber& sector, const TipSetKey& key) = 0;
  virtual Result<DeadlineInfo> stateMinerProvingDeadline(const Address& miner, const TipSetKey& key) = 0;
  virtual Result<std::vector<Deadline>> stateMinerDeadlines(const Address& miner, const TipSetKey& key) = 0;
  virtual Result<std::vector<Partition>> stateMinerPartitions(const Address& miner, const uint64_t& deadline,
                                                              const TipSetKey& key) = 0;
  virtual Result<primitives::BitField> stateMinerFaults(const Address& miner, const TipSetKey& key) = 0;
  virtual Result<TokenAmount> stateMinerAvailableBalance(const Address& miner, const TipSetKey& key) = 0;
  virtual Result<MarketBalance> stateMarketBalance(const Address& address, const TipSetKey& key) = 0;
  virtual Result<MarketDeal> stateMarketStorageDeal(const DealId& deal, const TipSetKey& key) = 0;
  virtual Result<MarketDeals> stateMarketDeals(const TipSetKey& key) = 0;
  virtual Result<DealCollateralBounds> stateDealProviderCollateralBounds(const uint64_t& padded_piece_size,
                                                                         const bool& verified,
                                                                         const TipSetKey& key) = 0;
  virtual Result<NetworkVersion> stateNetworkVersion(const TipSetKey& key) = 0;
  virtual Result<std::string> stateNetworkName() = 0;
  virtual Result<Bytes> stateGetRandomnessFromTickets(const chain::DomainSeparationTag& personalization,
                                                      const ChainEpoch& epoch, const Bytes& entropy,
                                                      const TipSetKey& key) = 0;
  virtual Result<Bytes> stateGetRandomnessFromBeacon(const chain::DomainSeparationTag& personalization,
                                                     const ChainEpoch& epoch, const Bytes& entropy,
                                                     const TipSetKey& key) = 0;

  // ---- message pool and gas ----
  virtual Result<cid::Cid> mpoolPush(const primitives::SignedMessage& message) = 0;
  // Assigns the nonce, estimates gas (within `spec`), signs with the wallet
  // and pushes, atomically per sender.
  virtual Result<primitives::SignedMessage> mpoolPushMessage(const primitives::Message& message,
                                                             const std::optional<MessageSendSpec>& spec) = 0;
  virtual Result<std::vector<primitives::SignedMessage>> mpoolPending(const TipSetKey& key) = 0;
  virtual Result<uint64_t> mpoolGetNonce(const Address& address) = 0;
  // The pending messages a block on `key` should carry, best first.
  // `ticket_quality` (Lotus: 1 - the ticket's share of the win space) is
  // accepted and unused: selection does not weigh it (docs/decisions.md).
  virtual Result<std::vector<primitives::SignedMessage>> mpoolSelect(const TipSetKey& key,
                                                                     const double& ticket_quality) = 0;
  virtual Result<primitives::Message> gasEstimateMessageGas(const primitives::Message& message,
                                                            const std::optional<MessageSendSpec>& spec,
                                                            const TipSetKey& key) = 0;
  virtual Result<int64_t> gasEstimateGasLimit(const primitives::Message& message, const TipSetKey& key) = 0;
  virtual Result<TokenAmount> gasEstimateGasPremium(const uint64_t& blocks_included, const Address& sender,
                                                    const int64_t& gas_limit, const TipSetKey& key) = 0;
  virtual Result<TokenAmount> gasEstimateFeeCap(const primitives::Message& message, const int64_t& max_queue_blocks,
                                                const TipSetKey& key) = 0;

  // ---- market funds ----
  // Adds `amount` to `address`'s market escrow, paid from `wallet`.
  virtual Result<cid::Cid> marketAddBalance(const Address& wallet, const Address& address,
                                            const TokenAmount& amount) = 0;
  virtual Result<TokenAmount> marketGetReserved(const Address& address) = 0;
  // Reserves `amount` of `address`'s escrow, topping it up from `wallet`
  // when short; the CID of the top-up message, undefined when none was sent.
  virtual Result<cid::Cid> marketReserveFunds(const Address& wallet, const Address& address,
                                              const TokenAmount& amount) = 0;
  virtual Result<void> marketReleaseFunds(const Address& address, const TokenAmount& amount) = 0;

  // ---- sync and mining ----
  virtual Result<SyncState> syncState() = 0;
  virtual Result<void> syncSubmitBlock(const chain::BlockMsg& block) = 0;
  // Null when the miner has no actor at the tipset.
  virtual Result<std::optional<MiningBaseInfo>> minerGetBaseInfo(const Address& miner, const ChainEpoch& epoch,
                                                                 const TipSetKey& key) = 0;
  virtual Result<chain::BlockMsg> minerCreateBlock(const BlockTemplate& block) = 0;

  // ---- wallet ----
  // `type`: a Lotus key type name, "secp256k1" or "bls".
  virtual Result<Address> walletNew(const std::string& type) = 0;
  virtual Result<bool> walletHas(const Address& address) = 0;
  virtual Result<std::vector<Address>> walletList() = 0;
  virtual Result<TokenAmount> walletBalance(const Address& address) = 0;
  virtual Result<primitives::Signature> walletSign(const Address& signer, const Bytes& data) = 0;
  virtual Result<primitives::SignedMessage> walletSignMessage(const Address& signer,
                                                              const primitives::Message& message) = 0;
  virtual Result<bool> walletVerify(const Address& signer, const Bytes& data,
                                    const primitives::Signature& signature) = 0;
  virtual Result<Address> walletDefaultAddress() = 0;
  virtual Result<void> walletSetDefault(const Address& address) = 0;
  virtual Result<primitives::KeyInfo> walletExport(const Address& address) = 0;
  virtual Result<Address> walletImport(const primitives::KeyInfo& key) = 0;
  virtual Result<void> walletDelete(const Address& address) = 0;
  // This stack's election and ticket VRF (an ECVRF over the worker's
  // secp256k1 key, chain/vrf.h) computed by the wallet that holds the key.
  // Lotus's VRF is a BLS signature and its miner gets it from WalletSign;
  // ours is not a signature, so it has its own method (docs/decisions.md).
  virtual Result<Bytes> walletComputeVrf(const Address& signer, const Bytes& input) = 0;

  // ---- node ----
  // Writes a backup of the node's metadata to `path` (under
  // LOTUS_BACKUP_BASE_PATH).
  virtual Result<void> createBackup(const std::string& path) = 0;
  // The node's libp2p peer ID.
  virtual Result<net::PeerId> id() = 0;
};

using rpc::Perm;

inline constexpr auto kChainHead = rpc::method<&FullNodeApi::chainHead>("ChainHead", Perm::kRead);
inline constexpr auto kChainNotify = rpc::method<&FullNodeApi::chainNotify>("ChainNotify", Perm::kRead);
inline constexpr auto kChainGetTipSet = rpc::method<&FullNodeApi::chainGetTipSet>("ChainGetTipSet", Perm::kRead);
inline constexpr auto kChainGetTipSetByHeight =
    rpc::method<&FullNodeApi::chainGetTipSetByHeight>("ChainGetTipSetByHeight", Perm::kRead);
inline constexpr auto kChainGetBlock = rpc::method<&FullNodeApi::chainGetBlock>("ChainGetBlock", Perm::kRead);
inline constexpr auto kChainGetBlockMessages =
    rpc::method<&FullNodeApi::chainGetBlockMessages>("ChainGetBlockMessages", Perm::kRead);
inline constexpr auto kChainGetMessage = rpc::method<&FullNodeApi::chainGetMessage>("ChainGetMessage", Perm::kRead);
inline constexpr auto kChainGetParentReceipts =
    rpc::method<&FullNodeApi::chainGetParentReceipts>("ChainGetParentReceipts", Perm::kRead);
inline constexpr auto kChainGetParentMessages =
    rpc::method<&FullNodeApi::chainGetParentMessages>("ChainGetParentMessages", Perm::kRead);
inline constexpr auto kChainReadObj = rpc::method<&FullNodeApi::chainReadObj>("ChainReadObj", Perm::kRead);
inline constexpr auto kChainHasObj = rpc::method<&FullNodeApi::chainHasObj>("ChainHasObj", Perm::kRead);
inline constexpr auto kChainGetGenesis = rpc::method<&FullNodeApi::chainGetGenesis>("ChainGetGenesis", Perm::kRead);

inline constexpr auto kStateCall = rpc::method<&FullNodeApi::stateCall>("StateCall", Perm::kRead);
inline constexpr auto kStateWaitMsg = rpc::method<&FullNodeApi::stateWaitMsg>("StateWaitMsg", Perm::kRead);
inline constexpr auto kStateSearchMsg = rpc::method<&FullNodeApi::stateSearchMsg>("StateSearchMsg", Perm::kRead);
inline constexpr auto kStateGetActor = rpc::method<&FullNodeApi::stateGetActor>("StateGetActor", Perm::kRead);
inline constexpr auto kStateLookupId = rpc::method<&FullNodeApi::stateLookupId>("StateLookupID", Perm::kRead);
inline constexpr auto kStateAccountKey = rpc::method<&FullNodeApi::stateAccountKey>("StateAccountKey", Perm::kRead);
inline constexpr auto kStateMinerInfo = rpc::method<&FullNodeApi::stateMinerInfo>("StateMinerInfo", Perm::kRead);
inline constexpr auto kStateMinerPower = rpc::method<&FullNodeApi::stateMinerPower>("StateMinerPower", Perm::kRead);
inline constexpr auto kStateListMiners = rpc::method<&FullNodeApi::stateListMiners>("StateListMiners", Perm::kRead);
inline constexpr auto kStateMinerSectors =
    rpc::method<&FullNodeApi::stateMinerSectors>("StateMinerSectors", Perm::kRead);
inline constexpr auto kStateSectorGetInfo =
    rpc::method<&FullNodeApi::stateSectorGetInfo>("StateSectorGetInfo", Perm::kRead);
inline constexpr auto kStateSectorPreCommitInfo =
    rpc::method<&FullNodeApi::stateSectorPreCommitInfo>("StateSectorPreCommitInfo", Perm::kRead);
inline constexpr auto kStateMinerProvingDeadline =
    rpc::method<&FullNodeApi::stateMinerProvingDeadline>("StateMinerProvingDeadline", Perm::kRead);
inline constexpr auto kStateMinerDeadlines =
    rpc::method<&FullNodeApi::stateMinerDeadlines>("StateMinerDeadlines", Perm::kRead);
inline constexpr auto kStateMinerPartitions =
    rpc::method<&FullNodeApi::stateMinerPartitions>("StateMinerPartitions", Perm::kRead);
inline constexpr auto kStateMinerFaults = rpc::method<&FullNodeApi::stateMinerFaults>("StateMinerFaults", Perm::kRead);
inline constexpr auto kStateMinerAvailableBalance =
    rpc::method<&FullNodeApi::stateMinerAvailableBalance>("StateMinerAvailableBalance", Perm::kRead);
inline constexpr auto kStateMarketBalance =
    rpc::method<&FullNodeApi::stateMarketBalance>("StateMarketBalance", Perm::kRead);
inline constexpr auto kStateMarketStorageDeal =
    rpc::method<&FullNodeApi::stateMarketStorageDeal>("StateMarketStorageDeal", Perm::kRead);
inline constexpr auto kStateMarketDeals = rpc::method<&FullNodeApi::stateMarketDeals>("StateMarketDeals", Perm::kRead);
inline constexpr auto kStateDealProviderCollateralBounds =
    rpc::method<&FullNodeApi::stateDealProviderCollateralBounds>("StateDealProviderCollateralBounds", Perm::kRead);
inline constexpr auto kStateNetworkVersion =
    rpc::method<&FullNodeApi::stateNetworkVersion>("StateNetworkVersion", Perm::kRead);
inline constexpr auto kStateNetworkName = rpc::method<&FullNodeApi::stateNetworkName>("StateNetworkName", Perm::kRead);
inline constexpr auto kStateGetRandomnessFromTickets =
    rpc::method<&FullNodeApi::stateGetRandomnessFromTickets>("StateGetRandomnessFromTickets", Perm::kRead);
inline constexpr auto kStateGetRandomnessFromBeacon =
    rpc::method<&FullNodeApi::stateGetRandomnessFromBeacon>("StateGetRandomnessFromBeacon", Perm::kRead);

inline constexpr auto kMpoolPush = rpc::method<&FullNodeApi::mpoolPush>("MpoolPush", Perm::kWrite);
inline constexpr auto kMpoolPushMessage = rpc::method<&FullNodeApi::mpoolPushMessage>("MpoolPushMessage", Perm::kSign);
inline constexpr auto kMpoolPending = rpc::method<&FullNodeApi::mpoolPending>("MpoolPending", Perm::kRead);
inline constexpr auto kMpoolGetNonce = rpc::method<&FullNodeApi::mpoolGetNonce>("MpoolGetNonce", Perm::kRead);
inline constexpr auto kMpoolSelect = rpc::method<&FullNodeApi::mpoolSelect>("MpoolSelect", Perm::kRead);
inline constexpr auto kGasEstimateMessageGas =
    rpc::method<&FullNodeApi::gasEstimateMessageGas>("GasEstimateMessageGas", Perm::kRead);
inline constexpr auto kGasEstimateGasLimit =
    rpc::method<&FullNodeApi::gasEstimateGasLimit>("GasEstimateGasLimit", Perm::kRead);
inline constexpr auto kGasEstimateGasPremium =
    rpc::method<&FullNodeApi::gasEstimateGasPremium>("GasEstimateGasPremium", Perm::kRead);
inline constexpr auto kGasEstimateFeeCap = rpc::method<&FullNodeApi::gasEstimateFeeCap>("GasEstimateFeeCap", Perm::kRead);

inline constexpr auto kMarketAddBalance = rpc::method<&FullNodeApi::marketAddBalance>("MarketAddBalance", Perm::kSign);
inline constexpr auto kMarketGetReserved =
    rpc::method<&FullNodeApi::marketGetReserved>("MarketGetReserved", Perm::kSign);
inline constexpr auto kMarketReserveFunds =
    rpc::method<&FullNodeApi::marketReserveFunds>("MarketReserveFunds", Perm::kSign);
inline constexpr auto kMarketReleaseFunds =
    rpc::method<&FullNodeApi::marketReleaseFunds>("MarketReleaseFunds", Perm::kSign);

inline constexpr auto kSyncState = rpc::method<&FullNodeApi::syncState>("SyncState", Perm::kRead);
inline constexpr auto kSyncSubmitBlock = rpc::method<&FullNodeApi::syncSubmitBlock>("SyncSubmitBlock", Perm::kWrite);
inline constexpr auto kMinerGetBaseInfo = rpc::method<&FullNodeApi::minerGetBaseInfo>("MinerGetBaseInfo", Perm::kRead);
inline constexpr auto kMinerCreateBlock = rpc::method<&FullNodeApi::minerCreateBlock>("MinerCreateBlock", Perm::kWrite);

inline constexpr auto kWalletNew = rpc::method<&FullNodeApi::walletNew>("WalletNew", Perm::kWrite);
inline constexpr auto kWalletHas = rpc::method<&FullNodeApi::walletHas>("WalletHas", Perm::kWrite);
inline constexpr auto kWalletList = rpc::method<&FullNodeApi::walletList>("WalletList", Perm::kWrite);
inline constexpr auto kWalletBalance = rpc::method<&FullNodeApi::walletBalance>("WalletBalance", Perm::kRead);
inline constexpr auto kWalletSign = rpc::method<&FullNodeApi::walletSign>("WalletSign", Perm::kSign);
inline constexpr auto kWalletSignMessage =
    rpc::method<&FullNodeApi::walletSignMessage>("WalletSignMessage", Perm::kSign);
inline constexpr auto kWalletVerify = rpc::method<&FullNodeApi::walletVerify>("WalletVerify", Perm::kRead);
inline constexpr auto kWalletDefaultAddress =
    rpc::method<&FullNodeApi::walletDefaultAddress>("WalletDefaultAddress", Perm::kWrite);
inline constexpr auto kWalletSetDefault = rpc::method<&FullNodeApi::walletSetDefault>("WalletSetDefault", Perm::kWrite);
inline constexpr auto kWalletExport = rpc::method<&FullNodeApi::walletExport>("WalletExport", Perm::kAdmin);
inline constexpr auto kWalletImport = rpc::method<&FullNodeApi::walletImport>("WalletImport", Perm::kAdmin);
inline constexpr auto kWalletDelete = rpc::method<&FullNodeApi::walletDelete>("WalletDelete", Perm::kAdmin);

inline constexpr auto kWalletComputeVrf =
    rpc::method<&FullNodeApi::walletComputeVrf>("WalletComputeVRF", Perm::kSign);

inline constexpr auto kCreateBackup = rpc::method<&FullNodeApi::createBackup>("CreateBackup", Perm::kAdmin);
inline constexpr auto kId = rpc::method<&FullNodeApi::id>("ID", Perm::kRead);

inline constexpr auto kFullNodeMethods = std::make_tuple(
    kChainHead, kChainNotify, kChainGetTipSet, kChainGetTipSetByHeight, kChainGetBlock, kChainGetBlockMessages,
    kChainGetMessage, kChainGetParentReceipts, kChainGetParentMessages, kChainReadObj, kChainHasObj, kChainGetGenesis,
    kStateCall, kStateWaitMsg, kStateSearchMsg, kStateGetActor, kStateLookupId, kStateAccountKey, kStateMinerInfo,
    kStateMinerPower, kStateListMiners, kStateMinerSectors, kStateSectorGetInfo, kStateSectorPreCommitInfo,
    kStateMinerProvingDeadline, kStateMinerDeadlines, kStateMinerPartitions, kStateMinerFaults,
    kStateMinerAvailableBalance, kStateMarketBalance, kStateMarketStorageDeal, kStateMarketDeals,
    kStateDealProviderCollateralBounds, kStateNetworkVersion, kStateNetworkName, kStateGetRandomnessFromTickets,
    kStateGetRandomnessFromBeacon, kMpoolPush, kMpoolPushMessage, kMpoolPending, kMpoolGetNonce,
    kMpoolSelect, kGasEstimateMessageGas, kGasEstimateGasLimit, kGasEstimateGasPremium, kGasEstimateFeeCap, kMarketAddBalance,
    kMarketGetReserved, kMarketReserveFunds, kMarketReleaseFunds, kSyncState, kSyncSubmitBlock, kMinerGetBaseInfo,
    kMinerCreateBlock, kWalletNew, kWalletHas, kWalletList, kWalletBalance, kWalletSign, kWalletSignMessage,
    kWalletVerify, kWalletDefaultAddress, kWalletSetDefault, kWalletExport, kWalletImport, kWalletDelete,
    kWalletComputeVrf, kCreateBackup, kId);

}  // namespace fil::api
