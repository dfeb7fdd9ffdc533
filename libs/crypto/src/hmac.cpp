#include "fil/crypto/hmac.h"

#include <cstdlib>

#include <openssl/hmac.h>

namespace fil::crypto {

Sha256Digest hmacSha256(BytesView key, BytesView data) {
  Sha256Digest out;
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(),
           &len) == nullptr) {
    std::abort();
  }
  return out;
}

Bytes hkdfSha256(BytesView salt, BytesView input_key, BytesView info, size_t length) {
  if (length > 255 * 32) std::abort();  // a constant of the caller's protocol
  const Sha256Digest prk = hmacSha256(salt, input_key);
  Bytes out;
  out.reserve(length);
  Bytes block;
  for (uint8_t counter = 1; out.size() < length; ++counter) {
    Bytes input = block;
    append(input, info);
    input.push_back(counter);
    const Sha256Digest t = hmacSha256(prk, input);
    block.assign(t.begin(), t.end());
    const size_t take = std::min(block.size(), length - out.size());
    out.insert(out.end(), block.begin(), block.begin() + static_cast<ptrdiff_t>(take));
  }
  return out;
}

}  // namespace fil::crypto
