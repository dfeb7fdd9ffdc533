// SHA-256 block compression for the hot loops of commP, tree_d and SDR
// labelling, where OpenSSL's one-shot interface costs more than the hashing.
//
// With the SHA extensions (SHA-NI) the compression runs on sha256rnds2;
// the multi-lane forms interleave independent messages (the multi-buffer
// technique). Node hashing, where thousands of independent pairs wait at
// each tree level, prefers sixteen AVX-512 lanes (sha256_avx512.cpp), which
// on Zen 5 go well past what interleaved SHA-NI streams reach. Without
// either a portable C version is used (much slower, still correct).
#pragma once

#include <cstddef>
#include <cstdint>

namespace fil::proofs::sha {

struct State {
  uint32_t h[8];
};

inline constexpr State kInitialState = {{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                         0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19}};

bool haveShaNi();

// Compresses `blocks` consecutive 64-byte blocks into `state`.
void compress(State& state, const uint8_t* data, size_t blocks);

// Lanes in lockstep: lane i compresses `blocks` 64-byte blocks from data[i].
void compress2(State* states, const uint8_t* const* data, size_t blocks);
void compress4(State* states, const uint8_t* const* data, size_t blocks);

// The digest bytes (big-endian words) of a state.
void digest(const State& state, uint8_t* out32);

// Filecoin's tree node hash: SHA-256 of 64 bytes (two children) with the
// top two bits of the digest cleared (sha2-256-trunc254-padded).
// `in` holds count * 64 bytes, `out` gets count * 32; lanes are interleaved
// internally, and `out` may alias the first half of `in`.
void hashNodePairs(const uint8_t* in, uint8_t* out, size_t count);

// The forms hashNodePairs chooses from, for tests and benchmarks: one
// SHA-NI stream; two SHA-NI streams interleaved; sixteen AVX-512 lanes
// (two groups of them where there are 32 pairs), which hashes the largest
// multiple of 16 pairs and returns it (0 without AVX-512 F+BW).
void hashNodePairsSingleStream(const uint8_t* in, uint8_t* out, size_t count);
void hashNodePairsShaNiLanes(const uint8_t* in, uint8_t* out, size_t count);
size_t hashNodePairsAvx512(const uint8_t* in, uint8_t* out, size_t count);
bool haveAvx512Lanes();

}  // namespace fil::proofs::sha
