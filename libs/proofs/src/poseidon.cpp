#include "fil/proofs/poseidon.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "poseidon_simd.h"

namespace fil::proofs {

namespace {

// Round numbers of neptune's Strength::Standard (round_numbers.rs computes
// them from the paper's security inequalities; the results are constants).
size_t partialRounds(size_t arity) {
  switch (arity) {
    case 2: return 55;
    case 8: return 57;
    case 11: return 57;
    default: std::abort();
  }
}

// The Grain LFSR in self-shrinking mode, seeded as the Poseidon paper's
// generate_parameters_grain.sage.
class Grain {
 public:
  Grain(uint32_t field, uint32_t sbox, uint32_t field_size, uint32_t t, uint32_t rf, uint32_t rp) {
    size_t n = 0;
    auto append = [&](uint32_t value, int bits) {
      for (int i = bits - 1; i >= 0; --i) state_[n++] = (value >> i) & 1;
    };
    append(field, 2);
    append(sbox, 4);
    append(field_size, 12);
    append(t, 12);
    append(rf, 10);
    append(rp, 10);
    for (int i = 0; i < 30; ++i) state_[n++] = 1;
    for (int i = 0; i < 160; ++i) step();
  }

  // The next output bit: pairs of raw bits, the second kept when the first is 1.
  bool next() {
    bool first = step();
    while (!first) {
      step();
      first = step();
    }
    return step();
  }

 private:
  bool step() {
    const bool bit = state_[(head_ + 62) % 80] ^ state_[(head_ + 51) % 80] ^
                     state_[(head_ + 38) % 80] ^ state_[(head_ + 23) % 80] ^
                     state_[(head_ + 13) % 80] ^ state_[head_];
    state_[head_] = bit;  // the oldest bit leaves, the new one enters at the end
    head_ = (head_ + 1) % 80;
    return bit;
  }
  std::array<bool, 80> state_{};
  size_t head_ = 0;
};

std::vector<Fr> grainConstants(size_t t, size_t rf, size_t rp) {
  constexpr uint32_t kFieldSize = 255;
  Grain grain(1, 1, kFieldSize, static_cast<uint32_t>(t), static_cast<uint32_t>(rf),
              static_cast<uint32_t>(rp));
  std::vector<Fr> out;
  out.reserve((rf + rp) * t);
  while (out.size() < (rf + rp) * t) {
    // 255 bits, most significant first (the sage script's int of a bit
    // string), rejected when not below r.
    uint8_t be[32];
    for (int i = 0; i < 32; ++i) {
      const int bits = i == 0 ? kFieldSize % 8 : 8;
      uint8_t byte = 0;
      for (int b = 0; b < bits; ++b) byte = static_cast<uint8_t>((byte << 1) | (grain.next() ? 1 : 0));
      be[i] = byte;
    }
    uint8_t le[32];
    for (int i = 0; i < 32; ++i) le[i] = be[31 - i];
    if (auto f = Fr::fromBytes(le)) out.push_back(*f);
  }
  return out;
}

using Matrix = std::vector<std::vector<Fr>>;

Matrix multiply(const Matrix& a, const Matrix& b) {
  const size_t n = a.size();
  Matrix out(n, std::vector<Fr>(n));
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < n; ++j) {
      Fr acc;
      for (size_t k = 0; k < n; ++k) acc += a[i][k] * b[k][j];
      out[i][j] = acc;
    }
  return out;
}

std::vector<Fr> applyMatrix(const Matrix& m, const std::vector<Fr>& v) {
  std::vector<Fr> out(m.size());
  for (size_t i = 0; i < m.size(); ++i)
    for (size_t j = 0; j < v.size(); ++j) out[i] += m[i][j] * v[j];
  return out;
}

Matrix invert(Matrix m) {
  const size_t n = m.size();
  Matrix inv(n, std::vector<Fr>(n));
  for (size_t i = 0; i < n; ++i) inv[i][i] = Fr::one();
  for (size_t col = 0; col < n; ++col) {
    size_t pivot = col;
    while (pivot < n && m[pivot][col].isZero()) ++pivot;
    if (pivot == n) std::abort();  // the Poseidon matrices are invertible by construction
    std::swap(m[pivot], m[col]);
    std::swap(inv[pivot], inv[col]);
    const Fr scale = m[col][col].inverse();
    for (size_t j = 0; j < n; ++j) {
      m[col][j] *= scale;
      inv[col][j] *= scale;
    }
    for (size_t row = 0; row < n; ++row) {
      if (row == col || m[row][col].isZero()) continue;
      const Fr factor = m[row][col];
      for (size_t j = 0; j < n; ++j) {
        m[row][j] -= factor * m[col][j];
        inv[row][j] -= factor * inv[col][j];
      }
    }
  }
  return inv;
}

// A = B * C with C = diag(1, A[1..][1..]) and B sparse (see the header's
// Sparse): C commutes with a partial round's S-box, so it can move into the
// round before.
void factor(const Matrix& a, PoseidonConstants::Sparse& b, Matrix& c) {
  const size_t n = a.size();
  Matrix hat(n - 1, std::vector<Fr>(n - 1));
  for (size_t i = 1; i < n; ++i)
    for (size_t j = 1; j < n; ++j) hat[i - 1][j - 1] = a[i][j];
  const Matrix hat_inv = invert(hat);
  b.a00 = a[0][0];
  b.w.assign(n - 1, Fr());
  b.v.assign(n - 1, Fr());
  for (size_t i = 1; i < n; ++i) b.w[i - 1] = a[i][0];
  for (size_t j = 0; j < n - 1; ++j) {
    Fr acc;
    for (size_t k = 0; k < n - 1; ++k) acc += a[0][k + 1] * hat_inv[k][j];
    b.v[j] = acc;
  }
  c.assign(n, std::vector<Fr>(n));
  c[0][0] = Fr::one();
  for (size_t i = 1; i < n; ++i)
    for (size_t j = 1; j < n; ++j) c[i][j] = a[i][j];
}

PoseidonConstants makeConstants(size_t arity) {
  PoseidonConstants pc;
  pc.arity = arity;
  const size_t t = arity + 1;
  pc.width = t;
  pc.full_rounds = 8;
  pc.partial_rounds = partialRounds(arity);
  pc.domain_tag = Fr::fromU64((uint64_t{1} << arity) - 1);
  pc.round_constants = grainConstants(t, pc.full_rounds, pc.partial_rounds);
  pc.mds.assign(t, std::vector<Fr>(t));
  for (size_t i = 0; i < t; ++i)
    for (size_t j = 0; j < t; ++j) pc.mds[i][j] = Fr::fromU64(i + t + j).inverse();
  for (const auto& row : pc.mds) pc.mds_flat.insert(pc.mds_flat.end(), row.begin(), row.end());

  // Round-constant compression: a partial round's constants for s[1..] pass
  // the S-box unchanged, so they are carried through the MDS matrix into the
  // next round; only the constant for s[0] stays in each partial round.
  const size_t half = pc.full_rounds / 2;
  const auto& rc = pc.round_constants;
  pc.first_half_constants.assign(rc.begin(), rc.begin() + static_cast<long>(half * t));
  std::vector<Fr> carry(t);
  for (size_t r = 0; r < pc.partial_rounds; ++r) {
    std::vector<Fr> c(t);
    for (size_t i = 0; i < t; ++i) c[i] = rc[(half + r) * t + i] + carry[i];
    pc.partial_constants.push_back(c[0]);
    c[0] = Fr();
    carry = applyMatrix(pc.mds, c);
  }
  const size_t second = half + pc.partial_rounds;
  pc.second_half_constants.assign(rc.begin() + static_cast<long>(second * t), rc.end());
  for (size_t i = 0; i < t; ++i) pc.second_half_constants[i] += carry[i];

  // Sparse partial-round matrices, factored from the last round backwards.
  pc.sparse.resize(pc.partial_rounds);
  Matrix a = pc.mds;
  Matrix c;
  for (size_t r = pc.partial_rounds; r-- > 0;) {
    factor(a, pc.sparse[r], c);
    a = multiply(c, pc.mds);
  }
  for (const auto& row : a) pc.pre_sparse.insert(pc.pre_sparse.end(), row.begin(), row.end());
  return pc;
}

inline Fr sbox(const Fr& x) {
  const Fr x2 = x.square();
  return x2.square() * x;
}

template <size_t T>
Fr hashOptimized(const PoseidonConstants& pc, std::span<const Fr> inputs) {
  std::array<Fr, T> s;
  s[0] = pc.domain_tag;
  for (size_t i = 1; i < T; ++i) s[i] = inputs[i - 1];

  auto matmul = [&](const std::vector<Fr>& m) {
    std::array<Fr, T> out;
    for (size_t i = 0; i < T; ++i) {
      Fr acc = m[i * T] * s[0];
      for (size_t j = 1; j < T; ++j) acc += m[i * T + j] * s[j];
      out[i] = acc;
    }
    s = out;
  };

  const size_t half = pc.full_rounds / 2;
  const Fr* c = pc.first_half_constants.data();
  for (size_t r = 0; r < half; ++r, c += T) {
    for (size_t i = 0; i < T; ++i) s[i] = sbox(s[i] + c[i]);
    matmul(r + 1 == half ? pc.pre_sparse : pc.mds_flat);
  }
  for (size_t r = 0; r < pc.partial_rounds; ++r) {
    const auto& sp = pc.sparse[r];
    const Fr s0 = sbox(s[0] + pc.partial_constants[r]);
    Fr acc = sp.a00 * s0;
    for (size_t j = 1; j < T; ++j) acc += sp.v[j - 1] * s[j];
    for (size_t j = 1; j < T; ++j) s[j] += sp.w[j - 1] * s0;
    s[0] = acc;
  }
  c = pc.second_half_constants.data();
  for (size_t r = 0; r < half; ++r, c += T) {
    for (size_t i = 0; i < T; ++i) s[i] = sbox(s[i] + c[i]);
    if (r + 1 < half) {
      matmul(pc.mds_flat);
    } else {
      // Only state[1] is the output.
      Fr acc;
      for (size_t j = 0; j < T; ++j) acc += pc.mds_flat[T + j] * s[j];
      return acc;
    }
  }
  std::abort();  // unreachable: full_rounds >= 2
}

}  // namespace

const PoseidonConstants& poseidonConstants(size_t arity) {
  static std::once_flag once[3];
  static PoseidonConstants constants[3];
  size_t index = 0;
  switch (arity) {
    case 2: index = 0; break;
    case 8: index = 1; break;
    case 11: index = 2; break;
    default: std::abort();
  }
  std::call_once(once[index], [&] { constants[index] = makeConstants(arity); });
  return constants[index];
}

Fr poseidonHash(std::span<const Fr> inputs) {
  const auto& pc = poseidonConstants(inputs.size());
  switch (inputs.size()) {
    case 2: return hashOptimized<3>(pc, inputs);
    case 8: return hashOptimized<9>(pc, inputs);
    case 11: return hashOptimized<12>(pc, inputs);
    default: std::abort();
  }
}

Fr poseidonHashReference(std::span<const Fr> inputs) {
  const auto& pc = poseidonConstants(inputs.size());
  const size_t t = pc.width;
  std::vector<Fr> s(t);
  s[0] = pc.domain_tag;
  for (size_t i = 1; i < t; ++i) s[i] = inputs[i - 1];
  size_t offset = 0;
  auto full = [&] {
    for (size_t i = 0; i < t; ++i) s[i] = sbox(s[i] + pc.round_constants[offset + i]);
    offset += t;
    s = applyMatrix(pc.mds, s);
  };
  auto partial = [&] {
    for (size_t i = 0; i < t; ++i) s[i] += pc.round_constants[offset + i];
    offset += t;
    s[0] = sbox(s[0]);
    s = applyMatrix(pc.mds, s);
  };
  for (size_t r = 0; r < pc.full_rounds / 2; ++r) full();
  for (size_t r = 0; r < pc.partial_rounds; ++r) partial();
  for (size_t r = 0; r < pc.full_rounds / 2; ++r) full();
  return s[1];
}

bool poseidonHashNodes(size_t arity, const uint8_t* nodes, uint8_t* out) {
  std::array<Fr, 11> in;
  for (size_t i = 0; i < arity; ++i) {
    auto f = Fr::fromBytes(nodes + 32 * i);
    if (!f) return false;
    in[i] = *f;
  }
  poseidonHash(std::span<const Fr>(in.data(), arity)).toBytes(out);
  return true;
}

}  // namespace fil::proofs

namespace fil::proofs {

namespace {
inline uint64_t loadLE(const uint8_t* p) {
  if constexpr (std::endian::native == std::endian::little) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  } else {
    return readU64LE(p);
  }
}

inline void storeLE(uint8_t* p, uint64_t v) {
  for (int b = 0; b < 8; ++b) p[b] = static_cast<uint8_t>(v >> (8 * b));
}

// The words of a node as NodeForm says; false when a canonical node is not
// below r.
bool readNode(const uint8_t* node, NodeForm form, Fr::Limbs& w) {
  for (int j = 0; j < 4; ++j) w[j] = loadLE(node + 8 * j);
  if (form == NodeForm::kMasked) {
    w[3] &= 0x3fffffffffffffffULL;
    return true;
  }
  for (int j = 3; j >= 0; --j) {
    if (w[j] != Fr::kModulus[j]) return w[j] < Fr::kModulus[j];
  }
  return false;  // equal to r
}
}  // namespace

bool poseidonHashMany(size_t arity, const uint8_t* const* inputs, size_t stride, uint64_t count, uint8_t* out,
                      NodeForm form) {
  if (!isPoseidonArity(arity)) std::abort();
  if (simd::poseidonIfmaAvailable()) {
    // Up to two groups of eight lanes per kernel call.
    alignas(64) uint64_t in[2 * 11 * 4 * 8];
    alignas(64) uint64_t hashes[2 * 4 * 8];
    for (uint64_t first = 0; first < count; first += 16) {
      const uint64_t lanes = std::min<uint64_t>(16, count - first);
      const uint64_t groups = (lanes + 7) / 8;
      for (uint64_t lane = 0; lane < groups * 8; ++lane) {
        const uint64_t h = first + std::min(lane, lanes - 1);  // spare lanes repeat the last hash
        const uint64_t g = lane / 8, l = lane % 8;
        for (size_t k = 0; k < arity; ++k) {
          Fr::Limbs w;
          if (!readNode(inputs[k] + h * stride, form, w)) return false;
          for (int j = 0; j < 4; ++j) in[((g * arity + k) * 4 + j) * 8 + l] = w[j];
        }
      }
      simd::poseidonIfmaLanes(arity, groups, in, hashes);
      for (uint64_t lane = 0; lane < lanes; ++lane) {
        uint8_t* dst = out + 32 * (first + lane);
        const uint64_t* words = hashes + (lane / 8) * 32 + lane % 8;
        for (int j = 0; j < 4; ++j) storeLE(dst + 8 * j, words[j * 8]);
      }
    }
    return true;
  }
  std::array<Fr, 11> column;
  for (uint64_t i = 0; i < count; ++i) {
    for (size_t k = 0; k < arity; ++k) {
      const uint8_t* node = inputs[k] + i * stride;
      if (form == NodeForm::kMasked) {
        column[k] = Fr::fromBytesMasked(node);
      } else {
        auto f = Fr::fromBytes(node);
        if (!f) return false;
        column[k] = *f;
      }
    }
    poseidonHash(std::span<const Fr>(column.data(), arity)).toBytes(out + 32 * i);
  }
  return true;
}

}  // namespace fil::proofs
