// System actor (f00): owns the builtin actor registry (the bundle manifest's
// name -> code CID list).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "fil/cid/cid.h"
#include "fil/codec/cbor.h"
#include "fil/store/blockstore.h"
#include "fil/vm/actor.h"

namespace fil::vm::system {

struct State {
  cid::Cid builtin_actors;  // CBOR [[name, code CID], ...]
};
FIL_CBOR_TUPLE(State, (builtin_actors, "BuiltinActors"))

// A manifest entry: [name, code].
struct ManifestEntry {
  std::string name;
  cid::Cid code;
};
FIL_CBOR_TUPLE(ManifestEntry, (name, "Name"), (code, "Code"))

// Stores the registry of our builtin actors (all 16 types in
// builtin-actors' order) and returns the system actor's state.
[[nodiscard]] Result<State> makeState(store::Blockstore& store);

}  // namespace fil::vm::system
