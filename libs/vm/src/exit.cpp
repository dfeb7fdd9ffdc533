#include "fil/vm/exit.h"

namespace fil::chain {

std::string_view describe(ExitCode e) {
  switch (e) {
    case ExitCode::kOk: return "ok";
    case ExitCode::kSysErrSenderInvalid: return "sender invalid";
    case ExitCode::kSysErrSenderStateInvalid: return "sender state invalid";
    case ExitCode::kSysErrIllegalInstruction: return "illegal instruction";
    case ExitCode::kSysErrInvalidReceiver: return "invalid receiver";
    case ExitCode::kSysErrInsufficientFunds: return "insufficient funds";
    case ExitCode::kSysErrOutOfGas: return "out of gas";
    case ExitCode::kSysErrIllegalExitCode: return "illegal exit code";
    case ExitCode::kSysErrFatal: return "fatal";
    case ExitCode::kSysErrMissingReturn: return "missing return";
    case ExitCode::kErrIllegalArgument: return "illegal argument";
    case ExitCode::kErrNotFound: return "not found";
    case ExitCode::kErrForbidden: return "forbidden";
    case ExitCode::kErrInsufficientFunds: return "insufficient funds";
    case ExitCode::kErrIllegalState: return "illegal state";
    case ExitCode::kErrSerialization: return "serialization";
    case ExitCode::kErrUnhandledMessage: return "unhandled message";
    case ExitCode::kErrUnspecified: return "unspecified";
    case ExitCode::kErrAssertionFailed: return "assertion failed";
    case ExitCode::kErrReadOnly: return "read only";
    case ExitCode::kErrNotPayable: return "not payable";
    default: break;
  }
  return static_cast<int64_t>(e) >= 32 ? "actor-specific error" : "unknown exit code";
}

}  // namespace fil::chain

namespace fil::vm {

std::string_view describe(VmError e) {
  switch (e) {
    case VmError::kFatal: return "fatal VM error";
    case VmError::kInvalidMessage: return "invalid message";
    case VmError::kInvalidState: return "invalid state";
  }
  return "unknown VM error";
}

bool hasExitCode(const Error& error) {
  return error.code().category() == detail::EnumErrorCategory<ExitCode>::instance();
}

bool isFatal(const Error& error) { return error.is(VmError::kFatal); }

ExitCode exitCodeOf(const Error& error) {
  if (hasExitCode(error)) return static_cast<ExitCode>(error.code().value());
  return ExitCode::kErrIllegalState;
}

}  // namespace fil::vm
