// Fuzz target: block validation. The input is a FullBlock (CBOR [header,
// BLS messages, secp256k1 messages]) validated against a fixed devnet
// genesis and facts in which the scenario's own block is valid up to its
// winning PoSt (the sector is not sealed here). Nothing may crash, and a
// block must never pass: its winning PoSt cannot verify.
#include <cstdint>
#include <cstdlib>

#include "block_scenario.h"
#include "fil/chain/validation.h"

namespace {

const fil::chain::testing::BlockScenario& scenario() {
  static const auto s = fil::chain::testing::BlockScenario::make(
      fil::proofs::PublicSectorInfo{fil::proofs::RegisteredSealProof::kStackedDrg2KiBV1_1, 1, {}},
      [](std::span<const fil::proofs::PublicSectorInfo>, const fil::proofs::PoStRandomness&) {
        return fil::Result<std::vector<fil::proofs::PoStProof>>(std::vector<fil::proofs::PoStProof>{
            {fil::proofs::RegisteredPoStProof::kStackedDrgWinning2KiBV1, fil::Bytes(64, 1)}});
      });
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto& s = scenario();
  auto block = fil::codec::decode<fil::chain::FullBlock>(fil::BytesView(data, size));
  if (!block) return 0;
  if (fil::chain::validateBlock(*block, s.inputs())) std::abort();
  return 0;
}
