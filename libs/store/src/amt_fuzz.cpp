// Fuzz target: AMT root and node decoding. The first byte picks the version
// (v0 or v3) and, for v3, the bit width (1..8); the rest is the root block.
// Accepted roots are loaded and walked; every index visited must be found
// again by get() with the same value.
#include <cstdint>
#include <cstdlib>

#include "fil/store/amt.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fil::store;
  if (size == 0) return 0;
  AmtOptions options;
  options.version = (data[0] & 0x80) ? AmtVersion::kV0 : AmtVersion::kV3;
  options.bit_width = options.version == AmtVersion::kV0 ? 3 : 1 + (data[0] & 7);
  const fil::BytesView bytes(data + 1, size - 1);
  (void)validateAmtNode(bytes, data[0] & 0x70, options);
  if (!validateAmtRoot(bytes, options)) return 0;
  MemoryBlockstore store;
  auto root = putBlock(store, bytes, fil::cid::Codec::kDagCbor);
  if (!root) std::abort();
  auto amt = Amt::load(store, *root, options);
  if (!amt) std::abort();  // validated above
  std::vector<std::pair<uint64_t, fil::Bytes>> entries;
  auto walked = amt->forEach([&](uint64_t i, fil::BytesView v) {
    if (entries.size() > 100000) return fil::Status(fil::fail(StoreError::kTooLarge, "enough"));
    entries.emplace_back(i, fil::toBytes(v));
    return fil::ok();
  });
  if (!walked) return 0;
  for (const auto& [i, v] : entries) {
    auto got = amt->get(i);
    if (!got || !*got || **got != v) std::abort();
  }
  return 0;
}
