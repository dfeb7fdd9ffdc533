// Errors of Filecoin primitive types: addresses, amounts, signatures, keys.
#pragma once

#include <string_view>

#include "fil/base/error.h"

namespace fil::primitives {

enum class PrimitivesError {
  kInvalidAddress = 1,
  kInvalidChecksum,
  kUnknownProtocol,
  kInvalidPayload,
  kInvalidAmount,
  kInvalidSignature,
  kInvalidKeyInfo,
  kUnsupportedKeyType,
};
std::string_view describe(PrimitivesError e);

}  // namespace fil::primitives

FIL_REGISTER_ERROR(fil::primitives::PrimitivesError, "primitives");
