// The full node API (api::FullNodeApi) answered by this node's services:
// what `lotus daemon` serves and what tests and the block production
// library call in-process.
//
//   FullNodeImpl impl(*node, {.backup = [&](const auto& path) { return backupRepo(path); }});
//   fil::api::serveFullNodeApi(host->server(), impl);
//
// State queries at a tipset read its parent state, as Lotus's do (the
// state the tipset's own messages apply to); an empty TipSetKey means the
// head. Results Lotus returns as null for "not found" are nullopt here.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "fil/api/full_node_api.h"
#include "fil/node/full_node.h"
#include "fil/node/market_funds.h"
#include "fil/vm/state_view.h"

namespace fil::node {

struct FullNodeImplOptions {
  // Writes a backup of the node's datastore to an already resolved path
  // (CreateBackup; the path rule is applied before). Unset: not offered.
  std::function<Status(const std::filesystem::path&)> backup;
  // How long StateWaitMsg waits before giving up.
  std::chrono::milliseconds wait_timeout = std::chrono::minutes(10);
};

class FullNodeImpl final : public api::FullNodeApi {
 public:
  FullNodeImpl(FullNode& node, FullNodeImplOptions options = {});
  ~FullNodeImpl() override;

  // ---- chain ----
  Result<chain::TipSet> chainHead() override;
  Result<rpc::Channel<std::vector<api::HeadChange>>> chainNotify() override;
  Result<chain::TipSet> chainGetTipSet(const api::TipSetKey& key) override;
  Result<chain::TipSet> chainGetTipSetByHeight(const api::ChainEpoch& height, const api::TipSetKey& key) override;
  Result<chain::BlockHeader> chainGetBlock(const cid::Cid& block) override;
  Result<api::BlockMessages> chainGetBlockMessages(const cid::Cid& block) override;
  Result<primitives::Message> chainGetMessage(const cid::Cid& message) override;
  Result<std::vector<chain::MessageReceipt>> chainGetParentReceipts(const cid::Cid& block) override;
  Result<std::vector<api::Message>> chainGetParentMessages(const cid::Cid& block) override;
  Result<Bytes> chainReadObj(const cid::Cid& object) override;
  Result<bool> chainHasObj(const cid::Cid& object) override;
  Result<chain::TipSet> chainGetGenesis() override;

  // ---- state ----
  Result<api::InvocResult> stateCall(const primitives::Message& message, const api::TipSetKey& key) override;
  Result<api::MsgLookup> stateWaitMsg(const cid::Cid& message, const uint64_t& confidence,
                                      const api::ChainEpoch& limit, const bool& allow_replaced) override;
  Result<std::optional<api::MsgLookup>> stateSearchMsg(const api::TipSetKey& from, const cid::Cid& message,
                                                       const api::ChainEpoch& limit,
                                                       const bool& allow_replaced) override;
  Result<vm::Actor> stateGetActor(const api::Address& actor, const api::TipSetKey& key) override;
  Result<api::Address> stateLookupId(const api::Address& address, const api::TipSetKey& key) override;
  Result<api::Address> stateAccountKey(const api::Address& address, const api::TipSetKey& key) override;
  Result<api::MinerInfo> stateMinerInfo(const api::Address& miner, const api::TipSetKey& key) override;
  Result<api::MinerPower> stateMinerPower(const api::Address& miner, const api::TipSetKey& key) override;
  Result<std::vector<api::Address>> stateListMiners(const api::TipSetKey& key) override;
  Result<std::vector<api::SectorOnChainInfo>> stateMinerSectors(const api::Address& miner,
                                                                const std::optional<primitives::BitField>& filter,
                                                                const api::TipSetKey& key) override;
  Result<std::optional<api::SectorOnChainInfo>> stateSectorGetInfo(const api::Address& miner,
                                                                   const api::SectorNumber& sector,
                                                                   const api::TipSetKey& key) override;
  Result<std::optional<vm::miner::SectorPreCommitOnChainInfo>> stateSectorPreCommitInfo(
      const api::Address& miner, const api::SectorNumber& sector, const api::TipSetKey& key) override;
  Result<api::DeadlineInfo> stateMinerProvingDeadline(const api::Address& miner, const api::TipSetKey& key) override;
  Result<std::vector<api::Deadline>> stateMinerDeadlines(const api::Address& miner, const api::TipSetKey& key) override;
  Result<std::vector<api::Partition>> stateMinerPartitions(const api::Address& miner, const uint64_t& deadline,
                                                           const api::TipSetKey& key) override;
  Result<primitives::BitField> stateMinerFaults(const api::Address& miner, const api::TipSetKey& key) override;
  Result<api::TokenAmount> stateMinerAvailableBalance(const api::Address& miner, const api::TipSetKey& key) override;
  Result<api::MarketBalance> stateMarketBalance(const api::Address& address, const api::TipSetKey& key) override;
  Result<api::MarketDeal> stateMarketStorageDeal(const api::DealId& deal, const api::TipSetKey& key) override;
  Result<api::MarketDeals> stateMarketDeals(const api::TipSetKey& key) override;
  Result<api::DealCollateralBounds> stateDealProviderCollateralBounds(const uint64_t& padded_piece_size,
                                                                      const bool& verified,
                                                                      const api::TipSetKey& key) override;
  Result<api::NetworkVersion> stateNetworkVersion(const api::TipSetKey& key) override;
  Result<std::string> stateNetworkName() override;
  Result<Bytes> stateGetRandomnessFromTickets(const chain::DomainSeparationTag& personalization,
                                              const api::ChainEpoch& epoch, const Bytes& entropy,
                                              const api::TipSetKey& key) override;
  Result<Bytes> stateGetRandomnessFromBeacon(const chain::DomainSeparationTag& personalization,
                                             const api::ChainEpoch& epoch, const Bytes& entropy,
                                             const api::TipSetKey& key) override;

  // ---- message pool and gas ----
  Result<cid::Cid> mpoolPush(const primitives::SignedMessage& message) override;
  Result<primitives::SignedMessage> mpoolPushMessage(const primitives::Message& message,
                                                     const std::optional<api::MessageSendSpec>& spec) override;
  Result<std::vector<primitives::SignedMessage>> mpoolPending(const api::TipSetKey& key) override;
  Result<uint64_t> mpoolGetNonce(const api::Address& address) override;
  Result<std::vector<primitives::SignedMessage>> mpoolSelect(const api::TipSetKey& key,
                                                             const double& ticket_quality) override;
  Result<primitives::Message> gasEstimateMessageGas(const primitives::Message& message,
                                                    const std::optional<api::MessageSendSpec>& spec,
                                                    const api::TipSetKey& key) override;
  Result<int64_t> gasEstimateGasLimit(const primitives::Message& message, const api::TipSetKey& key) override;
  Result<api::TokenAmount> gasEstimateGasPremium(const uint64_t& blocks_included, const api::Address& sender,
                                                 const int64_t& gas_limit, const api::TipSetKey& key) override;
  Result<api::TokenAmount> gasEstimateFeeCap(const primitives::Message& message, const int64_t& max_queue_blocks,
                                             const api::TipSetKey& key) override;

  // ---- market funds ----
  Result<cid::Cid> marketAddBalance(const api::Address& wallet, const api::Address& address,
                                    const api::TokenAmount& amount) override;
  Result<api::TokenAmount> marketGetReserved(const api::Address& address) override;
  Result<cid::Cid> marketReserveFunds(const api::Address& wallet, const api::Address& address,
                                      const api::TokenAmount& amount) override;
  Result<void> marketReleaseFunds(const api::Address& address, const api::TokenAmount& amount) override;

  // ---- sync and mining ----
  Result<api::SyncState> syncState() override;
  Result<void> syncSubmitBlock(const chain::BlockMsg& block) override;
  Result<std::optional<api::MiningBaseInfo>> minerGetBaseInfo(const api::Address& miner, const api::ChainEpoch& epoch,
                                                              const api::TipSetKey& key) override;
  Result<chain::BlockMsg> minerCreateBlock(const api::BlockTemplate& block) override;

  // ---- wallet ----
  Result<api::Address> walletNew(const std::string& type) override;
  Result<bool> walletHas(const api::Address& address) override;
  Result<std::vector<api::Address>> walletList() override;
  Result<api::TokenAmount> walletBalance(const api::Address& address) override;
  Result<primitives::Signature> walletSign(const api::Address& signer, const Bytes& data) override;
  Result<primitives::SignedMessage> walletSignMessage(const api::Address& signer,
                                                      const primitives::Message& message) override;
  Result<bool> walletVerify(const api::Address& signer, const Bytes& data,
                            const primitives::Signature& signature) override;
  Result<api::Address> walletDefaultAddress() override;
  Result<void> walletSetDefault(const api::Address& address) override;
  Result<primitives::KeyInfo> walletExport(const api::Address& address) override;
  Result<api::Address> walletImport(const primitives::KeyInfo& key) override;
  Result<void> walletDelete(const api::Address& address) override;
  Result<Bytes> walletComputeVrf(const api::Address& signer, const Bytes& input) override;

  // ---- node ----
  Result<void> createBackup(const std::string& path) override;
  Result<net::PeerId> id() override;

 private:
  [[nodiscard]] Result<chain::TipSet> tipset(const api::TipSetKey& key) const;
  [[nodiscard]] Result<chain::FullTipSet> fullTipSet(const chain::TipSet& ts) const;
  [[nodiscard]] Result<Bytes> randomness(bool from_beacon, chain::DomainSeparationTag personalization,
                                         chain::ChainEpoch epoch, const Bytes& entropy, const api::TipSetKey& key);
  // The state a query at `key` reads: the tipset's parent state.
  [[nodiscard]] Result<vm::StateView> stateAt(const api::TipSetKey& key);

  FullNode& node_;
  FullNodeImplOptions options_;
  MarketFunds funds_;
  std::mutex notify_mutex_;
  std::vector<uint64_t> notify_subscriptions_;
};

}  // namespace fil::node
