// Fuzz target: multiaddr text and binary parsing; what parses round-trips.
#include <cstdint>
#include <cstdlib>

#include "fil/cid/multiaddr.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const fil::BytesView bytes(data, size);
  if (auto ma = fil::cid::Multiaddr::fromBytes(bytes)) {
    if (ma->toBytes() != fil::toBytes(bytes)) std::abort();
    auto reparsed = fil::cid::Multiaddr::parse(ma->toString());
    if (!reparsed || *reparsed != *ma) std::abort();
  }
  if (auto ma = fil::cid::Multiaddr::parse(fil::asString(bytes))) {
    auto back = fil::cid::Multiaddr::fromBytes(ma->toBytes());
    if (!back || *back != *ma) std::abort();
  }
  return 0;
}
