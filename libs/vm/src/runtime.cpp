#include "fil/vm/runtime.h"

#include <algorithm>

#include <fmt/format.h>

namespace fil::vm {

Status Runtime::validateCallerIs(std::span<const ActorId> ids) const {
  if (std::find(ids.begin(), ids.end(), callerId()) != ids.end()) return ok();
  return exitError(ExitCode::kErrForbidden, fmt::format("caller f0{} is not one of the permitted callers", callerId()));
}

Status Runtime::validateCallerIs(std::initializer_list<ActorId> ids) const {
  return validateCallerIs(std::span<const ActorId>(ids.begin(), ids.size()));
}

Status Runtime::validateCallerType(std::initializer_list<ActorType> types) const {
  if (std::find(types.begin(), types.end(), callerType()) != types.end()) return ok();
  return exitError(ExitCode::kErrForbidden,
                   fmt::format("caller f0{} of type {} may not call this method", callerId(), actorTypeName(callerType())));
}

}  // namespace fil::vm
