#include "fil/crypto/secp256k1.h"

#include <cstdlib>

#include <fmt/format.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "fil/crypto/random.h"

namespace fil::crypto::secp256k1 {
namespace {

// One context for the process. It is randomised once against side channels;
// after that libsecp256k1 allows concurrent use for signing and verifying.
const secp256k1_context* context() {
  static secp256k1_context* ctx = [] {
    secp256k1_context* c = secp256k1_context_create(SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY);
    const auto seed = randomArray<32>();
    if (secp256k1_context_randomize(c, seed.data()) != 1) std::abort();
    return c;
  }();
  return ctx;
}

PublicKey serialize(const secp256k1_pubkey& key) {
  PublicKey out;
  size_t len = out.size();
  secp256k1_ec_pubkey_serialize(context(), out.data(), &len, &key, SECP256K1_EC_UNCOMPRESSED);
  return out;
}

}  // namespace

PrivateKey generatePrivateKey() {
  for (;;) {
    PrivateKey key = randomArray<32>();
    if (secp256k1_ec_seckey_verify(context(), key.data()) == 1) return key;
  }
}

Result<PublicKey> derivePublicKey(const PrivateKey& key) {
  secp256k1_pubkey pub;
  if (secp256k1_ec_pubkey_create(context(), &pub, key.data()) != 1) {
    return fail(CryptoError::kInvalidKey, "secp256k1 private key is not a valid scalar");
  }
  return serialize(pub);
}

Result<Signature> sign(const PrivateKey& key, const Digest& digest) {
  secp256k1_ecdsa_recoverable_signature sig;
  if (secp256k1_ecdsa_sign_recoverable(context(), &sig, digest.data(), key.data(), nullptr, nullptr) != 1) {
    return fail(CryptoError::kInvalidKey, "secp256k1 private key is not a valid scalar");
  }
  Signature out;
  int recid = 0;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(context(), out.data(), &recid, &sig);
  out[64] = static_cast<uint8_t>(recid);
  return out;
}

Result<PublicKey> recover(const Signature& signature, const Digest& digest) {
  const int recid = signature[64];
  if (recid > 3) {
    return fail(CryptoError::kInvalidSignature,
                fmt::format("secp256k1 recovery id is {}, must be 0..3", recid));
  }
  secp256k1_ecdsa_recoverable_signature sig;
  if (secp256k1_ecdsa_recoverable_signature_parse_compact(context(), &sig, signature.data(), recid) != 1) {
    return fail(CryptoError::kInvalidSignature, "secp256k1 signature r or s is out of range");
  }
  secp256k1_pubkey pub;
  if (secp256k1_ecdsa_recover(context(), &pub, &sig, digest.data()) != 1) {
    return fail(CryptoError::kVerificationFailed, "no public key recovers from this secp256k1 signature");
  }
  return serialize(pub);
}

bool verify(const Signature& signature, const Digest& digest, const PublicKey& public_key) {
  auto recovered = recover(signature, digest);
  return recovered && *recovered == public_key;
}

Result<Bytes> signDer(const PrivateKey& key, const Digest& digest) {
  secp256k1_ecdsa_signature sig;
  if (secp256k1_ecdsa_sign(context(), &sig, digest.data(), key.data(), nullptr, nullptr) != 1) {
    return fail(CryptoError::kInvalidKey, "secp256k1 private key is not a valid scalar");
  }
  Bytes out(72);  // the longest DER signature
  size_t len = out.size();
  secp256k1_ecdsa_signature_serialize_der(context(), out.data(), &len, &sig);
  out.resize(len);
  return out;
}

bool verifyDer(BytesView der, const Digest& digest, const PublicKey& public_key) {
  if (der.empty()) return false;  // libsecp256k1 treats a null input as a programming error
  secp256k1_ecdsa_signature sig;
  if (secp256k1_ecdsa_signature_parse_der(context(), &sig, der.data(), der.size()) != 1) return false;
  secp256k1_ecdsa_signature_normalize(context(), &sig, &sig);
  secp256k1_pubkey pub;
  if (secp256k1_ec_pubkey_parse(context(), &pub, public_key.data(), public_key.size()) != 1) return false;
  return secp256k1_ecdsa_verify(context(), &sig, digest.data(), &pub) == 1;
}

Result<PublicKey> parsePublicKey(BytesView bytes) {
  if (bytes.size() != 33 && bytes.size() != 65) {
    return fail(CryptoError::kInvalidKey,
                fmt::format("secp256k1 public key is {} bytes, must be 33 or 65", bytes.size()));
  }
  secp256k1_pubkey pub;
  if (secp256k1_ec_pubkey_parse(context(), &pub, bytes.data(), bytes.size()) != 1) {
    return fail(CryptoError::kInvalidKey, "bytes are not a point on secp256k1");
  }
  return serialize(pub);
}

CompressedPublicKey compress(const PublicKey& key) {
  secp256k1_pubkey pub;
  if (secp256k1_ec_pubkey_parse(context(), &pub, key.data(), key.size()) != 1) std::abort();
  CompressedPublicKey out;
  size_t len = out.size();
  secp256k1_ec_pubkey_serialize(context(), out.data(), &len, &pub, SECP256K1_EC_COMPRESSED);
  return out;
}

Result<Signature> signatureFromBytes(BytesView bytes) {
  if (bytes.size() != 65) {
    return fail(CryptoError::kInvalidSignature,
                fmt::format("secp256k1 signature is {} bytes, must be 65 (r || s || v)", bytes.size()));
  }
  Signature out;
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

}  // namespace fil::crypto::secp256k1
