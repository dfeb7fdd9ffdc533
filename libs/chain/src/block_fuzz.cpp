// Fuzz target: block header and gossip message decoding. What decodes must
// re-encode to the same bytes (DAG-CBOR is canonical, so a block has one
// CID), and its Lotus JSON must read back to the same value.
#include <cstdint>
#include <cstdlib>

#include "fil/chain/block.h"
#include "fil/chain/json.h"

namespace {

template <typename T>
void checkCanonical(fil::BytesView bytes) {
  auto value = fil::codec::decode<T>(bytes);
  if (!value) return;
  if (!fil::equal(fil::codec::encode(*value), bytes)) std::abort();
  auto back = fil::codec::fromJson<T>(fil::codec::toJson(*value));
  if (!back || !(*back == *value)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const fil::BytesView bytes(data, size);
  checkCanonical<fil::chain::BlockHeader>(bytes);
  checkCanonical<fil::chain::BlockMsg>(bytes);
  if (auto h = fil::chain::BlockHeader::decode(bytes)) {
    (void)h->cid();
    (void)h->signingBytes();
  }
  return 0;
}
