// The receipt of an applied message (Lotus types.MessageReceipt): V0 is a
// 3-tuple; V1 adds the root of the events AMT (null when there are none).
#pragma once

#include <cstdint>
#include <optional>

#include "fil/base/bytes.h"
#include "fil/cid/cid.h"
#include "fil/codec/cbor.h"

namespace fil::chain {

// Exit codes (builtin-actors): system 0-15, actor 16-31, actor-specific 32+.
enum class ExitCode : int64_t {
  kOk = 0,
  kSysErrSenderInvalid = 1,
  kSysErrSenderStateInvalid = 2,
  kSysErrIllegalInstruction = 4,
  kSysErrInvalidReceiver = 5,
  kSysErrInsufficientFunds = 6,
  kSysErrOutOfGas = 7,
  kSysErrIllegalExitCode = 9,
  kSysErrFatal = 10,
  kSysErrMissingReturn = 11,
  kErrIllegalArgument = 16,
  kErrNotFound = 17,
  kErrForbidden = 18,
  kErrInsufficientFunds = 19,
  kErrIllegalState = 20,
  kErrSerialization = 21,
  kErrUnhandledMessage = 22,
  kErrUnspecified = 23,
  kErrAssertionFailed = 24,
  kErrReadOnly = 25,
  kErrNotPayable = 26,
  kFirstActorSpecific = 32,
};

struct MessageReceipt {
  ExitCode exit_code = ExitCode::kOk;
  Bytes return_value;
  int64_t gas_used = 0;
  std::optional<cid::Cid> events_root;  // V1 only; absent for V0 receipts
  bool v1 = false;                      // encode as the 4-tuple

  friend bool operator==(const MessageReceipt&, const MessageReceipt&) = default;
};

}  // namespace fil::chain

template <>
struct fil::codec::CborCodec<fil::chain::MessageReceipt> {
  static void encode(CborEncoder& e, const chain::MessageReceipt& r);
  static Status decode(CborDecoder& d, chain::MessageReceipt& out);
};
