// Cryptographically secure random bytes (libsodium, the OS's getrandom).
#pragma once

#include "fil/base/bytes.h"

namespace fil::crypto {

void randomBytes(MutableBytesView out);
Bytes randomBytes(size_t n);

template <size_t N>
ByteArray<N> randomArray() {
  ByteArray<N> out;
  randomBytes(out);
  return out;
}

}  // namespace fil::crypto
