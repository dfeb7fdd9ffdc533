#include "fil/chain/mining.h"

#include <fmt/format.h>

#include "fil/chain/base_fee.h"
#include "fil/chain/chain_error.h"
#include "fil/chain/election.h"
#include "fil/chain/messages.h"
#include "fil/store/blockstore.h"

namespace fil::chain {

namespace {

HeaderSigner keySigner(const crypto::secp256k1::PrivateKey& worker_key) {
  return [&worker_key](BytesView bytes) { return primitives::signSecp256k1(worker_key, bytes); };
}

Status signWith(BlockHeader& header, const HeaderSigner& sign) {
  header.block_sig.reset();
  FIL_ASSIGN_OR_RETURN(auto sig, sign(header.signingBytes()));
  header.block_sig = std::move(sig);
  return ok();
}

}  // namespace

Status signBlock(BlockHeader& header, const crypto::secp256k1::PrivateKey& worker_key) {
  return signWith(header, keySigner(worker_key));
}

Result<FullBlock> createBlock(const BlockTemplate& t, const FullTipSet& parent, const ParentExecution& executed,
                              const primitives::StoragePower& parent_network_power, const NetworkParams& params,
                              const crypto::secp256k1::PrivateKey& worker_key) {
  return createBlock(t, parent, executed, parent_network_power, params, keySigner(worker_key));
}

Result<FullBlock> createBlock(const BlockTemplate& t, const FullTipSet& parent, const ParentExecution& executed,
                              const primitives::StoragePower& parent_network_power, const NetworkParams& params,
                              const HeaderSigner& sign) {
  FIL_ASSIGN_OR_RETURN(const TipSet parent_ts, parent.tipset());
  if (t.epoch <= parent_ts.height()) {
    return fail(ChainError::kMalformed,
                fmt::format("block epoch {} is not above the parent's {}", t.epoch, parent_ts.height()));
  }
  for (const auto& m : t.messages) {
    if (m.signature.type != primitives::SignatureType::kSecp256k1) {
      return fail(ChainError::kMalformed, fmt::format("message {} is not secp256k1-signed", m.cid().toString()));
    }
  }
  FullBlock block;
  BlockHeader& h = block.header;
  h.miner = t.miner;
  h.ticket = t.ticket;
  h.election_proof = t.election_proof;
  h.beacon_entries = t.beacon_entries;
  h.win_post_proof = t.winning_post_proof;
  h.parents = parent_ts.cids();
  FIL_ASSIGN_OR_RETURN(h.parent_weight, tipsetWeight(parent_ts, parent_network_power));
  h.height = t.epoch;
  h.parent_state_root = executed.state_root;
  h.parent_message_receipts = executed.receipts_root;
  std::vector<cid::Cid> cids;
  cids.reserve(t.messages.size());
  for (const auto& m : t.messages) cids.push_back(m.cid());
  store::MemoryBlockstore scratch;
  FIL_ASSIGN_OR_RETURN(h.messages, storeMsgMeta(scratch, {}, cids));
  h.bls_aggregate = emptyBlsAggregate();
  h.timestamp = expectedTimestamp(parent_ts.minTimestamp(), parent_ts.height(), t.epoch, params);
  h.parent_base_fee = computeBaseFee(parent, params);
  FIL_TRY(signWith(h, sign));
  block.secpk_messages = t.messages;
  return block;
}

}  // namespace fil::chain
