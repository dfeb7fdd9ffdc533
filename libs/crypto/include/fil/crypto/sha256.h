// SHA-256 through OpenSSL, which uses the SHA-NI instructions where the CPU
// has them (checked at run time by OpenSSL's capability probe).
#pragma once

#include <memory>

#include "fil/base/bytes.h"

namespace fil::crypto {

using Sha256Digest = ByteArray<32>;

Sha256Digest sha256(BytesView data);

// Incremental hashing for streams.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;

  Sha256& update(BytesView data);
  // Returns the digest; the hasher is reset and can be reused.
  Sha256Digest finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Whether this CPU has the SHA extensions (reported by benchmarks and
// `lotus-shed` so performance figures can be read against the right limit).
bool cpuHasShaNi();

}  // namespace fil::crypto
