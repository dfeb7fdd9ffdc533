// Types several builtin actors share (go-state-types builtin, abi).
#pragma once

#include <cstdint>

#include "fil/base/bytes.h"
#include "fil/codec/cbor.h"
#include "fil/primitives/big_int.h"
#include "fil/vm/actor.h"
#include "fil/vm/exit.h"

namespace fil::vm {

using primitives::BigInt;
using primitives::StoragePower;
using DealId = uint64_t;
using SectorNumber = uint64_t;
using DealWeight = BigInt;

// smoothing.FilterEstimate: position and velocity in Q.128 fixed point.
struct FilterEstimate {
  BigInt position;
  BigInt velocity;
  friend bool operator==(const FilterEstimate&, const FilterEstimate&) = default;
};
FIL_CBOR_TUPLE(FilterEstimate, (position, "PositionEstimate"), (velocity, "VelocityEstimate"))

// A constant estimate of `value` (position value << 128, no velocity).
FilterEstimate constantEstimate(const BigInt& value);
// The estimate's current value (position >> 128).
BigInt estimateValue(const FilterEstimate& estimate);

// proof.PoStProof on chain: [PoStProof, ProofBytes].
struct PoStProof {
  int64_t post_proof = 0;  // RegisteredPoStProof
  Bytes proof_bytes;
  friend bool operator==(const PoStProof&, const PoStProof&) = default;
};
FIL_CBOR_TUPLE(PoStProof, (post_proof, "PoStProof"), (proof_bytes, "ProofBytes"))

// Empty CBOR parameters and returns are zero bytes, not an encoded value
// (abi.EmptyValue).
inline Bytes emptyReturn() { return {}; }

}  // namespace fil::vm
