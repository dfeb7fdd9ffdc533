// Fuzz target: HAMT node decoding. The first byte picks the bit width (1..8)
// and whether the node is a root; the rest is the node. Accepted roots are
// loaded and walked; every entry they hold must be found again by get().
#include <cstdint>
#include <cstdlib>

#include "fil/store/hamt.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fil::store;
  if (size == 0) return 0;
  const HamtOptions options{1 + (data[0] & 7)};
  const bool is_root = (data[0] & 8) == 0;
  const fil::BytesView node(data + 1, size - 1);
  if (!validateHamtNode(node, options, is_root) || !is_root) return 0;
  MemoryBlockstore store;
  auto root = putBlock(store, node, fil::cid::Codec::kDagCbor);
  if (!root) std::abort();
  auto hamt = Hamt::load(store, *root, options);
  if (!hamt) std::abort();  // validated above
  std::vector<std::pair<fil::Bytes, fil::Bytes>> entries;
  auto walked = hamt->forEach([&](fil::BytesView k, fil::BytesView v) {
    entries.emplace_back(fil::toBytes(k), fil::toBytes(v));
    return fil::ok();
  });
  if (!walked) return 0;  // links to blocks we do not have
  // A malformed node may hold a key in the wrong bucket, or twice (go-hamt-ipld
  // does not check placement either): get() must then return one of the
  // values the walk saw for that key, or nothing.
  for (const auto& [k, v] : entries) {
    auto got = hamt->get(k);
    if (!got || !*got) continue;
    bool seen = false;
    for (const auto& [k2, v2] : entries) seen = seen || (k2 == k && v2 == **got);
    if (!seen) std::abort();
  }
  return 0;
}
