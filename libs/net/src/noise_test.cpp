#include "noise.h"

#include <gtest/gtest.h>

#include "fil/base/hex.h"
#include "fil/crypto/x25519.h"

namespace fil::net::noise {
namespace {

Bytes hex(std::string_view s) { return *fromHex(s); }

crypto::x25519::KeyPair keyPair(std::string_view private_hex) {
  crypto::x25519::KeyPair k;
  const Bytes b = hex(private_hex);
  std::copy(b.begin(), b.end(), k.private_key.begin());
  k.public_key = crypto::x25519::derivePublicKey(k.private_key);
  return k;
}

// The generic Noise_XX_25519_ChaChaPoly_SHA256 vector from snow's
// tests/vectors/cacophony.txt (github.com/mcginty/snow): prologue "John Galt",
// payloads in every handshake message, then three transport messages each way.
TEST(Noise, CacophonyXXVector) {
  const Bytes prologue = hex("4a6f686e2047616c74");
  XXHandshake initiator(true, keyPair("e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1"), prologue,
                        keyPair("893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a"));
  XXHandshake responder(false, keyPair("4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893"), prologue,
                        keyPair("bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b"));
  struct Message {
    const char* payload;
    const char* ciphertext;
  };
  const Message messages[] = {
      {"4c756477696720766f6e204d69736573",
       "ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79444c756477696720766f6e204d69736573"},
      {"4d757272617920526f746862617264",
       "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f14480884381cbad1f276e038c48378ffce2b65285e08d6b6"
       "8aaa3629a5a8639392490e5b9bd5269c2f1e4f488ed8831161f19b7815528f8982ffe09be9b5c412f8a0db50f8814c7194e83f"
       "23dbd8d162c9326ad"},
      {"462e20412e20486179656b",
       "c7195ffacac1307ff99046f219750fc47693e23c3cb08b89c2af808b444850a80ae475b9df0f169ae80a89be0865b57f58c9fea"
       "0d4ec82a286427402f113e4b6ae769a1d95941d49b25030"},
      {"4361726c204d656e676572", "96763ed773f8e47bb3712f0e29b3060ffc956ffc146cee53d5e1df"},
      {"4a65616e2d426170746973746520536179", "3e40f15f6f3a46ae446b253bf8b1d9ffb6ed9b174d272328ff91a7e2e5c79c07f5"},
      {"457567656e2042f6686d20766f6e2042617765726b",
       "eb3f3515110702e047a6c9da4478b6ead94873c11c0f2d710ddb3f09fce024b3a58502ae3f"},
  };
  for (int i = 0; i < 3; ++i) {
    XXHandshake& writer = i % 2 == 0 ? initiator : responder;
    XXHandshake& reader = i % 2 == 0 ? responder : initiator;
    auto written = writer.writeMessage(hex(messages[i].payload));
    ASSERT_TRUE(written) << written.error().message();
    EXPECT_EQ(toHex(*written), messages[i].ciphertext) << "message " << i;
    auto read = reader.readMessage(*written);
    ASSERT_TRUE(read) << read.error().message();
    EXPECT_EQ(toHex(*read), messages[i].payload);
  }
  ASSERT_TRUE(initiator.complete() && responder.complete());
  EXPECT_EQ(toHex(initiator.handshakeHash()), "c8e5f64e846193be2a834104c2a009868d6c9f3bd3c186299888b488b2f1f58e");
  EXPECT_EQ(initiator.handshakeHash(), responder.handshakeHash());

  auto i_ciphers = initiator.split();
  auto r_ciphers = responder.split();
  for (int i = 3; i < 6; ++i) {
    // Turns keep alternating after the handshake: responder, initiator, responder.
    CipherState& send = i % 2 == 0 ? i_ciphers.send : r_ciphers.send;
    CipherState& receive = i % 2 == 0 ? r_ciphers.receive : i_ciphers.receive;
    Bytes ct;
    ASSERT_TRUE(send.encryptWithAd({}, hex(messages[i].payload), ct));
    EXPECT_EQ(toHex(ct), messages[i].ciphertext) << "message " << i;
    Bytes pt;
    ASSERT_TRUE(receive.decryptWithAd({}, ct, pt));
    EXPECT_EQ(toHex(pt), messages[i].payload);
  }
}

struct Libp2pHandshake {
  Result<RemoteIdentity> initiator_sees = fail(NetError::kHandshake);
  Result<RemoteIdentity> responder_sees = fail(NetError::kHandshake);
};

// Runs libp2p's XX with the given payloads (tests substitute bad ones).
Libp2pHandshake runLibp2p(const HostKey& initiator_key, const HostKey& responder_key,
                          const std::function<Bytes(const HandshakePayload&)>& tamper_responder = nullptr) {
  const auto i_static = crypto::x25519::generate();
  const auto r_static = crypto::x25519::generate();
  XXHandshake i(true, i_static, {});
  XXHandshake r(false, r_static, {});
  Libp2pHandshake out;
  auto m1 = i.writeMessage({});
  if (!m1 || !r.readMessage(*m1)) return out;
  const auto r_payload = makePayload(responder_key, r_static.public_key, {"/yamux/1.0.0"});
  auto m2 = r.writeMessage(tamper_responder ? tamper_responder(r_payload) : encodePayload(r_payload));
  auto p2 = i.readMessage(*m2);
  if (!p2) return out;
  out.initiator_sees = verifyPayload(*p2, i.remoteStatic());
  auto m3 = i.writeMessage(encodePayload(makePayload(initiator_key, i_static.public_key, {"/yamux/1.0.0"})));
  auto p3 = r.readMessage(*m3);
  if (!p3) return out;
  out.responder_sees = verifyPayload(*p3, r.remoteStatic());
  return out;
}

TEST(Noise, Libp2pPayloadIdentifiesBothSides) {
  const HostKey a = HostKey::generate();
  const HostKey b = HostKey::generateSecp256k1();
  auto result = runLibp2p(a, b);
  ASSERT_TRUE(result.initiator_sees) << result.initiator_sees.error().message();
  ASSERT_TRUE(result.responder_sees) << result.responder_sees.error().message();
  EXPECT_EQ(result.initiator_sees->peer, b.peerId());
  EXPECT_EQ(result.responder_sees->peer, a.peerId());
  EXPECT_EQ(result.initiator_sees->stream_muxers, std::vector<std::string>{"/yamux/1.0.0"});
}

TEST(Noise, RefusesASignatureOverAnotherKey) {
  const HostKey a = HostKey::generate();
  const HostKey b = HostKey::generate();
  // The responder signs some other Noise key: a replayed identity.
  auto result = runLibp2p(a, b, [&](const HandshakePayload& p) {
    auto bad = makePayload(b, crypto::x25519::generate().public_key, {});
    bad.identity_key = p.identity_key;
    return encodePayload(bad);
  });
  ASSERT_FALSE(result.initiator_sees);
  EXPECT_NE(result.initiator_sees.error().message().find("signature"), std::string::npos);
  // Someone else's key with b's signature.
  auto swapped = runLibp2p(a, b, [&](const HandshakePayload& p) {
    auto bad = p;
    bad.identity_key = HostKey::generate().publicKey().toProtobuf();
    return encodePayload(bad);
  });
  EXPECT_FALSE(swapped.initiator_sees);
  auto garbage = runLibp2p(a, b, [](const HandshakePayload&) { return Bytes{0x0a, 0xff}; });
  EXPECT_TRUE(garbage.initiator_sees.error().is(NetError::kHandshake));
}

TEST(Noise, RefusesTamperedAndShortMessages) {
  XXHandshake i(true, crypto::x25519::generate(), {});
  XXHandshake r(false, crypto::x25519::generate(), {});
  EXPECT_FALSE(r.readMessage(Bytes(31)));  // shorter than an ephemeral key
  auto m1 = i.writeMessage({});
  ASSERT_TRUE(r.readMessage(*m1));
  auto m2 = r.writeMessage(asBytes("payload"));
  ASSERT_TRUE(m2);
  Bytes tampered = *m2;
  tampered[40] ^= 1;  // inside the encrypted static key
  EXPECT_TRUE(i.readMessage(tampered).error().is(NetError::kHandshake));
  // Turn order is enforced.
  EXPECT_FALSE(r.writeMessage({}));
  // A low-order ephemeral key is refused.
  XXHandshake r2(false, crypto::x25519::generate(), {});
  EXPECT_FALSE(r2.readMessage(Bytes(32, 0)) && r2.writeMessage({}));
}

TEST(Noise, TransportFramesSplitAndReassemble) {
  XXHandshake i(true, crypto::x25519::generate(), {});
  XXHandshake r(false, crypto::x25519::generate(), {});
  ASSERT_TRUE(r.readMessage(*i.writeMessage({})));
  ASSERT_TRUE(i.readMessage(*r.writeMessage({})));
  ASSERT_TRUE(r.readMessage(*i.writeMessage({})));
  auto send = i.split().send;
  auto receive = r.split().receive;

  Bytes big(200000);
  for (size_t k = 0; k < big.size(); ++k) big[k] = static_cast<uint8_t>(k * 7);
  Bytes wire;
  ASSERT_TRUE(encryptFrames(send, big, wire));
  EXPECT_EQ(wire.size(), big.size() + 4 * (2 + kTagSize));  // 4 frames of <= 65519
  // Fed a byte at a time up to the middle, then the rest.
  Bytes plain;
  size_t used = 0;
  for (size_t end = 1; end <= wire.size(); end += (end < 70000 ? 1 : 50000)) {
    auto n = decryptFrames(receive, BytesView(wire).subspan(used, end - used), plain);
    ASSERT_TRUE(n);
    used += *n;
  }
  auto n = decryptFrames(receive, BytesView(wire).subspan(used), plain);
  ASSERT_TRUE(n);
  EXPECT_EQ(plain, big);

  Bytes again;
  ASSERT_TRUE(encryptFrames(send, asBytes("x"), again));
  again[5] ^= 1;
  EXPECT_TRUE(decryptFrames(receive, again, plain).error().is(NetError::kDecrypt));
  EXPECT_TRUE(decryptFrames(receive, *fromHex("0003abcdef"), plain).error().is(NetError::kDecrypt));
}

TEST(Noise, MuxerChoiceFollowsTheInitiator) {
  EXPECT_EQ(chooseMuxer({"/yamux/1.0.0", "/mplex/6.7.0"}, {"/mplex/6.7.0", "/yamux/1.0.0"}), "/yamux/1.0.0");
  EXPECT_EQ(chooseMuxer({}, {"/yamux/1.0.0"}), "");
  EXPECT_EQ(chooseMuxer({"/mplex/6.7.0"}, {"/yamux/1.0.0"}), "");
}

}  // namespace
}  // namespace fil::net::noise

namespace fil::net::noise {
namespace {

TEST(Noise, ReusedBufferFramesMatchTheVectorForm) {
  const auto key = crypto::x25519::generate().private_key;
  CipherState a;
  CipherState b;
  CipherState receive;
  a.initializeKey(key);
  b.initializeKey(key);
  receive.initializeKey(key);
  const Bytes data(150000, 0x3c);
  Bytes expected;
  ASSERT_TRUE(encryptFrames(a, data, expected));
  RawBuffer raw;
  ASSERT_TRUE(encryptFrames(b, data, raw));
  EXPECT_TRUE(equal(raw.view(), expected));

  RawBuffer plain;
  plain.extend(3);  // decrypted frames are appended after what is there
  auto used = decryptFrames(receive, raw.view(), plain);
  ASSERT_TRUE(used);
  EXPECT_EQ(*used, raw.size());
  EXPECT_TRUE(equal(plain.view().subspan(3), data));
  // A frame that fails leaves nothing of itself behind.
  RawBuffer again;
  ASSERT_TRUE(encryptFrames(b, asBytes("tail"), again));
  again.data()[4] ^= 1;
  const size_t before = plain.size();
  EXPECT_FALSE(decryptFrames(receive, again.view(), plain));
  EXPECT_EQ(plain.size(), before);
}

}  // namespace
}  // namespace fil::net::noise
