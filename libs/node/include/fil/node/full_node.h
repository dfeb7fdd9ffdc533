// The full node's services over its repo, wired together: what `lotus
// daemon` serves through the full node API.
//
//   FIL_ASSIGN_OR_RETURN(auto node, FullNode::open(repo, devnetParams(), {.genesis_car = "devgen.car"}));
//   node->syncer().submitBlock(block);
//   node->pusher().push(message, {});
//
// The repo's datastore holds the chain's blocks (namespace /blocks), the
// node's metadata (/metadata: head, genesis, executed tipset states, the
// message index) and the pool's local messages (/mpool). The genesis comes
// from a CAR on the first start and is then remembered; a different genesis
// on a later start is refused. The node that made the genesis keeps the
// devnet beacon's key in its keystore ("devnet-beacon") and produces the
// beacon entries that blocks carry.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>

#include "fil/base/error.h"
#include "fil/chain/beacon.h"
#include "fil/chain/network.h"
#include "fil/node/chain_providers.h"
#include "fil/node/chain_store.h"
#include "fil/node/gas_estimator.h"
#include "fil/node/message_pusher.h"
#include "fil/node/mpool.h"
#include "fil/node/state_manager.h"
#include "fil/node/syncer.h"
#include "fil/node/wallet.h"
#include "fil/store/blockstore.h"
#include "fil/vm/genesis.h"

namespace fil::repo {
class Repo;
}

namespace fil::node {

// The keystore name of the devnet beacon's key.
inline constexpr std::string_view kDevnetBeaconKeyName = "devnet-beacon";

struct GenesisSource {
  std::optional<std::filesystem::path> genesis_car;   // --genesis
  std::optional<std::filesystem::path> make_genesis;  // --lotus-make-genesis (written)
  std::optional<vm::genesis::Template> genesis_template;  // --genesis-template, with make_genesis
};

class FullNode {
 public:
  [[nodiscard]] static Result<std::unique_ptr<FullNode>> open(repo::Repo& repo, const chain::NetworkParams& network,
                                                              const GenesisSource& genesis, GasConfig gas = {});
  ~FullNode();

  const chain::NetworkParams& network() const { return network_; }
  store::Blockstore& blocks() { return *blocks_; }
  // The node's metadata namespace (/metadata).
  store::Datastore& metadata() { return *metadata_ds_; }
  ChainStore& chain() { return *chain_; }
  StateManager& state() { return *state_; }
  MessagePool& mpool() { return *mpool_; }
  GasEstimator& gas() { return *gas_; }
  MessagePusher& pusher() { return *pusher_; }
  Wallet& wallet() { return *wallet_; }
  Syncer& syncer() { return *syncer_; }
  const chain::RandomBeacon& beacon() const { return *beacon_; }
  // The beacon's signer on the node that made the genesis; null elsewhere.
  const chain::DevnetBeaconSigner* beaconSigner() const { return beacon_signer_.get(); }
  HeadStateProvider& provider() { return *provider_; }

 private:
  FullNode(repo::Repo& repo, const chain::NetworkParams& network) : repo_(repo), network_(network) {}
  [[nodiscard]] Status start(const GenesisSource& genesis, GasConfig gas);

  repo::Repo& repo_;
  const chain::NetworkParams& network_;
  std::unique_ptr<store::Datastore> blocks_ds_, metadata_ds_, mpool_ds_;
  std::unique_ptr<store::Blockstore> blocks_;
  std::unique_ptr<chain::DevnetBeaconSigner> beacon_signer_;
  std::unique_ptr<chain::DevnetBeacon> beacon_;
  std::unique_ptr<ChainStore> chain_;
  std::unique_ptr<StateManager> state_;
  std::unique_ptr<HeadStateProvider> provider_;
  std::unique_ptr<MessagePool> mpool_;
  std::unique_ptr<GasEstimator> gas_;
  std::unique_ptr<Wallet> wallet_;
  std::unique_ptr<MessagePusher> pusher_;
  std::unique_ptr<Syncer> syncer_;
  uint64_t head_subscription_ = 0;
};

}  // namespace fil::node
