#include "fil/chain/chain_error.h"

namespace fil::chain {

std::string_view describe(ChainError e) {
  switch (e) {
    case ChainError::kMalformed: return "malformed chain data";
    case ChainError::kInvalidTipSet: return "blocks do not form a tipset";
    case ChainError::kNotFound: return "not found in the chain";
    case ChainError::kFutureRandomness: return "randomness drawn from the future";
    case ChainError::kInvalidVrf: return "invalid VRF proof";
    case ChainError::kInvalidBeaconEntry: return "invalid beacon entry";
  }
  return "unknown chain error";
}

}  // namespace fil::chain
