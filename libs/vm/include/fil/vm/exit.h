// How actor failures travel: an Error whose code is a chain::ExitCode (the
// exit code a receipt will carry) and whose message says what was wrong.
// Any other error inside an actor method (a malformed state block, a HAMT
// that will not load) becomes kErrIllegalState, as builtin-actors turns such
// failures into USR_ILLEGAL_STATE; VmError::kFatal stops the whole
// application (a broken invariant of the VM itself, or a missing block in
// the node's own store), as Lotus's fatal errors do.
//
//   if (params.win_count <= 0) return exitError(ExitCode::kErrIllegalArgument, "invalid win count");
//   FIL_ASSIGN_OR_RETURN(auto st, rt.loadState<RewardState>());
#pragma once

#include <string>
#include <string_view>

#include "fil/base/error.h"
#include "fil/chain/receipt.h"

namespace fil::chain {
// Registers ExitCode as an error enum (declared here, in ExitCode's
// namespace, so that the error category finds it).
std::string_view describe(ExitCode e);
}  // namespace fil::chain

FIL_REGISTER_ERROR(fil::chain::ExitCode, "exit");

namespace fil::vm {

using chain::ExitCode;

enum class VmError {
  kFatal = 1,        // the VM or its store is broken: application stops
  kInvalidMessage,   // a message that can never be applied (no gas limit, negative value)
  kInvalidState,     // a state root or block that does not decode as the VM expects
};
std::string_view describe(VmError e);

}  // namespace fil::vm

FIL_REGISTER_ERROR(fil::vm::VmError, "vm");

namespace fil::vm {

// An actor error with an exit code, as a Result's failure.
inline tl::unexpected<Error> exitError(ExitCode code, std::string message) {
  return fail(code, std::move(message));
}

// The exit code an error ends a message with: its own when it carries one,
// kErrIllegalState otherwise.
ExitCode exitCodeOf(const Error& error);
bool hasExitCode(const Error& error);
bool isFatal(const Error& error);

// Runs `fn` (returning a Result) and maps an error without an exit code to
// `code`, prefixing `context`: builtin-actors' context_code().
template <typename T>
Result<T> withExitCode(Result<T> r, ExitCode code, std::string_view context) {
  if (r || hasExitCode(r.error()) || isFatal(r.error())) return r;
  return fail(code, std::string(context) + ": " + r.error().message());
}

}  // namespace fil::vm
