#include "fil/vm/actors/common.h"

namespace fil::vm {

FilterEstimate constantEstimate(const BigInt& value) { return {value << 128, 0}; }

BigInt estimateValue(const FilterEstimate& estimate) { return estimate.position >> 128; }

}  // namespace fil::vm
