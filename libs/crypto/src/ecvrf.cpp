#include "fil/crypto/ecvrf.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>
#include <secp256k1.h>

#include "fil/crypto/hmac.h"
#include "fil/crypto/sha256.h"
#include "secp256k1_context.h"

namespace fil::crypto::ecvrf {
namespace {

using Scalar = ByteArray<32>;  // big-endian, below the group order

// The order n of secp256k1's group.
constexpr Scalar kOrder = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                           0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
                           0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};

// RFC 9381 domain separators.
constexpr uint8_t kEncodeToCurveFront = 0x01;
constexpr uint8_t kChallengeFront = 0x02;
constexpr uint8_t kProofToHashFront = 0x03;
constexpr uint8_t kBack = 0x00;

const secp256k1_context* ctx() { return detail::secp256k1Context(); }

bool isZero(const Scalar& s) {
  return std::all_of(s.begin(), s.end(), [](uint8_t b) { return b == 0; });
}

bool belowOrder(const Scalar& s) { return std::memcmp(s.data(), kOrder.data(), s.size()) < 0; }

// A point of the group, the identity included (libsecp256k1 keys cannot be
// the identity, so it is a flag here).
struct Point {
  bool identity = true;
  secp256k1_pubkey key{};
};

Point fromKey(const secp256k1_pubkey& key) { return Point{false, key}; }

// SEC1 point_to_string: compressed form, or one 0x00 byte for the identity.
void appendPoint(Bytes& out, const Point& p) {
  if (p.identity) {
    out.push_back(0x00);
    return;
  }
  ByteArray<33> buf{};
  size_t len = buf.size();
  secp256k1_ec_pubkey_serialize(ctx(), buf.data(), &len, &p.key, SECP256K1_EC_COMPRESSED);
  append(out, buf);
}

ByteArray<33> compressed(const Point& p) {
  Bytes out;
  appendPoint(out, p);
  ByteArray<33> a{};
  std::copy_n(out.begin(), std::min(out.size(), a.size()), a.begin());
  return a;
}

// k * P for a reduced scalar.
Point mul(const Point& p, const Scalar& k) {
  if (p.identity || isZero(k)) return Point{};
  Point r = p;
  // Fails only for a zero or unreduced scalar, both excluded above.
  if (secp256k1_ec_pubkey_tweak_mul(ctx(), &r.key, k.data()) != 1) std::abort();
  return r;
}

Point mulBase(const Scalar& k) {
  if (isZero(k)) return Point{};
  Point r{false, {}};
  if (secp256k1_ec_pubkey_create(ctx(), &r.key, k.data()) != 1) std::abort();
  return r;
}

Point add(const Point& a, const Point& b) {
  if (a.identity) return b;
  if (b.identity) return a;
  const secp256k1_pubkey* ins[] = {&a.key, &b.key};
  Point r{false, {}};
  // combine fails only when the sum is the identity.
  if (secp256k1_ec_pubkey_combine(ctx(), &r.key, ins, 2) != 1) return Point{};
  return r;
}

Point negate(const Point& p) {
  if (p.identity) return p;
  Point r = p;
  // Returns 1 for every valid key.
  if (secp256k1_ec_pubkey_negate(ctx(), &r.key) != 1) std::abort();
  return r;
}

Result<Point> parsePoint(BytesView bytes, std::string_view what) {
  secp256k1_pubkey key;
  if (secp256k1_ec_pubkey_parse(ctx(), &key, bytes.data(), bytes.size()) != 1) {
    return fail(CryptoError::kInvalidKey, fmt::format("{} is not a point on secp256k1", what));
  }
  return fromKey(key);
}

Result<Point> parsePublicKey(BytesView public_key) {
  if (public_key.size() != 33 && public_key.size() != 65) {
    return fail(CryptoError::kInvalidKey,
                fmt::format("ECVRF public key is {} bytes, must be 33 or 65", public_key.size()));
  }
  return parsePoint(public_key, "ECVRF public key");
}

// ECVRF_encode_to_curve_try_and_increment (RFC 9381 5.4.1.1).
Result<std::pair<Point, unsigned>> hashToCurve(const Point& y, BytesView alpha) {
  Bytes prefix{kSuiteString, kEncodeToCurveFront};
  appendPoint(prefix, y);
  for (unsigned ctr = 0; ctr < 256; ++ctr) {
    Sha256 h;
    h.update(prefix).update(alpha);
    const uint8_t tail[2] = {static_cast<uint8_t>(ctr), kBack};
    h.update(tail);
    const Sha256Digest digest = h.finish();
    // arbitrary_string_to_point: the point with this x and an even y.
    ByteArray<33> candidate{};
    candidate[0] = 0x02;
    std::copy(digest.begin(), digest.end(), candidate.begin() + 1);
    secp256k1_pubkey key;
    if (secp256k1_ec_pubkey_parse(ctx(), &key, candidate.data(), candidate.size()) == 1) {
      return std::pair{fromKey(key), ctr};
    }
  }
  // Each try succeeds with probability about 1/2.
  return fail(CryptoError::kBackend, "ECVRF hash to curve found no point in 256 tries");
}

// ECVRF_challenge_generation (RFC 9381 5.4.3) over Y, H, Gamma, U, V.
ByteArray<kChallengeSize> challenge(const Point& y, const Point& h, const Point& gamma, const Point& u,
                                    const Point& v) {
  Bytes input{kSuiteString, kChallengeFront};
  for (const Point* p : {&y, &h, &gamma, &u, &v}) appendPoint(input, *p);
  input.push_back(kBack);
  const Sha256Digest digest = sha256(input);
  ByteArray<kChallengeSize> c{};
  std::copy_n(digest.begin(), c.size(), c.begin());
  return c;
}

Scalar challengeScalar(const ByteArray<kChallengeSize>& c) {
  Scalar s{};
  std::copy(c.begin(), c.end(), s.begin() + (s.size() - c.size()));
  return s;
}

Output gammaToHash(const Point& gamma) {
  Bytes input{kSuiteString, kProofToHashFront};
  appendPoint(input, gamma);  // cofactor 1: cofactor * Gamma = Gamma
  input.push_back(kBack);
  return sha256(input);
}

// RFC 6979 section 3.2 with HMAC-SHA256, for q = n (qlen = hlen = 256).
Scalar rfc6979Nonce(const Scalar& x, BytesView message) {
  Scalar h1 = sha256(message);
  // bits2octets: h1 mod q (h1 < 2^256 < 2q, so at most one subtraction).
  if (!belowOrder(h1)) {
    int borrow = 0;
    for (size_t i = h1.size(); i-- > 0;) {
      const int d = int{h1[i]} - int{kOrder[i]} - borrow;
      borrow = d < 0 ? 1 : 0;
      h1[i] = static_cast<uint8_t>(d + (borrow << 8));
    }
  }
  Bytes v(32, 0x01);
  Bytes k(32, 0x00);
  auto mac = [&](BytesView key, std::initializer_list<BytesView> parts) {
    Bytes data;
    for (BytesView p : parts) append(data, p);
    const Sha256Digest d = hmacSha256(key, data);
    return Bytes(d.begin(), d.end());
  };
  const uint8_t zero[1] = {0x00};
  const uint8_t one[1] = {0x01};
  k = mac(k, {v, zero, x, h1});
  v = mac(k, {v});
  k = mac(k, {v, one, x, h1});
  v = mac(k, {v});
  for (;;) {
    v = mac(k, {v});
    Scalar candidate{};
    std::copy(v.begin(), v.end(), candidate.begin());
    if (!isZero(candidate) && belowOrder(candidate)) return candidate;
    k = mac(k, {v, zero});
    v = mac(k, {v});
  }
}

struct DecodedProof {
  Point gamma;
  ByteArray<kChallengeSize> c{};
  Scalar s{};
};

// ECVRF_decode_proof (RFC 9381 5.4.4).
Result<DecodedProof> decodeProof(BytesView proof) {
  if (proof.size() != kProofSize) {
    return fail(CryptoError::kInvalidSignature,
                fmt::format("ECVRF proof is {} bytes, must be {}", proof.size(), kProofSize));
  }
  DecodedProof out;
  auto gamma = parsePoint(proof.first(33), "ECVRF proof's Gamma");
  if (!gamma) return fail(CryptoError::kInvalidSignature, gamma.error().message());
  out.gamma = *gamma;
  std::copy_n(proof.begin() + 33, kChallengeSize, out.c.begin());
  std::copy_n(proof.begin() + 33 + kChallengeSize, 32, out.s.begin());
  if (!belowOrder(out.s)) {
    return fail(CryptoError::kInvalidSignature, "ECVRF proof's s is not below the group order");
  }
  return out;
}

}  // namespace

Result<EncodedPoint> encodeToCurve(BytesView public_key, BytesView alpha) {
  FIL_ASSIGN_OR_RETURN(Point y, parsePublicKey(public_key));
  FIL_ASSIGN_OR_RETURN(auto h, hashToCurve(y, alpha));
  return EncodedPoint{compressed(h.first), h.second};
}

Result<ByteArray<32>> nonce(const secp256k1::PrivateKey& key, const ByteArray<33>& h_string) {
  if (secp256k1_ec_seckey_verify(ctx(), key.data()) != 1) {
    return fail(CryptoError::kInvalidKey, "ECVRF secret key is not a valid secp256k1 scalar");
  }
  return rfc6979Nonce(key, h_string);
}

Result<Proof> prove(const secp256k1::PrivateKey& key, BytesView alpha) {
  if (secp256k1_ec_seckey_verify(ctx(), key.data()) != 1) {
    return fail(CryptoError::kInvalidKey, "ECVRF secret key is not a valid secp256k1 scalar");
  }
  const Point y = mulBase(key);
  FIL_ASSIGN_OR_RETURN(auto h_found, hashToCurve(y, alpha));
  const Point& h = h_found.first;
  const ByteArray<33> h_string = compressed(h);
  const Point gamma = mul(h, key);
  const Scalar k = rfc6979Nonce(key, h_string);
  const ByteArray<kChallengeSize> c = challenge(y, h, gamma, mulBase(k), mul(h, k));

  // s = (k + c * x) mod q with libsecp256k1's scalar tweaks.
  Scalar s = k;
  const Scalar c_scalar = challengeScalar(c);
  if (!isZero(c_scalar)) {
    Scalar cx = key;
    if (secp256k1_ec_seckey_tweak_mul(ctx(), cx.data(), c_scalar.data()) != 1) std::abort();
    // Fails only when k = -c*x, that is s = 0.
    if (secp256k1_ec_seckey_tweak_add(ctx(), s.data(), cx.data()) != 1) s.fill(0);
  }

  Proof proof{};
  const ByteArray<33> gamma_string = compressed(gamma);
  std::copy(gamma_string.begin(), gamma_string.end(), proof.begin());
  std::copy(c.begin(), c.end(), proof.begin() + 33);
  std::copy(s.begin(), s.end(), proof.begin() + 33 + kChallengeSize);
  return proof;
}

Result<Output> verify(BytesView public_key, BytesView proof, BytesView alpha) {
  FIL_ASSIGN_OR_RETURN(Point y, parsePublicKey(public_key));
  FIL_ASSIGN_OR_RETURN(DecodedProof d, decodeProof(proof));
  FIL_ASSIGN_OR_RETURN(auto h_found, hashToCurve(y, alpha));
  const Point& h = h_found.first;
  const Scalar c = challengeScalar(d.c);
  // U = s*B - c*Y, V = s*H - c*Gamma.
  const Point u = add(mulBase(d.s), negate(mul(y, c)));
  const Point v = add(mul(h, d.s), negate(mul(d.gamma, c)));
  if (challenge(y, h, d.gamma, u, v) != d.c) {
    return fail(CryptoError::kVerificationFailed, "ECVRF proof does not verify for this key and input");
  }
  return gammaToHash(d.gamma);
}

Result<Output> proofToHash(BytesView proof) {
  FIL_ASSIGN_OR_RETURN(DecodedProof d, decodeProof(proof));
  return gammaToHash(d.gamma);
}

}  // namespace fil::crypto::ecvrf
