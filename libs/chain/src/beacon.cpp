#include "fil/chain/beacon.h"

#include <fmt/format.h>

#include "fil/chain/chain_error.h"
#include "fil/chain/vrf.h"

namespace fil::chain {
namespace {

constexpr std::string_view kBeaconDomain = "fil-devnet-beacon-v1";

}  // namespace

Bytes beaconRandomnessBase(const BeaconEntry& entry) { return vrfRandomness(entry.data); }

const BeaconEntry& electionBeaconEntry(const BlockHeader& block, const BeaconEntry& previous) {
  return block.beacon_entries.empty() ? previous : block.beacon_entries.back();
}

Status validateBeaconEntries(const RandomBeacon& beacon, const BlockHeader& block, const BeaconEntry& previous) {
  const uint64_t max_round = beacon.maxRoundForEpoch(block.height);
  const auto& entries = block.beacon_entries;
  if (max_round == previous.round) {
    if (!entries.empty()) {
      return fail(ChainError::kInvalidBeaconEntry,
                  fmt::format("BeaconEntries has {} entries; none is due since the parent reached round {}",
                              entries.size(), previous.round));
    }
    return ok();
  }
  if (entries.empty()) {
    return fail(ChainError::kInvalidBeaconEntry,
                fmt::format("BeaconEntries is empty; rounds {} to {} are due", previous.round + 1, max_round));
  }
  if (entries.back().round != max_round) {
    return fail(ChainError::kInvalidBeaconEntry, fmt::format("BeaconEntries ends at round {}, must end at {}",
                                                             entries.back().round, max_round));
  }
  const BeaconEntry* prev = &previous;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (auto s = beacon.verifyEntry(entries[i], *prev); !s) {
      return fail(std::move(s).error().withContext(fmt::format("BeaconEntries[{}] (round {})", i, entries[i].round)));
    }
    prev = &entries[i];
  }
  return ok();
}

Result<DevnetBeacon> DevnetBeacon::fromGenesisEntry(const BeaconEntry& genesis) {
  if (genesis.round != 0) {
    return fail(ChainError::kInvalidBeaconEntry,
                fmt::format("the genesis beacon entry is round {}, must be 0", genesis.round));
  }
  auto key = crypto::secp256k1::parsePublicKey(genesis.data);
  if (!key || genesis.data.size() != 33) {
    return fail(ChainError::kInvalidBeaconEntry,
                "the genesis beacon entry's Data must be the beacon's compressed secp256k1 public key (33 bytes)");
  }
  return DevnetBeacon(crypto::secp256k1::compress(*key));
}

BeaconEntry DevnetBeacon::genesisEntry() const { return BeaconEntry{0, Bytes(key_.begin(), key_.end())}; }

uint64_t DevnetBeacon::maxRoundForEpoch(ChainEpoch epoch) const { return epoch < 0 ? 0 : static_cast<uint64_t>(epoch); }

Bytes DevnetBeacon::entryInput(uint64_t round, const BeaconEntry& previous) {
  Bytes input = toBytes(kBeaconDomain);
  putU64BE(input, round);
  append(input, beaconRandomnessBase(previous));
  return input;
}

Status DevnetBeacon::verifyEntry(const BeaconEntry& entry, const BeaconEntry& previous) const {
  if (entry.round != previous.round + 1) {
    return fail(ChainError::kInvalidBeaconEntry,
                fmt::format("round {} does not follow round {}", entry.round, previous.round));
  }
  if (auto out = verifyVrfWithKey(key_, entryInput(entry.round, previous), entry.data); !out) {
    return fail(ChainError::kInvalidBeaconEntry, "Data is not the beacon's VRF proof: " + out.error().message());
  }
  return ok();
}

Result<DevnetBeaconSigner> DevnetBeaconSigner::create(const crypto::secp256k1::PrivateKey& key) {
  FIL_ASSIGN_OR_RETURN(auto pub, crypto::secp256k1::derivePublicKey(key));
  return DevnetBeaconSigner(key, DevnetBeacon(crypto::secp256k1::compress(pub)));
}

Result<BeaconEntry> DevnetBeaconSigner::next(const BeaconEntry& previous) const {
  const uint64_t round = previous.round + 1;
  FIL_ASSIGN_OR_RETURN(auto proof, computeVrf(key_, DevnetBeacon::entryInput(round, previous)));
  return BeaconEntry{round, std::move(proof)};
}

Result<std::vector<BeaconEntry>> DevnetBeaconSigner::entriesForEpoch(const BeaconEntry& latest, ChainEpoch epoch) const {
  const uint64_t max_round = beacon_.maxRoundForEpoch(epoch);
  std::vector<BeaconEntry> out;
  BeaconEntry prev = latest;
  for (uint64_t round = latest.round + 1; round <= max_round; ++round) {
    FIL_ASSIGN_OR_RETURN(prev, next(prev));
    out.push_back(prev);
  }
  return out;
}

}  // namespace fil::chain
