// libsodium must be initialised once before use; every wrapper calls this.
#pragma once

#include <cstdlib>

#include <sodium.h>

namespace fil::crypto::detail {

inline void ensureSodium() {
  static const bool initialised = [] {
    // -1 means the library could not initialise (no entropy source): nothing
    // in this process can be trusted to be random, so stop here.
    if (sodium_init() < 0) std::abort();
    return true;
  }();
  (void)initialised;
}

}  // namespace fil::crypto::detail
