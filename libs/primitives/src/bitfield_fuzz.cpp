// Fuzz target: RLE+ decoding never crashes, and what decodes re-encodes to
// the same bytes (one spelling per set).
#include <cstdint>
#include <cstdlib>

#include "fil/primitives/bitfield.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const fil::BytesView bytes(data, size);
  if (auto b = fil::primitives::BitField::decode(bytes)) {
    if (b->encode() != fil::toBytes(bytes)) std::abort();
    (void)b->count();
  }
  return 0;
}
