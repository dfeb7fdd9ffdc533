#include <gtest/gtest.h>

#include <sstream>

#include "fil/base/hex.h"
#include "fil/primitives/address.h"
#include "fil/testing/paths.h"

namespace fil::primitives {
namespace {

struct Vector {
  std::string kind, input, address;
};

std::vector<Vector> goAddressVectors() {
  std::istringstream in(testing::readSourceFile("tests/vectors/go-address.txt"));
  std::vector<Vector> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    Vector v;
    fields >> v.kind >> v.input >> v.address;
    out.push_back(v);
  }
  return out;
}

TEST(Address, GoAddressVectors) {
  const auto vectors = goAddressVectors();
  ASSERT_EQ(vectors.size(), 22u);
  for (const auto& v : vectors) {
    Address a;
    if (v.kind == "id") {
      a = Address::id(std::stoull(v.input));
    } else if (v.kind == "secp256k1") {
      a = *Address::secp256k1(*fromHex(v.input));
    } else if (v.kind == "actor") {
      a = Address::actor(*fromHex(v.input));
    } else {
      a = *Address::bls(*fromHex(v.input));
    }
    EXPECT_EQ(a.toString(Network::kMainnet), v.address);
    std::string testnet = v.address;
    testnet[0] = 't';
    EXPECT_EQ(a.toString(Network::kTestnet), testnet);
    EXPECT_EQ(*Address::parse(v.address), a);
    EXPECT_EQ(*Address::parse(testnet), a);
    EXPECT_EQ(*Address::fromBytes(a.toBytes()), a);
  }
}

TEST(Address, BinaryForms) {
  EXPECT_EQ(toHex(Address::parse("f15ihq5ibzwki2b4ep2f46avlkrqzhpqgtga7pdrq")->toBytes()),
            "01ea0f0ea039b291a0f08fd179e0556a8c3277c0d3");
  EXPECT_EQ(toHex(Address::id(150).toBytes()), "009601");
  EXPECT_EQ(toHex(Address::id(1000).toBytes()), "00e807");
  // CBOR: a byte string (spec/actors.md: t01000 -> 43 00 e8 07).
  EXPECT_EQ(toHex(codec::encode(Address::id(1000))), "4300e807");
  EXPECT_EQ(*codec::decode<Address>(*fromHex("4300e807")), Address::id(1000));
  EXPECT_EQ(*Address::id(1000).idValue(), 1000u);
}

TEST(Address, DefaultNetworkIsTestnet) {
  EXPECT_EQ(Address::id(1000).toString(), "t01000");
}

TEST(Address, Delegated) {
  const Bytes eth = *fromHex("d4c5fb16488aa48081296299d54b0c648c9333da");
  auto a = Address::delegated(10, eth);
  ASSERT_TRUE(a);
  const std::string text = a->toString(Network::kMainnet);
  EXPECT_EQ(text.substr(0, 5), "f410f");
  EXPECT_EQ(*Address::parse(text), *a);
  auto [ns, sub] = *a->delegatedParts();
  EXPECT_EQ(ns, 10u);
  EXPECT_EQ(sub, eth);
  EXPECT_FALSE(Address::delegated(10, Bytes(55)));
  // The longest delegated address prints and parses back (found by fuzzing).
  auto longest = Address::delegated(Address::kMaxId, Bytes(54, 0xab));
  ASSERT_TRUE(longest);
  EXPECT_EQ(*Address::parse(longest->toString()), *longest);
}

// go-address TestInvalidStringAddresses and friends.
TEST(Address, RejectsInvalidText) {
  EXPECT_TRUE(Address::parse("Q2gfvuyh7v2sx3patm5k23wdzmhyhtmqctasbr23y").error().is(PrimitivesError::kInvalidAddress));
  EXPECT_TRUE(Address::parse("t5gfvuyh7v2sx3patm5k23wdzmhyhtmqctasbr23y").error().is(PrimitivesError::kUnknownProtocol));
  EXPECT_TRUE(Address::parse("t2gfvuyh7v2sx3patm5k23wdzmhyhtmqctasbr24y").error().is(PrimitivesError::kInvalidChecksum));
  EXPECT_FALSE(Address::parse("t0banana"));
  EXPECT_FALSE(Address::parse("t09223372036854775808"));  // 2^63
  EXPECT_FALSE(Address::parse("t0-1"));
  EXPECT_FALSE(Address::parse("t0"));
  EXPECT_FALSE(Address::parse("t2gfvuyh7v2sx3patm5k23wdzmhyhtmqctasbr2"));  // payload too short
  EXPECT_FALSE(Address::parse("t15ihq5ibzwki2b4ep2f46avlkrqzhpqgtga7pdrQ"));
  EXPECT_FALSE(Address::parse(""));
}

TEST(Address, RejectsInvalidBytes) {
  EXPECT_FALSE(Address::fromBytes({}));
  EXPECT_TRUE(Address::fromBytes(*fromHex("0500")).error().is(PrimitivesError::kUnknownProtocol));
  EXPECT_TRUE(Address::fromBytes(*fromHex("01ea0f")).error().is(PrimitivesError::kInvalidPayload));
  EXPECT_TRUE(Address::fromBytes(*fromHex("008000")).error().is(PrimitivesError::kInvalidPayload));  // non-minimal
  EXPECT_TRUE(Address::fromBytes(*fromHex("000100")).error().is(PrimitivesError::kInvalidPayload));  // trailing
  EXPECT_TRUE(codec::decode<Address>(*fromHex("40")).error().is(codec::CborError::kInvalidValue));
}

// spec/actors.md: Power CreateMinerParams, owner = worker = t0100, type 10, no peer.
struct CreateMinerParams {
  Address owner;
  Address worker;
  int64_t window_post_proof_type = 0;
  Bytes peer;
  std::vector<Bytes> multiaddrs;
};
FIL_CBOR_TUPLE(CreateMinerParams, (owner, "Owner"), (worker, "Worker"), (window_post_proof_type, "WindowPoStProofType"),
               (peer, "Peer"), (multiaddrs, "Multiaddrs"))

TEST(Address, InsideActorParams) {
  const CreateMinerParams p{Address::id(100), Address::id(100), 10, {}, {}};
  EXPECT_EQ(toHex(codec::encode(p)), "85420064420064" "0a4080");
}

}  // namespace
}  // namespace fil::primitives
