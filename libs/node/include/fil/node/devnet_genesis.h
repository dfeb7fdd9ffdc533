// The genesis a devnet node starts from, as Lotus's local-devnet guide
// makes it:
//
//   lotus daemon --lotus-make-genesis=devgen.car --genesis-template=localnet.json
//     builds the genesis state from the template (libs/vm genesis), the
//     genesis block (libs/chain), and writes both as a CAR rooted at the
//     block; the node that makes it holds the devnet beacon's key.
//   lotus daemon --genesis=devgen.car
//     loads such a CAR, checking every block against its CID.
#pragma once

#include <filesystem>

#include "fil/base/error.h"
#include "fil/chain/beacon.h"
#include "fil/chain/block.h"
#include "fil/chain/network.h"
#include "fil/store/blockstore.h"
#include "fil/store/filesystem.h"
#include "fil/vm/genesis.h"

namespace fil::node {

// Builds the genesis state and block into `blocks` and writes the CAR to
// `car_path` (atomically). The block's timestamp is the template's, or now
// when it has none; its ticket is 32 random bytes, as Lotus's.
[[nodiscard]] Result<chain::BlockHeader> makeDevnetGenesis(store::Blockstore& blocks, store::FileSystem& fs,
                                                           const vm::genesis::Template& t,
                                                           const chain::NetworkParams& network,
                                                           const chain::DevnetBeaconSigner& beacon,
                                                           const std::filesystem::path& car_path);

// Loads a genesis CAR into `blocks`; returns the block its root names,
// which must be a block at height 0.
[[nodiscard]] Result<chain::BlockHeader> importGenesisCar(store::Blockstore& blocks, store::FileSystem& fs,
                                                          const std::filesystem::path& car_path);

}  // namespace fil::node
