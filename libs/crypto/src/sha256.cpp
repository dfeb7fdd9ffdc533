#include "fil/crypto/sha256.h"

#include <cpuid.h>
#include <cstdlib>

#include <openssl/evp.h>
#include <openssl/sha.h>

namespace fil::crypto {

Sha256Digest sha256(BytesView data) {
  Sha256Digest out;
  // One-shot SHA256() goes through the same SHA-NI code as EVP without the
  // context allocation, which matters for the many small hashes of trees.
  ::SHA256(data.data(), data.size(), out.data());
  return out;
}

struct Sha256::State {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~State() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  if (state_->ctx == nullptr || EVP_DigestInit_ex(state_->ctx, EVP_sha256(), nullptr) != 1) {
    std::abort();  // allocation failure inside OpenSSL
  }
}
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

Sha256& Sha256::update(BytesView data) {
  EVP_DigestUpdate(state_->ctx, data.data(), data.size());
  return *this;
}

Sha256Digest Sha256::finish() {
  Sha256Digest out;
  unsigned int len = 0;
  EVP_DigestFinal_ex(state_->ctx, out.data(), &len);
  EVP_DigestInit_ex(state_->ctx, EVP_sha256(), nullptr);
  return out;
}

bool cpuHasShaNi() {
  unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) return false;
  return (ebx & (1u << 29)) != 0;
}

}  // namespace fil::crypto
