// The builtin actors' entry points and the helpers their methods share
// (internal to libs/vm).
#pragma once

#include <fmt/format.h>

#include "fil/codec/cbor.h"
#include "fil/vm/runtime.h"

namespace fil::vm {

// Runs `method` of an actor of `type`.
[[nodiscard]] Result<Bytes> invokeActor(ActorType type, Runtime& rt, MethodNum method, BytesView params);

namespace system {
[[nodiscard]] Result<Bytes> invoke(Runtime& rt, MethodNum method, BytesView params);
}
namespace init {
[[nodiscard]] Result<Bytes> invoke(Runtime& rt, MethodNum method, BytesView params);
}
namespace account {
[[nodiscard]] Result<Bytes> invoke(Runtime& rt, MethodNum method, BytesView params);
}
namespace cron {
[[nodiscard]] Result<Bytes> invoke(Runtime& rt, MethodNum method, BytesView params);
}
namespace reward {
[[nodiscard]] Result<Bytes> invoke(Runtime& rt, MethodNum method, BytesView params);
}
namespace power {
[[nodiscard]] Result<Bytes> invoke(Runtime& rt, MethodNum method, BytesView params);
}
namespace market {
[[nodiscard]] Result<Bytes> invoke(Runtime& rt, MethodNum method, BytesView params);
}
namespace miner {
[[nodiscard]] Result<Bytes> invoke(Runtime& rt, MethodNum method, BytesView params);
}

inline tl::unexpected<Error> unhandledMethod(MethodNum method) {
  return exitError(ExitCode::kErrUnhandledMessage, fmt::format("invalid method: {}", method));
}

template <typename R>
Bytes encodeReturn(const R& value) {
  return codec::encode(value);
}

// Runs a method that takes parameters of type P.
template <typename P, typename F>
Result<Bytes> withParams(BytesView raw, F&& fn) {
  FIL_ASSIGN_OR_RETURN(P params, decodeParams<P>(raw));
  return fn(std::move(params));
}

}  // namespace fil::vm
