// Signatures as Filecoin carries them: a type byte then the signature data.
// CBOR: one byte string, type || data.
#pragma once

#include <cstdint>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/codec/cbor.h"
#include "fil/primitives/address.h"

namespace fil::primitives {

enum class SignatureType : uint8_t {
  kSecp256k1 = 1,
  kBls = 2,
  kDelegated = 3,
};

struct Signature {
  SignatureType type = SignatureType::kSecp256k1;
  Bytes data;
  friend bool operator==(const Signature&, const Signature&) = default;
};

// Signs `payload` (for a message, its CID bytes) the way Filecoin does for
// the key's type: secp256k1 signs blake2b-256(payload).
[[nodiscard]] Result<Signature> signSecp256k1(BytesView private_key, BytesView payload);

// Checks that `signature` over `payload` was made by the key behind `signer`
// (a secp256k1 address: the recovered key must hash to it). BLS and
// delegated signatures are not supported yet and fail with kUnsupportedKeyType.
[[nodiscard]] Status verifySignature(const Signature& signature, const Address& signer, BytesView payload);

}  // namespace fil::primitives

template <>
struct fil::codec::CborCodec<fil::primitives::Signature> {
  static void encode(CborEncoder& e, const primitives::Signature& s);
  static Status decode(CborDecoder& d, primitives::Signature& out);
};
