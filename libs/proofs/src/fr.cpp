#include "fil/proofs/fr.h"

#include "cpu_features.h"

namespace fil::proofs {

#if defined(__x86_64__)
namespace detail {
bool g_fr_use_adx = cpuFeatures().adx;
void mulPortableCall(Fr::Limbs& out, const Fr::Limbs& a, const Fr::Limbs& b) { mulPortable(out, a, b); }
}  // namespace detail
#endif

namespace {
Fr::Limbs readLimbs(const uint8_t* p) {
  Fr::Limbs l;
  for (int i = 0; i < 4; ++i) l[i] = readU64LE(p + 8 * i);
  return l;
}

bool belowModulus(const Fr::Limbs& l) {
  for (int i = 3; i >= 0; --i) {
    if (l[i] < Fr::kModulus[i]) return true;
    if (l[i] > Fr::kModulus[i]) return false;
  }
  return false;  // equal
}

Fr toMontgomery(const Fr::Limbs& canonical) {
  Fr::Limbs out;
  Fr::mul(out, canonical, Fr::kR2);
  return Fr::fromMontgomery(out);
}
}  // namespace

Fr Fr::fromU64(uint64_t v) { return toMontgomery({v, 0, 0, 0}); }

std::optional<Fr> Fr::fromBytes(const uint8_t* bytes32) {
  const Limbs l = readLimbs(bytes32);
  if (!belowModulus(l)) return std::nullopt;
  return toMontgomery(l);
}

std::optional<Fr> Fr::fromBytes(BytesView bytes) {
  if (bytes.size() != 32) return std::nullopt;
  return fromBytes(bytes.data());
}

Fr Fr::fromBytesMasked(const uint8_t* bytes32) {
  Limbs l = readLimbs(bytes32);
  l[3] &= 0x3fffffffffffffffULL;
  return toMontgomery(l);
}

Fr::Limbs Fr::toCanonical() const {
  Limbs out;
  mul(out, m_, {1, 0, 0, 0});
  return out;
}

void Fr::toBytes(uint8_t* out32) const {
  const Limbs c = toCanonical();
  for (int i = 0; i < 4; ++i) {
    for (int b = 0; b < 8; ++b) out32[8 * i + b] = static_cast<uint8_t>(c[i] >> (8 * b));
  }
}

ByteArray<32> Fr::toBytes() const {
  ByteArray<32> out;
  toBytes(out.data());
  return out;
}

Fr Fr::pow(const Limbs& exponent) const {
  Fr result = one();
  for (int i = 3; i >= 0; --i) {
    for (int bit = 63; bit >= 0; --bit) {
      result = result.square();
      if ((exponent[i] >> bit) & 1) result *= *this;
    }
  }
  return result;
}

Fr Fr::inverse() const {
  // Fermat: x^(r-2).
  Limbs e = kModulus;
  e[0] -= 2;  // r's low limb is odd and > 2: no borrow
  return pow(e);
}

}  // namespace fil::proofs
