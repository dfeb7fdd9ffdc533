// MinerGetBaseInfo and MinerCreateBlock: what a block producer asks the
// full node for (Lotus's node/impl/full MinerAPI over stmgr.MinerGetBaseInfo
// and consensus.CreateBlock). The election, ticket and winning PoSt are
// computed by the producer; the node supplies the facts they are computed
// from and assembles and signs the block with the worker key in its wallet.
#include <fmt/format.h>

#include "fil/chain/chain_error.h"
#include "fil/chain/chain_randomness.h"
#include "fil/chain/election.h"
#include "fil/chain/messages.h"
#include "fil/chain/mining.h"
#include "fil/node/consensus_view.h"
#include "fil/node/full_node_impl.h"
#include "fil/proofs/commp.h"
#include "fil/proofs/porep.h"
#include "fil/proofs/post.h"
#include "fil/vm/state_view.h"

namespace fil::node {
namespace {

// The facts of a block at `epoch` on `parent`: the parent's execution and
// the consensus view over its lookback, parent and executed states.
struct MiningBase {
  TipSetState executed;
  chain::BeaconEntry parent_beacon;
  std::unique_ptr<StateConsensusView> view;
};

Result<MiningBase> miningBase(FullNode& node, const chain::TipSet& parent, chain::ChainEpoch epoch) {
  if (epoch <= parent.height()) {
    return fail(GenericError::kInvalidArgument,
                fmt::format("epoch {} is not above the base tipset's height {}", epoch, parent.height()));
  }
  MiningBase base;
  FIL_ASSIGN_OR_RETURN(base.executed, node.state().tipSetState(parent));
  FIL_ASSIGN_OR_RETURN(base.parent_beacon, chain::latestBeaconEntry(node.chain(), parent));
  FIL_ASSIGN_OR_RETURN(auto lookback, chain::lookbackState(node.chain(), parent, epoch, node.network()));
  base.view = std::make_unique<StateConsensusView>(node.blocks(), node.network(),
                                                   lookback.state_root.value_or(base.executed.state_root),
                                                   parent.parentState(), base.executed.state_root);
  return base;
}

}  // namespace

Result<std::optional<api::MiningBaseInfo>> FullNodeImpl::minerGetBaseInfo(const api::Address& miner,
                                                                          const api::ChainEpoch& epoch,
                                                                          const api::TipSetKey& key) {
  if (!miner.isId()) {
    return fail(GenericError::kInvalidArgument, fmt::format("miner {} is not an ID address", miner.toString()));
  }
  FIL_ASSIGN_OR_RETURN(auto parent, tipset(key));
  FIL_ASSIGN_OR_RETURN(auto base, miningBase(node_, parent, epoch));
  FIL_ASSIGN_OR_RETURN(auto facts, base.view->lookbackMiner(miner));
  if (!facts.found) return std::optional<api::MiningBaseInfo>{};

  const auto* signer = node_.beaconSigner();
  if (!signer) {
    return fail(GenericError::kNotFound,
                "this node does not hold the devnet beacon's key, so it cannot supply beacon entries for new blocks "
                "(mine against the node that made the genesis)");
  }
  api::MiningBaseInfo info;
  FIL_ASSIGN_OR_RETURN(info.beacon_entries, signer->entriesForEpoch(base.parent_beacon, epoch));
  info.prev_beacon_entry = base.parent_beacon;
  const chain::BeaconEntry& rbase = info.beacon_entries.empty() ? base.parent_beacon : info.beacon_entries.back();

  // The sectors the winning PoSt is challenged on, as Lotus's
  // GetSectorsForWinningPoSt picks them.
  const auto seed = chain::winningPoStSeed(rbase, epoch, miner);
  FIL_ASSIGN_OR_RETURN(const auto miner_id, miner.idValue());
  const auto positions = proofs::winningPoStSectorChallenge(facts.winning_post_proof, seed,
                                                            proofs::proverIdFromActorId(miner_id), facts.active_sectors);
  FIL_ASSIGN_OR_RETURN(auto challenged, base.view->lookbackSectors(miner, positions));
  for (const auto& s : challenged) {
    api::ExtendedSectorInfo sector;
    sector.seal_proof = s.proof;
    sector.sector_number = s.sector;
    sector.sealed_cid = proofs::sealedCid(s.comm_r);
    info.sectors.push_back(std::move(sector));
  }
  FIL_ASSIGN_OR_RETURN(auto miner_info, vm::StateView::load(node_.blocks(), base.executed.state_root));
  FIL_ASSIGN_OR_RETURN(auto state_info, miner_info.minerInfo(miner));
  info.sector_size = state_info.sector_size;
  info.miner_power = facts.miner_power;
  info.network_power = facts.network_power;
  info.worker_key = facts.worker;
  FIL_ASSIGN_OR_RETURN(auto parent_facts, base.view->parentMiner(miner));
  info.eligible_for_mining = facts.has_claim && facts.meets_consensus_minimum && parent_facts.has_claim &&
                             parent_facts.power > 0 && !parent_facts.has_fee_debt &&
                             parent_facts.consensus_fault_elapsed <= parent.height();
  return std::optional<api::MiningBaseInfo>{std::move(info)};
}

Result<chain::BlockMsg> FullNodeImpl::minerCreateBlock(const api::BlockTemplate& t) {
  if (!t.ticket || !t.eproof) return fail(chain::ChainError::kMalformed, "block template without ticket or election proof");
  FIL_ASSIGN_OR_RETURN(auto parent, node_.chain().loadTipSet(t.parents));
  FIL_ASSIGN_OR_RETURN(auto base, miningBase(node_, parent, t.epoch));
  FIL_ASSIGN_OR_RETURN(auto facts, base.view->lookbackMiner(t.miner));
  if (!facts.found) return fail(chain::ChainError::kMalformed, fmt::format("no miner {} at the lookback", t.miner.toString()));

  FIL_ASSIGN_OR_RETURN(auto parent_full, fullTipSet(parent));
  chain::BlockTemplate bt{.miner = t.miner,
                          .epoch = t.epoch,
                          .beacon_entries = t.beacon_values,
                          .ticket = *t.ticket,
                          .election_proof = *t.eproof,
                          .winning_post_proof = t.winning_post_proof,
                          .messages = t.messages};
  FIL_ASSIGN_OR_RETURN(auto network_power, base.view->parentNetworkPower());
  const Wallet& wallet = node_.wallet();
  const primitives::Address worker = facts.worker;
  FIL_ASSIGN_OR_RETURN(
      auto block, chain::createBlock(bt, parent_full, {base.executed.state_root, base.executed.receipts_root},
                                     network_power, node_.network(), [&](BytesView bytes) {
                                       return wallet.sign(worker, bytes).map_error([&](Error e) {
                                         return std::move(e).withContext("signing the block with worker " +
                                                                         worker.toString());
                                       });
                                     }));
  if (t.timestamp != 0 && t.timestamp != block.header.timestamp) {
    return fail(chain::ChainError::kMalformed, fmt::format("template timestamp {} is not epoch {}'s {}", t.timestamp,
                                                           t.epoch, block.header.timestamp));
  }
  // Store the messages so that SyncSubmitBlock finds them by CID.
  FIL_TRY(chain::storeBlockMessages(node_.blocks(), block.bls_messages, block.secpk_messages));
  chain::BlockMsg out{.header = block.header};
  for (const auto& m : block.bls_messages) out.bls_messages.push_back(m.cid());
  for (const auto& m : block.secpk_messages) out.secpk_messages.push_back(m.cid());
  return out;
}

}  // namespace fil::node
