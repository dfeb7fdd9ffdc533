#include "fil/vm/actors/init.h"

#include "actors/actors.h"
#include "fil/store/hamt.h"
#include "fil/vm/state_tree.h"

namespace fil::vm::init {

Result<State> makeState(store::Blockstore& store, std::string network_name) {
  store::Hamt map(store);
  FIL_ASSIGN_OR_RETURN(cid::Cid root, map.flush());
  return State{root, kFirstNonSingletonId, std::move(network_name)};
}

Result<std::optional<ActorId>> resolveAddress(store::Blockstore& store, const State& state, const Address& address) {
  if (address.isId()) return std::optional<ActorId>(*address.idValue());
  FIL_ASSIGN_OR_RETURN(auto map, store::Hamt::load(store, state.address_map));
  return map.getCbor<ActorId>(addressKey(address));
}

Status mapAddressToId(store::Blockstore& store, State& state, const Address& address, ActorId id) {
  FIL_ASSIGN_OR_RETURN(auto map, store::Hamt::load(store, state.address_map));
  FIL_TRY(map.setCbor(addressKey(address), id));
  FIL_ASSIGN_OR_RETURN(state.address_map, map.flush());
  return ok();
}

Result<ActorId> mapAddressToNewId(store::Blockstore& store, State& state, const Address& address) {
  FIL_ASSIGN_OR_RETURN(auto map, store::Hamt::load(store, state.address_map));
  const ActorId id = state.next_id;
  FIL_ASSIGN_OR_RETURN(bool inserted, map.setIfAbsent(addressKey(address), codec::encode(id)));
  if (!inserted) {
    return exitError(ExitCode::kErrForbidden, fmt::format("address {} already has an ID", address.toString()));
  }
  state.next_id += 1;
  FIL_ASSIGN_OR_RETURN(state.address_map, map.flush());
  return id;
}

namespace {

Result<Bytes> exec(Runtime& rt, const ExecParams& params) {
  const auto type = actorTypeOf(params.code_cid);
  // builtin-actors' can_exec: multisig and payment channels by anyone,
  // miners by the power actor; we run neither multisig nor payment channels.
  const bool allowed = type == ActorType::kMiner && rt.callerType() == ActorType::kPower;
  if (!allowed) {
    return exitError(ExitCode::kErrForbidden,
                     fmt::format("caller of type {} cannot exec actor code {}", actorTypeName(rt.callerType()),
                                 params.code_cid.toString()));
  }
  FIL_ASSIGN_OR_RETURN(Address robust, rt.newActorAddress());
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  FIL_ASSIGN_OR_RETURN(ActorId id, withExitCode(mapAddressToNewId(rt.store(), st, robust), ExitCode::kErrIllegalState,
                                                "failed to allocate ID address"));
  FIL_TRY(rt.saveState(st));
  FIL_TRY(rt.createActor(*type, id));
  auto constructed = rt.send(Address::id(id), kMethodConstructor, params.constructor_params, rt.valueReceived());
  if (!constructed) return fail(std::move(constructed).error().withContext("constructor failed"));
  return encodeReturn(ExecReturn{Address::id(id), robust});
}

}  // namespace

Result<Bytes> invoke(Runtime& rt, MethodNum method, BytesView params) {
  switch (method) {
    case kConstructor:
      return withParams<ConstructorParams>(params, [&](ConstructorParams p) -> Result<Bytes> {
        FIL_TRY(rt.validateCallerIs({kSystemActorId}));
        FIL_ASSIGN_OR_RETURN(State st, withExitCode(makeState(rt.store(), p.network_name), ExitCode::kErrIllegalState,
                                                    "init state"));
        FIL_TRY(rt.saveState(st));
        return Bytes{};
      });
    case kExec:
      return withParams<ExecParams>(params, [&](const ExecParams& p) { return exec(rt, p); });
    default:
      return unhandledMethod(method);
  }
}

}  // namespace fil::vm::init
