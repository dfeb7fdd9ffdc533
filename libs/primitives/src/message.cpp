#include "fil/primitives/message.h"

namespace fil::primitives {

cid::Cid Message::cid() const { return cid::Cid::compute(cid::Codec::kDagCbor, codec::encode(*this)); }

cid::Cid SignedMessage::cid() const {
  if (signature.type == SignatureType::kBls) return message.cid();
  return cid::Cid::compute(cid::Codec::kDagCbor, codec::encode(*this));
}

Status SignedMessage::verify() const {
  const Bytes signed_bytes = message.cid().toBytes();
  return verifySignature(signature, message.from, signed_bytes);
}

Result<SignedMessage> signMessage(const Message& message, BytesView secp256k1_private_key) {
  FIL_ASSIGN_OR_RETURN(auto sig, signSecp256k1(secp256k1_private_key, message.cid().toBytes()));
  return SignedMessage{message, std::move(sig)};
}

}  // namespace fil::primitives
