#include "fil/vm/state_tree.h"

#include <fmt/format.h>

#include "fil/vm/actors/init.h"
#include "fil/vm/exit.h"

namespace fil::vm {

Bytes addressKey(const Address& address) { return address.toBytes(); }

// Go's binary.PutUvarint (up to 10 bytes), as builtin-actors' u64_key.
Bytes uintKey(uint64_t value) {
  Bytes out;
  while (value >= 0x80) {
    out.push_back(static_cast<uint8_t>(value) | 0x80);
    value >>= 7;
  }
  out.push_back(static_cast<uint8_t>(value));
  return out;
}

// Go's binary.PutVarint: zigzag, then uvarint.
Bytes intKey(int64_t value) {
  const uint64_t zigzag = (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
  return uintKey(zigzag);
}

Result<uint64_t> parseUintKey(BytesView key) {
  uint64_t value = 0;
  unsigned shift = 0;
  for (size_t i = 0; i < key.size(); ++i) {
    const uint8_t b = key[i];
    if (i == 9 && b > 1) break;  // overflow
    value |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) {
      if (i + 1 != key.size()) break;
      return value;
    }
    shift += 7;
  }
  return fail(VmError::kInvalidState, "malformed varint map key");
}

Result<int64_t> parseIntKey(BytesView key) {
  FIL_ASSIGN_OR_RETURN(uint64_t zigzag, parseUintKey(key));
  return static_cast<int64_t>((zigzag >> 1) ^ (~(zigzag & 1) + 1));
}

StateTree::StateTree(store::Blockstore& store, store::Hamt hamt, cid::Cid info)
    : store_(&store), hamt_(std::make_unique<store::Hamt>(std::move(hamt))), info_(std::move(info)) {
  layers_.emplace_back();
}

StateTree::StateTree(StateTree&&) noexcept = default;
StateTree& StateTree::operator=(StateTree&&) noexcept = default;
StateTree::~StateTree() = default;

Result<StateTree> StateTree::create(store::Blockstore& store) {
  // StateInfo0 is an empty struct: CBOR [].
  FIL_ASSIGN_OR_RETURN(cid::Cid info, store::putBlock(store, Bytes{0x80}, cid::Codec::kDagCbor));
  return StateTree(store, store::Hamt(store), std::move(info));
}

Result<StateTree> StateTree::load(store::Blockstore& store, const cid::Cid& root) {
  auto state_root = store::getCbor<StateRoot>(store, root);
  if (!state_root) {
    return fail(VmError::kInvalidState,
                fmt::format("state root {} is not a StateRoot: {}", root.toString(), state_root.error().message()));
  }
  if (state_root->version != kStateTreeVersion) {
    return fail(VmError::kInvalidState, fmt::format("state root {} has state tree version {}, expected {}",
                                                    root.toString(), state_root->version, kStateTreeVersion));
  }
  FIL_ASSIGN_OR_RETURN(auto hamt, store::Hamt::load(store, state_root->actors));
  return StateTree(store, std::move(hamt), state_root->info);
}

Result<std::optional<ActorId>> StateTree::lookupId(const Address& address) {
  if (!address.defined()) return fail(ExitCode::kErrIllegalArgument, "the undefined address has no actor");
  if (address.isId()) return address.idValue();
  const Bytes& key = address.toBytes();
  for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) {
    if (auto found = it->resolved.find(key); found != it->resolved.end()) return found->second;
  }
  FIL_ASSIGN_OR_RETURN(auto init_actor, getActor(initActorAddress()));
  if (!init_actor) return fail(VmError::kInvalidState, "the state has no init actor");
  FIL_ASSIGN_OR_RETURN(auto init_state, store::getCbor<init::State>(*store_, init_actor->head));
  FIL_ASSIGN_OR_RETURN(auto id, init::resolveAddress(*store_, init_state, address));
  if (id) layers_.back().resolved[key] = *id;
  return id;
}

Result<std::optional<Actor>> StateTree::getActor(const Address& address) {
  FIL_ASSIGN_OR_RETURN(auto id, lookupId(address));
  if (!id) return std::optional<Actor>();
  for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) {
    if (auto found = it->actors.find(*id); found != it->actors.end()) return found->second;
  }
  return hamt_->getCbor<Actor>(addressKey(Address::id(*id)));
}

Status StateTree::setActor(const Address& address, const Actor& actor) {
  FIL_ASSIGN_OR_RETURN(auto id, lookupId(address));
  if (!id) return fail(ExitCode::kErrNotFound, fmt::format("no ID is registered for {}", address.toString()));
  layers_.back().actors[*id] = actor;
  return ok();
}

Status StateTree::deleteActor(const Address& address) {
  FIL_ASSIGN_OR_RETURN(auto id, lookupId(address));
  if (!id) return fail(ExitCode::kErrNotFound, fmt::format("no actor at {}", address.toString()));
  layers_.back().actors[*id] = std::nullopt;
  return ok();
}

Result<ActorId> StateTree::registerNewAddress(const Address& address) {
  FIL_ASSIGN_OR_RETURN(auto init_actor, getActor(initActorAddress()));
  if (!init_actor) return fail(VmError::kInvalidState, "the state has no init actor");
  FIL_ASSIGN_OR_RETURN(auto init_state, store::getCbor<init::State>(*store_, init_actor->head));
  FIL_ASSIGN_OR_RETURN(ActorId id, init::mapAddressToNewId(*store_, init_state, address));
  FIL_ASSIGN_OR_RETURN(init_actor->head, store::putCbor(*store_, init_state));
  FIL_TRY(setActor(initActorAddress(), *init_actor));
  layers_.back().resolved[address.toBytes()] = id;
  return id;
}

void StateTree::snapshot() { layers_.emplace_back(); }

Status StateTree::revert() {
  if (layers_.size() < 2) return fail(VmError::kFatal, "state tree revert without a snapshot");
  layers_.back() = Layer{};
  return ok();
}

void StateTree::clearSnapshot() {
  if (layers_.size() < 2) std::abort();  // unbalanced snapshot/clearSnapshot is a VM bug
  Layer top = std::move(layers_.back());
  layers_.pop_back();
  Layer& below = layers_.back();
  for (auto& [id, actor] : top.actors) below.actors[id] = std::move(actor);
  for (auto& [key, id] : top.resolved) below.resolved[key] = id;
}

Result<cid::Cid> StateTree::flush() {
  if (layers_.size() != 1) {
    return fail(VmError::kFatal, fmt::format("state tree flushed with {} snapshots open", layers_.size() - 1));
  }
  for (const auto& [id, actor] : layers_.front().actors) {
    const Bytes key = addressKey(Address::id(id));
    if (actor) {
      FIL_TRY(hamt_->setCbor(key, *actor));
    } else {
      FIL_TRY(hamt_->remove(key));
    }
  }
  layers_.front().actors.clear();
  FIL_ASSIGN_OR_RETURN(cid::Cid actors, hamt_->flush());
  return store::putCbor(*store_, StateRoot{kStateTreeVersion, std::move(actors), info_});
}

Status StateTree::forEach(const Visitor& visit) {
  FIL_TRY(flush());
  return hamt_->forEach([&](BytesView key, BytesView value) -> Status {
    FIL_ASSIGN_OR_RETURN(auto address, Address::fromBytes(key));
    FIL_ASSIGN_OR_RETURN(ActorId id, address.idValue());
    FIL_ASSIGN_OR_RETURN(auto actor, codec::decode<Actor>(value));
    return visit(id, actor);
  });
}

}  // namespace fil::vm
