#include "fil/vm/actors/system.h"

#include "actors/actors.h"

namespace fil::vm::system {

Result<State> makeState(store::Blockstore& store) {
  std::vector<ManifestEntry> entries;
  for (int t = 1; t <= kActorTypeCount; ++t) {
    const auto type = static_cast<ActorType>(t);
    entries.push_back({std::string(actorTypeName(type)), codeCid(type)});
  }
  FIL_ASSIGN_OR_RETURN(cid::Cid registry, store::putCbor(store, entries));
  return State{registry};
}

Result<Bytes> invoke(Runtime& rt, MethodNum method, BytesView) {
  if (method != kMethodConstructor) return unhandledMethod(method);
  FIL_TRY(rt.validateCallerIs({kSystemActorId}));
  FIL_ASSIGN_OR_RETURN(State st, withExitCode(makeState(rt.store()), ExitCode::kErrIllegalState, "system state"));
  FIL_TRY(rt.saveState(st));
  return Bytes{};
}

}  // namespace fil::vm::system
