#include <gtest/gtest.h>

#include "fil/base/hex.h"
#include "fil/chain/beacon.h"
#include "fil/chain/chain_error.h"
#include "fil/chain/vrf.h"
#include "fil/crypto/ecvrf.h"

namespace fil::chain {
namespace {

using crypto::secp256k1::PrivateKey;

PrivateKey keyFrom(uint8_t seed) {
  PrivateKey k{};
  k.fill(seed);
  return k;
}

primitives::Address addressOf(const PrivateKey& key) {
  return *primitives::Address::secp256k1(*crypto::secp256k1::derivePublicKey(key));
}

TEST(Vrf, ProofsCarryTheKeyAndVerifyAgainstTheAddress) {
  const PrivateKey key = keyFrom(7);
  const Bytes input = toBytes(std::string_view("ticket seed"));
  auto proof = computeVrf(key, input);
  ASSERT_TRUE(proof);
  ASSERT_EQ(proof->size(), kVrfProofSize);
  EXPECT_EQ(toBytes(BytesView(*proof).first(33)), toBytes(crypto::secp256k1::compress(*crypto::secp256k1::derivePublicKey(key))));
  EXPECT_EQ(*computeVrf(key, input), *proof);  // deterministic

  auto out = verifyVrf(addressOf(key), input, *proof);
  ASSERT_TRUE(out) << out.error().message();
  // The output is the ECVRF output of the proof part, which vrfRandomness returns.
  const auto beta = crypto::ecvrf::proofToHash(BytesView(*proof).subspan(33));
  EXPECT_EQ(*out, *beta);
  EXPECT_EQ(vrfRandomness(*proof), Bytes(beta->begin(), beta->end()));

  auto other = verifyVrf(addressOf(keyFrom(8)), input, *proof);
  ASSERT_FALSE(other);
  EXPECT_TRUE(other.error().is(ChainError::kInvalidVrf));
  EXPECT_NE(other.error().message().find("not"), std::string::npos);
  EXPECT_FALSE(verifyVrf(addressOf(key), toBytes(std::string_view("other seed")), *proof));
  EXPECT_FALSE(verifyVrf(addressOf(key), input, BytesView(*proof).first(113)));
  EXPECT_FALSE(verifyVrf(primitives::Address::id(1000), input, *proof));  // not an f1 address
  Bytes tampered = *proof;
  tampered[60] ^= 1;
  EXPECT_FALSE(verifyVrf(addressOf(key), input, tampered));
}

TEST(Vrf, NonProofBytesStandForThemselves) {
  const Bytes genesis_ticket(32, 0xab);
  EXPECT_EQ(vrfRandomness(genesis_ticket), genesis_ticket);
  EXPECT_EQ(vrfRandomness(Bytes(kVrfProofSize, 0)), Bytes(kVrfProofSize, 0));
}

class DevnetBeaconTest : public ::testing::Test {
 protected:
  DevnetBeaconSigner signer_ = *DevnetBeaconSigner::create(keyFrom(42));
  const DevnetBeacon& beacon_ = signer_.beacon();
  BeaconEntry genesis_ = signer_.genesisEntry();

  BlockHeader blockAt(ChainEpoch height, std::vector<BeaconEntry> entries) {
    BlockHeader h;
    h.height = height;
    h.beacon_entries = std::move(entries);
    return h;
  }
};

TEST_F(DevnetBeaconTest, GenesisEntryHoldsTheKey) {
  EXPECT_EQ(genesis_.round, 0u);
  EXPECT_EQ(genesis_.data.size(), 33u);
  auto from_genesis = DevnetBeacon::fromGenesisEntry(genesis_);
  ASSERT_TRUE(from_genesis);
  EXPECT_EQ(from_genesis->publicKey(), beacon_.publicKey());
  EXPECT_FALSE(DevnetBeacon::fromGenesisEntry(BeaconEntry{1, genesis_.data}));
  EXPECT_FALSE(DevnetBeacon::fromGenesisEntry(BeaconEntry{0, Bytes(32, 0)}));  // Lotus's zero entry is no key
  EXPECT_FALSE(DevnetBeaconSigner::create(PrivateKey{}));
  EXPECT_EQ(beacon_.maxRoundForEpoch(17), 17u);
  EXPECT_EQ(beacon_.maxRoundForEpoch(-3), 0u);
  // The base of the genesis entry is its data; of later entries, their VRF output.
  EXPECT_EQ(beaconRandomnessBase(genesis_), genesis_.data);
}

TEST_F(DevnetBeaconTest, EntriesChainAndVerify) {
  auto e1 = signer_.next(genesis_);
  ASSERT_TRUE(e1);
  EXPECT_EQ(e1->round, 1u);
  EXPECT_TRUE(beacon_.verifyEntry(*e1, genesis_));
  auto e2 = signer_.next(*e1);
  ASSERT_TRUE(e2);
  EXPECT_TRUE(beacon_.verifyEntry(*e2, *e1));
  EXPECT_EQ(beaconRandomnessBase(*e2).size(), 32u);
  EXPECT_NE(beaconRandomnessBase(*e1), beaconRandomnessBase(*e2));

  // Skipping a round, replaying an entry, another key, tampered data.
  EXPECT_TRUE(beacon_.verifyEntry(*e2, genesis_).error().is(ChainError::kInvalidBeaconEntry));
  BeaconEntry replay = *e1;
  replay.round = 2;
  EXPECT_FALSE(beacon_.verifyEntry(replay, *e1));
  auto other = DevnetBeaconSigner::create(keyFrom(43))->next(genesis_);
  EXPECT_FALSE(beacon_.verifyEntry(*other, genesis_));
  BeaconEntry tampered = *e1;
  tampered.data[80] ^= 1;
  EXPECT_FALSE(beacon_.verifyEntry(tampered, genesis_));

  // Another key gives other entries: nobody predicts them without this key.
  EXPECT_NE(other->data, e1->data);
}

TEST_F(DevnetBeaconTest, BlockEntriesFollowTheLotusRules) {
  auto for1 = signer_.entriesForEpoch(genesis_, 1);
  ASSERT_TRUE(for1);
  ASSERT_EQ(for1->size(), 1u);
  EXPECT_TRUE(validateBeaconEntries(beacon_, blockAt(1, *for1), genesis_));
  const BlockHeader at1 = blockAt(1, *for1);
  EXPECT_EQ(&electionBeaconEntry(at1, genesis_), &at1.beacon_entries.back());

  // After null rounds 2 and 3, a block at 4 carries rounds 2..4.
  auto for4 = signer_.entriesForEpoch(for1->back(), 4);
  ASSERT_EQ(for4->size(), 3u);
  EXPECT_EQ(for4->front().round, 2u);
  EXPECT_TRUE(validateBeaconEntries(beacon_, blockAt(4, *for4), for1->back()));

  auto refused = [&](const BlockHeader& h, const BeaconEntry& prev) {
    auto s = validateBeaconEntries(beacon_, h, prev);
    EXPECT_FALSE(s);
    if (!s) {
      EXPECT_TRUE(s.error().is(ChainError::kInvalidBeaconEntry)) << s.error().message();
      EXPECT_NE(s.error().message().find("BeaconEntries"), std::string::npos) << s.error().message();
    }
  };
  refused(blockAt(4, {}), for1->back());                                       // due but missing
  refused(blockAt(4, {(*for4)[0], (*for4)[1]}), for1->back());                 // stops short of round 4
  refused(blockAt(4, {(*for4)[1], (*for4)[2]}), for1->back());                 // skips round 2
  refused(blockAt(1, *for1), for1->back());                                    // nothing due
  std::vector<BeaconEntry> bad = *for4;
  bad[1].data[50] ^= 1;
  refused(blockAt(4, bad), for1->back());

  // Nothing due: no entries, and none made.
  EXPECT_TRUE(validateBeaconEntries(beacon_, blockAt(1, {}), for1->back()));
  EXPECT_TRUE(signer_.entriesForEpoch(for1->back(), 1)->empty());
  EXPECT_EQ(&electionBeaconEntry(blockAt(1, {}), for1->back()), &for1->back());
}

}  // namespace
}  // namespace fil::chain
