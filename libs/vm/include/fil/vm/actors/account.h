// Account actor: the on-chain identity of a secp256k1 or BLS key.
#pragma once

#include "fil/codec/cbor.h"
#include "fil/vm/actor.h"

namespace fil::vm::account {

inline constexpr MethodNum kConstructor = 1;
inline constexpr MethodNum kPubkeyAddress = 2;
// frc42MethodNumber("AuthenticateMessage")
inline constexpr MethodNum kAuthenticateMessage = 2643134072;

struct State {
  Address address;  // the key address
};
FIL_CBOR_TUPLE(State, (address, "Address"))

struct AuthenticateMessageParams {
  Bytes signature;  // raw signature bytes, without the type byte
  Bytes message;
};
FIL_CBOR_TUPLE(AuthenticateMessageParams, (signature, "Signature"), (message, "Message"))

}  // namespace fil::vm::account
