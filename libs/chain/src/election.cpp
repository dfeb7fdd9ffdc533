#include "fil/chain/election.h"

#include <array>
#include <string_view>

#include <fmt/format.h>

#include "fil/chain/beacon.h"
#include "fil/chain/chain_error.h"
#include "fil/chain/vrf.h"
#include "fil/crypto/blake2b.h"

namespace fil::chain {

using primitives::BigInt;
using primitives::StoragePower;

namespace {

constexpr unsigned kPrecision = 256;  // Q.256
constexpr int64_t kWRatioNum = 1;
constexpr int64_t kWRatioDen = 2;

// Go's big.Int shifts and divisions round towards negative infinity;
// Boost's truncate towards zero, so negative values are handled here.
BigInt shiftRightFloor(const BigInt& x, unsigned n) {
  if (x >= 0) return x >> n;
  const BigInt magnitude = -x;
  return -((magnitude + ((BigInt(1) << n) - 1)) >> n);
}

// Euclidean division for a positive divisor (Go's big.Int.Div).
BigInt divFloor(const BigInt& a, const BigInt& b) {
  BigInt q = a / b;
  if (a < 0 && q * b != a) q -= 1;
  return q;
}

// Lotus's coefficients are integers; << 128 turns them into Q.256.
std::vector<BigInt> coefficients(std::initializer_list<std::string_view> decimals) {
  std::vector<BigInt> out;
  for (std::string_view d : decimals) {
    const bool negative = d.front() == '-';
    BigInt v(std::string(negative ? d.substr(1) : d));
    v <<= kPrecision - 128;
    out.push_back(negative ? BigInt(-v) : v);
  }
  return out;
}

const std::vector<BigInt>& numerator() {
  static const auto c = coefficients({
      "-648770010757830093818553637600",
      "67469480939593786226847644286976",
      "-3197587544499098424029388939001856",
      "89244641121992890118377641805348864",
      "-1579656163641440567800982336819953664",
      "17685496037279256458459817590917169152",
      "-115682590513835356866803355398940131328",
      "340282366920938463463374607431768211456",
  });
  return c;
}

const std::vector<BigInt>& denominator() {
  static const auto c = coefficients({
      "1225524182432722209606361",
      "114095592300906098243859450",
      "5665570424063336070530214243",
      "194450132448609991765137938448",
      "5068267641632683791026134915072",
      "104716890604972796896895427629056",
      "1748338658439454459487681798864896",
      "23704654329841312470660182937960448",
      "259380097567996910282699886670381056",
      "2250336698853390384720606936038375424",
      "14978272436876548034486263159246028800",
      "72144088983913131323343765784380833792",
      "224599776407103106596571252037123047424",
      "340282366920938463463374607431768211456",
  });
  return c;
}

// Horner's method in Q.256.
BigInt polyval(const std::vector<BigInt>& p, const BigInt& x) {
  BigInt r = p.front();
  for (size_t i = 1; i < p.size(); ++i) r = shiftRightFloor(r * x, kPrecision) + p[i];
  return r;
}

BigInt bigFromDigest(const ByteArray<32>& digest) {
  BigInt v;
  boost::multiprecision::import_bits(v, digest.begin(), digest.end(), 8, true);
  return v;
}

}  // namespace

Bytes minerEntropy(const primitives::Address& miner) { return codec::encode(miner); }

Randomness ticketSeed(const BeaconEntry& beacon, ChainEpoch height, const primitives::Address& miner,
                      const Ticket& parent_min_ticket) {
  Bytes entropy = minerEntropy(miner);
  append(entropy, vrfRandomness(parent_min_ticket.vrf_proof));
  return drawRandomness(beaconRandomnessBase(beacon), DomainSeparationTag::kTicketProduction,
                        height - kTicketRandomnessLookback, entropy);
}

Randomness electionSeed(const BeaconEntry& beacon, ChainEpoch height, const primitives::Address& miner) {
  return drawRandomness(beaconRandomnessBase(beacon), DomainSeparationTag::kElectionProofProduction, height,
                        minerEntropy(miner));
}

Randomness winningPoStSeed(const BeaconEntry& beacon, ChainEpoch height, const primitives::Address& miner) {
  return drawRandomness(beaconRandomnessBase(beacon), DomainSeparationTag::kWinningPoStChallengeSeed, height,
                        minerEntropy(miner));
}

BigInt winLambda(const StoragePower& power, const StoragePower& total) {
  return divFloor((power * kBlocksPerEpoch) << kPrecision, total);
}

BigInt expNeg(const BigInt& x) {
  const BigInt num = polyval(numerator(), x);
  const BigInt deno = polyval(denominator(), x);
  return divFloor(num << kPrecision, deno);
}

PoissonTail::PoissonTail(BigInt lambda) : lambda_(std::move(lambda)), pmf_(expNeg(lambda_)) {
  tail_ = (BigInt(1) << kPrecision) - pmf_;
}

const BigInt& PoissonTail::next() {
  ++k_;
  pmf_ = divFloor(pmf_, k_);
  pmf_ = shiftRightFloor(pmf_ * lambda_, kPrecision);
  tail_ -= pmf_;
  return tail_;
}

int64_t computeWinCount(BytesView vrf_randomness, const StoragePower& power, const StoragePower& total) {
  if (total <= 0 || power <= 0) return 0;
  const BigInt draw = bigFromDigest(crypto::blake2b256(vrf_randomness));  // a Q.256 fraction in [0, 1)
  // Wins = the first k whose tail the draw is not below.
  PoissonTail tail(winLambda(power, total));
  int64_t wins = 0;
  while (draw < tail.value() && wins < kMaxWinCount) {
    tail.next();
    ++wins;
  }
  return wins;
}

int64_t computeWinCount(const ElectionProof& proof, const StoragePower& power, const StoragePower& total) {
  return computeWinCount(vrfRandomness(proof.vrf_proof), power, total);
}

Result<Ticket> computeTicket(const crypto::secp256k1::PrivateKey& worker_key, const Randomness& seed) {
  FIL_ASSIGN_OR_RETURN(auto proof, computeVrf(worker_key, seed));
  return Ticket{std::move(proof)};
}

Result<ElectionProof> computeElectionProof(const crypto::secp256k1::PrivateKey& worker_key, const Randomness& seed,
                                           const StoragePower& miner_power, const StoragePower& network_power) {
  FIL_ASSIGN_OR_RETURN(auto proof, computeVrf(worker_key, seed));
  return electionProofFromVrf(std::move(proof), miner_power, network_power);
}

ElectionProof electionProofFromVrf(Bytes vrf_proof, const StoragePower& miner_power, const StoragePower& network_power) {
  ElectionProof out;
  out.win_count = computeWinCount(vrfRandomness(vrf_proof), miner_power, network_power);
  out.vrf_proof = std::move(vrf_proof);
  return out;
}

Result<BigInt> tipsetWeight(const TipSet& ts, const StoragePower& network_power) {
  if (network_power <= 0) {
    return fail(ChainError::kMalformed,
                fmt::format("the network has no power ({}) in the state of {}; its weight is undefined",
                            primitives::toDecimal(network_power), ts.key().toString()));
  }
  const auto log2p = static_cast<int64_t>(boost::multiprecision::msb(network_power));
  BigInt wins = 0;  // big: headers of unchecked blocks may claim anything
  for (const auto& b : ts.blocks()) wins += b.election_proof ? b.election_proof->win_count : 0;
  BigInt out = ts.parentWeight();
  out += BigInt(log2p) << 8;
  BigInt election_weight = BigInt(log2p * kWRatioNum) << 8;
  election_weight *= wins;
  out += divFloor(election_weight, BigInt(kBlocksPerEpoch * kWRatioDen));
  return out;
}

}  // namespace fil::chain
