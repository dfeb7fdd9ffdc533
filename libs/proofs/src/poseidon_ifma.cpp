// Poseidon on AVX-512 IFMA lanes (vpmadd52luq/vpmadd52huq), eight hashes
// per group of registers.
//
// A field element is five 52-bit limbs, one zmm register per limb holding
// that limb of eight independent hashes. Multiplication is Montgomery with
// R = 2^260: the 10-limb product is accumulated with 50 multiply-adds and
// reduced with 55 more (separated operand scanning), so a dot product of n
// terms costs n * 50 + 55 instead of n * 105 ("lazy reduction"), which the
// MDS and sparse matrices of the optimised Poseidon form use.
//
// No value is reduced below r until the output. A reduction of T returns
// less than T / R + r, and r / R < 0.03, so values stay small by
// themselves: the full rounds leave the state below 1.4r; in the partial
// rounds s[1..] grow by less than 1.1r a round and every fourth round are
// updated as reduce(s * R + w * s0) instead, which brings them back below
// 1.2r, so they stay below 4.5r, and s[0], a dot product over them, below
// 2.5r. Every factor of a product is thus below 4.5r, every value far
// below 2^260 (35r), and no 64-bit limb accumulator comes near
// overflowing. Limbs must be below 2^52 when
// multiplied (IFMA reads only those bits), so a sum is normalised (carries
// propagated) before it is multiplied. Only the outputs are brought to
// canonical form.
//
// Constants are converted once from the scalar ones (poseidon.h): a
// constant c becomes c * 2^260 mod r, which is the scalar Montgomery form of
// 16 c.
#include "poseidon_simd.h"

#include <cstdlib>
#include <mutex>
#include <vector>

#include "cpu_features.h"
#include "fil/proofs/poseidon.h"

#if defined(__x86_64__)
// GCC 12's AVX-512 shift intrinsics read a deliberately undefined vector
// (_mm512_undefined_epi32) and warn about it (GCC bug 105593).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif

namespace fil::proofs::simd {

#if defined(__x86_64__)

namespace {

constexpr uint64_t kMask52 = (uint64_t{1} << 52) - 1;

struct Limbs52 {
  uint64_t l[5];
};

Limbs52 split52(const Fr::Limbs& w) {
  return {{w[0] & kMask52, ((w[0] >> 52) | (w[1] << 12)) & kMask52, ((w[1] >> 40) | (w[2] << 24)) & kMask52,
           ((w[2] >> 28) | (w[3] << 36)) & kMask52, w[3] >> 16}};
}

// c * 2^260 mod r: the Montgomery form of c with R = 2^260.
Limbs52 toMont52(const Fr& c) { return split52((c * Fr::fromU64(16)).montgomery()); }

// Everything a hash of one width needs, in the 52-bit Montgomery form, laid
// out in the order the rounds read it.
struct IfmaConstants {
  size_t width = 0;
  size_t partial_rounds = 0;
  Limbs52 domain_tag;
  std::vector<Limbs52> first_half;   // (full/2) * width round constants
  std::vector<Limbs52> second_half;  // likewise
  std::vector<Limbs52> partial;      // one per partial round
  std::vector<Limbs52> mds;          // width * width
  std::vector<Limbs52> pre_sparse;   // width * width
  std::vector<Limbs52> sparse;       // per partial round: a00, v[width-1], w[width-1]
};

IfmaConstants makeIfmaConstants(size_t arity) {
  const PoseidonConstants& pc = poseidonConstants(arity);
  IfmaConstants k;
  k.width = pc.width;
  k.partial_rounds = pc.partial_rounds;
  k.domain_tag = toMont52(pc.domain_tag);
  auto convert = [](const std::vector<Fr>& in, std::vector<Limbs52>& out) {
    for (const Fr& c : in) out.push_back(toMont52(c));
  };
  convert(pc.first_half_constants, k.first_half);
  convert(pc.second_half_constants, k.second_half);
  convert(pc.partial_constants, k.partial);
  convert(pc.mds_flat, k.mds);
  convert(pc.pre_sparse, k.pre_sparse);
  for (const auto& sp : pc.sparse) {
    k.sparse.push_back(toMont52(sp.a00));
    convert(sp.v, k.sparse);
    convert(sp.w, k.sparse);
  }
  return k;
}

const IfmaConstants& ifmaConstants(size_t arity) {
  static std::once_flag once[3];
  static IfmaConstants constants[3];
  const size_t index = arity == 2 ? 0 : arity == 8 ? 1 : arity == 11 ? 2 : 3;
  if (index == 3) std::abort();  // arities are constants in the code
  std::call_once(once[index], [&] { constants[index] = makeIfmaConstants(arity); });
  return constants[index];
}

// Conversion constants: 2^520 mod r (multiplying a canonical value by it
// gives its Montgomery form) and -r^-1 mod 2^52.
struct Globals {
  Limbs52 r2;
  Limbs52 modulus;
  Limbs52 one;  // 2^260 mod r, the Montgomery form of 1
  uint64_t inv52;
};

Globals makeGlobals() {
  Globals g;
  g.r2 = split52(Fr::fromU64(2).pow({264, 0, 0, 0}).montgomery());
  g.modulus = split52(Fr::kModulus);
  g.one = toMont52(Fr::one());
  uint64_t inv = 1;  // Newton's iteration for r^-1 mod 2^64
  for (int i = 0; i < 6; ++i) inv *= 2 - Fr::kModulus[0] * inv;
  g.inv52 = (0 - inv) & kMask52;
  return g;
}

const Globals& globals() {
  static const Globals g = makeGlobals();
  return g;
}

#define FIL_IFMA __attribute__((target("avx512f,avx512ifma"), always_inline)) inline
#define FIL_IFMA_LAMBDA __attribute__((target("avx512f,avx512ifma"), always_inline))

using V = __m512i;

FIL_IFMA V broadcast(uint64_t x) { return _mm512_set1_epi64(static_cast<long long>(x)); }

// t[0..9] += a * b, with b the same constant in every lane.
FIL_IFMA void macConst(V* t, const V* a, const Limbs52& b) {
#define FIL_MAC(i, j)                                          \
  t[i + j] = _mm512_madd52lo_epu64(t[i + j], a[i], bj);        \
  t[i + j + 1] = _mm512_madd52hi_epu64(t[i + j + 1], a[i], bj);
#define FIL_MAC_COLUMN(j)                                      \
  {                                                            \
    const V bj = broadcast(b.l[j]);                            \
    FIL_MAC(0, j) FIL_MAC(1, j) FIL_MAC(2, j) FIL_MAC(3, j) FIL_MAC(4, j) \
  }
  FIL_MAC_COLUMN(0) FIL_MAC_COLUMN(1) FIL_MAC_COLUMN(2) FIL_MAC_COLUMN(3) FIL_MAC_COLUMN(4)
#undef FIL_MAC_COLUMN
}

// t[0..9] += a * b, both per lane.
FIL_IFMA void mac(V* t, const V* a, const V* b) {
#define FIL_MAC_COLUMN(j)                                      \
  {                                                            \
    const V bj = b[j];                                         \
    FIL_MAC(0, j) FIL_MAC(1, j) FIL_MAC(2, j) FIL_MAC(3, j) FIL_MAC(4, j) \
  }
  FIL_MAC_COLUMN(0) FIL_MAC_COLUMN(1) FIL_MAC_COLUMN(2) FIL_MAC_COLUMN(3) FIL_MAC_COLUMN(4)
#undef FIL_MAC_COLUMN
#undef FIL_MAC
}

FIL_IFMA void zero(V* t) {
#pragma GCC unroll 10
  for (int i = 0; i < 10; ++i) t[i] = _mm512_setzero_si512();
}

// out = t * 2^-260 mod r (not fully reduced), normalised limbs.
FIL_IFMA void redc(V* t, V* out, const Globals& g);

// out = add + t * 2^-260 mod r: the addition rides on the reduction's own
// carry propagation.
FIL_IFMA void redcAdd(V* t, const V* add, V* out, const Globals& g) {
#pragma GCC unroll 5
  for (int i = 0; i < 5; ++i) t[5 + i] = _mm512_add_epi64(t[5 + i], add[i]);
  redc(t, out, g);
}

FIL_IFMA void redc(V* t, V* out, const Globals& g) {
  const V inv = broadcast(g.inv52);
  const V zero_v = _mm512_setzero_si512();
#define FIL_REDC_STEP(i)                                                        \
  {                                                                             \
    const V m = _mm512_madd52lo_epu64(zero_v, t[i], inv);                       \
    const V p0 = broadcast(g.modulus.l[0]), p1 = broadcast(g.modulus.l[1]),     \
            p2 = broadcast(g.modulus.l[2]), p3 = broadcast(g.modulus.l[3]),     \
            p4 = broadcast(g.modulus.l[4]);                                     \
    t[i] = _mm512_madd52lo_epu64(t[i], m, p0);                                  \
    t[i + 1] = _mm512_madd52hi_epu64(t[i + 1], m, p0);                          \
    t[i + 1] = _mm512_madd52lo_epu64(t[i + 1], m, p1);                          \
    t[i + 2] = _mm512_madd52hi_epu64(t[i + 2], m, p1);                          \
    t[i + 2] = _mm512_madd52lo_epu64(t[i + 2], m, p2);                          \
    t[i + 3] = _mm512_madd52hi_epu64(t[i + 3], m, p2);                          \
    t[i + 3] = _mm512_madd52lo_epu64(t[i + 3], m, p3);                          \
    t[i + 4] = _mm512_madd52hi_epu64(t[i + 4], m, p3);                          \
    t[i + 4] = _mm512_madd52lo_epu64(t[i + 4], m, p4);                          \
    t[i + 5] = _mm512_madd52hi_epu64(t[i + 5], m, p4);                          \
    t[i + 1] = _mm512_add_epi64(t[i + 1], _mm512_srli_epi64(t[i], 52));         \
  }
  FIL_REDC_STEP(0) FIL_REDC_STEP(1) FIL_REDC_STEP(2) FIL_REDC_STEP(3) FIL_REDC_STEP(4)
#undef FIL_REDC_STEP
  const V mask = broadcast(kMask52);
  V c = t[5];
  out[0] = _mm512_and_si512(c, mask);
  c = _mm512_add_epi64(t[6], _mm512_srli_epi64(c, 52));
  out[1] = _mm512_and_si512(c, mask);
  c = _mm512_add_epi64(t[7], _mm512_srli_epi64(c, 52));
  out[2] = _mm512_and_si512(c, mask);
  c = _mm512_add_epi64(t[8], _mm512_srli_epi64(c, 52));
  out[3] = _mm512_and_si512(c, mask);
  out[4] = _mm512_add_epi64(t[9], _mm512_srli_epi64(c, 52));
}

FIL_IFMA void mul(const V* a, const V* b, V* out, const Globals& g) {
  V t[10];
  zero(t);
  mac(t, a, b);
  redc(t, out, g);
}

FIL_IFMA void mulConst(const V* a, const Limbs52& b, V* out, const Globals& g) {
  V t[10];
  zero(t);
  macConst(t, a, b);
  redc(t, out, g);
}

// out = a + c with normalised limbs (the sum stays below 2^260).
FIL_IFMA void addConst(const V* a, const Limbs52& c, V* out) {
  const V mask = broadcast(kMask52);
  V s = _mm512_add_epi64(a[0], broadcast(c.l[0]));
#pragma GCC unroll 4
  for (int i = 1; i < 5; ++i) {
    out[i - 1] = _mm512_and_si512(s, mask);
    s = _mm512_add_epi64(_mm512_add_epi64(a[i], broadcast(c.l[i])), _mm512_srli_epi64(s, 52));
  }
  out[4] = s;
}

// x^5.
FIL_IFMA void sbox(V* x, const Globals& g) {
  V x2[5], x4[5];
  mul(x, x, x2, g);
  mul(x2, x2, x4, g);
  mul(x4, x, x, g);
}

struct F8 {
  V l[5];
};

// s = m * s, m a width x width constant matrix, row-major.
template <size_t W>
FIL_IFMA void matmul(F8* s, const Limbs52* m, const Globals& g) {
  // Two rows at a time: one row's sum is a chain of dependent
  // multiply-adds (4 cycles each) into the same accumulators; two chains
  // keep both IFMA units busy.
  F8 out[W];
  size_t i = 0;
  for (; i + 1 < W; i += 2) {
    V t[10], u[10];
    zero(t);
    zero(u);
    for (size_t j = 0; j < W; ++j) {
      macConst(t, s[j].l, m[i * W + j]);
      macConst(u, s[j].l, m[(i + 1) * W + j]);
    }
    redc(t, out[i].l, g);
    redc(u, out[i + 1].l, g);
  }
  if (i < W) {
    V t[10];
    zero(t);
    for (size_t j = 0; j < W; ++j) macConst(t, s[j].l, m[i * W + j]);
    redc(t, out[i].l, g);
  }
  for (size_t r = 0; r < W; ++r) s[r] = out[r];
}

// G independent groups of eight hashes, interleaved step by step: in the
// partial rounds one group's chain (S-box, then the dot product that feeds
// the next S-box) is long for the work beside it at narrow widths; a second
// group's chain fills the gaps.
template <size_t W, int G>
__attribute__((target("avx512f,avx512ifma"), noinline)) void hashLanes(const IfmaConstants& k, const uint64_t* in,
                                                                        uint64_t* out) {
  const Globals& g = globals();
  const V mask = broadcast(kMask52);
  F8 s[G][W];
  for (int q = 0; q < G; ++q) {
#pragma GCC unroll 5
    for (int i = 0; i < 5; ++i) s[q][0].l[i] = broadcast(k.domain_tag.l[i]);
    for (size_t j = 1; j < W; ++j) {
      const uint64_t* words = in + (q * (W - 1) + j - 1) * 32;
      const V w0 = _mm512_loadu_si512(words), w1 = _mm512_loadu_si512(words + 8),
              w2 = _mm512_loadu_si512(words + 16), w3 = _mm512_loadu_si512(words + 24);
      V x[5];
      x[0] = _mm512_and_si512(w0, mask);
      x[1] = _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(w0, 52), _mm512_slli_epi64(w1, 12)), mask);
      x[2] = _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(w1, 40), _mm512_slli_epi64(w2, 24)), mask);
      x[3] = _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(w2, 28), _mm512_slli_epi64(w3, 36)), mask);
      x[4] = _mm512_srli_epi64(w3, 16);
      mulConst(x, g.r2, s[q][j].l, g);
    }
  }

  auto fullRound = [&](const Limbs52* c, const Limbs52* matrix) FIL_IFMA_LAMBDA {
    for (size_t i = 0; i < W; ++i) {
      for (int q = 0; q < G; ++q) {
        addConst(s[q][i].l, c[i], s[q][i].l);
        sbox(s[q][i].l, g);
      }
    }
    if (matrix != nullptr) {
      for (int q = 0; q < G; ++q) matmul<W>(s[q], matrix, g);
    }
  };
  const size_t half = 4;  // full rounds / 2
  for (size_t r = 0; r < half; ++r) {
    fullRound(k.first_half.data() + r * W, r + 1 == half ? k.pre_sparse.data() : k.mds.data());
  }

  // Partial round r: s0 = sbox(s[0] + c_r) (A), then s[0]' = a00 * s0 +
  // v . s[1..] (B) and s[j]' = s[j] + w[j-1] * s0 (C). A and B form the
  // chain from round to round; the C updates are independent of the next
  // round's A. So the next round's S-box (three dependent products) is
  // issued right after B, with the C updates spread between its products
  // where the out-of-order core finds them while each product is in flight.
  V s0[G][5];
  for (int q = 0; q < G; ++q) {
    addConst(s[q][0].l, k.partial[0], s0[q]);
    sbox(s0[q], g);
  }
  const Limbs52* sp = k.sparse.data();
  for (size_t r = 0; r < k.partial_rounds; ++r, sp += 2 * W - 1) {
    for (int q = 0; q < G; ++q) {
      V t[10];
      zero(t);
      for (size_t j = 1; j < W; ++j) macConst(t, s[q][j].l, sp[j]);
      macConst(t, s0[q], sp[0]);  // last: the other terms need not wait for s0
      redc(t, s[q][0].l, g);
    }
    // Every fourth round (and the last) brings s[1..] back below 1.2r;
    // in between they grow by less than 1.1r a round.
    const bool reduce = r % 4 == 3 || r + 1 == k.partial_rounds;
    auto update = [&](size_t j) FIL_IFMA_LAMBDA {
      for (int q = 0; q < G; ++q) {
        V u[10];
        zero(u);
        macConst(u, s0[q], sp[W - 1 + j]);
        if (reduce) {
          macConst(u, s[q][j].l, g.one);
          redc(u, s[q][j].l, g);
        } else {
          redcAdd(u, s[q][j].l, s[q][j].l, g);
        }
      }
    };
    const size_t b1 = 1 + (W - 1) / 3, b2 = 1 + 2 * (W - 1) / 3;
    if (r + 1 < k.partial_rounds) {
      V x[G][5], x2[G][5], x4[G][5];
      for (int q = 0; q < G; ++q) {
        addConst(s[q][0].l, k.partial[r + 1], x[q]);
        mul(x[q], x[q], x2[q], g);
      }
      for (size_t j = 1; j < b1; ++j) update(j);
      for (int q = 0; q < G; ++q) mul(x2[q], x2[q], x4[q], g);
      for (size_t j = b1; j < b2; ++j) update(j);
      for (int q = 0; q < G; ++q) mul(x4[q], x[q], x[q], g);
      for (size_t j = b2; j < W; ++j) update(j);
      for (int q = 0; q < G; ++q)
        for (int i = 0; i < 5; ++i) s0[q][i] = x[q][i];
    } else {
      for (size_t j = 1; j < W; ++j) update(j);
    }
  }

  for (size_t r = 0; r < half; ++r) {
    fullRound(k.second_half.data() + r * W, r + 1 < half ? k.mds.data() : nullptr);
  }
  for (int q = 0; q < G; ++q) {
    // Only state[1] is the output: row 1 of the matrix, then out of
    // Montgomery form (a reduction of the value alone) into words.
    V t[10];
    zero(t);
    for (size_t j = 0; j < W; ++j) macConst(t, s[q][j].l, k.mds[W + j]);
    V h[5];
    redc(t, h, g);
    zero(t);
#pragma GCC unroll 5
    for (int i = 0; i < 5; ++i) t[i] = h[i];
    redc(t, h, g);
    // Limbs to words; the value is at most r (equal to r only for zero).
    uint64_t* o = out + 32 * q;
    _mm512_storeu_si512(o, _mm512_or_si512(h[0], _mm512_slli_epi64(h[1], 52)));
    _mm512_storeu_si512(o + 8, _mm512_or_si512(_mm512_srli_epi64(h[1], 12), _mm512_slli_epi64(h[2], 40)));
    _mm512_storeu_si512(o + 16, _mm512_or_si512(_mm512_srli_epi64(h[2], 24), _mm512_slli_epi64(h[3], 28)));
    _mm512_storeu_si512(o + 24, _mm512_or_si512(_mm512_srli_epi64(h[3], 36), _mm512_slli_epi64(h[4], 16)));
  }
}

#undef FIL_IFMA
#undef FIL_IFMA_LAMBDA

}  // namespace

bool poseidonIfmaAvailable() { return cpuFeatures().avx512_ifma; }

void poseidonIfmaLanes(size_t arity, size_t groups, const uint64_t* in, uint64_t* out) {
  const IfmaConstants& k = ifmaConstants(arity);
  const size_t width = arity + 1;
  for (size_t done = 0; done < groups;) {
    const uint64_t* gin = in + done * arity * 32;
    uint64_t* gout = out + done * 32;
    // Two groups at a time pay where a group alone leaves the units idle:
    // width 3, whose partial rounds have little work beside their chain
    // (measured: about 14% faster; at widths 9 and 12, where the register
    // pressure of two states costs more, slower).
    const bool pair = width == 3 && groups - done >= 2;
    switch (width * 2 + (pair ? 1 : 0)) {
      case 3 * 2: hashLanes<3, 1>(k, gin, gout); break;
      case 3 * 2 + 1: hashLanes<3, 2>(k, gin, gout); break;
      case 9 * 2: hashLanes<9, 1>(k, gin, gout); break;
      case 9 * 2 + 1: hashLanes<9, 2>(k, gin, gout); break;
      case 12 * 2: hashLanes<12, 1>(k, gin, gout); break;
      case 12 * 2 + 1: hashLanes<12, 2>(k, gin, gout); break;
      default: std::abort();
    }
    done += pair ? 2 : 1;
  }
  // r itself (the only non-canonical value possible) is zero.
  for (size_t lane = 0; lane < groups * 8; ++lane) {
    uint64_t* o = out + (lane / 8) * 32 + lane % 8;
    const Fr::Limbs w = {o[0], o[8], o[16], o[24]};
    if (w == Fr::kModulus) o[0] = o[8] = o[16] = o[24] = 0;
  }
}

#else  // not x86-64

bool poseidonIfmaAvailable() { return false; }
void poseidonIfmaLanes(size_t, size_t, const uint64_t*, uint64_t*) { std::abort(); }

#endif

}  // namespace fil::proofs::simd
