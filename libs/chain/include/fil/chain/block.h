// Block headers and their parts, as Lotus encodes them (chain/types):
// CBOR tuples declared beside each struct, Lotus JSON from the same
// declarations (fil/chain/json.h).
//
//   BlockHeader h = ...;
//   Bytes wire = h.serialize();            // CBOR array of 16 (0x90)
//   cid::Cid id = h.cid();                 // dag-cbor, blake2b-256
//   Bytes to_sign = h.signingBytes();      // BlockSig encoded as null
//   FIL_ASSIGN_OR_RETURN(auto back, BlockHeader::decode(wire));
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/chain/network.h"
#include "fil/cid/cid.h"
#include "fil/codec/cbor.h"
#include "fil/primitives/address.h"
#include "fil/primitives/big_int.h"
#include "fil/primitives/message.h"
#include "fil/primitives/signature.h"
#include "fil/proofs/post.h"

namespace fil::chain {

// A block's ticket: the miner's VRF over the ticket seed (election.h).
struct Ticket {
  Bytes vrf_proof;
  friend bool operator==(const Ticket&, const Ticket&) = default;
};
FIL_CBOR_TUPLE(Ticket, (vrf_proof, "VRFProof"))

// The miner's VRF over the election seed and the wins it claims from it.
struct ElectionProof {
  int64_t win_count = 0;
  Bytes vrf_proof;
  friend bool operator==(const ElectionProof&, const ElectionProof&) = default;
};
FIL_CBOR_TUPLE(ElectionProof, (win_count, "WinCount"), (vrf_proof, "VRFProof"))

// One round of the randomness beacon (beacon.h).
struct BeaconEntry {
  uint64_t round = 0;
  Bytes data;
  friend bool operator==(const BeaconEntry&, const BeaconEntry&) = default;
};
FIL_CBOR_TUPLE(BeaconEntry, (round, "Round"), (data, "Data"))

struct BlockHeader {
  primitives::Address miner;                            // 0: ID address of the miner actor
  std::optional<Ticket> ticket;                         // 1
  std::optional<ElectionProof> election_proof;          // 2
  std::vector<BeaconEntry> beacon_entries;              // 3: new rounds since the parent
  std::vector<proofs::PoStProof> win_post_proof;        // 4
  std::vector<cid::Cid> parents;                        // 5: the parent tipset's key, in order
  primitives::BigInt parent_weight;                     // 6
  ChainEpoch height = 0;                                // 7
  cid::Cid parent_state_root;                           // 8: state after executing the parents
  cid::Cid parent_message_receipts;                     // 9: their receipts (AMT v0)
  cid::Cid messages;                                    // 10: MsgMeta of this block's messages
  std::optional<primitives::Signature> bls_aggregate;   // 11
  uint64_t timestamp = 0;                               // 12: Unix seconds
  std::optional<primitives::Signature> block_sig;       // 13: worker's signature of signingBytes()
  uint64_t fork_signaling = 0;                          // 14
  primitives::TokenAmount parent_base_fee;              // 15: base fee after the parents

  Bytes serialize() const;
  cid::Cid cid() const;
  // The bytes the miner's worker signs: the header with BlockSig null.
  Bytes signingBytes() const;

  [[nodiscard]] static Result<BlockHeader> decode(BytesView bytes);

  friend bool operator==(const BlockHeader&, const BlockHeader&) = default;
};
FIL_CBOR_TUPLE(BlockHeader, (miner, "Miner"), (ticket, "Ticket"), (election_proof, "ElectionProof"),
               (beacon_entries, "BeaconEntries"), (win_post_proof, "WinPoStProof"), (parents, "Parents"),
               (parent_weight, "ParentWeight"), (height, "Height"), (parent_state_root, "ParentStateRoot"),
               (parent_message_receipts, "ParentMessageReceipts"), (messages, "Messages"),
               (bls_aggregate, "BLSAggregate"), (timestamp, "Timestamp"), (block_sig, "BlockSig"),
               (fork_signaling, "ForkSignaling"), (parent_base_fee, "ParentBaseFee"))

// What a block with no BLS messages carries as BLSAggregate: a BLS
// signature holding the compressed G2 identity (0xc0 then 95 zero bytes),
// as Lotus's aggregation of zero signatures yields.
primitives::Signature emptyBlsAggregate();

// The block's messages, as gossiped (Lotus types.BlockMsg): the header and
// the CIDs of its BLS and secp256k1 messages.
struct BlockMsg {
  BlockHeader header;
  std::vector<cid::Cid> bls_messages;
  std::vector<cid::Cid> secpk_messages;

  cid::Cid cid() const { return header.cid(); }
  friend bool operator==(const BlockMsg&, const BlockMsg&) = default;
};
FIL_CBOR_TUPLE(BlockMsg, (header, "Header"), (bls_messages, "BlsMessages"), (secpk_messages, "SecpkMessages"))

// A header with its messages (Lotus types.FullBlock).
struct FullBlock {
  BlockHeader header;
  std::vector<primitives::Message> bls_messages;
  std::vector<primitives::SignedMessage> secpk_messages;

  cid::Cid cid() const { return header.cid(); }
  friend bool operator==(const FullBlock&, const FullBlock&) = default;
};
FIL_CBOR_TUPLE(FullBlock, (header, "Header"), (bls_messages, "BlsMessages"), (secpk_messages, "SecpkMessages"))

// The expected timestamp of a block at `height` on a parent tipset whose
// earliest block has `parent_min_timestamp` at `parent_height`: one block
// delay per epoch, null rounds included.
uint64_t expectedTimestamp(uint64_t parent_min_timestamp, ChainEpoch parent_height, ChainEpoch height,
                           const NetworkParams& params);

}  // namespace fil::chain
