// Network parameters, one table per network: the devnet our nodes run and,
// for reference, mainnet's. Actor policy values are in epochs. Tests use the
// fastest settings (kTestDevnet); `make devnet` uses kDevnet.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>
#include <vector>

#include "fil/primitives/big_int.h"
#include "fil/proofs/registered_proof.h"

namespace fil::chain {

using ChainEpoch = int64_t;

struct NetworkParams {
  std::string_view name;              // genesis network name ("localnet", "mainnet")
  uint64_t block_delay_seconds;       // BlockDelaySecs
  uint64_t propagation_delay_seconds; // how long a miner waits for late blocks of the parent height
  uint64_t network_version;           // nv, fixes which actor behaviours apply

  // Miner actor policy.
  ChainEpoch pre_commit_challenge_delay;
  ChainEpoch max_prove_commit_duration;
  ChainEpoch wpost_proving_period;
  ChainEpoch wpost_challenge_window;
  uint64_t wpost_period_deadlines;
  ChainEpoch wpost_challenge_lookback;
  ChainEpoch fault_declaration_cutoff;
  ChainEpoch fault_max_age;
  ChainEpoch chain_finality;
  ChainEpoch min_sector_expiration;
  ChainEpoch max_sector_expiration_extension;
  ChainEpoch deal_min_duration;
  ChainEpoch deal_max_duration;
  ChainEpoch winning_post_sector_set_lookback;

  // Power and consensus.
  primitives::StoragePower consensus_miner_min_power;
  std::vector<proofs::RegisteredSealProof> supported_seal_proofs;

  // Money.
  primitives::TokenAmount initial_base_fee;   // attoFIL
  primitives::TokenAmount minimum_base_fee;
  int64_t block_gas_limit;
  int64_t block_gas_target;
  // First tipset height whose children's base fee follows FIP-0115 (the
  // premium percentile) instead of gas utilization (Lotus
  // UpgradeFireHorseHeight). Devnets: before genesis.
  ChainEpoch premium_base_fee_height;
};

// Lotus's 2k devnet values with our 4-second blocks: what `make devnet` runs.
const NetworkParams& devnetParams();
// A faster profile of our own for tests: sub-second blocks and short
// proving periods (docs/decisions.md says which values and why).
const NetworkParams& testDevnetParams();
// The devnet at 1-second blocks, with the devnet's own proving periods: what
// the daemon's `--network=test-devnet` runs, so that a daemon test's genesis
// miner keeps its power for as long as the test takes (nothing submits
// WindowPoSts yet, and epochs follow the wall clock there).
const NetworkParams& fastDevnetParams();
// Mainnet constants, for reference and for tests of the formulas.
const NetworkParams& mainnetParams();

}  // namespace fil::chain
