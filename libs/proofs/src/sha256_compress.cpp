#include "sha256_compress.h"

#include "cpu_features.h"

#include <cpuid.h>
#include <immintrin.h>

#include <cstring>

namespace fil::proofs::sha {

namespace {

alignas(64) constexpr uint32_t kK[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

void compressPortable(State& state, const uint8_t* block) {
  uint32_t w[64];
  for (int i = 0; i < 16; ++i) {
    w[i] = (uint32_t{block[4 * i]} << 24) | (uint32_t{block[4 * i + 1]} << 16) |
           (uint32_t{block[4 * i + 2]} << 8) | uint32_t{block[4 * i + 3]};
  }
  for (int i = 16; i < 64; ++i) {
    const uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    const uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = state.h[0], b = state.h[1], c = state.h[2], d = state.h[3];
  uint32_t e = state.h[4], f = state.h[5], g = state.h[6], h = state.h[7];
  for (int i = 0; i < 64; ++i) {
    const uint32_t S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
    const uint32_t ch = (e & f) ^ (~e & g);
    const uint32_t t1 = h + S1 + ch + kK[i] + w[i];
    const uint32_t S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
    const uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
    const uint32_t t2 = S0 + maj;
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  state.h[0] += a;
  state.h[1] += b;
  state.h[2] += c;
  state.h[3] += d;
  state.h[4] += e;
  state.h[5] += f;
  state.h[6] += g;
  state.h[7] += h;
}

// The second block of a 64-byte message: 0x80, zeros, bit length 512.
alignas(64) constexpr uint8_t kPadding64[64] = {
    0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0,    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0,    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0};

#define FIL_SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

// SHA-NI keeps the state as two registers, ABEF and CDGH.
FIL_SHA_TARGET inline void loadState(const State& s, __m128i& abef, __m128i& cdgh) {
  __m128i tmp = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&s.h[0]));  // DCBA
  __m128i st1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&s.h[4]));  // HGFE
  tmp = _mm_shuffle_epi32(tmp, 0xB1);                                        // CDAB
  st1 = _mm_shuffle_epi32(st1, 0x1B);                                        // EFGH
  abef = _mm_alignr_epi8(tmp, st1, 8);                                       // ABEF
  cdgh = _mm_blend_epi16(st1, tmp, 0xF0);                                    // CDGH
}

FIL_SHA_TARGET inline void storeState(State& s, __m128i abef, __m128i cdgh) {
  __m128i tmp = _mm_shuffle_epi32(abef, 0x1B);  // FEBA
  cdgh = _mm_shuffle_epi32(cdgh, 0xB1);         // DCHG
  const __m128i dcba = _mm_blend_epi16(tmp, cdgh, 0xF0);
  const __m128i hgfe = _mm_alignr_epi8(cdgh, tmp, 8);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(&s.h[0]), dcba);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(&s.h[4]), hgfe);
}

// N independent compressions, round groups interleaved across lanes.
// sha256rnds2 has a latency of 4 cycles and issues every 2 on Zen 5: one
// stream waits on latency, two keep it issuing. The lane loops are unrolled
// so that every lane's registers stay registers (a lane array indexed by
// a loop variable lives in memory, and its store-to-load forwarding would
// sit on the rounds' dependency chain).
template <int N>
FIL_SHA_TARGET inline void compressLanes(__m128i* abef, __m128i* cdgh, const uint8_t* const* data) {
  const __m128i kShuffle = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i w[N][4];
  __m128i save_abef[N], save_cdgh[N];
  for (int l = 0; l < N; ++l) {
    save_abef[l] = abef[l];
    save_cdgh[l] = cdgh[l];
    for (int i = 0; i < 4; ++i) {
      w[l][i] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data[l] + 16 * i)),
                                 kShuffle);
    }
  }
#pragma GCC unroll 16
  for (int g = 0; g < 16; ++g) {
    const __m128i k = _mm_load_si128(reinterpret_cast<const __m128i*>(&kK[4 * g]));
#pragma GCC unroll 4
    for (int l = 0; l < N; ++l) {
      if (g >= 4) {
        // W[g] from W[g-4..g-1]: sigma0 terms, the W[t-7] words, sigma1 terms.
        __m128i x = _mm_sha256msg1_epu32(w[l][g & 3], w[l][(g + 1) & 3]);
        x = _mm_add_epi32(x, _mm_alignr_epi8(w[l][(g + 3) & 3], w[l][(g + 2) & 3], 4));
        w[l][g & 3] = _mm_sha256msg2_epu32(x, w[l][(g + 3) & 3]);
      }
      __m128i msg = _mm_add_epi32(w[l][g & 3], k);
      cdgh[l] = _mm_sha256rnds2_epu32(cdgh[l], abef[l], msg);
      msg = _mm_shuffle_epi32(msg, 0x0E);
      abef[l] = _mm_sha256rnds2_epu32(abef[l], cdgh[l], msg);
    }
  }
  for (int l = 0; l < N; ++l) {
    abef[l] = _mm_add_epi32(abef[l], save_abef[l]);
    cdgh[l] = _mm_add_epi32(cdgh[l], save_cdgh[l]);
  }
}

// The padding block's message schedule plus K never changes: precomputed.
struct PaddingSchedule {
  alignas(16) uint32_t wk[64];
  PaddingSchedule() {
    uint32_t w[64];
    for (int i = 0; i < 16; ++i) {
      w[i] = (uint32_t{kPadding64[4 * i]} << 24) | (uint32_t{kPadding64[4 * i + 1]} << 16) |
             (uint32_t{kPadding64[4 * i + 2]} << 8) | uint32_t{kPadding64[4 * i + 3]};
    }
    for (int i = 16; i < 64; ++i) {
      const uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    for (int i = 0; i < 64; ++i) wk[i] = w[i] + kK[i];
  }
};
const PaddingSchedule kPaddingSchedule;

template <int N>
FIL_SHA_TARGET inline void compressPaddingLanes(__m128i* abef, __m128i* cdgh) {
  __m128i save_abef[N], save_cdgh[N];
  for (int l = 0; l < N; ++l) {
    save_abef[l] = abef[l];
    save_cdgh[l] = cdgh[l];
  }
#pragma GCC unroll 16
  for (int g = 0; g < 16; ++g) {
    const __m128i wk = _mm_load_si128(reinterpret_cast<const __m128i*>(&kPaddingSchedule.wk[4 * g]));
    const __m128i wk_hi = _mm_shuffle_epi32(wk, 0x0E);
#pragma GCC unroll 4
    for (int l = 0; l < N; ++l) {
      cdgh[l] = _mm_sha256rnds2_epu32(cdgh[l], abef[l], wk);
      abef[l] = _mm_sha256rnds2_epu32(abef[l], cdgh[l], wk_hi);
    }
  }
  for (int l = 0; l < N; ++l) {
    abef[l] = _mm_add_epi32(abef[l], save_abef[l]);
    cdgh[l] = _mm_add_epi32(cdgh[l], save_cdgh[l]);
  }
}

// Digest bytes straight from the ABEF/CDGH registers, top two bits cleared.
FIL_SHA_TARGET inline void storeNodeDigest(__m128i abef, __m128i cdgh, uint8_t* out) {
  State s;
  storeState(s, abef, cdgh);
  digest(s, out);
  out[31] &= 0x3f;
}

template <int N>
FIL_SHA_TARGET void hashNodePairsNi(const uint8_t* in, uint8_t* out) {
  __m128i abef[N], cdgh[N];
  __m128i init_abef, init_cdgh;
  loadState(kInitialState, init_abef, init_cdgh);
  const uint8_t* data[N];
  for (int l = 0; l < N; ++l) {
    abef[l] = init_abef;
    cdgh[l] = init_cdgh;
    data[l] = in + 64 * l;
  }
  compressLanes<N>(abef, cdgh, data);
  compressPaddingLanes<N>(abef, cdgh);
  for (int l = 0; l < N; ++l) storeNodeDigest(abef[l], cdgh[l], out + 32 * l);
}

template <int N>
FIL_SHA_TARGET void compressStatesNi(State* states, const uint8_t* const* data, size_t blocks) {
  __m128i abef[N], cdgh[N];
  for (int l = 0; l < N; ++l) loadState(states[l], abef[l], cdgh[l]);
  for (size_t b = 0; b < blocks; ++b) {
    const uint8_t* p[N];
    for (int l = 0; l < N; ++l) p[l] = data[l] + 64 * b;
    compressLanes<N>(abef, cdgh, p);
  }
  for (int l = 0; l < N; ++l) storeState(states[l], abef[l], cdgh[l]);
}

FIL_SHA_TARGET void compressBlocksNi(State& state, const uint8_t* data, size_t blocks) {
  __m128i abef, cdgh;
  loadState(state, abef, cdgh);
  for (size_t b = 0; b < blocks; ++b) {
    const uint8_t* p = data + 64 * b;
    compressLanes<1>(&abef, &cdgh, &p);
  }
  storeState(state, abef, cdgh);
}

void hashNodePairPortable(const uint8_t* in, uint8_t* out) {
  State s = kInitialState;
  compressPortable(s, in);
  compressPortable(s, kPadding64);
  digest(s, out);
  out[31] &= 0x3f;
}

bool detectShaNi() {
  unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) return false;
  const bool sha = (ebx & (1u << 29)) != 0;
  if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0) return false;
  const bool sse41 = (ecx & (1u << 19)) != 0;
  const bool ssse3 = (ecx & (1u << 9)) != 0;
  return sha && sse41 && ssse3;
}

}  // namespace

bool haveShaNi() {
  static const bool have = detectShaNi();
  return have;
}

void compress(State& state, const uint8_t* data, size_t blocks) {
  if (haveShaNi()) return compressBlocksNi(state, data, blocks);
  for (size_t b = 0; b < blocks; ++b) compressPortable(state, data + 64 * b);
}

void compress2(State* states, const uint8_t* const* data, size_t blocks) {
  if (haveShaNi()) return compressStatesNi<2>(states, data, blocks);
  for (int l = 0; l < 2; ++l) compress(states[l], data[l], blocks);
}

// Two pairs of lanes: four SHA-NI streams at once need more than the
// sixteen xmm registers SHA-NI can address, and the spills cost more than
// the extra overlap gains.
void compress4(State* states, const uint8_t* const* data, size_t blocks) {
  compress2(states, data, blocks);
  compress2(states + 2, data + 2, blocks);
}

void digest(const State& state, uint8_t* out32) {
  for (int i = 0; i < 8; ++i) {
    out32[4 * i] = static_cast<uint8_t>(state.h[i] >> 24);
    out32[4 * i + 1] = static_cast<uint8_t>(state.h[i] >> 16);
    out32[4 * i + 2] = static_cast<uint8_t>(state.h[i] >> 8);
    out32[4 * i + 3] = static_cast<uint8_t>(state.h[i]);
  }
}

void hashNodePairs(const uint8_t* in, uint8_t* out, size_t count) {
  size_t i = 0;
  if (count >= 16 && haveAvx512Lanes()) i = hashNodePairsAvx512(in, out, count);
  hashNodePairsShaNiLanes(in + 64 * i, out + 32 * i, count - i);
}

void hashNodePairsShaNiLanes(const uint8_t* in, uint8_t* out, size_t count) {
  if (!haveShaNi()) {
    for (size_t i = 0; i < count; ++i) hashNodePairPortable(in + 64 * i, out + 32 * i);
    return;
  }
  size_t i = 0;
  for (; i + 2 <= count; i += 2) hashNodePairsNi<2>(in + 64 * i, out + 32 * i);
  for (; i < count; ++i) hashNodePairsNi<1>(in + 64 * i, out + 32 * i);
}

bool haveAvx512Lanes() { return cpuFeatures().avx512_bw; }

void hashNodePairsSingleStream(const uint8_t* in, uint8_t* out, size_t count) {
  if (!haveShaNi()) {
    for (size_t i = 0; i < count; ++i) hashNodePairPortable(in + 64 * i, out + 32 * i);
    return;
  }
  for (size_t i = 0; i < count; ++i) hashNodePairsNi<1>(in + 64 * i, out + 32 * i);
}

}  // namespace fil::proofs::sha
