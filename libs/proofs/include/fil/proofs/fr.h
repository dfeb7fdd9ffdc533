// The scalar field of BLS12-381, Fr: integers modulo
//   r = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001.
//
// Filecoin's Poseidon trees (tree_c, tree_r_last, comm_r) and the replica
// encoding (replica = label + data) compute in this field. Elements are kept
// in Montgomery form (x * 2^256 mod r) in four little-endian 64-bit limbs;
// the canonical byte form, used in files and proofs, is the 32-byte
// little-endian integer below r (blstrs' `to_repr`).
//
//   Fr a = Fr::fromU64(3), b = Fr::fromU64(4);
//   Fr c = a * b + Fr::one();
//   ByteArray<32> bytes = c.toBytes();
//   std::optional<Fr> back = Fr::fromBytes(bytes);   // nullopt when >= r
//
// The multiplication is inline because Poseidon spends nearly all its time
// in it: on x86-64 CPUs with ADX and BMI2 (chosen at start-up from CPUID) it
// is mulx/adcx/adox assembly, elsewhere branch-free C++ with unsigned
// __int128. Batches of Poseidon hashes have an 8-lane AVX-512 IFMA path of
// their own (poseidon.h).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>

#include "fil/base/bytes.h"

namespace fil::proofs {

class Fr {
 public:
  using Limbs = std::array<uint64_t, 4>;

  static constexpr Limbs kModulus = {0xffffffff00000001ULL, 0x53bda402fffe5bfeULL,
                                     0x3339d80809a1d805ULL, 0x73eda753299d7d48ULL};
  // 2^256 mod r (one in Montgomery form) and 2^512 mod r (for conversion in).
  static constexpr Limbs kR = {0x00000001fffffffeULL, 0x5884b7fa00034802ULL,
                               0x998c4fefecbc4ff5ULL, 0x1824b159acc5056fULL};
  static constexpr Limbs kR2 = {0xc999e990f3f29c6dULL, 0x2b6cedcb87925c23ULL,
                                0x05d314967254398fULL, 0x0748d9d99f59ff11ULL};
  // -r^-1 mod 2^64.
  static constexpr uint64_t kInv = 0xfffffffeffffffffULL;

  constexpr Fr() : m_{0, 0, 0, 0} {}

  static constexpr Fr zero() { return Fr(); }
  static constexpr Fr one() { return fromMontgomery(kR); }
  static Fr fromU64(uint64_t v);
  // The canonical little-endian form; nullopt when the integer is >= r.
  static std::optional<Fr> fromBytes(const uint8_t* bytes32);
  static std::optional<Fr> fromBytes(BytesView bytes);  // must be 32 bytes
  // Bytes whose top two bits are clear are always below r (2^254 < r): the
  // form of every Filecoin label, FR32-padded data node and tree node.
  static Fr fromBytesMasked(const uint8_t* bytes32);

  void toBytes(uint8_t* out32) const;
  ByteArray<32> toBytes() const;
  // The canonical integer as little-endian limbs (out of Montgomery form).
  Limbs toCanonical() const;

  static constexpr Fr fromMontgomery(const Limbs& limbs) {
    Fr f;
    f.m_ = limbs;
    return f;
  }
  const Limbs& montgomery() const { return m_; }

  bool isZero() const { return (m_[0] | m_[1] | m_[2] | m_[3]) == 0; }
  friend bool operator==(const Fr& a, const Fr& b) { return a.m_ == b.m_; }

  friend Fr operator+(const Fr& a, const Fr& b) {
    Fr out;
    add(out.m_, a.m_, b.m_);
    return out;
  }
  friend Fr operator-(const Fr& a, const Fr& b) {
    Fr out;
    sub(out.m_, a.m_, b.m_);
    return out;
  }
  friend Fr operator*(const Fr& a, const Fr& b) {
    Fr out;
    mul(out.m_, a.m_, b.m_);
    return out;
  }
  Fr& operator+=(const Fr& b) {
    add(m_, m_, b.m_);
    return *this;
  }
  Fr& operator-=(const Fr& b) {
    sub(m_, m_, b.m_);
    return *this;
  }
  Fr& operator*=(const Fr& b) {
    mul(m_, m_, b.m_);
    return *this;
  }
  Fr square() const { return *this * *this; }
  Fr neg() const { return zero() - *this; }
  Fr pow(const Limbs& exponent) const;
  // The multiplicative inverse; zero has none and maps to zero.
  Fr inverse() const;

  // out = a * b * 2^-256 mod r. Inputs and output below r.
  static inline void mul(Limbs& out, const Limbs& a, const Limbs& b);
  static inline void add(Limbs& out, const Limbs& a, const Limbs& b);
  static inline void sub(Limbs& out, const Limbs& a, const Limbs& b);

 private:
  Limbs m_;
};

// ---------------------------------------------------------------------------
// Inline arithmetic.

namespace detail {
__extension__ typedef unsigned __int128 u128;

// Subtracts r when t >= r (t < 2r).
inline void reduceOnce(Fr::Limbs& t) {
  uint64_t s[4];
  u128 borrow = 0;
  for (int i = 0; i < 4; ++i) {
    const u128 d = static_cast<u128>(t[i]) - Fr::kModulus[i] - borrow;
    s[i] = static_cast<uint64_t>(d);
    borrow = (d >> 64) & 1;
  }
  // borrow == 1 means t < r: keep t.
  const uint64_t keep = 0 - static_cast<uint64_t>(borrow);
  for (int i = 0; i < 4; ++i) t[i] = (t[i] & keep) | (s[i] & ~keep);
}
}  // namespace detail

inline void Fr::add(Limbs& out, const Limbs& a, const Limbs& b) {
  // a + b < 2r < 2^256: no carry out of the top limb.
  detail::u128 c = 0;
  Limbs t;
  for (int i = 0; i < 4; ++i) {
    c += static_cast<detail::u128>(a[i]) + b[i];
    t[i] = static_cast<uint64_t>(c);
    c >>= 64;
  }
  detail::reduceOnce(t);
  out = t;
}

inline void Fr::sub(Limbs& out, const Limbs& a, const Limbs& b) {
  Limbs t;
  detail::u128 borrow = 0;
  for (int i = 0; i < 4; ++i) {
    const detail::u128 d = static_cast<detail::u128>(a[i]) - b[i] - borrow;
    t[i] = static_cast<uint64_t>(d);
    borrow = (d >> 64) & 1;
  }
  // On borrow add r back.
  const uint64_t mask = 0 - static_cast<uint64_t>(borrow);
  detail::u128 c = 0;
  for (int i = 0; i < 4; ++i) {
    c += static_cast<detail::u128>(t[i]) + (kModulus[i] & mask);
    t[i] = static_cast<uint64_t>(c);
    c >>= 64;
  }
  out = t;
}

namespace detail {
// Montgomery multiplication, CIOS without the two extra words: r's top limb
// is below 2^63 - 1, so the running total never needs them (the "no-carry"
// variant used by gnark and blst for such moduli). Plain C++: the path for
// CPUs without ADX and for other architectures.
inline void mulPortable(Fr::Limbs& out, const Fr::Limbs& a, const Fr::Limbs& b) {
  uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0;
  for (int i = 0; i < 4; ++i) {
    const uint64_t bi = b[i];
    u128 acc = static_cast<u128>(a[0]) * bi + t0;
    t0 = static_cast<uint64_t>(acc);
    uint64_t A = static_cast<uint64_t>(acc >> 64);
    const uint64_t m = t0 * Fr::kInv;
    u128 red = static_cast<u128>(m) * Fr::kModulus[0] + t0;
    uint64_t C = static_cast<uint64_t>(red >> 64);

    acc = static_cast<u128>(a[1]) * bi + t1 + A;
    t1 = static_cast<uint64_t>(acc);
    A = static_cast<uint64_t>(acc >> 64);
    red = static_cast<u128>(m) * Fr::kModulus[1] + t1 + C;
    t0 = static_cast<uint64_t>(red);
    C = static_cast<uint64_t>(red >> 64);

    acc = static_cast<u128>(a[2]) * bi + t2 + A;
    t2 = static_cast<uint64_t>(acc);
    A = static_cast<uint64_t>(acc >> 64);
    red = static_cast<u128>(m) * Fr::kModulus[2] + t2 + C;
    t1 = static_cast<uint64_t>(red);
    C = static_cast<uint64_t>(red >> 64);

    acc = static_cast<u128>(a[3]) * bi + t3 + A;
    t3 = static_cast<uint64_t>(acc);
    A = static_cast<uint64_t>(acc >> 64);
    red = static_cast<u128>(m) * Fr::kModulus[3] + t3 + C;
    t2 = static_cast<uint64_t>(red);
    C = static_cast<uint64_t>(red >> 64);

    t3 = C + A;
  }
  Fr::Limbs t = {t0, t1, t2, t3};
  reduceOnce(t);
  out = t;
}

#if defined(__x86_64__)
// True when the CPU has BMI2 (mulx) and ADX (adcx, adox); set at start-up
// (before that, and on other CPUs, the portable code runs).
extern bool g_fr_use_adx;

// mulPortable, out of line: the fallback should not bloat every call site.
void mulPortableCall(Fr::Limbs& out, const Fr::Limbs& a, const Fr::Limbs& b);

// The same CIOS with mulx and two carry chains (adcx on CF for the low
// halves, adox on OF for the high halves); 32 mulx and about 100
// instructions. The assembler accepts these instructions whatever -march
// says; the caller checks g_fr_use_adx. Each step adds a*b[i] and m*r to a
// five-word total t (below 2^320 because r < 2^255, so no sixth word) and
// drops its low word, which the registers do by renaming t0..t4 in turn.
inline const uint64_t kModulusWords[4] = {Fr::kModulus[0], Fr::kModulus[1], Fr::kModulus[2], Fr::kModulus[3]};
#define FIL_FR_ADX_STEP(BI, T0, T1, T2, T3, T4)  \
  "mov " BI ", %%rdx\n\t"                         \
  "xor %k[z], %k[z]\n\t"                          \
  "mulx %[a0], %[lo], %[hi]\n\t"                  \
  "adcx %[lo], %" T0 "\n\t"                       \
  "adox %[hi], %" T1 "\n\t"                       \
  "mulx %[a1], %[lo], %[hi]\n\t"                  \
  "adcx %[lo], %" T1 "\n\t"                       \
  "adox %[hi], %" T2 "\n\t"                       \
  "mulx %[a2], %[lo], %[hi]\n\t"                  \
  "adcx %[lo], %" T2 "\n\t"                       \
  "adox %[hi], %" T3 "\n\t"                       \
  "mulx %[a3], %[lo], %" T4 "\n\t"                \
  "adcx %[lo], %" T3 "\n\t"                       \
  "adcx %[z], %" T4 "\n\t"                        \
  "adox %[z], %" T4 "\n\t"                        \
  "mov %" T0 ", %%rdx\n\t"                        \
  "imul %[inv], %%rdx\n\t"                        \
  "xor %k[z], %k[z]\n\t"                          \
  "mulx %[p0], %[lo], %[hi]\n\t"                  \
  "adcx %[lo], %" T0 "\n\t"                       \
  "adox %[hi], %" T1 "\n\t"                       \
  "mulx %[p1], %[lo], %[hi]\n\t"                  \
  "adcx %[lo], %" T1 "\n\t"                       \
  "adox %[hi], %" T2 "\n\t"                       \
  "mulx %[p2], %[lo], %[hi]\n\t"                  \
  "adcx %[lo], %" T2 "\n\t"                       \
  "adox %[hi], %" T3 "\n\t"                       \
  "mulx %[p3], %[lo], %[hi]\n\t"                  \
  "adcx %[lo], %" T3 "\n\t"                       \
  "adox %[hi], %" T4 "\n\t"                       \
  "adcx %[z], %" T4 "\n\t"

inline void mulAdx(Fr::Limbs& out, const Fr::Limbs& a, const Fr::Limbs& b) {
  uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4, lo, hi, z;
  asm(FIL_FR_ADX_STEP("%[b0]", "[t0]", "[t1]", "[t2]", "[t3]", "[t4]")
      FIL_FR_ADX_STEP("%[b1]", "[t1]", "[t2]", "[t3]", "[t4]", "[t0]")
      FIL_FR_ADX_STEP("%[b2]", "[t2]", "[t3]", "[t4]", "[t0]", "[t1]")
      FIL_FR_ADX_STEP("%[b3]", "[t3]", "[t4]", "[t0]", "[t1]", "[t2]")
      // The result, t4 t0 t1 t2, is below 2r: subtract r unless that borrows.
      "mov %[t4], %[lo]\n\t"
      "sub %[p0], %[lo]\n\t"
      "mov %[t0], %[hi]\n\t"
      "sbb %[p1], %[hi]\n\t"
      "mov %[t1], %[z]\n\t"
      "sbb %[p2], %[z]\n\t"
      "mov %[t2], %%rdx\n\t"
      "sbb %[p3], %%rdx\n\t"
      "cmovc %[t4], %[lo]\n\t"
      "cmovc %[t0], %[hi]\n\t"
      "cmovc %[t1], %[z]\n\t"
      "cmovc %[t2], %%rdx\n\t"
      "mov %%rdx, %[t3]\n\t"
      : [t0] "+&r"(t0), [t1] "+&r"(t1), [t2] "+&r"(t2), [t3] "+&r"(t3), [t4] "=&r"(t4), [lo] "=&r"(lo),
        [hi] "=&r"(hi), [z] "=&r"(z)
      : [a0] "m"(a[0]), [a1] "m"(a[1]), [a2] "m"(a[2]), [a3] "m"(a[3]), [b0] "m"(b[0]), [b1] "m"(b[1]),
        [b2] "m"(b[2]), [b3] "m"(b[3]), [p0] "m"(kModulusWords[0]), [p1] "m"(kModulusWords[1]),
        [p2] "m"(kModulusWords[2]), [p3] "m"(kModulusWords[3]), [inv] "r"(Fr::kInv)
      : "rdx", "cc");
  out = {lo, hi, z, t3};
}
#undef FIL_FR_ADX_STEP
#endif
}  // namespace detail

inline void Fr::mul(Limbs& out, const Limbs& a, const Limbs& b) {
#if defined(__x86_64__)
  if (__builtin_expect(detail::g_fr_use_adx, 1)) {
    detail::mulAdx(out, a, b);
  } else {
    detail::mulPortableCall(out, a, b);
  }
#else
  detail::mulPortable(out, a, b);
#endif
}

}  // namespace fil::proofs
