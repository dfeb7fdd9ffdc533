// `lotus-seed pre-seal`: seals sectors for a genesis miner with the proofs
// library and describes them in Lotus's pre-seal manifest (Lotus
// cmd/lotus-seed/seed/seed.go: PreSeal, WriteGenesisMiner).
//
//   PreSealOptions o{.miner = Address::id(1000), .proof = RegisteredSealProof::kStackedDrg2KiBV1_1,
//                    .sectors = 2, .root = home / ".genesis-sectors"};
//   FIL_ASSIGN_OR_RETURN(PreSealResult r, preSeal(o));
//   FIL_TRY(writePreSealFiles(o.root, o.miner, r));   // pre-seal-t01000.json, pre-seal-t01000.key
//
// Each sector holds one piece of random data filling it, sealed with the
// ticket blake2b-256(ticket_preimage) and finalized, in Lotus's layout under
// `root` (sealed/s-t01000-N, cache/s-t01000-N/); root/sectorstore.json
// marks the directory as read-only storage for `lotus-miner init`. Each
// sector's deal has the worker key as client and provider `miner`, label
// the sector's index, as Lotus's createDeals. The worker (and owner) key is
// secp256k1 where Lotus makes a BLS key: our wallet signs with secp256k1.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "fil/primitives/key_info.h"
#include "fil/proofs/registered_proof.h"
#include "fil/vm/genesis.h"

namespace fil::vm::genesis {

struct PreSealOptions {
  Address miner;  // an ID address, t01000 for the first genesis miner
  proofs::RegisteredSealProof proof = proofs::RegisteredSealProof::kStackedDrg2KiBV1_1;
  uint64_t sector_offset = 0;  // the first sector number
  uint64_t sectors = 1;
  std::filesystem::path root;  // where the sector files go
  std::string ticket_preimage = "lotus is fire";  // Lotus's default
  std::optional<primitives::KeyInfo> key;         // a new secp256k1 key when absent
  // Data of each sector and the made-up peer ID: random (as Lotus) unless a
  // seed makes them repeatable (tests).
  std::optional<uint64_t> data_seed;
  std::filesystem::path parent_cache_dir;  // empty: ParentCache::defaultDir()
  unsigned threads = 1;
};

struct PreSealResult {
  Miner miner;
  primitives::KeyInfo key;  // the owner and worker key
};

[[nodiscard]] Result<PreSealResult> preSeal(const PreSealOptions& options);

// Writes root/pre-seal-<miner>.json ({"t01000": Miner}) and
// root/pre-seal-<miner>.key (hex of the key's JSON, as `lotus wallet import` reads).
[[nodiscard]] Status writePreSealFiles(const std::filesystem::path& root, const Address& miner,
                                       const PreSealResult& result);

// A libp2p peer ID (base58) for an Ed25519 public key: the identity
// multihash of its protobuf encoding, as go-libp2p derives it.
std::string peerIdFromEd25519(BytesView public_key);

// A random version 4 UUID (RFC 4122): storage IDs, default network names.
std::string randomUuid();

}  // namespace fil::vm::genesis
