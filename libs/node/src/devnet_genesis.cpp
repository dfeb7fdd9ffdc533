#include "fil/node/devnet_genesis.h"

#include <chrono>

#include <fmt/format.h>

#include "fil/chain/genesis_block.h"
#include "fil/crypto/random.h"
#include "fil/store/car.h"
#include "fil/store/io.h"

namespace fil::node {

Result<chain::BlockHeader> makeDevnetGenesis(store::Blockstore& blocks, store::FileSystem& fs,
                                             const vm::genesis::Template& t, const chain::NetworkParams& network,
                                             const chain::DevnetBeaconSigner& beacon,
                                             const std::filesystem::path& car_path) {
  FIL_ASSIGN_OR_RETURN(auto state, vm::genesis::buildGenesisState(blocks, t, network));
  uint64_t timestamp = t.timestamp;
  if (timestamp == 0) {
    timestamp = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  }
  const auto ticket_bytes = crypto::randomBytes(32);
  FIL_ASSIGN_OR_RETURN(auto header, chain::makeGenesisHeader(blocks, state.state_root, timestamp,
                                                             chain::Ticket{ticket_bytes}, beacon.genesisEntry(),
                                                             network));
  FIL_TRY(blocks.put(header.cid(), header.serialize()));
  store::MemorySink sink;
  FIL_TRY(vm::genesis::writeCar(blocks, {header.cid()}, sink));
  if (auto written = store::writeFileAtomic(fs, car_path.string(), sink.data(), 0644); !written) {
    return fail(std::move(written).error().withContext("writing genesis " + car_path.string()));
  }
  return header;
}

Result<chain::BlockHeader> importGenesisCar(store::Blockstore& blocks, store::FileSystem& fs,
                                            const std::filesystem::path& car_path) {
  auto context = [&](Error e) { return fail(std::move(e).withContext("genesis " + car_path.string())); };
  auto source = store::FileSource::open(fs, car_path.string());
  if (!source) return context(std::move(source).error());
  auto reader = store::CarReader::open(**source, {.verify = true});
  if (!reader) return context(std::move(reader).error());
  const auto& roots = (*reader)->header().roots;
  if (roots.size() != 1) {
    return fail(GenericError::kInvalidArgument,
                fmt::format("genesis {} has {} roots; it must name exactly the genesis block", car_path.string(),
                            roots.size()));
  }
  while (true) {
    auto block = (*reader)->next();
    if (!block) return context(std::move(block).error());
    if (!*block) break;
    FIL_TRY(blocks.put((*block)->cid, (*block)->data));
  }
  auto bytes = blocks.get(roots[0]);
  if (!bytes) return context(std::move(bytes).error().withContext("its root block is missing"));
  auto header = chain::BlockHeader::decode(*bytes);
  if (!header) return context(std::move(header).error().withContext("its root is not a block header"));
  if (header->height != 0) {
    return fail(GenericError::kInvalidArgument,
                fmt::format("genesis {}: its root block is at height {}, not 0", car_path.string(), header->height));
  }
  return header;
}

}  // namespace fil::node
