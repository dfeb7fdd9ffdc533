// Assembling a block once a miner has won (Lotus consensus.CreateBlockHeader
// and the miner's signing): everything derived from the parent and the
// template is computed here, then the worker key signs the header.
//
//   BlockTemplate t{.miner = miner, .epoch = epoch, .beacon_entries = entries, .ticket = ticket,
//                   .election_proof = eproof, .winning_post_proof = proofs, .messages = selected};
//   FIL_ASSIGN_OR_RETURN(FullBlock block, createBlock(t, parent, executed, parent_power, params, worker_key));
//
// A node that keeps the worker key in its wallet signs through a
// HeaderSigner instead (MinerCreateBlock: the key never leaves the wallet).
#pragma once

#include <functional>
#include <vector>

#include "fil/base/error.h"
#include "fil/chain/block.h"
#include "fil/chain/network.h"
#include "fil/chain/tipset.h"
#include "fil/chain/validation.h"
#include "fil/crypto/secp256k1.h"

namespace fil::chain {

struct BlockTemplate {
  primitives::Address miner;
  ChainEpoch epoch = 0;
  std::vector<BeaconEntry> beacon_entries;
  Ticket ticket;
  ElectionProof election_proof;
  std::vector<proofs::PoStProof> winning_post_proof;
  std::vector<primitives::SignedMessage> messages;  // secp256k1 only
};

// Signs a block header's signing bytes (BlockSig) with the worker key.
using HeaderSigner = std::function<Result<primitives::Signature>(BytesView signing_bytes)>;

// The signed block: Parents, ParentWeight (from the parent state's network
// power), ParentBaseFee, parent state and receipts, Messages root,
// Timestamp (by the block delay), the empty BLS aggregate and BlockSig.
[[nodiscard]] Result<FullBlock> createBlock(const BlockTemplate& t, const FullTipSet& parent,
                                            const ParentExecution& executed,
                                            const primitives::StoragePower& parent_network_power,
                                            const NetworkParams& params,
                                            const crypto::secp256k1::PrivateKey& worker_key);
[[nodiscard]] Result<FullBlock> createBlock(const BlockTemplate& t, const FullTipSet& parent,
                                            const ParentExecution& executed,
                                            const primitives::StoragePower& parent_network_power,
                                            const NetworkParams& params, const HeaderSigner& sign);

// Signs `header` (BlockSig over its signing bytes) with the worker key.
[[nodiscard]] Status signBlock(BlockHeader& header, const crypto::secp256k1::PrivateKey& worker_key);

}  // namespace fil::chain
