// Internal: the expander graph's Feistel permutation on AVX-512 lanes, for
// building parent caches (every node's eight expander parents).
#pragma once

#include <cstddef>
#include <cstdint>

namespace fil::proofs::simd {

struct FeistelParams {
  uint64_t elements = 0;  // the domain: nodes * 8
  uint64_t left_mask = 0, right_mask = 0, half_bits = 0;
  uint64_t keys[4] = {};
};

// True when feistelPermuteLanes can run (AVX-512 F + BW).
bool feistelLanesAvailable();

// Replaces each of values[0..count) (each below params.elements) by its
// permutation, cycle-walking as StackedGraph does; eight lanes, each taking
// the next value as soon as its own is done.
void feistelPermuteLanes(const FeistelParams& params, uint64_t* values, size_t count);

}  // namespace fil::proofs::simd
