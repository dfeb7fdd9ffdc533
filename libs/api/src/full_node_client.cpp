#include "fil/api/full_node_client.h"

#include "fil/api/full_node_json.h"
#include "fil/rpc/client.h"

namespace fil::api {

Result<chain::TipSet> FullNodeClient::chainHead() { return client_.call(kChainHead); }
Result<rpc::Channel<std::vector<HeadChange>>> FullNodeClient::chainNotify() { return client_.call(kChainNotify); }
Result<chain::TipSet> FullNodeClient::chainGetTipSet(const TipSetKey& key) {
  return client_.call(kChainGetTipSet, key);
}
Result<chain::TipSet> FullNodeClient::chainGetTipSetByHeight(const ChainEpoch& height, const TipSetKey& key) {
  return client_.call(kChainGetTipSetByHeight, height, key);
}
Result<chain::BlockHeader> FullNodeClient::chainGetBlock(const cid::Cid& block) {
  return client_.call(kChainGetBlock, block);
}
Result<BlockMessages> FullNodeClient::chainGetBlockMessages(const cid::Cid& block) {
  return client_.call(kChainGetBlockMessages, block);
}
Result<primitives::Message> FullNodeClient::chainGetMessage(const cid::Cid& message) {
  return client_.call(kChainGetMessage, message);
}
Result<std::vector<chain::MessageReceipt>> FullNodeClient::chainGetParentReceipts(const cid::Cid& block) {
  return client_.call(kChainGetParentReceipts, block);
}
Result<std::vector<Message>> FullNodeClient::chainGetParentMessages(const cid::Cid& block) {
  return client_.call(kChainGetParentMessages, block);
}
Result<Bytes> FullNodeClient::chainReadObj(const cid::Cid& object) { return client_.call(kChainReadObj, object); }
Result<bool> FullNodeClient::chainHasObj(const cid::Cid& object) { return client_.call(kChainHasObj, object); }
Result<chain::TipSet> FullNodeClient::chainGetGenesis() { return client_.call(kChainGetGenesis); }
Result<InvocResult> FullNodeClient::stateCall(const primitives::Message& message, const TipSetKey& key) {
  return client_.call(kStateCall, message, key);
}
Result<MsgLookup> FullNodeClient::stateWaitMsg(const cid::Cid& message, const uint64_t& confidence,
                                               const ChainEpoch& limit, const bool& allow_replaced) {
  return client_.call(kStateWaitMsg, message, confidence, limit, allow_replaced);
}
Result<std::optional<MsgLookup>> FullNodeClient::stateSearchMsg(const TipSetKey& from, const cid::Cid& message,
                                                                const ChainEpoch& limit, const bool& allow_replaced) {
  return client_.call(kStateSearchMsg, from, message, limit, allow_replaced);
}
Result<vm::Actor> FullNodeClient::stateGetActor(const Address& actor, const TipSetKey& key) {
  return client_.call(kStateGetActor, actor, key);
}
Result<Address> FullNodeClient::stateLookupId(const Address& address, const TipSetKey& key) {
  return client_.call(kStateLookupId, address, key);
}
Result<Address> FullNodeClient::stateAccountKey(const Address& address, const TipSetKey& key) {
  return client_.call(kStateAccountKey, address, key);
}
Result<MinerInfo> FullNodeClient::stateMinerInfo(const Address& miner, const TipSetKey& key) {
  return client_.call(kStateMinerInfo, miner, key);
}
Result<MinerPower> FullNodeClient::stateMinerPower(const Address& miner, const TipSetKey& key) {
  return client_.call(kStateMinerPower, miner, key);
}
Result<std::vector<Address>> FullNodeClient::stateListMiners(const TipSetKey& key) {
  return client_.call(kStateListMiners, key);
}
Result<std::vector<SectorOnChainInfo>> FullNodeClient::stateMinerSectors(
    const Address& miner, const std::optional<primitives::BitField>& filter, const TipSetKey& key) {
  return client_.call(kStateMinerSectors, miner, filter, key);
}
Result<std::optional<SectorOnChainInfo>> FullNodeClient::stateSectorGetInfo(const Address& miner,
                                                                            const SectorNumber& sector,
                                                                            const TipSetKey& key) {
  return client_.call(kStateSectorGetInfo, miner, sector, key);
}
Result<std::optional<vm::miner::SectorPreCommitOnChainInfo>> FullNodeClient::stateSectorPreCommitInfo(
    const Address& miner, const SectorNumber& sector, const TipSetKey& key) {
  return client_.call(kStateSectorPreCommitInfo, miner, sector, key);
}
Result<DeadlineInfo> FullNodeClient::stateMinerProvingDeadline(const Address& miner, const TipSetKey& key) {
  return client_.call(kStateMinerProvingDeadline, miner, key);
}
Result<std::vector<Deadline>> FullNodeClient::stateMinerDeadlines(const Address& miner, const TipSetKey& key) {
  return client_.call(kStateMinerDeadlines, miner, key);
}
Result<std::vector<Partition>> FullNodeClient::stateMinerPartitions(const Address& miner, const uint64_t& deadline,
                                                                    const TipSetKey& key) {
  return client_.call(kStateMinerPartitions, miner, deadline, key);
}
Result<primitives::BitField> FullNodeClient::stateMinerFaults(const Address& miner, const TipSetKey& key) {
  return client_.call(kStateMinerFaults, miner, key);
}
Result<TokenAmount> FullNodeClient::stateMinerAvailableBalance(const Address& miner, const TipSetKey& key) {
  return client_.call(kStateMinerAvailableBalance, miner, key);
}
Result<MarketBalance> FullNodeClient::stateMarketBalance(const Address& address, const TipSetKey& key) {
  return client_.call(kStateMarketBalance, address, key);
}
Result<MarketDeal> FullNodeClient::stateMarketStorageDeal(const DealId& deal, const TipSetKey& key) {
  return client_.call(kStateMarketStorageDeal, deal, key);
}
Result<MarketDeals> FullNodeClient::stateMarketDeals(const TipSetKey& key) {
  return client_.call(kStateMarketDeals, key);
}
Result<DealCollateralBounds> FullNodeClient::stateDealProviderCollateralBounds(const uint64_t& padded_piece_size,
                                                                               const bool& verified,
                                                                               const TipSetKey& key) {
  return client_.call(kStateDealProviderCollateralBounds, padded_piece_size, verified, key);
}
Result<NetworkVersion> FullNodeClient::stateNetworkVersion(const TipSetKey& key) {
  return client_.call(kStateNetworkVersion, key);
}
Result<std::string> FullNodeClient::stateNetworkName() { return client_.call(kStateNetworkName); }
Result<Bytes> FullNodeClient::stateGetRandomnessFromTickets(const chain::DomainSeparationTag& personalization,
                                                            const ChainEpoch& epoch, const Bytes& entropy,
                                                            const TipSetKey& key) {
  return client_.call(kStateGetRandomnessFromTickets, personalization, epoch, entropy, key);
}
Result<Bytes> FullNodeClient::stateGetRandomnessFromBeacon(const chain::DomainSeparationTag& personalization,
                                                           const ChainEpoch& epoch, const Bytes& entropy,
                                                           const TipSetKey& key) {
  return client_.call(kStateGetRandomnessFromBeacon, personalization, epoch, entropy, key);
}
Result<cid::Cid> FullNodeClient::mpoolPush(const primitives::SignedMessage& message) {
  return client_.call(kMpoolPush, message);
}
Result<primitives::SignedMessage> FullNodeClient::mpoolPushMessage(const primitives::Message& message,
                                                                   const std::optional<MessageSendSpec>& spec) {
  return client_.call(kMpoolPushMessage, message, spec);
}
Result<std::vector<primitives::SignedMessage>> FullNodeClient::mpoolPending(const TipSetKey& key) {
  return client_.call(kMpoolPending, key);
}
Result<uint64_t> FullNodeClient::mpoolGetNonce(const Address& address) { return client_.call(kMpoolGetNonce, address); }
Result<std::vector<primitives::SignedMessage>> FullNodeClient::mpoolSelect(const TipSetKey& key,
                                                                           const double& ticket_quality) {
  return client_.call(kMpoolSelect, key, ticket_quality);
}
Result<primitives::Message> FullNodeClient::gasEstimateMessageGas(const primitives::Message& message,
                                                                  const std::optional<MessageSendSpec>& spec,
                                                                  const TipSetKey& key) {
  return client_.call(kGasEstimateMessageGas, message, spec, key);
}
Result<int64_t> FullNodeClient::gasEstimateGasLimit(const primitives::Message& message, const TipSetKey& key) {
  return client_.call(kGasEstimateGasLimit, message, key);
}
Result<TokenAmount> FullNodeClient::gasEstimateGasPremium(const uint64_t& blocks_included, const Address& sender,
                                                          const int64_t& gas_limit, const TipSetKey& key) {
  return client_.call(kGasEstimateGasPremium, blocks_included, sender, gas_limit, key);
}
Result<TokenAmount> FullNodeClient::gasEstimateFeeCap(const primitives::Message& message,
                                                      const int64_t& max_queue_blocks, const TipSetKey& key) {
  return client_.call(kGasEstimateFeeCap, message, max_queue_blocks, key);
}
Result<cid::Cid> FullNodeClient::marketAddBalance(const Address& wallet, const Address& address,
                                                  const TokenAmount& amount) {
  return client_.call(kMarketAddBalance, wallet, address, amount);
}
Result<TokenAmount> FullNodeClient::marketGetReserved(const Address& address) {
  return client_.call(kMarketGetReserved, address);
}
Result<cid::Cid> FullNodeClient::marketReserveFunds(const Address& wallet, const Address& address,
                                                    const TokenAmount& amount) {
  return client_.call(kMarketReserveFunds, wallet, address, amount);
}
Result<void> FullNodeClient::marketReleaseFunds(const Address& address, const TokenAmount& amount) {
  return client_.call(kMarketReleaseFunds, address, amount);
}
Result<SyncState> FullNodeClient::syncState() { return client_.call(kSyncState); }
Result<void> FullNodeClient::syncSubmitBlock(const chain::BlockMsg& block) {
  return client_.call(kSyncSubmitBlock, block);
}
Result<std::optional<MiningBaseInfo>> FullNodeClient::minerGetBaseInfo(const Address& miner, const ChainEpoch& epoch,
                                                                       const TipSetKey& key) {
  return client_.call(kMinerGetBaseInfo, miner, epoch, key);
}
Result<chain::BlockMsg> FullNodeClient::minerCreateBlock(const BlockTemplate& block) {
  return client_.call(kMinerCreateBlock, block);
}
Result<Address> FullNodeClient::walletNew(const std::string& type) { return client_.call(kWalletNew, type); }
Result<bool> FullNodeClient::walletHas(const Address& address) { return client_.call(kWalletHas, address); }
Result<std::vector<Address>> FullNodeClient::walletList() { return client_.call(kWalletList); }
Result<TokenAmount> FullNodeClient::walletBalance(const Address& address) {
  return client_.call(kWalletBalance, address);
}
Result<primitives::Signature> FullNodeClient::walletSign(const Address& signer, const Bytes& data) {
  return client_.call(kWalletSign, signer, data);
}
Result<primitives::SignedMessage> FullNodeClient::walletSignMessage(const Address& signer,
                                                                    const primitives::Message& message) {
  return client_.call(kWalletSignMessage, signer, message);
}
Result<bool> FullNodeClient::walletVerify(const Address& signer, const Bytes& data,
                                          const primitives::Signature& signature) {
  return client_.call(kWalletVerify, signer, data, signature);
}
Result<Address> FullNodeClient::walletDefaultAddress() { return client_.call(kWalletDefaultAddress); }
Result<void> FullNodeClient::walletSetDefault(const Address& address) {
  return client_.call(kWalletSetDefault, address);
}
Result<primitives::KeyInfo> FullNodeClient::walletExport(const Address& address) {
  return client_.call(kWalletExport, address);
}
Result<Address> FullNodeClient::walletImport(const primitives::KeyInfo& key) {
  return client_.call(kWalletImport, key);
}
Result<void> FullNodeClient::walletDelete(const Address& address) { return client_.call(kWalletDelete, address); }
Result<Bytes> FullNodeClient::walletComputeVrf(const Address& signer, const Bytes& input) {
  return client_.call(kWalletComputeVrf, signer, input);
}
Result<void> FullNodeClient::createBackup(const std::string& path) { return client_.call(kCreateBackup, path); }
Result<net::PeerId> FullNodeClient::id() { return client_.call(kId); }
}  // namespace fil::api
