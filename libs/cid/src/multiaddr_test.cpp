#include <gtest/gtest.h>

#include "fil/base/base58.h"
#include "fil/base/hex.h"
#include "fil/cid/cid.h"
#include "fil/cid/multiaddr.h"

namespace fil::cid {
namespace {

// spec/protocols.md multiaddr vectors plus the API address forms Lotus uses.
TEST(Multiaddr, BinaryVectors) {
  const std::pair<std::string_view, std::string_view> vectors[] = {
      {"/ip4/192.0.2.42/tcp/443", "04c000022a0601bb"},
      {"/ip4/127.0.0.1/tcp/1234", "047f0000010604d2"},
      {"/ip4/127.0.0.1/tcp/2345/http", "047f000001060929e003"},
      {"/ip4/127.0.0.1/tcp/2345/ws", "047f000001060929dd03"},
      {"/ip6/::1/tcp/80", "2900000000000000000000000000000001060050"},
      {"/dns4/example.com/tcp/443/wss", "360b6578616d706c652e636f6d0601bbde03"},
      {"/ip4/1.2.3.4/udp/53/quic-v1", "040102030491020035cd03"},
      {"/dnsaddr/bootstrap.libp2p.io", "3813626f6f7473747261702e6c69627032702e696f"},
  };
  for (auto [text, hex] : vectors) {
    auto ma = Multiaddr::parse(text);
    ASSERT_TRUE(ma) << text << ": " << ma.error().message();
    EXPECT_EQ(toHex(ma->toBytes()), hex) << text;
    EXPECT_EQ(ma->toString(), text);
    auto back = Multiaddr::fromBytes(*fromHex(hex));
    ASSERT_TRUE(back) << hex;
    EXPECT_EQ(*back, *ma);
  }
}

TEST(Multiaddr, PeerIdComponent) {
  const std::string peer = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";
  auto ma = Multiaddr::parse("/ip4/10.0.0.1/tcp/4001/p2p/" + peer);
  ASSERT_TRUE(ma);
  EXPECT_EQ(ma->valueOf(Protocol::kP2p), peer);
  EXPECT_EQ(ma->valueOf(Protocol::kTcp), "4001");
  // a5 03, length 0x26, then the identity multihash 00 24 ...
  EXPECT_NE(toHex(ma->toBytes()).find("a50326002408011220"), std::string::npos);
  EXPECT_EQ(ma->decapsulate(Protocol::kP2p).toString(), "/ip4/10.0.0.1/tcp/4001");
  EXPECT_EQ(ma->decapsulate(Protocol::kP2p).encapsulate(*Multiaddr::parse("/p2p/" + peer)), *ma);
  // The legacy /ipfs/ name reads as /p2p/.
  EXPECT_EQ(*Multiaddr::parse("/ip4/10.0.0.1/tcp/4001/ipfs/" + peer), *ma);
}

TEST(Multiaddr, PeerIdAsCid) {
  // The same peer ID in its CIDv1 libp2p-key form reads as the base58 form.
  const std::string peer = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";
  const auto mh = *Multihash::fromBytes(*fromBase58(peer));
  const std::string as_cid = Cid::v1(Codec::kLibp2pKey, mh).toString();
  auto ma = Multiaddr::parse("/p2p/" + as_cid);
  ASSERT_TRUE(ma) << as_cid;
  EXPECT_EQ(ma->valueOf(Protocol::kP2p), peer);
  EXPECT_FALSE(Multiaddr::parse("/p2p/bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq"));
}

TEST(Multiaddr, RejectsMalformedText) {
  for (std::string_view bad : {"", "ip4/1.2.3.4", "/", "//", "/ip4", "/ip4/1.2.3", "/ip4/1.2.3.4/tcp/65536",
                               "/ip4/1.2.3.4/tcp/-1", "/ip4/1.2.3.4/tcp/08", "/foo/1", "/ip6/zz::1",
                               "/p2p/notbase58!", "/dns4//tcp/1", "/ip4/1.2.3.4//tcp/1"}) {
    EXPECT_FALSE(Multiaddr::parse(bad)) << bad;
  }
  EXPECT_TRUE(Multiaddr::parse("/ip4/1.2.3.4/tcp/80/").has_value());  // trailing slash tolerated
}

TEST(Multiaddr, RejectsMalformedBytes) {
  EXPECT_FALSE(Multiaddr::fromBytes({}));
  EXPECT_TRUE(Multiaddr::fromBytes(*fromHex("04c00002")).error().is(CidError::kTruncated));
  EXPECT_TRUE(Multiaddr::fromBytes(*fromHex("ff01")).error().is(CidError::kUnknownProtocol));
  EXPECT_FALSE(Multiaddr::fromBytes(*fromHex("3600")));              // empty dns name
  EXPECT_FALSE(Multiaddr::fromBytes(*fromHex("3603612f62")));        // '/' in dns name
  EXPECT_FALSE(Multiaddr::fromBytes(*fromHex("a503021220")));        // p2p not a multihash
  EXPECT_FALSE(Multiaddr::fromBytes(*fromHex("36ffffffff0f")));      // absurd length
}

}  // namespace
}  // namespace fil::cid

namespace fil::cid {
namespace {

// Found by fuzzing: a host name longer than the binary form allows parsed
// as text but did not read back from its bytes.
TEST(Multiaddr, HostNamesNoLongerThanTheBinaryFormAllows) {
  EXPECT_TRUE(Multiaddr::parse("/dns4/" + std::string(1024, 'a') + "/tcp/1"));
  auto r = Multiaddr::parse("/dns4/" + std::string(1025, 'a') + "/tcp/1");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("too long"), std::string::npos) << r.error().message();
}

}  // namespace
}  // namespace fil::cid
