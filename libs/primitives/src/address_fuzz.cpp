// Fuzz target: address text and binary parsing; what parses round-trips.
#include <cstdint>
#include <cstdlib>

#include "fil/primitives/address.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using fil::primitives::Address;
  const fil::BytesView bytes(data, size);
  if (auto a = Address::fromBytes(bytes)) {
    if (a->toBytes() != fil::toBytes(bytes)) std::abort();
    auto text = Address::parse(a->toString());
    if (!text || *text != *a) std::abort();
  }
  if (auto a = Address::parse(fil::asString(bytes))) {
    auto back = Address::fromBytes(a->toBytes());
    if (!back || *back != *a) std::abort();
  }
  return 0;
}
