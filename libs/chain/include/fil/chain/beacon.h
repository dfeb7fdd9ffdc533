// Randomness beacons: where blocks get the entries that seed tickets,
// elections and winning PoSt (Lotus chain/beacon).
//
// The devnet beacon is a VRF chain by one key (docs/decisions.md): the
// genesis block carries entry 0, whose Data is the beacon's compressed
// public key; entry r >= 1 has Data = VRF proof (vrf.h) by that key over
//   "fil-devnet-beacon-v1" || uint64BE(r) || vrfRandomness(entry r-1 Data)
// Each entry is thus fixed by the key and the previous entry: nobody
// without the key can compute it, anybody can verify it, and its holder
// cannot grind it (the VRF output is unique). A block at epoch e carries
// the entries after its parent's latest one up to round e.
//
//   FIL_ASSIGN_OR_RETURN(auto signer, DevnetBeaconSigner::create(beacon_key));  // the operator
//   BeaconEntry genesis = signer.genesisEntry();
//   FIL_ASSIGN_OR_RETURN(auto entries, signer.entriesForEpoch(latest, epoch));
//   FIL_ASSIGN_OR_RETURN(auto beacon, DevnetBeacon::fromGenesisEntry(genesis));
//   FIL_TRY(validateBeaconEntries(beacon, header, latest));  // any node
#pragma once

#include <vector>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/chain/block.h"
#include "fil/crypto/secp256k1.h"

namespace fil::chain {

class RandomBeacon {
 public:
  virtual ~RandomBeacon() = default;
  // The last round a block at `epoch` must include.
  virtual uint64_t maxRoundForEpoch(ChainEpoch epoch) const = 0;
  // Checks that `entry` is the valid successor of `previous`.
  [[nodiscard]] virtual Status verifyEntry(const BeaconEntry& entry, const BeaconEntry& previous) const = 0;
};

// The bytes randomness is drawn from for an entry: its VRF output, or the
// Data itself for the genesis entry.
Bytes beaconRandomnessBase(const BeaconEntry& entry);

// Checks a block's beacon entries against the parent's latest entry
// (Lotus ValidateBlockValues): none when the round has not advanced,
// otherwise a verified run ending at maxRoundForEpoch(height).
[[nodiscard]] Status validateBeaconEntries(const RandomBeacon& beacon, const BlockHeader& block,
                                           const BeaconEntry& previous);

// The beacon entry the election of `block` draws from: its last entry, or
// the parent's latest when it has none.
const BeaconEntry& electionBeaconEntry(const BlockHeader& block, const BeaconEntry& previous);

class DevnetBeacon final : public RandomBeacon {
 public:
  explicit DevnetBeacon(const crypto::secp256k1::CompressedPublicKey& key) : key_(key) {}
  // The beacon whose key the genesis entry (round 0) holds.
  [[nodiscard]] static Result<DevnetBeacon> fromGenesisEntry(const BeaconEntry& genesis);

  const crypto::secp256k1::CompressedPublicKey& publicKey() const { return key_; }
  BeaconEntry genesisEntry() const;

  // Round = epoch (none before genesis).
  uint64_t maxRoundForEpoch(ChainEpoch epoch) const override;
  Status verifyEntry(const BeaconEntry& entry, const BeaconEntry& previous) const override;

  // The VRF input of `round` after `previous`.
  static Bytes entryInput(uint64_t round, const BeaconEntry& previous);

 private:
  crypto::secp256k1::CompressedPublicKey key_;
};

// The beacon's operator: makes the entries (any node can verify them).
class DevnetBeaconSigner {
 public:
  // kInvalidKey when `key` is not a valid secp256k1 scalar.
  [[nodiscard]] static Result<DevnetBeaconSigner> create(const crypto::secp256k1::PrivateKey& key);

  const DevnetBeacon& beacon() const { return beacon_; }
  BeaconEntry genesisEntry() const { return beacon_.genesisEntry(); }

  // The entry of round previous.round + 1.
  [[nodiscard]] Result<BeaconEntry> next(const BeaconEntry& previous) const;
  // The entries a block at `epoch` carries after `latest` (none when
  // latest already reaches the epoch's round).
  [[nodiscard]] Result<std::vector<BeaconEntry>> entriesForEpoch(const BeaconEntry& latest, ChainEpoch epoch) const;

 private:
  DevnetBeaconSigner(const crypto::secp256k1::PrivateKey& key, DevnetBeacon beacon) : key_(key), beacon_(beacon) {}
  crypto::secp256k1::PrivateKey key_;
  DevnetBeacon beacon_;
};

}  // namespace fil::chain
