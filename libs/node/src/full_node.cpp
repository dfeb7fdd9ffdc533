#include "fil/node/full_node.h"

#include <fmt/format.h>

#include "fil/base/log.h"
#include "fil/node/devnet_genesis.h"
#include "fil/repo/repo.h"

namespace fil::node {
namespace {

spdlog::logger& logger() { return log::get("node"); }

// The messages of the blocks of `ts`: signed ones as they are (a revert puts
// them back in the pool), and every one unsigned (what an apply removes).
Status collectMessages(ChainStore& chain, const chain::TipSet& ts, std::vector<SignedMessage>* reverted,
                       std::vector<Message>* applied) {
  for (const auto& c : ts.cids()) {
    FIL_ASSIGN_OR_RETURN(auto block, chain.getFullBlock(c));
    for (auto& sm : block.secpk_messages) {
      if (applied) applied->push_back(sm.message);
      if (reverted) reverted->push_back(std::move(sm));
    }
    if (applied) {
      for (auto& m : block.bls_messages) applied->push_back(std::move(m));
    }
  }
  return ok();
}

}  // namespace

Result<std::unique_ptr<FullNode>> FullNode::open(repo::Repo& repo, const chain::NetworkParams& network,
                                                 const GenesisSource& genesis, GasConfig gas) {
  std::unique_ptr<FullNode> node(new FullNode(repo, network));
  FIL_TRY(node->start(genesis, std::move(gas)));
  return node;
}

FullNode::~FullNode() {
  if (chain_ && head_subscription_ != 0) chain_->unsubscribe(head_subscription_);
}

Status FullNode::start(const GenesisSource& genesis, GasConfig gas) {
  FIL_ASSIGN_OR_RETURN(store::Datastore * ds, repo_.datastore());
  blocks_ds_ = store::namespaced(*ds, store::Key("/blocks"));
  metadata_ds_ = store::namespaced(*ds, store::Key("/metadata"));
  blocks_ = std::make_unique<store::DatastoreBlockstore>(*blocks_ds_);
  chain_ = std::make_unique<ChainStore>(*blocks_, *metadata_ds_, stateWeight(*blocks_));
  FIL_TRY(chain_->load());

  auto& fs = store::defaultFileSystem();
  auto beacon_key = repo_.keystore().get(std::string(kDevnetBeaconKeyName));
  if (!beacon_key && !beacon_key.error().is(store::StoreError::kNotFound)) return fail(std::move(beacon_key).error());
  auto signerFrom = [](const primitives::KeyInfo& key) -> Result<std::unique_ptr<chain::DevnetBeaconSigner>> {
    crypto::secp256k1::PrivateKey k{};
    if (key.private_key.size() != k.size()) {
      return fail(GenericError::kInvalidArgument, "the devnet-beacon key is not a 32-byte secp256k1 key");
    }
    std::copy(key.private_key.begin(), key.private_key.end(), k.begin());
    FIL_ASSIGN_OR_RETURN(auto signer, chain::DevnetBeaconSigner::create(k));
    return std::make_unique<chain::DevnetBeaconSigner>(std::move(signer));
  };

  std::optional<chain::BlockHeader> offered;
  if (genesis.make_genesis) {
    if (!genesis.genesis_template) {
      return fail(GenericError::kInvalidArgument, "--lotus-make-genesis needs --genesis-template");
    }
    if (chain_->hasHead()) {
      return fail(GenericError::kInvalidArgument,
                  fmt::format("this repo already has a chain; --lotus-make-genesis is for a new repo ({})",
                              repo_.path().string()));
    }
    if (!beacon_key) {
      primitives::KeyInfo key{std::string(primitives::kKeyTypeSecp256k1), {}};
      const auto k = crypto::secp256k1::generatePrivateKey();
      key.private_key.assign(k.begin(), k.end());
      FIL_TRY(repo_.keystore().put(std::string(kDevnetBeaconKeyName), key));
      beacon_key = key;
    }
    FIL_ASSIGN_OR_RETURN(auto signer, signerFrom(*beacon_key));
    FIL_ASSIGN_OR_RETURN(auto header, makeDevnetGenesis(*blocks_, fs, *genesis.genesis_template, network_, *signer,
                                                        *genesis.make_genesis));
    logger().info("made genesis {} at {}", header.cid().toString(), genesis.make_genesis->string());
    offered = std::move(header);
  } else if (genesis.genesis_car) {
    FIL_ASSIGN_OR_RETURN(auto header, importGenesisCar(*blocks_, fs, *genesis.genesis_car));
    offered = std::move(header);
  }
  if (offered) {
    FIL_TRY(chain_->setGenesis(*offered));  // refuses a different genesis than the repo's
  } else if (!chain_->hasHead()) {
    return fail(GenericError::kInvalidArgument,
                "this repo has no chain yet: start with --genesis=devgen.car, or make one with "
                "--lotus-make-genesis=devgen.car --genesis-template=localnet.json");
  }

  FIL_ASSIGN_OR_RETURN(auto genesis_ts, chain_->genesis());
  const auto& entries = genesis_ts.blocks()[0].beacon_entries;
  if (entries.empty()) return fail(GenericError::kInvalidArgument, "the genesis block carries no beacon entry");
  FIL_ASSIGN_OR_RETURN(auto beacon, chain::DevnetBeacon::fromGenesisEntry(entries.front()));
  beacon_ = std::make_unique<chain::DevnetBeacon>(beacon);
  if (beacon_key) {
    FIL_ASSIGN_OR_RETURN(auto signer, signerFrom(*beacon_key));
    if (signer->genesisEntry() == entries.front()) {
      beacon_signer_ = std::move(signer);
    } else {
      logger().warn("the keystore's devnet-beacon key is not this chain's beacon; not producing beacon entries");
    }
  }

  state_ = std::make_unique<StateManager>(*chain_, *blocks_, *metadata_ds_, network_, *beacon_);
  provider_ = std::make_unique<HeadStateProvider>(*chain_, *state_);
  mpool_ = std::make_unique<MessagePool>(*provider_, *metadata_ds_);
  FIL_TRY(mpool_->load());
  gas_ = std::make_unique<GasEstimator>(*provider_, *mpool_, std::move(gas));
  wallet_ = std::make_unique<Wallet>(repo_.keystore());
  pusher_ = std::make_unique<MessagePusher>(*mpool_, *gas_, *wallet_, *provider_);
  syncer_ = std::make_unique<Syncer>(*chain_, *state_, *beacon_);

  // The pool follows the head.
  head_subscription_ = chain_->subscribe([this](const std::vector<HeadChange>& changes) {
    std::vector<SignedMessage> reverted;
    std::vector<Message> applied;
    for (const auto& change : changes) {
      Status collected = ok();
      if (change.type == HeadChange::Type::kRevert) collected = collectMessages(*chain_, change.tipset, &reverted, nullptr);
      if (change.type == HeadChange::Type::kApply) collected = collectMessages(*chain_, change.tipset, nullptr, &applied);
      if (!collected) logger().error("head change: {}", collected.error().message());
    }
    if (!reverted.empty() || !applied.empty()) mpool_->headChanged(reverted, applied);
  });
  logger().info("chain head at height {}", chain_->heaviest().height());
  return ok();
}

}  // namespace fil::node
