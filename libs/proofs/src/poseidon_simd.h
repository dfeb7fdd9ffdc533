// Internal: the 8-lane AVX-512 IFMA Poseidon kernel behind
// poseidonHashMany (poseidon.h), exposed for its tests and benchmarks.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fil::proofs::simd {

// True when this CPU (and OS) can run poseidonIfma8.
bool poseidonIfmaAvailable();

// Eight Poseidon hashes of `arity` (2, 8 or 11) inputs each, one per lane.
// Words are little-endian 64-bit limbs of canonical field elements (below
// r): in[(k * 4 + w) * 8 + lane] is word w of input k of lane `lane`, and
// out[w * 8 + lane] word w of lane `lane`'s hash. Requires
// poseidonIfmaAvailable().
void poseidonIfma8(size_t arity, const uint64_t* in, uint64_t* out);

}  // namespace fil::proofs::simd
