#include "fil/crypto/blake2b.h"

#include <cstdlib>

#include <blake2.h>

namespace fil::crypto {

void blake2bInto(BytesView data, MutableBytesView out) {
  if (out.empty() || out.size() > kBlake2bMaxDigest) std::abort();
  if (::blake2b(out.data(), data.data(), nullptr, out.size(), data.size(), 0) != 0) std::abort();
}

Bytes blake2b(BytesView data, size_t length) {
  Bytes out(length);
  blake2bInto(data, out);
  return out;
}

struct Blake2b::State {
  blake2b_state s;
};

Blake2b::Blake2b(size_t length) : state_(std::make_unique<State>()), length_(length) {
  if (length < 1 || length > kBlake2bMaxDigest) std::abort();
  blake2b_init(&state_->s, length);
}
Blake2b::~Blake2b() = default;
Blake2b::Blake2b(Blake2b&&) noexcept = default;
Blake2b& Blake2b::operator=(Blake2b&&) noexcept = default;

Blake2b& Blake2b::update(BytesView data) {
  blake2b_update(&state_->s, data.data(), data.size());
  return *this;
}

Bytes Blake2b::finish() {
  Bytes out(length_);
  blake2b_final(&state_->s, out.data(), length_);
  blake2b_init(&state_->s, length_);
  return out;
}

}  // namespace fil::crypto
