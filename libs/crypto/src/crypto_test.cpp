#include <gtest/gtest.h>

#include "fil/base/hex.h"
#include "fil/crypto/blake2b.h"
#include "fil/crypto/chachapoly.h"
#include "fil/crypto/ed25519.h"
#include "fil/crypto/hmac.h"
#include "fil/crypto/random.h"
#include "fil/crypto/secp256k1.h"
#include "fil/crypto/sha256.h"
#include "fil/crypto/x25519.h"

namespace fil::crypto {
namespace {

template <size_t N>
ByteArray<N> arr(std::string_view hex) {
  const Bytes b = *fromHex(hex);
  EXPECT_EQ(b.size(), N);
  ByteArray<N> out{};
  std::copy_n(b.begin(), std::min(N, b.size()), out.begin());
  return out;
}

TEST(Sha256, Fips180Vectors) {
  EXPECT_EQ(toHex(sha256(asBytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(toHex(sha256({})), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  Sha256 h;
  h.update(asBytes("ab")).update(asBytes("c"));
  EXPECT_EQ(h.finish(), sha256(asBytes("abc")));
  EXPECT_EQ(h.update(asBytes("abc")).finish(), sha256(asBytes("abc")));  // reusable
}

TEST(Blake2b, Rfc7693AndLengths) {
  EXPECT_EQ(toHex(blake2b(asBytes("abc"), 64)),
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
            "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
  EXPECT_EQ(toHex(blake2b256({})), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  EXPECT_EQ(blake2b(asBytes("x"), 4).size(), 4u);
  EXPECT_EQ(blake2b<20>(asBytes("x")).size(), 20u);
  Blake2b h(32);
  h.update(asBytes("a")).update(asBytes("bc"));
  EXPECT_EQ(h.finish(), blake2b(asBytes("abc"), 32));
}

// FRC-42 method numbers: the first 4-byte big-endian word >= 2^24 of
// blake2b-512("1|" + name); spec/actors.md gives "Receive" = 3726118371.
TEST(Blake2b, Frc42MethodNumber) {
  const Bytes digest = blake2b(asBytes("1|Receive"), 64);
  uint32_t method = 0;
  for (size_t i = 0; i + 4 <= digest.size(); i += 4) {
    method = readU32BE(digest.data() + i);
    if (method >= (1u << 24)) break;
  }
  EXPECT_EQ(method, 3726118371u);
}

TEST(Secp256k1, GeneratorAndDeterministicSignature) {
  const auto one = arr<32>("0000000000000000000000000000000000000000000000000000000000000001");
  EXPECT_EQ(toHex(*secp256k1::derivePublicKey(one)),
            "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
            "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8");
  // RFC 6979 nonce, low-s: the widely used "Satoshi Nakamoto" vector.
  const auto digest = sha256(asBytes("Satoshi Nakamoto"));
  auto sig = secp256k1::sign(one, digest);
  ASSERT_TRUE(sig);
  EXPECT_EQ(toHex(BytesView(sig->data(), 64)),
            "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8"
            "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5");
  EXPECT_EQ(*secp256k1::recover(*sig, digest), *secp256k1::derivePublicKey(one));
}

TEST(Secp256k1, DerSignaturesAsLibp2pUsesThem) {
  // The same "Satoshi Nakamoto" vector in DER: r has its high bit set, so it
  // gains a 00 byte.
  const auto one = arr<32>("0000000000000000000000000000000000000000000000000000000000000001");
  const auto digest = sha256(asBytes("Satoshi Nakamoto"));
  const auto der = secp256k1::signDer(one, digest);
  ASSERT_TRUE(der);
  EXPECT_EQ(toHex(*der),
            "3045022100934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8"
            "02202442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5");
  const auto pub = *secp256k1::derivePublicKey(one);
  EXPECT_TRUE(secp256k1::verifyDer(*der, digest, pub));
  auto other = digest;
  other[31] ^= 1;
  EXPECT_FALSE(secp256k1::verifyDer(*der, other, pub));
  Bytes truncated(der->begin(), der->end() - 1);
  EXPECT_FALSE(secp256k1::verifyDer(truncated, digest, pub));
  EXPECT_FALSE(secp256k1::verifyDer({}, digest, pub));
}

TEST(Secp256k1, SignRecoverVerifyAndTamper) {
  const auto key = secp256k1::generatePrivateKey();
  const auto pub = *secp256k1::derivePublicKey(key);
  const auto digest = blake2b<32>(asBytes("message"));
  auto sig = *secp256k1::sign(key, digest);
  EXPECT_TRUE(secp256k1::verify(sig, digest, pub));
  EXPECT_EQ(*secp256k1::recover(sig, digest), pub);

  auto other_digest = digest;
  other_digest[0] ^= 1;
  EXPECT_FALSE(secp256k1::verify(sig, other_digest, pub));
  auto bad_v = sig;
  bad_v[64] = 4;
  EXPECT_TRUE(secp256k1::recover(bad_v, digest).error().is(CryptoError::kInvalidSignature));
  auto flipped = sig;
  flipped[10] ^= 0x40;
  EXPECT_FALSE(secp256k1::verify(flipped, digest, pub));

  const auto compressed = secp256k1::compress(pub);
  EXPECT_EQ(*secp256k1::parsePublicKey(compressed), pub);
  EXPECT_FALSE(secp256k1::parsePublicKey(Bytes(33, 0x07)));
  EXPECT_FALSE(secp256k1::signatureFromBytes(Bytes(64)));
}

TEST(Secp256k1, RejectsInvalidPrivateKey) {
  const secp256k1::PrivateKey zero{};
  EXPECT_TRUE(secp256k1::derivePublicKey(zero).error().is(CryptoError::kInvalidKey));
  secp256k1::PrivateKey order = arr<32>("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
  EXPECT_FALSE(secp256k1::sign(order, {}));
}

// RFC 8032 section 7.1, test 1 and 2.
TEST(Ed25519, Rfc8032Vectors) {
  const auto pair = ed25519::fromSeed(arr<32>("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  EXPECT_EQ(toHex(pair.public_key), "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  const auto sig = ed25519::sign(pair.seed, {});
  EXPECT_EQ(toHex(sig),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
            "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_TRUE(ed25519::verify(sig, {}, pair.public_key));

  const auto pair2 = ed25519::fromSeed(arr<32>("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
  const Bytes msg = {0x72};
  EXPECT_EQ(toHex(ed25519::sign(pair2.seed, msg)),
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
            "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
  EXPECT_FALSE(ed25519::verify(sig, msg, pair.public_key));
}

// RFC 7748 section 6.1.
TEST(X25519, Rfc7748Vector) {
  const auto alice = arr<32>("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  const auto bob = arr<32>("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
  const auto alice_pub = x25519::derivePublicKey(alice);
  const auto bob_pub = x25519::derivePublicKey(bob);
  EXPECT_EQ(toHex(alice_pub), "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  EXPECT_EQ(toHex(bob_pub), "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  const auto expected = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
  EXPECT_EQ(toHex(*x25519::sharedSecret(alice, bob_pub)), expected);
  EXPECT_EQ(toHex(*x25519::sharedSecret(bob, alice_pub)), expected);
  // The all-zero point has low order.
  EXPECT_TRUE(x25519::sharedSecret(alice, {}).error().is(CryptoError::kInvalidKey));
}

// RFC 8439 section 2.8.2.
TEST(ChaChaPoly, Rfc8439Vector) {
  const auto key = arr<32>("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
  const auto nonce = arr<12>("070000004041424344454647");
  const Bytes aad = *fromHex("50515253c0c1c2c3c4c5c6c7");
  const std::string_view plaintext =
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the "
      "future, sunscreen would be it.";
  Bytes sealed;
  chachapoly::seal(key, nonce, asBytes(plaintext), aad, sealed);
  EXPECT_EQ(toHex(sealed),
            "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
            "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
            "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
            "3ff4def08e4b7a9de576d26586cec64b6116"
            "1ae10b594f09e26a7e902ecbd0600691");
  Bytes opened;
  ASSERT_TRUE(chachapoly::open(key, nonce, sealed, aad, opened));
  EXPECT_EQ(asString(opened), plaintext);

  sealed[5] ^= 1;
  Bytes rejected = {0xaa};
  EXPECT_TRUE(chachapoly::open(key, nonce, sealed, aad, rejected).error().is(CryptoError::kDecryptionFailed));
  EXPECT_EQ(rejected, Bytes{0xaa});  // nothing appended on failure
  EXPECT_TRUE(chachapoly::open(key, nonce, Bytes(15), aad, rejected).error().is(CryptoError::kInvalidLength));
}

// The OpenSSL-backed Cipher against libsodium's one-shot functions, on the
// RFC 8439 vector and on sizes around OpenSSL's block and SIMD boundaries.
TEST(ChaChaPoly, PreparedCipherMatchesOneShot) {
  const auto key = arr<32>("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
  const auto nonce = arr<12>("070000004041424344454647");
  const Bytes aad = *fromHex("50515253c0c1c2c3c4c5c6c7");
  chachapoly::Cipher cipher(key);
  for (size_t size : {size_t{0}, size_t{1}, size_t{63}, size_t{64}, size_t{114}, size_t{511}, size_t{512},
                      size_t{4097}, size_t{65519}}) {
    Bytes plain(size);
    for (size_t i = 0; i < size; ++i) plain[i] = static_cast<uint8_t>(i * 31 + 7);
    for (const Bytes& ad : {Bytes{}, aad}) {
      Bytes expected;
      chachapoly::seal(key, nonce, plain, ad, expected);
      Bytes sealed(size + chachapoly::kTagSize);
      cipher.sealTo(nonce, plain, ad, sealed.data());
      ASSERT_EQ(sealed, expected) << size;
      Bytes opened(size);
      ASSERT_TRUE(cipher.openTo(nonce, sealed, ad, opened.data())) << size;
      EXPECT_EQ(opened, plain);
      sealed[size / 2] ^= 0x20;
      EXPECT_TRUE(cipher.openTo(nonce, sealed, ad, opened.data()).error().is(CryptoError::kDecryptionFailed));
      EXPECT_FALSE(cipher.openTo(chachapoly::noiseNonce(1), expected, ad, opened.data()));
    }
  }
  Bytes out(1);
  EXPECT_TRUE(cipher.openTo(nonce, Bytes(15), {}, out.data()).error().is(CryptoError::kInvalidLength));
}

TEST(ChaChaPoly, NoiseNonceLayout) {
  EXPECT_EQ(toHex(chachapoly::noiseNonce(0x0102)), "000000000201000000000000");
}

// RFC 4231 test case 2; RFC 5869 test case 1.
TEST(Hmac, Rfc4231AndHkdfRfc5869) {
  EXPECT_EQ(toHex(hmacSha256(asBytes("Jefe"), asBytes("what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  const Bytes ikm(22, 0x0b);
  const Bytes salt = *fromHex("000102030405060708090a0b0c");
  const Bytes info = *fromHex("f0f1f2f3f4f5f6f7f8f9");
  EXPECT_EQ(toHex(hkdfSha256(salt, ikm, info, 42)),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

TEST(Random, ProducesDistinctValues) {
  EXPECT_NE(randomBytes(32), randomBytes(32));
  EXPECT_EQ(randomBytes(7).size(), 7u);
}

}  // namespace
}  // namespace fil::crypto
