#include "fil/crypto/ecvrf.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fil/base/hex.h"
#include "fil/crypto/random.h"
#include "fil/testing/paths.h"

namespace fil::crypto::ecvrf {
namespace {

// Published vectors of ECVRF-SECP256K1-SHA256-TAI (RFC 9381 construction,
// suite 0xFE) from atikayda/ecvrf, cross-checked there by several
// independent implementations; tests/vectors/ecvrf-secp256k1-sha256-tai.json
// names the commit.
const nlohmann::json& vectors() {
  static const nlohmann::json j =
      nlohmann::json::parse(fil::testing::readSourceFile("tests/vectors/ecvrf-secp256k1-sha256-tai.json"));
  return j;
}

Bytes hex(const nlohmann::json& v) { return *fromHex(v.get<std::string>()); }

Bytes alphaOf(const nlohmann::json& v) {
  if (v.contains("alpha_repeat")) {
    const auto& r = v["alpha_repeat"];
    return Bytes(r["count"].get<size_t>(), hex(r["byte"]).at(0));
  }
  return hex(v["alpha"]);
}

secp256k1::PrivateKey keyOf(const nlohmann::json& v) {
  const Bytes b = hex(v["sk"]);
  secp256k1::PrivateKey key{};
  std::copy(b.begin(), b.end(), key.begin());
  return key;
}

TEST(Ecvrf, PublishedVectorsProveAndVerify) {
  const auto& list = vectors()["vectors"];
  ASSERT_GE(list.size(), 50u);
  for (const auto& v : list) {
    SCOPED_TRACE(v["label"].get<std::string>());
    const auto key = keyOf(v);
    const Bytes alpha = alphaOf(v);
    const auto pub = secp256k1::derivePublicKey(key);
    ASSERT_TRUE(pub);
    const auto compressed_pk = secp256k1::compress(*pub);
    EXPECT_EQ(toHex(compressed_pk), v["pk"].get<std::string>());

    const auto h = encodeToCurve(compressed_pk, alpha);
    ASSERT_TRUE(h) << h.error().message();
    EXPECT_EQ(toHex(h->point), v["h"].get<std::string>());
    EXPECT_EQ(h->counter, v["h_ctr"].get<unsigned>());
    const auto k = nonce(key, h->point);
    ASSERT_TRUE(k);
    EXPECT_EQ(toHex(*k), v["k"].get<std::string>());

    const auto proof = prove(key, alpha);
    ASSERT_TRUE(proof) << proof.error().message();
    EXPECT_EQ(toHex(*proof), v["pi"].get<std::string>());
    EXPECT_EQ(toHex(BytesView(*proof).first(33)), v["gamma"].get<std::string>());

    // Verification with either key form gives beta.
    for (BytesView pk : {BytesView(compressed_pk), BytesView(*pub)}) {
      const auto beta = verify(pk, hex(v["pi"]), alpha);
      ASSERT_TRUE(beta) << beta.error().message();
      EXPECT_EQ(toHex(*beta), v["beta"].get<std::string>());
    }
    EXPECT_EQ(toHex(*proofToHash(*proof)), v["beta"].get<std::string>());
  }
}

TEST(Ecvrf, PublishedNegativeVectorsAreRefused) {
  const auto& list = vectors()["negative_vectors"];
  ASSERT_GE(list.size(), 15u);
  for (const auto& v : list) {
    SCOPED_TRACE(v["description"].get<std::string>());
    EXPECT_FALSE(verify(hex(v["pk"]), hex(v["pi"]), hex(v["alpha"])));
  }
}

TEST(Ecvrf, ErrorsNameTheProblem) {
  const auto& v = vectors()["vectors"][1];
  const Bytes pk = hex(v["pk"]);
  const Bytes pi = hex(v["pi"]);
  const Bytes alpha = alphaOf(v);

  auto short_proof = verify(pk, BytesView(pi).first(80), alpha);
  ASSERT_FALSE(short_proof);
  EXPECT_TRUE(short_proof.error().is(CryptoError::kInvalidSignature));
  EXPECT_NE(short_proof.error().message().find("80 bytes"), std::string::npos);

  Bytes wrong_alpha = alpha;
  wrong_alpha.push_back(1);
  auto mismatch = verify(pk, pi, wrong_alpha);
  ASSERT_FALSE(mismatch);
  EXPECT_TRUE(mismatch.error().is(CryptoError::kVerificationFailed));

  auto bad_key = verify(BytesView(pk).first(32), pi, alpha);
  ASSERT_FALSE(bad_key);
  EXPECT_TRUE(bad_key.error().is(CryptoError::kInvalidKey));

  EXPECT_FALSE(prove(secp256k1::PrivateKey{}, alpha));  // zero is not a scalar
  EXPECT_FALSE(proofToHash(Bytes(kProofSize, 0)));
}

TEST(Ecvrf, RandomKeysRoundTripAndOutputsAreUnique) {
  for (int i = 0; i < 8; ++i) {
    const auto key = secp256k1::generatePrivateKey();
    const auto pub = secp256k1::compress(*secp256k1::derivePublicKey(key));
    const Bytes alpha = randomBytes(static_cast<size_t>(i) * 7);
    const auto proof = prove(key, alpha);
    ASSERT_TRUE(proof);
    const auto beta = verify(pub, *proof, alpha);
    ASSERT_TRUE(beta);
    // Any other key fails.
    const auto other = secp256k1::compress(*secp256k1::derivePublicKey(secp256k1::generatePrivateKey()));
    EXPECT_FALSE(verify(other, *proof, alpha));
    // Flipping any bit of the proof fails.
    for (size_t byte : {size_t{5}, size_t{40}, size_t{70}}) {
      Proof tampered = *proof;
      tampered[byte] ^= 0x10;
      EXPECT_FALSE(verify(pub, tampered, alpha)) << byte;
    }
  }
}

}  // namespace
}  // namespace fil::crypto::ecvrf
