// Init actor (f01): allocates actor IDs and maps robust addresses (key and
// actor addresses) to them; Exec creates actors (miners, for the power
// actor).
#pragma once

#include <optional>
#include <string>

#include "fil/cid/cid.h"
#include "fil/codec/cbor.h"
#include "fil/store/blockstore.h"
#include "fil/vm/actor.h"

namespace fil::vm::init {

inline constexpr MethodNum kConstructor = 1;
inline constexpr MethodNum kExec = 2;
inline constexpr MethodNum kExec4 = 3;

struct State {
  cid::Cid address_map;  // HAMT[address bytes] -> actor ID (CBOR uint), bit width 5
  ActorId next_id = 0;
  std::string network_name;
};
FIL_CBOR_TUPLE(State, (address_map, "AddressMap"), (next_id, "NextID"), (network_name, "NetworkName"))

struct ConstructorParams {
  std::string network_name;
};
FIL_CBOR_TUPLE(ConstructorParams, (network_name, "NetworkName"))

struct ExecParams {
  cid::Cid code_cid;
  Bytes constructor_params;
};
FIL_CBOR_TUPLE(ExecParams, (code_cid, "CodeCID"), (constructor_params, "ConstructorParams"))

struct ExecReturn {
  Address id_address;
  Address robust_address;
  friend bool operator==(const ExecReturn&, const ExecReturn&) = default;
};
FIL_CBOR_TUPLE(ExecReturn, (id_address, "IDAddress"), (robust_address, "RobustAddress"))

// A fresh state: an empty address map, next ID kFirstNonSingletonId.
[[nodiscard]] Result<State> makeState(store::Blockstore& store, std::string network_name);
// The ID mapped to `address`, or nullopt.
[[nodiscard]] Result<std::optional<ActorId>> resolveAddress(store::Blockstore& store, const State& state,
                                                           const Address& address);
// Maps `address` to the next ID and returns it; kErrForbidden when the
// address is already mapped.
[[nodiscard]] Result<ActorId> mapAddressToNewId(store::Blockstore& store, State& state, const Address& address);
// Maps `address` to a given ID (genesis).
[[nodiscard]] Status mapAddressToId(store::Blockstore& store, State& state, const Address& address, ActorId id);

}  // namespace fil::vm::init
