#include "fil/crypto/random.h"

#include "sodium_init.h"

namespace fil::crypto {

void randomBytes(MutableBytesView out) {
  detail::ensureSodium();
  randombytes_buf(out.data(), out.size());
}

Bytes randomBytes(size_t n) {
  Bytes out(n);
  randomBytes(out);
  return out;
}

}  // namespace fil::crypto
