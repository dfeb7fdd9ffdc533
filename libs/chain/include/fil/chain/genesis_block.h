// The genesis block header (Lotus chain/gen/genesis MakeGenesisBlock):
// Miner f00, a ticket, ElectionProof {0, empty}, the beacon's genesis
// entry, Parents [the Filecoin genesis CID], ParentWeight 0, Height 0,
// empty AMT v0 messages and receipts, no signatures, ParentBaseFee the
// network's initial base fee. Building the state it points to is libs/vm's.
#pragma once

#include "fil/base/error.h"
#include "fil/chain/block.h"
#include "fil/chain/network.h"
#include "fil/cid/cid.h"
#include "fil/store/blockstore.h"

namespace fil::chain {

// bafyreiaqpwbbyjo4a42saasj36kkrpv4tsherf2e7bvezkert2a7dhonoi: the block
// every Filecoin genesis names as its parent (sha2-256 dag-cbor of Lotus's
// genesisBlockHex, "This is the Genesis Block of the Filecoin
// Decentralized Storage Network.").
const cid::Cid& filecoinGenesisCid();
// Its bytes.
const Bytes& filecoinGenesisBlockData();

// Writes the empty message arrays, the MsgMeta and the Filecoin genesis
// block to `store` and returns the header. Lotus's genesis ticket is 32
// random bytes; the caller supplies it so that genesis can be reproduced.
[[nodiscard]] Result<BlockHeader> makeGenesisHeader(store::Blockstore& store, const cid::Cid& state_root,
                                                    uint64_t timestamp, const Ticket& ticket,
                                                    const BeaconEntry& beacon_genesis_entry,
                                                    const NetworkParams& params);

}  // namespace fil::chain
