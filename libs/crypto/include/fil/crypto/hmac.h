// HMAC-SHA256 and HKDF-SHA256 (OpenSSL): JWT signatures, Noise key schedule.
#pragma once

#include "fil/base/bytes.h"
#include "fil/crypto/sha256.h"

namespace fil::crypto {

Sha256Digest hmacSha256(BytesView key, BytesView data);

// RFC 5869 HKDF-SHA256: extract with `salt`, then expand to `length` bytes
// (at most 255 * 32).
Bytes hkdfSha256(BytesView salt, BytesView input_key, BytesView info, size_t length);

}  // namespace fil::crypto
