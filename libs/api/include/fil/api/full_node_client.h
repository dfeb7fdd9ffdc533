// The full node API of a remote node, over JSON-RPC (what lotus-miner, the
// markets node and the CLI hold). Every method goes through the same table
// the server dispatches on.
#pragma once

#include "fil/api/full_node_api.h"

namespace fil::rpc {
class Client;
}

namespace fil::api {

class FullNodeClient : public FullNodeApi {
 public:
  explicit FullNodeClient(rpc::Client& client) : client_(client) {}

  Result<chain::TipSet> chainHead() override;
  Result<rpc::Channel<std::vector<HeadChange>>> chainNotify() override;
  Result<chain::TipSet> chainGetTipSet(const TipSetKey& key) override;
  Result<chain::TipSet> chainGetTipSetByHeight(const ChainEpoch& height, const TipSetKey& key) override;
  Result<chain::BlockHeader> chainGetBlock(const cid::Cid& block) override;
  Result<BlockMessages> chainGetBlockMessages(const cid::Cid& block) override;
  Result<primitives::Message> chainGetMessage(const cid::Cid& message) override;
  Result<std::vector<chain::MessageReceipt>> chainGetParentReceipts(const cid::Cid& block) override;
  Result<std::vector<Message>> chainGetParentMessages(const cid::Cid& block) override;
  Result<Bytes> chainReadObj(const cid::Cid& object) override;
  Result<bool> chainHasObj(const cid::Cid& object) override;
  Result<chain::TipSet> chainGetGenesis() override;
  Result<InvocResult> stateCall(const primitives::Message& message, const TipSetKey& key) override;
  Result<MsgLookup> stateWaitMsg(const cid::Cid& message, const uint64_t& confidence, const ChainEpoch& limit,
                                 const bool& allow_replaced) override;
  Result<std::optional<MsgLookup>> stateSearchMsg(const TipSetKey& from, const cid::Cid& message,
                                                  const ChainEpoch& limit, const bool& allow_replaced) override;
  Result<vm::Actor> stateGetActor(const Address& actor, const TipSetKey& key) override;
  Result<Address> stateLookupId(const Address& address, const TipSetKey& key) override;
  Result<Address> stateAccountKey(const Address& address, const TipSetKey& key) override;
  Result<MinerInfo> stateMinerInfo(const Address& miner, const TipSetKey& key) override;
  Result<MinerPower> stateMinerPower(const Address& miner, const TipSetKey& key) override;
  Result<std::vector<Address>> stateListMiners(const TipSetKey& key) override;
  Result<std::vector<SectorOnChainInfo>> stateMinerSectors(const Address& miner,
                                                           const std::optional<primitives::BitField>& filter,
                                                           const TipSetKey& key) override;
  Result<std::optional<SectorOnChainInfo>> stateSectorGetInfo(const Address& miner, const SectorNumber& sector,
                                                              const TipSetKey& key) override;
  Result<std::optional<vm::miner::SectorPreCommitOnChainInfo>> stateSectorPreCommitInfo(const Address& miner,
                                                                                        const SectorNumber& sector,
                                                                                        const TipSetKey& key) override;
  Result<DeadlineInfo> stateMinerProvingDeadline(const Address& miner, const TipSetKey& key) override;
  Result<std::vector<Deadline>> stateMinerDeadlines(const Address& miner, const TipSetKey& key) override;
  Result<std::vector<Partition>> stateMinerPartitions(const Address& miner, const uint64_t& deadline,
                                                      const TipSetKey& key) override;
  Result<primitives::BitField> stateMinerFaults(const Address& miner, const TipSetKey& key) override;
  Result<TokenAmount> stateMinerAvailableBalance(const Address& miner, const TipSetKey& key) override;
  Result<MarketBalance> stateMarketBalance(const Address& address, const TipSetKey& key) override;
  Result<MarketDeal> stateMarketStorageDeal(const DealId& deal, const TipSetKey& key) override;
  Result<MarketDeals> stateMarketDeals(const TipSetKey& key) override;
  Result<DealCollateralBounds> stateDealProviderCollateralBounds(const uint64_t& padded_piece_size,
                                                                 const bool& verified, const TipSetKey& key) override;
  Result<NetworkVersion> stateNetworkVersion(const TipSetKey& key) override;
  Result<std::string> stateNetworkName() override;
  Result<Bytes> stateGetRandomnessFromTickets(const chain::DomainSeparationTag& personalization,
                                              const ChainEpoch& epoch, const Bytes& entropy,
                                              const TipSetKey& key) override;
  Result<Bytes> stateGetRandomnessFromBeacon(const chain::DomainSeparationTag& personalization, const ChainEpoch& epoch,
                                             const Bytes& entropy, const TipSetKey& key) override;
  Result<cid::Cid> mpoolPush(const primitives::SignedMessage& message) override;
  Result<primitives::SignedMessage> mpoolPushMessage(const primitives::Message& message,
                                                     const std::optional<MessageSendSpec>& spec) override;
  Result<std::vector<primitives::SignedMessage>> mpoolPending(const TipSetKey& key) override;
  Result<uint64_t> mpoolGetNonce(const Address& address) override;
  Result<std::vector<primitives::SignedMessage>> mpoolSelect(const TipSetKey& key, const double& ticket_quality) override;
  Result<primitives::Message> gasEstimateMessageGas(const primitives::Message& message,
                                                    const std::optional<MessageSendSpec>& spec,
                                                    const TipSetKey& key) override;
  Result<int64_t> gasEstimateGasLimit(const primitives::Message& message, const TipSetKey& key) override;
  Result<TokenAmount> gasEstimateGasPremium(const uint64_t& blocks_included, const Address& sender,
                                            const int64_t& gas_limit, const TipSetKey& key) override;
  Result<TokenAmount> gasEstimateFeeCap(const primitives::Message& message, const int64_t& max_queue_blocks,
                                        const TipSetKey& key) override;
  Result<cid::Cid> marketAddBalance(const Address& wallet, const Address& address, const TokenAmount& amount) override;
  Result<TokenAmount> marketGetReserved(const Address& address) override;
  Result<cid::Cid> marketReserveFunds(const Address& wallet, const Address& address,
                                      const TokenAmount& amount) override;
  Result<void> marketReleaseFunds(const Address& address, const TokenAmount& amount) override;
  Result<SyncState> syncState() override;
  Result<void> syncSubmitBlock(const chain::BlockMsg& block) override;
  Result<std::optional<MiningBaseInfo>> minerGetBaseInfo(const Address& miner, const ChainEpoch& epoch,
                                                         const TipSetKey& key) override;
  Result<chain::BlockMsg> minerCreateBlock(const BlockTemplate& block) override;
  Result<Address> walletNew(const std::string& type) override;
  Result<bool> walletHas(const Address& address) override;
  Result<std::vector<Address>> walletList() override;
  Result<TokenAmount> walletBalance(const Address& address) override;
  Result<primitives::Signature> walletSign(const Address& signer, const Bytes& data) override;
  Result<primitives::SignedMessage> walletSignMessage(const Address& signer,
                                                      const primitives::Message& message) override;
  Result<bool> walletVerify(const Address& signer, const Bytes& data, const primitives::Signature& signature) override;
  Result<Address> walletDefaultAddress() override;
  Result<void> walletSetDefault(const Address& address) override;
  Result<primitives::KeyInfo> walletExport(const Address& address) override;
  Result<Address> walletImport(const primitives::KeyInfo& key) override;
  Result<void> walletDelete(const Address& address) override;
  Result<Bytes> walletComputeVrf(const Address& signer, const Bytes& input) override;
  Result<void> createBackup(const std::string& path) override;
  Result<net::PeerId> id() override;

 private:
  rpc::Client& client_;
};

}  // namespace fil::api
