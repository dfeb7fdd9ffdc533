#include "fil/net/peer_id.h"

#include <gtest/gtest.h>

#include "fil/base/hex.h"
#include "fil/cid/multiaddr.h"
#include "protobuf.h"

namespace fil::net {
namespace {

Bytes hex(std::string_view s) { return *fromHex(s); }

// Vectors: ../shared/spec/protocols.md (libp2p section), cross-checked with
// @libp2p/crypto 5.1.23 and @libp2p/peer-id 6.0.15 (peerIdFromPrivateKey,
// toCID), which tests/interop pins.
TEST(PeerId, Ed25519PrivateKeyVector) {
  auto key = HostKey::fromProtobuf(hex(
      "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d1ed1e8fae2c4a144b8be8f"
      "d4b47bf3d3b34b871c3cacf6010f0e42d474fce27e"));
  ASSERT_TRUE(key) << key.error().message();
  EXPECT_EQ(key->peerId().toString(), "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq");
  EXPECT_EQ(key->peerId().toCidString(), "bafzaajaiaejcahwr5d5ofrfbis4l5d6uwr57hu5tjodrypfm6yaq6dsc2r2pzyt6");
  EXPECT_EQ(toHex(key->publicKey().toProtobuf()),
            "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");
  EXPECT_EQ(toHex(key->toProtobuf()),
            "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d1ed1e8fae2c4a144b8be8f"
            "d4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");
}

TEST(PeerId, AllZeroSeed) {
  const HostKey key = HostKey::fromEd25519Seed({});
  EXPECT_EQ(key.peerId().toString(), "12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN");
  EXPECT_EQ(toHex(key.publicKey().data()), "3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29");
}

TEST(PeerId, ParsesBothTextForms) {
  const auto base58 = PeerId::parse("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq");
  const auto cid = PeerId::parse("bafzaajaiaejcahwr5d5ofrfbis4l5d6uwr57hu5tjodrypfm6yaq6dsc2r2pzyt6");
  ASSERT_TRUE(base58);
  ASSERT_TRUE(cid);
  EXPECT_EQ(*base58, *cid);
  auto key = base58->publicKey();
  ASSERT_TRUE(key);
  EXPECT_TRUE(base58->matches(*key));
  EXPECT_EQ(key->type(), KeyType::kEd25519);

  // A sha2-256 peer ID (an RSA-era identity): parses, carries no key.
  const auto qm = PeerId::parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
  ASSERT_TRUE(qm);
  EXPECT_EQ(qm->multihash().code(), cid::HashCode::kSha2_256);
  EXPECT_EQ(qm->toString(), "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
  EXPECT_TRUE(qm->publicKey().error().is(NetError::kInvalidPeerId));
}

TEST(PeerId, RefusesWhatIsNotAPeerId) {
  EXPECT_TRUE(PeerId::parse("").error().is(NetError::kInvalidPeerId));
  EXPECT_TRUE(PeerId::parse("12D3KooW0OIl").error().is(NetError::kInvalidPeerId));  // not base58
  // A dag-cbor CID is not a peer ID.
  auto e = PeerId::parse("bafy2bzacecnamqgqmifpluoeldx7zzglxcljo6oja4vrmtj7432rphldpdmm2");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message().find("libp2p-key"), std::string::npos) << e.error().message();
  // A blake2b multihash is not a peer ID hash.
  EXPECT_FALSE(PeerId::fromBytes(cid::Multihash::blake2b256(asBytes("x")).toBytes()));
  // Identity digests longer than 42 bytes are not canonical.
  EXPECT_FALSE(PeerId::fromBytes(cid::Multihash::identity(Bytes(43, 1)).toBytes()));
}

TEST(PeerId, Secp256k1KeysAndSignatures) {
  // @libp2p/crypto: privateKeyFromRaw(1), its protobufs, peer ID, CID form,
  // and its (RFC 6979, low-s) signature of "libp2p secp256k1 vector".
  auto key = HostKey::fromProtobuf(hex("080212200000000000000000000000000000000000000000000000000000000000000001"));
  ASSERT_TRUE(key) << key.error().message();
  EXPECT_EQ(toHex(key->publicKey().toProtobuf()),
            "080212210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
  EXPECT_EQ(key->peerId().toString(), "16Uiu2HAm3cuhhRL2msUuLF62KRSfneFDx94RsuouyW25Ho42cFMq");
  EXPECT_EQ(key->peerId().toCidString(), "bafzaajiiaijccatzxzth56o4xowflidcsxhiocyhakn7zwznzyunswpsqfnrn6axta");
  const auto message = asBytes("libp2p secp256k1 vector");
  const Bytes js_signature = hex(
      "30440220556da1b064c9ae90619c6ac6f5a1c327c0449d585d4ed06a36c383815b38492c02201016c9d4516cfd11723d61"
      "9a5b347e4a0c4b763ac27de67c73c8f19fb8051804");
  EXPECT_EQ(key->sign(message), js_signature);

  auto parsed = PeerId::parse("16Uiu2HAm3cuhhRL2msUuLF62KRSfneFDx94RsuouyW25Ho42cFMq");
  ASSERT_TRUE(parsed);
  auto pub = parsed->publicKey();
  ASSERT_TRUE(pub);
  EXPECT_EQ(pub->type(), KeyType::kSecp256k1);
  EXPECT_TRUE(pub->verify(message, js_signature));
  EXPECT_FALSE(pub->verify(asBytes("another message"), js_signature));
}

TEST(PeerId, SignVerifyRoundTripBothKinds) {
  for (const HostKey& key : {HostKey::generate(), HostKey::generateSecp256k1()}) {
    const auto sig = key.sign(asBytes("noise-libp2p-static-key:abc"));
    EXPECT_TRUE(key.publicKey().verify(asBytes("noise-libp2p-static-key:abc"), sig));
    EXPECT_FALSE(key.publicKey().verify(asBytes("noise-libp2p-static-key:abd"), sig));
    auto back = HostKey::fromProtobuf(key.toProtobuf());
    ASSERT_TRUE(back);
    EXPECT_EQ(back->peerId(), key.peerId());
    EXPECT_EQ(*PublicKey::fromProtobuf(key.publicKey().toProtobuf()), key.publicKey());
  }
}

TEST(HostKey, KeyInfoAsLotusStoresIt) {
  const HostKey key = HostKey::generate();
  const auto info = key.toKeyInfo();
  EXPECT_EQ(info.type, "libp2p-host");
  EXPECT_EQ(info.private_key.size(), 68u);  // 08 01 12 40 + seed + public key
  auto back = HostKey::fromKeyInfo(info);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->peerId(), key.peerId());
  EXPECT_TRUE(HostKey::fromKeyInfo({"secp256k1", info.private_key}).error().is(NetError::kInvalidKey));
}

TEST(HostKey, RefusesMalformedKeys) {
  auto good = HostKey::generate().toProtobuf();
  // Legacy 96-byte form: accepted when the repeated public key agrees.
  Bytes legacy = hex("08011260");
  legacy.insert(legacy.end(), good.begin() + 4, good.end());
  legacy.insert(legacy.end(), good.end() - 32, good.end());
  EXPECT_TRUE(HostKey::fromProtobuf(legacy));
  legacy.back() ^= 1;
  EXPECT_FALSE(HostKey::fromProtobuf(legacy));

  auto wrong_public = good;
  wrong_public.back() ^= 1;
  EXPECT_TRUE(HostKey::fromProtobuf(wrong_public).error().is(NetError::kInvalidKey));
  EXPECT_FALSE(HostKey::fromProtobuf(Bytes(good.begin(), good.end() - 1)));  // truncated
  EXPECT_TRUE(HostKey::fromProtobuf(hex("0800120100")).error().is(NetError::kInvalidKey));  // RSA
  EXPECT_FALSE(HostKey::fromProtobuf(hex("0801")));                                       // no Data
  EXPECT_FALSE(PublicKey::fromProtobuf(hex("080112021234")));                              // short Ed25519
  EXPECT_FALSE(PublicKey::fromProtobuf(hex("0802122102")));                                // cut short
}

TEST(Protobuf, SkipsUnknownFieldsAndRefusesMalformed) {
  pb::Writer w;
  w.varint(7, 300);
  w.string(2, "abc");
  pb::Reader r(w.data());
  pb::Field f;
  ASSERT_TRUE(*r.next(f));
  EXPECT_EQ(f.number, 7u);
  EXPECT_EQ(f.value, 300u);
  ASSERT_TRUE(*r.next(f));
  EXPECT_EQ(asString(f.bytes), "abc");
  EXPECT_FALSE(*r.next(f));

  EXPECT_FALSE(pb::Reader(hex("0a05ab")).next(f));            // length beyond the input
  EXPECT_FALSE(pb::Reader(hex("0b")).next(f));                // start-group
  EXPECT_FALSE(pb::Reader(hex("08ffffffffffffffffffff01")).next(f));  // 11-byte varint
  EXPECT_FALSE(pb::Reader(hex("00")).next(f));                // field number 0
}

}  // namespace
}  // namespace fil::net

namespace fil::net {
namespace {

// Spec vectors (../shared/spec/protocols.md): binary multiaddrs, and the
// /p2p component, which carries the peer ID's multihash whichever text form
// names it (a5 03 = varint 421, then the length-prefixed multihash).
TEST(PeerIdMultiaddr, P2pComponentInEitherForm) {
  EXPECT_EQ(toHex(cid::Multiaddr::parse("/ip4/192.0.2.42/tcp/443")->toBytes()), "04c000022a0601bb");
  EXPECT_EQ(toHex(cid::Multiaddr::parse("/ip4/127.0.0.1/tcp/1234")->toBytes()), "047f0000010604d2");
  const std::string base58 = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";
  const std::string as_cid = "bafzaajaiaejcahwr5d5ofrfbis4l5d6uwr57hu5tjodrypfm6yaq6dsc2r2pzyt6";
  auto a = cid::Multiaddr::parse("/ip4/127.0.0.1/tcp/1234/p2p/" + base58);
  auto b = cid::Multiaddr::parse("/ip4/127.0.0.1/tcp/1234/p2p/" + as_cid);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  const Bytes id = PeerId::parse(base58)->toBytes();
  Bytes expected = *fromHex("047f0000010604d2a503");
  expected.push_back(static_cast<uint8_t>(id.size()));
  append(expected, id);
  EXPECT_EQ(toHex(a->toBytes()), toHex(expected));
  EXPECT_EQ(a->toString(), "/ip4/127.0.0.1/tcp/1234/p2p/" + base58);
}

}  // namespace
}  // namespace fil::net
