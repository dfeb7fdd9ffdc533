#include "fil/primitives/signature.h"

#include <fmt/format.h>

#include "fil/crypto/blake2b.h"
#include "fil/crypto/secp256k1.h"

namespace fil::primitives {

Result<Signature> signSecp256k1(BytesView private_key, BytesView payload) {
  if (private_key.size() != 32) {
    return fail(PrimitivesError::kInvalidKeyInfo,
                fmt::format("secp256k1 private key must be 32 bytes, got {}", private_key.size()));
  }
  crypto::secp256k1::PrivateKey key;
  std::copy(private_key.begin(), private_key.end(), key.begin());
  FIL_ASSIGN_OR_RETURN(auto sig, crypto::secp256k1::sign(key, crypto::blake2b256(payload)));
  return Signature{SignatureType::kSecp256k1, Bytes(sig.begin(), sig.end())};
}

Status verifySignature(const Signature& signature, const Address& signer, BytesView payload) {
  switch (signature.type) {
    case SignatureType::kSecp256k1: {
      if (!signer.defined() || signer.protocol() != AddressProtocol::kSecp256k1) {
        return fail(PrimitivesError::kInvalidSignature,
                    fmt::format("a secp256k1 signature cannot be checked against {} (need an f1 address)",
                                signer.toString()));
      }
      FIL_ASSIGN_OR_RETURN(auto sig, crypto::secp256k1::signatureFromBytes(signature.data));
      auto key = crypto::secp256k1::recover(sig, crypto::blake2b256(payload));
      if (!key) return fail(PrimitivesError::kInvalidSignature, key.error().message());
      FIL_ASSIGN_OR_RETURN(auto recovered, Address::secp256k1(*key));
      if (recovered != signer) {
        return fail(PrimitivesError::kInvalidSignature,
                    fmt::format("signature was made by {}, not {}", recovered.toString(), signer.toString()));
      }
      return ok();
    }
    case SignatureType::kBls:
      return fail(PrimitivesError::kUnsupportedKeyType, "BLS signatures cannot be verified yet (BLS12-381 pairing is on the roadmap)");
    case SignatureType::kDelegated:
      return fail(PrimitivesError::kUnsupportedKeyType, "delegated (EVM) signatures cannot be verified yet");
  }
  return fail(PrimitivesError::kInvalidSignature,
              fmt::format("unknown signature type {}", static_cast<int>(signature.type)));
}

}  // namespace fil::primitives

namespace fil::codec {

void CborCodec<primitives::Signature>::encode(CborEncoder& e, const primitives::Signature& s) {
  Bytes b;
  b.reserve(1 + s.data.size());
  b.push_back(static_cast<uint8_t>(s.type));
  append(b, s.data);
  e.writeBytes(b);
}

Status CborCodec<primitives::Signature>::decode(CborDecoder& d, primitives::Signature& out) {
  FIL_ASSIGN_OR_RETURN(auto bytes, d.readBytes());
  if (bytes.empty()) return fail(d.error(CborError::kInvalidValue, "empty signature"));
  if (bytes[0] < 1 || bytes[0] > 3) {
    return fail(d.error(CborError::kInvalidValue,
                        fmt::format("signature type {} is not 1 (secp256k1), 2 (BLS) or 3 (delegated)", bytes[0])));
  }
  out.type = static_cast<primitives::SignatureType>(bytes[0]);
  out.data.assign(bytes.begin() + 1, bytes.end());
  return ok();
}

}  // namespace fil::codec
