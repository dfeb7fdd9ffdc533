// A block's messages root: MsgMeta [BlsMessages, SecpkMessages], each the
// root of a legacy AMT v0 (go-amt-ipld v2 layout) holding message CIDs by
// position. A BLS message is named by its Message CID, a secp256k1 message
// by its SignedMessage CID (primitives/message.h).
//
//   MemoryBlockstore scratch;
//   FIL_ASSIGN_OR_RETURN(cid::Cid root, storeBlockMessages(scratch, block.bls_messages, block.secpk_messages));
//   if (root != block.header.messages) ...
#pragma once

#include <span>
#include <vector>

#include "fil/base/error.h"
#include "fil/chain/block.h"
#include "fil/cid/cid.h"
#include "fil/codec/cbor.h"
#include "fil/store/blockstore.h"

namespace fil::chain {

struct MsgMeta {
  cid::Cid bls_messages;
  cid::Cid secpk_messages;

  cid::Cid cid() const;
  friend bool operator==(const MsgMeta&, const MsgMeta&) = default;
};
FIL_CBOR_TUPLE(MsgMeta, (bls_messages, "BlsMessages"), (secpk_messages, "SecpkMessages"))

// The root of an empty AMT v0 (8300008341008080), the genesis block's
// messages and receipts arrays.
const cid::Cid& emptyAmtV0Root();

// Writes an AMT v0 of `cids` (index = position) and returns its root.
[[nodiscard]] Result<cid::Cid> storeCidArray(store::Blockstore& store, std::span<const cid::Cid> cids);
// Reads an AMT v0 of CIDs; its indexes must run 0..n-1 with no gaps.
[[nodiscard]] Result<std::vector<cid::Cid>> loadCidArray(store::Blockstore& store, const cid::Cid& root);

// Writes both arrays and the MsgMeta; returns the MsgMeta CID (a block's
// Messages field). Messages themselves are not stored.
[[nodiscard]] Result<cid::Cid> storeMsgMeta(store::Blockstore& store, std::span<const cid::Cid> bls,
                                            std::span<const cid::Cid> secpk);

// Stores every message and its MsgMeta; returns the MsgMeta CID.
[[nodiscard]] Result<cid::Cid> storeBlockMessages(store::Blockstore& store, std::span<const primitives::Message> bls,
                                                  std::span<const primitives::SignedMessage> secpk);

// The BLS and secp256k1 message CIDs a MsgMeta lists.
struct MessageCids {
  std::vector<cid::Cid> bls;
  std::vector<cid::Cid> secpk;
};
[[nodiscard]] Result<MessageCids> loadMsgMeta(store::Blockstore& store, const cid::Cid& root);

// The block with its messages, loaded from `store` (Lotus MessagesForBlock).
[[nodiscard]] Result<FullBlock> loadFullBlock(store::Blockstore& store, const BlockHeader& header);

}  // namespace fil::chain
