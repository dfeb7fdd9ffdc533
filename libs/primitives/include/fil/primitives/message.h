// Filecoin messages: the unsigned Message and the SignedMessage that carries
// a secp256k1 signature, with their CBOR layouts and CIDs as Lotus computes
// them.
//
// Message CID: blake2b-256 dag-cbor CID of the Message's CBOR.
// SignedMessage CID: for secp256k1, the CID of the SignedMessage's CBOR;
// for BLS, the CID of the Message (BLS signatures are aggregated per block).
#pragma once

#include <cstdint>

#include "fil/base/bytes.h"
#include "fil/cid/cid.h"
#include "fil/codec/cbor.h"
#include "fil/primitives/address.h"
#include "fil/primitives/big_int.h"
#include "fil/primitives/signature.h"

namespace fil::primitives {

using MethodNum = uint64_t;
using ChainEpoch = int64_t;

struct Message {
  uint64_t version = 0;
  Address to;
  Address from;
  uint64_t nonce = 0;
  TokenAmount value;
  int64_t gas_limit = 0;
  TokenAmount gas_fee_cap;
  TokenAmount gas_premium;
  MethodNum method = 0;
  Bytes params;

  cid::Cid cid() const;
  friend bool operator==(const Message&, const Message&) = default;
};
FIL_CBOR_TUPLE(Message, (version, "Version"), (to, "To"), (from, "From"), (nonce, "Nonce"), (value, "Value"),
               (gas_limit, "GasLimit"), (gas_fee_cap, "GasFeeCap"), (gas_premium, "GasPremium"),
               (method, "Method"), (params, "Params"))

struct SignedMessage {
  Message message;
  Signature signature;

  cid::Cid cid() const;
  // Checks the signature against the message's From address.
  [[nodiscard]] Status verify() const;
  friend bool operator==(const SignedMessage&, const SignedMessage&) = default;
};
FIL_CBOR_TUPLE(SignedMessage, (message, "Message"), (signature, "Signature"))

// Signs a message with a secp256k1 key (over the message CID's bytes).
[[nodiscard]] Result<SignedMessage> signMessage(const Message& message, BytesView secp256k1_private_key);

}  // namespace fil::primitives
