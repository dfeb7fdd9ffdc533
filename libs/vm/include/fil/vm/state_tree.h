// The state tree: every actor by ID address, in a HAMT (bit width 5) whose
// root a StateRoot [Version, Actors, Info] names (Lotus chain/state, state
// tree version 5).
//
//   FIL_ASSIGN_OR_RETURN(auto tree, StateTree::load(blocks, root));
//   FIL_ASSIGN_OR_RETURN(auto actor, tree.getActor(address));   // any address kind
//   tree.snapshot();                 // before a message
//   ... setActor ...
//   FIL_TRY(tree.revert());          // the message failed: undo its changes
//   tree.clearSnapshot();
//   FIL_ASSIGN_OR_RETURN(cid::Cid new_root, tree.flush());
//
// Changes are kept in layers over the HAMT (one per open snapshot) and only
// written to the HAMT by flush(). Non-ID addresses are resolved through the
// init actor's address map; registerNewAddress() allocates the next ID there.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "fil/base/error.h"
#include "fil/cid/cid.h"
#include "fil/store/blockstore.h"
#include "fil/store/hamt.h"
#include "fil/vm/actor.h"

namespace fil::vm {

inline constexpr uint64_t kStateTreeVersion = 5;

struct StateRoot {
  uint64_t version = kStateTreeVersion;
  cid::Cid actors;
  cid::Cid info;  // an empty StateInfo0 (CBOR [])
};
FIL_CBOR_TUPLE(StateRoot, (version, "Version"), (actors, "Actors"), (info, "Info"))

class StateTree {
 public:
  // An empty tree. `store` must outlive it.
  [[nodiscard]] static Result<StateTree> create(store::Blockstore& store);
  // The tree under `root`; refuses versions other than 5 with VmError::kInvalidState.
  [[nodiscard]] static Result<StateTree> load(store::Blockstore& store, const cid::Cid& root);

  StateTree(StateTree&&) noexcept;
  StateTree& operator=(StateTree&&) noexcept;
  ~StateTree();

  store::Blockstore& store() const { return *store_; }

  // The actor behind any kind of address, or nullopt.
  [[nodiscard]] Result<std::optional<Actor>> getActor(const Address& address);
  // Sets the actor at `address` (an ID address, or one that resolves to one).
  [[nodiscard]] Status setActor(const Address& address, const Actor& actor);
  [[nodiscard]] Status deleteActor(const Address& address);

  // The ID behind `address` (itself for ID addresses, as long as it is
  // well-formed), or nullopt when no actor has it.
  [[nodiscard]] Result<std::optional<ActorId>> lookupId(const Address& address);
  // Allocates the next ID in the init actor and maps `address` (a key or
  // actor address) to it. kErrIllegalArgument if the address is taken.
  [[nodiscard]] Result<ActorId> registerNewAddress(const Address& address);

  // Opens a layer; revert() drops the changes since the matching snapshot();
  // clearSnapshot() merges them into the layer below.
  void snapshot();
  [[nodiscard]] Status revert();
  void clearSnapshot();
  size_t snapshotDepth() const { return layers_.size() - 1; }

  // Writes every change to the HAMT and returns the new root. Refused with
  // snapshots open.
  [[nodiscard]] Result<cid::Cid> flush();

  // Every actor (after flushing pending changes): id, actor.
  using Visitor = std::function<Status(ActorId id, const Actor& actor)>;
  [[nodiscard]] Status forEach(const Visitor& visit);

 private:
  struct Layer {
    std::unordered_map<ActorId, std::optional<Actor>> actors;  // nullopt: deleted
    std::map<Bytes, ActorId> resolved;                         // address bytes -> id
  };
  StateTree(store::Blockstore& store, store::Hamt hamt, cid::Cid info);

  store::Blockstore* store_;
  std::unique_ptr<store::Hamt> hamt_;
  cid::Cid info_;
  std::vector<Layer> layers_;
};

// The HAMT key of an address (its binary form) and of integers as
// builtin-actors keys its maps: unsigned varint (deal IDs, sector numbers)
// and zigzag varint (epochs).
Bytes addressKey(const Address& address);
Bytes uintKey(uint64_t value);
Bytes intKey(int64_t value);
[[nodiscard]] Result<uint64_t> parseUintKey(BytesView key);
[[nodiscard]] Result<int64_t> parseIntKey(BytesView key);

}  // namespace fil::vm
