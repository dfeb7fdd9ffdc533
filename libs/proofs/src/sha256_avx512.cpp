// Filecoin's node hash (SHA-256 of 64 bytes, trunc254) on AVX-512 lanes:
// sixteen messages per zmm register, one 32-bit word of each, and two such
// groups interleaved.
//
// Why not SHA-NI: one sha256rnds2 stream is bound by the instruction's
// latency, and on Zen 5 interleaved streams gain little (the unit's
// throughput is the limit, see docs/performance.md). Plain AVX-512 has no
// such unit to wait for: a round is about 19 simple operations (rotates,
// three-input logic, additions) on sixteen lanes at once, bounded by the
// vector pipes' throughput.
//
// The second block of a 64-byte message is constant (0x80, zeros, length
// 512), so its message schedule is precomputed: K[t] + W[t] is one
// broadcast constant per round. Additions are grouped so that the next e
// waits for three operations after e (Ch and Sigma1 in parallel, then two
// additions) rather than five; empty asm statements keep the compiler from
// regrouping them.
#include "sha256_compress.h"

#include <cstring>

#if defined(__x86_64__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif

namespace fil::proofs::sha {

#if defined(__x86_64__)

namespace {

constexpr uint32_t kK[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

// K[t] + W[t] of the padding block.
struct PaddingSchedule {
  uint32_t kw[64];
  constexpr PaddingSchedule() : kw{} {
    uint32_t w[64] = {0x80000000u};
    w[15] = 512;
    for (int i = 16; i < 64; ++i) {
      const uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    for (int i = 0; i < 64; ++i) kw[i] = kK[i] + w[i];
  }
};
constexpr PaddingSchedule kPadding;

#define FIL_AVX512 __attribute__((target("avx512f,avx512bw"), always_inline)) inline

using V = __m512i;

FIL_AVX512 V add(V a, V b) { return _mm512_add_epi32(a, b); }
FIL_AVX512 V bcast(uint32_t x) { return _mm512_set1_epi32(static_cast<int>(x)); }

// Keeps the compiler from regrouping additions across this point.
FIL_AVX512 void pin(V& x) { asm("" : "+v"(x)); }

FIL_AVX512 void round(V a, V b, V c, V& d, V e, V f, V g, V& h, V kw) {
  V hkw = add(h, kw);
  V dhkw = add(d, hkw);
  pin(hkw);
  pin(dhkw);
  const V ch = _mm512_ternarylogic_epi32(e, f, g, 0xCA);
  const V s1 = _mm512_ternarylogic_epi32(_mm512_ror_epi32(e, 6), _mm512_ror_epi32(e, 11), _mm512_ror_epi32(e, 25), 0x96);
  V t1 = add(hkw, ch), dch = add(dhkw, ch);
  pin(t1);
  pin(dch);
  t1 = add(t1, s1);
  d = add(dch, s1);
  const V s0 = _mm512_ternarylogic_epi32(_mm512_ror_epi32(a, 2), _mm512_ror_epi32(a, 13), _mm512_ror_epi32(a, 22), 0x96);
  const V maj = _mm512_ternarylogic_epi32(a, b, c, 0xE8);
  h = add(t1, add(s0, maj));
}

FIL_AVX512 V sigma0(V x) {
  return _mm512_ternarylogic_epi32(_mm512_ror_epi32(x, 7), _mm512_ror_epi32(x, 18), _mm512_srli_epi32(x, 3), 0x96);
}
FIL_AVX512 V sigma1(V x) {
  return _mm512_ternarylogic_epi32(_mm512_ror_epi32(x, 17), _mm512_ror_epi32(x, 19), _mm512_srli_epi32(x, 10), 0x96);
}

// r[i] (row i: 16 words) becomes column i, a 16x16 transpose of words.
FIL_AVX512 void transpose16(V* r) {
  V t[16];
  for (int i = 0; i < 16; i += 2) {
    t[i] = _mm512_unpacklo_epi32(r[i], r[i + 1]);
    t[i + 1] = _mm512_unpackhi_epi32(r[i], r[i + 1]);
  }
  for (int i = 0; i < 16; i += 4) {
    r[i] = _mm512_unpacklo_epi64(t[i], t[i + 2]);
    r[i + 1] = _mm512_unpackhi_epi64(t[i], t[i + 2]);
    r[i + 2] = _mm512_unpacklo_epi64(t[i + 1], t[i + 3]);
    r[i + 3] = _mm512_unpackhi_epi64(t[i + 1], t[i + 3]);
  }
  for (int i = 0; i < 4; ++i) {
    t[i] = _mm512_shuffle_i32x4(r[i], r[i + 4], 0x88);
    t[i + 4] = _mm512_shuffle_i32x4(r[i], r[i + 4], 0xDD);
    t[i + 8] = _mm512_shuffle_i32x4(r[i + 8], r[i + 12], 0x88);
    t[i + 12] = _mm512_shuffle_i32x4(r[i + 8], r[i + 12], 0xDD);
  }
  for (int i = 0; i < 4; ++i) {
    r[i] = _mm512_shuffle_i32x4(t[i], t[i + 8], 0x88);
    r[i + 8] = _mm512_shuffle_i32x4(t[i], t[i + 8], 0xDD);
    r[i + 4] = _mm512_shuffle_i32x4(t[i + 4], t[i + 12], 0x88);
    r[i + 12] = _mm512_shuffle_i32x4(t[i + 4], t[i + 12], 0xDD);
  }
}

FIL_AVX512 V byteSwapWords() {
  return _mm512_set_epi8(60, 61, 62, 63, 56, 57, 58, 59, 52, 53, 54, 55, 48, 49, 50, 51, 44, 45, 46, 47, 40, 41, 42,
                         43, 36, 37, 38, 39, 32, 33, 34, 35, 28, 29, 30, 31, 24, 25, 26, 27, 20, 21, 22, 23, 16, 17,
                         18, 19, 12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
}

// G groups of 16 node pairs: in holds G * 16 * 64 bytes, out gets G * 16 * 32
// (out may alias the start of in: every input is read before any output is
// written).
template <int G>
__attribute__((target("avx512f,avx512bw"))) void hashNodePairs16(const uint8_t* in, uint8_t* out) {
  const V swap = byteSwapWords();
  V w[G][16];
  for (int g = 0; g < G; ++g) {
    for (int i = 0; i < 16; ++i) w[g][i] = _mm512_shuffle_epi8(_mm512_loadu_si512(in + 1024 * g + 64 * i), swap);
    transpose16(w[g]);  // w[g][j]: word j of each of the group's messages
  }
  V s[G][8];
  for (int g = 0; g < G; ++g)
    for (int i = 0; i < 8; ++i) s[g][i] = bcast(kInitialState.h[i]);
  // The data block: rounds in steps of eight, each group in turn, with the
  // message schedule extended sixteen words at a time.
  for (int block16 = 0; block16 < 4; ++block16) {
    if (block16 > 0) {
      for (int g = 0; g < G; ++g) {
        for (int j = 0; j < 16; ++j) {
          w[g][j] = add(add(w[g][j], sigma0(w[g][(j + 1) & 15])), add(w[g][(j + 9) & 15], sigma1(w[g][(j + 14) & 15])));
        }
      }
    }
    for (int j = 0; j < 16; j += 8) {
      const int t = block16 * 16 + j;
#define FIL_ROUNDS(kw_of)                                                                              \
  for (int g = 0; g < G; ++g) {                                                                        \
    V& a = s[g][0]; V& b = s[g][1]; V& c = s[g][2]; V& d = s[g][3];                                     \
    V& e = s[g][4]; V& f = s[g][5]; V& gg = s[g][6]; V& h = s[g][7];                                   \
    round(a, b, c, d, e, f, gg, h, kw_of(0));                                                          \
    round(h, a, b, c, d, e, f, gg, kw_of(1));                                                          \
    round(gg, h, a, b, c, d, e, f, kw_of(2));                                                          \
    round(f, gg, h, a, b, c, d, e, kw_of(3));                                                          \
    round(e, f, gg, h, a, b, c, d, kw_of(4));                                                          \
    round(d, e, f, gg, h, a, b, c, kw_of(5));                                                          \
    round(c, d, e, f, gg, h, a, b, kw_of(6));                                                          \
    round(b, c, d, e, f, gg, h, a, kw_of(7));                                                          \
  }
#define FIL_DATA_KW(i) add(w[g][j + (i)], bcast(kK[t + (i)]))
      FIL_ROUNDS(FIL_DATA_KW)
#undef FIL_DATA_KW
    }
  }
  V mid[G][8];
  for (int g = 0; g < G; ++g)
    for (int i = 0; i < 8; ++i) {
      s[g][i] = add(s[g][i], bcast(kInitialState.h[i]));
      mid[g][i] = s[g][i];
    }
  // The padding block.
  for (int t = 0; t < 64; t += 8) {
#define FIL_PAD_KW(i) bcast(kPadding.kw[t + (i)])
    FIL_ROUNDS(FIL_PAD_KW)
#undef FIL_PAD_KW
  }
#undef FIL_ROUNDS
  for (int g = 0; g < G; ++g) {
    V o[16];
    for (int i = 0; i < 8; ++i) o[i] = add(s[g][i], mid[g][i]);
    o[7] = _mm512_and_si512(o[7], bcast(0xffffff3fu));  // trunc254: the digest's last byte loses its top two bits
    for (int i = 8; i < 16; ++i) o[i] = _mm512_setzero_si512();
    transpose16(o);  // o[lane]: the lane's eight digest words, then zeros
    for (int lane = 0; lane < 16; ++lane) {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 512 * g + 32 * lane),
                          _mm512_castsi512_si256(_mm512_shuffle_epi8(o[lane], swap)));
    }
  }
}

#undef FIL_AVX512

}  // namespace

size_t hashNodePairsAvx512(const uint8_t* in, uint8_t* out, size_t count) {
  if (!haveAvx512Lanes()) return 0;
  size_t i = 0;
  for (; i + 32 <= count; i += 32) hashNodePairs16<2>(in + 64 * i, out + 32 * i);
  for (; i + 16 <= count; i += 16) hashNodePairs16<1>(in + 64 * i, out + 32 * i);
  return i;
}

#else

size_t hashNodePairsAvx512(const uint8_t*, uint8_t*, size_t) { return 0; }

#endif

}  // namespace fil::proofs::sha
