// Internal: the AVX-512 IFMA Poseidon kernel (groups of 8 lanes) behind
// poseidonHashMany (poseidon.h), exposed for its tests and benchmarks.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fil::proofs::simd {

// True when this CPU (and OS) can run poseidonIfmaLanes.
bool poseidonIfmaAvailable();

// Poseidon hashes of `arity` (2, 8 or 11) inputs, in `groups` groups of
// eight lanes (a group is eight hashes; the kernel runs two groups at a
// time where it can). Words are little-endian 64-bit limbs of canonical
// field elements (below r): for group g, in[((g * arity + k) * 4 + w) * 8 +
// lane] is word w of input k of lane `lane`, and out[(g * 4 + w) * 8 +
// lane] word w of that lane's hash. Requires poseidonIfmaAvailable().
void poseidonIfmaLanes(size_t arity, size_t groups, const uint64_t* in, uint64_t* out);

}  // namespace fil::proofs::simd
