// The Feistel permutation of the expander graph on eight AVX-512 lanes.
//
// Each round is BLAKE2b-512 of a 16-byte message (the right half and the
// round key, both big-endian), of which the first eight digest bytes are
// used; with sixty-four-bit lanes one zmm register holds a BLAKE2b state
// word of eight permutations. Cycle-walking makes the number of encodings
// per index vary (about two on average), so lanes do not run in lockstep
// over fixed indices: a lane whose value has landed inside the domain
// stores it and takes the next index.
#include "graph_simd.h"

#include <cstdlib>

#include "cpu_features.h"

#if defined(__x86_64__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif

namespace fil::proofs::simd {

bool feistelLanesAvailable() { return cpuFeatures().avx512_bw; }

#if defined(__x86_64__)

namespace {

constexpr uint64_t kIv[8] = {0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL,
                             0xa54ff53a5f1d36f1ULL, 0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
                             0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL};
constexpr uint8_t kSigma[12][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4}, {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13}, {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11}, {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5}, {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3}};
// h[0] after the parameter block: digest length 64, no key, fanout 1, depth 1.
constexpr uint64_t kH0 = kIv[0] ^ 0x01010000ULL ^ 64;

#define FIL_AVX512 __attribute__((target("avx512f,avx512bw"), always_inline)) inline

using V = __m512i;

FIL_AVX512 V bcast(uint64_t x) { return _mm512_set1_epi64(static_cast<long long>(x)); }

FIL_AVX512 V byteSwap64(V x) {
  const V swap = _mm512_set_epi8(56, 57, 58, 59, 60, 61, 62, 63, 48, 49, 50, 51, 52, 53, 54, 55, 40, 41, 42, 43, 44,
                                 45, 46, 47, 32, 33, 34, 35, 36, 37, 38, 39, 24, 25, 26, 27, 28, 29, 30, 31, 16, 17,
                                 18, 19, 20, 21, 22, 23, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
  return _mm512_shuffle_epi8(x, swap);
}

// Message word `i` of the 16-byte message: m0, m1, then zeros (skipped).
FIL_AVX512 void addMessage(V& x, int i, V m0, V m1) {
  if (i == 0) x = _mm512_add_epi64(x, m0);
  if (i == 1) x = _mm512_add_epi64(x, m1);
}

FIL_AVX512 void mix(V* v, int a, int b, int c, int d, int xi, int yi, V m0, V m1) {
  v[a] = _mm512_add_epi64(v[a], v[b]);
  addMessage(v[a], xi, m0, m1);
  v[d] = _mm512_ror_epi64(_mm512_xor_si512(v[d], v[a]), 32);
  v[c] = _mm512_add_epi64(v[c], v[d]);
  v[b] = _mm512_ror_epi64(_mm512_xor_si512(v[b], v[c]), 24);
  v[a] = _mm512_add_epi64(v[a], v[b]);
  addMessage(v[a], yi, m0, m1);
  v[d] = _mm512_ror_epi64(_mm512_xor_si512(v[d], v[a]), 16);
  v[c] = _mm512_add_epi64(v[c], v[d]);
  v[b] = _mm512_ror_epi64(_mm512_xor_si512(v[b], v[c]), 63);
}

// The first eight bytes of BLAKE2b-512(m0 || m1) read big-endian, per lane.
FIL_AVX512 V blakeFirstWord(V m0, V m1) {
  V v[16];
  v[0] = bcast(kH0);
  for (int i = 1; i < 8; ++i) v[i] = bcast(kIv[i]);
  for (int i = 0; i < 8; ++i) v[8 + i] = bcast(kIv[i]);
  v[12] = bcast(kIv[4] ^ 16);  // bytes hashed
  v[14] = bcast(~kIv[6]);      // the last block
#pragma GCC unroll 12
  for (int r = 0; r < 12; ++r) {
    const uint8_t* s = kSigma[r];
    mix(v, 0, 4, 8, 12, s[0], s[1], m0, m1);
    mix(v, 1, 5, 9, 13, s[2], s[3], m0, m1);
    mix(v, 2, 6, 10, 14, s[4], s[5], m0, m1);
    mix(v, 3, 7, 11, 15, s[6], s[7], m0, m1);
    mix(v, 0, 5, 10, 15, s[8], s[9], m0, m1);
    mix(v, 1, 6, 11, 12, s[10], s[11], m0, m1);
    mix(v, 2, 7, 8, 13, s[12], s[13], m0, m1);
    mix(v, 3, 4, 9, 14, s[14], s[15], m0, m1);
  }
  return byteSwap64(_mm512_ternarylogic_epi64(bcast(kH0), v[0], v[8], 0x96));
}

__attribute__((target("avx512f,avx512bw"))) V encode(const FeistelParams& p, V x) {
  const V right_mask = bcast(p.right_mask);
  V left = _mm512_srli_epi64(_mm512_and_si512(x, bcast(p.left_mask)), static_cast<unsigned>(p.half_bits));
  V right = _mm512_and_si512(x, right_mask);
  for (int round = 0; round < 3; ++round) {
    const V f = blakeFirstWord(byteSwap64(right), bcast(__builtin_bswap64(p.keys[round])));
    const V next_right = _mm512_xor_si512(left, _mm512_and_si512(f, right_mask));
    left = right;
    right = next_right;
  }
  return _mm512_or_si512(_mm512_sll_epi64(left, _mm_cvtsi64_si128(static_cast<long long>(p.half_bits))), right);
}

#undef FIL_AVX512

}  // namespace

__attribute__((target("avx512f,avx512bw"))) void feistelPermuteLanes(const FeistelParams& p, uint64_t* values,
                                                                      size_t count) {
  alignas(64) uint64_t lane_value[8];
  size_t lane_index[8];
  bool active[8];
  size_t next = 0;
  for (int l = 0; l < 8; ++l) {
    active[l] = next < count;
    lane_index[l] = next;
    lane_value[l] = active[l] ? values[next] : 0;
    if (active[l]) ++next;
  }
  for (;;) {
    bool any = false;
    for (int l = 0; l < 8; ++l) any |= active[l];
    if (!any) return;
    _mm512_store_si512(lane_value, encode(p, _mm512_load_si512(lane_value)));
    for (int l = 0; l < 8; ++l) {
      if (!active[l] || lane_value[l] >= p.elements) continue;  // outside the domain: encode again
      values[lane_index[l]] = lane_value[l];
      if (next < count) {
        lane_index[l] = next;
        lane_value[l] = values[next++];
      } else {
        active[l] = false;
      }
    }
  }
}

#else

void feistelPermuteLanes(const FeistelParams&, uint64_t*, size_t) { std::abort(); }

#endif

}  // namespace fil::proofs::simd
