// Poseidon over BLS12-381 Fr with neptune's parameters, as Filecoin uses it
// for tree_c columns (arity 11, or 2 for two-layer sectors), the oct trees
// tree_c and tree_r_last (arity 8) and comm_r = H(comm_c, comm_r_last)
// (arity 2).
//
//   Fr h = poseidonHash({a, b});            // arity 2
//   Fr h8 = poseidonHash(std::span(eight)); // arity 8
//
// Parameters (neptune Strength::Standard, HashType::MerkleTree): width
// t = arity + 1, S-box x^5, 8 full rounds and 55/57/57 partial rounds for
// arity 2/8/11, round constants from the Grain LFSR of the Poseidon paper
// (generate_parameters_grain.sage with field=1, sbox=1, n=255), MDS matrix
// the Cauchy matrix 1/(i + (t + j)), state [2^arity - 1, inputs...], output
// state[1]. The constants are computed on first use (well under a
// millisecond) and shared by all threads.
//
// `poseidonHash` uses the optimised form (round-constant compression and
// sparse partial-round matrices, as in neptune's "optimized static" mode);
// `poseidonHashReference` is the textbook form, kept to test the first
// against.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "fil/proofs/fr.h"

namespace fil::proofs {

// The arities Filecoin uses; others are not supported.
inline constexpr bool isPoseidonArity(size_t arity) { return arity == 2 || arity == 8 || arity == 11; }

struct PoseidonConstants {
  size_t arity = 0;
  size_t width = 0;  // arity + 1
  size_t full_rounds = 8;
  size_t partial_rounds = 0;
  Fr domain_tag;
  std::vector<Fr> round_constants;     // (full + partial) * width, Grain output
  std::vector<std::vector<Fr>> mds;    // width x width

  // Optimised form, derived from the above.
  std::vector<Fr> first_half_constants;   // (full/2) * width
  std::vector<Fr> partial_constants;      // one per partial round, added to state[0]
  std::vector<Fr> second_half_constants;  // (full/2) * width
  std::vector<Fr> pre_sparse;             // width * width, row-major
  struct Sparse {
    Fr a00;
    std::vector<Fr> v;  // state[0]' = a00 * s0 + v . s[1..]
    std::vector<Fr> w;  // s[j]' = w[j-1] * s0 + s[j]
  };
  std::vector<Sparse> sparse;  // one per partial round
  std::vector<Fr> mds_flat;    // width * width, row-major
};

// The constants for arity 2, 8 or 11 (aborts on any other: arities are
// constants in the code, not input).
const PoseidonConstants& poseidonConstants(size_t arity);

// H(inputs) with inputs.size() the arity (2, 8 or 11).
Fr poseidonHash(std::span<const Fr> inputs);
inline Fr poseidonHash2(const Fr& a, const Fr& b) {
  const Fr in[2] = {a, b};
  return poseidonHash(in);
}
Fr poseidonHashReference(std::span<const Fr> inputs);

// How poseidonHashMany reads its 32-byte input nodes.
enum class NodeForm {
  kCanonical,  // little-endian below r; any other value fails the call
  kMasked,     // the top two bits cleared first, as SDR labels are read
};

// `count` hashes of `arity` (2, 8 or 11) nodes each: input k of hash i is
// the node at inputs[k] + i * stride, and hash i goes to out + 32 * i (out
// may not overlap the inputs). On CPUs with AVX-512 IFMA eight hashes run
// at once in vector lanes; elsewhere one at a time. False when a kCanonical
// input is not below r (out is then partly written).
[[nodiscard]] bool poseidonHashMany(size_t arity, const uint8_t* const* inputs, size_t stride, uint64_t count,
                                    uint8_t* out, NodeForm form = NodeForm::kCanonical);

// The hash of `arity` 32-byte nodes as Filecoin's trees store them (canonical
// little-endian Fr), written to `out` (32 bytes). False, with nothing written,
// when a node is not below r (possible only in bytes from outside).
[[nodiscard]] bool poseidonHashNodes(size_t arity, const uint8_t* nodes, uint8_t* out);

}  // namespace fil::proofs
