#include "fil/chain/genesis_block.h"

#include "fil/base/hex.h"
#include "fil/chain/messages.h"

namespace fil::chain {

const Bytes& filecoinGenesisBlockData() {
  static const Bytes data = *fromHex(
      "a5684461746574696d6573323031372d30352d30352030313a32373a3531674e6574776f726b6846696c65636f696e65546f6b656e"
      "6846696c65636f696e6c546f6b656e416d6f756e7473a36b546f74616c537570706c796d322c3030302c3030302c303030664d696e"
      "6572736d312c3430302c3030302c3030306c50726f746f636f6c4c616273a36b446576656c6f706d656e746b3330302c3030302c30"
      "30306b46756e6472616973696e676b3230302c3030302c3030306a466f756e646174696f6e6b3130302c3030302c303030674d6573"
      "73616765784854686973206973207468652047656e6573697320426c6f636b206f66207468652046696c65636f696e20446563656e"
      "7472616c697a65642053746f72616765204e6574776f726b2e");
  return data;
}

const cid::Cid& filecoinGenesisCid() {
  static const cid::Cid c =
      cid::Cid::compute(cid::Codec::kDagCbor, filecoinGenesisBlockData(), cid::HashCode::kSha2_256);
  return c;
}

Result<BlockHeader> makeGenesisHeader(store::Blockstore& store, const cid::Cid& state_root, uint64_t timestamp,
                                      const Ticket& ticket, const BeaconEntry& beacon_genesis_entry,
                                      const NetworkParams& params) {
  FIL_ASSIGN_OR_RETURN(const cid::Cid empty, storeCidArray(store, {}));
  FIL_ASSIGN_OR_RETURN(const cid::Cid meta, store::putCbor(store, MsgMeta{empty, empty}));
  FIL_TRY(store.put(filecoinGenesisCid(), filecoinGenesisBlockData()));

  BlockHeader h;
  h.miner = primitives::Address::id(0);
  h.ticket = ticket;
  h.election_proof = ElectionProof{};
  h.beacon_entries = {beacon_genesis_entry};
  h.parents = {filecoinGenesisCid()};
  h.parent_weight = 0;
  h.height = 0;
  h.parent_state_root = state_root;
  h.parent_message_receipts = empty;
  h.messages = meta;
  h.timestamp = timestamp;
  h.parent_base_fee = params.initial_base_fee;
  return h;
}

}  // namespace fil::chain
