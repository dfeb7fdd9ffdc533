// BLAKE2b with any digest length from 1 to 64 bytes (libb2). Filecoin uses
// 4 bytes (address checksums), 20 (address payloads), 32 (CIDs, message
// signing) and 64 (FRC-42 method numbers, the Feistel round function).
#pragma once

#include <memory>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/crypto/crypto_error.h"

namespace fil::crypto {

inline constexpr size_t kBlake2bMaxDigest = 64;

// Digest of `length` bytes; length must be 1..64 (checked, aborts otherwise:
// lengths are constants in the code, not input).
Bytes blake2b(BytesView data, size_t length);
// Writes a digest of out.size() bytes (1..64) into `out`.
void blake2bInto(BytesView data, MutableBytesView out);

template <size_t N>
ByteArray<N> blake2b(BytesView data) {
  static_assert(N >= 1 && N <= kBlake2bMaxDigest);
  ByteArray<N> out{};
  blake2bInto(data, out);
  return out;
}

inline ByteArray<32> blake2b256(BytesView data) { return blake2b<32>(data); }

class Blake2b {
 public:
  explicit Blake2b(size_t length);
  ~Blake2b();
  Blake2b(Blake2b&&) noexcept;
  Blake2b& operator=(Blake2b&&) noexcept;

  Blake2b& update(BytesView data);
  Bytes finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
  size_t length_;
};

}  // namespace fil::crypto
