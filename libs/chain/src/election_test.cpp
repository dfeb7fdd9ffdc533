#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "fil/base/hex.h"
#include "fil/chain/beacon.h"
#include "fil/chain/election.h"
#include "fil/chain/vrf.h"
#include "fil/crypto/blake2b.h"
#include "fil/testing/paths.h"

namespace fil::chain {
namespace {

using primitives::BigInt;

// Sections of tests/vectors/lotus-election-golden.txt: name -> lines.
std::map<std::string, std::vector<std::string>> goldenSections() {
  std::istringstream in(fil::testing::readSourceFile("tests/vectors/lotus-election-golden.txt"));
  std::map<std::string, std::vector<std::string>> out;
  std::string line, section;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("== ", 0) == 0) {
      section = line.substr(3);
      continue;
    }
    out[section].push_back(line);
  }
  return out;
}

BigInt big(const std::string& decimal) { return BigInt(decimal); }

TEST(Election, LotusGoldenExpNeg) {
  const auto sections = goldenSections();
  const auto& exp = sections.at("exp");
  ASSERT_EQ(exp.size(), 256u);
  for (const auto& line : exp) {
    const auto comma = line.find(',');
    ASSERT_NE(comma, std::string::npos);
    EXPECT_EQ(expNeg(big(line.substr(0, comma))), big(line.substr(comma + 1))) << line;
  }
}

TEST(Election, LotusGoldenLambdaAndPoisson) {
  const auto sections = goldenSections();
  EXPECT_EQ(winLambda(10, 100), big(sections.at("lambda 10-100").at(0)));
  EXPECT_EQ(winLambda(1024, 2048), big(sections.at("lambda 1024-2048").at(0)));
  EXPECT_EQ(winLambda(big("2000000000000000"), big("100000000000000000")),
            big(sections.at("lambda 2000000000000000-100000000000000000").at(0)));
  // spec/chain.md's values.
  EXPECT_EQ(primitives::toDecimal(winLambda(10, 100)),
            "57896044618658097711785492504343953926634992332820282019728792003956564819968");
  EXPECT_EQ(primitives::toDecimal(winLambda(1024, 2048)),
            "289480223093290488558927462521719769633174961664101410098643960019782824099840");

  for (const auto& [base, shift] : std::vector<std::pair<uint64_t, unsigned>>{
           {10, 10}, {209714, 20}, {1036915, 20}, {1706, 10}, {2, 0}, {5242879, 20}, {5, 0}}) {
    const auto& expected = sections.at(fmt::format("poisson {}-{}", base, shift));
    ASSERT_EQ(expected.size(), 16u);
    PoissonTail tail(BigInt(base) << (256 - shift));
    EXPECT_EQ(tail.value(), big(expected[0])) << base;
    for (size_t k = 1; k < expected.size(); ++k) EXPECT_EQ(tail.next(), big(expected[k])) << base << " k=" << k;
  }
}

// spec/chain.md: win counts computed by an independent implementation.
TEST(Election, WinCounts) {
  Bytes seq(32);
  for (size_t i = 0; i < seq.size(); ++i) seq[i] = static_cast<uint8_t>(i);
  EXPECT_EQ(computeWinCount(seq, 1, 1), 3);
  EXPECT_EQ(computeWinCount(seq, 20, 100), 0);
  EXPECT_EQ(computeWinCount(Bytes(96, 0), 1, 5), 2);
  EXPECT_EQ(computeWinCount(Bytes(96, 1), 100, 100), 4);
  EXPECT_EQ(computeWinCount(seq, 0, 100), 0);
  EXPECT_EQ(computeWinCount(seq, 1, 0), 0);  // no power anywhere: no wins, no division by zero
  // The same through an ElectionProof whose bytes are not a VRF proof.
  EXPECT_EQ(computeWinCount(ElectionProof{0, seq}, 1, 1), 3);
}

TEST(Election, WinCountsFollowPoissonRates) {
  // The mean of many draws is 5 * share (expected winners per epoch).
  for (const auto& [power, total] : std::vector<std::pair<int, int>>{{1, 10}, {1, 2}, {1, 1}}) {
    int64_t wins = 0;
    constexpr int kDraws = 4000;
    for (int i = 0; i < kDraws; ++i) {
      Bytes draw;
      putU32BE(draw, static_cast<uint32_t>(i));
      wins += computeWinCount(draw, power, total);
    }
    const double mean = static_cast<double>(wins) / kDraws;
    const double lambda = 5.0 * power / total;
    EXPECT_NEAR(mean, lambda, 4 * std::sqrt(lambda / kDraws)) << power << "/" << total;
  }
}

TEST(Election, SeedsFollowLotusInputs) {
  const BeaconEntry beacon{7, Bytes(32, 3)};
  const auto miner = primitives::Address::id(1000);
  const Ticket parent{Bytes(32, 9)};
  EXPECT_EQ(toHex(minerEntropy(miner)), "4300e807");
  Bytes ticket_entropy = minerEntropy(miner);
  append(ticket_entropy, parent.vrf_proof);
  EXPECT_EQ(ticketSeed(beacon, 10, miner, parent),
            drawRandomness(beacon.data, DomainSeparationTag::kTicketProduction, 9, ticket_entropy));
  EXPECT_EQ(electionSeed(beacon, 10, miner),
            drawRandomness(beacon.data, DomainSeparationTag::kElectionProofProduction, 10, minerEntropy(miner)));
  EXPECT_EQ(winningPoStSeed(beacon, 10, miner),
            drawRandomness(beacon.data, DomainSeparationTag::kWinningPoStChallengeSeed, 10, minerEntropy(miner)));
}

TEST(Election, TicketsAndProofsVerifyAndCountFromTheVrfOutput) {
  crypto::secp256k1::PrivateKey key{};
  key.fill(5);
  const auto worker = *primitives::Address::secp256k1(*crypto::secp256k1::derivePublicKey(key));
  const Randomness seed = electionSeed(BeaconEntry{1, Bytes(32, 1)}, 1, primitives::Address::id(1000));
  auto proof = computeElectionProof(key, seed, 1, 1);
  ASSERT_TRUE(proof);
  EXPECT_TRUE(verifyVrf(worker, seed, proof->vrf_proof));
  const Bytes output = vrfRandomness(proof->vrf_proof);
  ASSERT_EQ(output.size(), 32u);
  EXPECT_EQ(proof->win_count, computeWinCount(output, 1, 1));
  // Not the digest of the proof bytes (which a prover could vary).
  EXPECT_EQ(computeWinCount(*proof, 1, 1), proof->win_count);
  auto ticket = computeTicket(key, seed);
  ASSERT_TRUE(ticket);
  EXPECT_EQ(ticket->vrf_proof, proof->vrf_proof);
}

TEST(Election, Weight) {
  BlockHeader a;
  a.ticket = Ticket{Bytes(32, 1)};
  a.miner = primitives::Address::id(1000);
  a.parent_weight = 1000;
  a.election_proof = ElectionProof{3, {}};
  BlockHeader b = a;
  b.ticket = Ticket{Bytes(32, 2)};
  b.miner = primitives::Address::id(1001);
  b.election_proof = ElectionProof{2, {}};
  auto ts = TipSet::create({a, b});
  ASSERT_TRUE(ts);
  // P = 2^40 + 5: log2P = 40; 1000 + (40 << 8) + ((40 << 8) * 5) / 10 = 1000 + 10240 + 5120.
  const BigInt power = (BigInt(1) << 40) + 5;
  EXPECT_EQ(*tipsetWeight(*ts, power), BigInt(16360));
  EXPECT_EQ(*tipsetWeight(*ts, 1), BigInt(1000));  // log2(1) = 0
  EXPECT_FALSE(tipsetWeight(*ts, 0));
}

}  // namespace
}  // namespace fil::chain
