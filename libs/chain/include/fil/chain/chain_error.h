// Errors of the chain library (types, tipsets, randomness, beacon, VRF).
// Block validation has its own enum (validation.h), one value per rule.
#pragma once

#include <string_view>

#include "fil/base/error.h"

namespace fil::chain {

enum class ChainError {
  kMalformed = 1,      // a value is not in the form Filecoin defines
  kInvalidTipSet,      // blocks that cannot form a tipset
  kNotFound,           // a tipset or beacon entry the chain does not have
  kFutureRandomness,   // randomness drawn for an epoch after the chain's head
  kInvalidVrf,         // a VRF proof that does not verify
  kInvalidBeaconEntry, // a beacon entry that does not follow its predecessor
};
std::string_view describe(ChainError e);

}  // namespace fil::chain

FIL_REGISTER_ERROR(fil::chain::ChainError, "chain");
