// Fuzz target: CID binary and text parsing must never crash, and whatever
// parses must re-encode to the same bytes.
#include <cstdint>
#include <cstdlib>

#include "fil/cid/cid.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const fil::BytesView bytes(data, size);
  if (auto c = fil::cid::Cid::fromBytes(bytes)) {
    if (c->toBytes() != fil::toBytes(bytes)) std::abort();
    auto again = fil::cid::Cid::parse(c->toString());
    if (!again || *again != *c) std::abort();
  }
  (void)fil::cid::Cid::parse(fil::asString(bytes));
  return 0;
}
