#include "fil/chain/network.h"

namespace fil::chain {
namespace {

using proofs::RegisteredSealProof;

NetworkParams makeDevnet() {
  NetworkParams p{};
  p.name = "localnet";
  p.block_delay_seconds = 4;
  p.propagation_delay_seconds = 1;
  p.network_version = 21;
  p.pre_commit_challenge_delay = 10;
  p.max_prove_commit_duration = 86410;
  p.wpost_proving_period = 2880;
  p.wpost_challenge_window = 60;
  p.wpost_period_deadlines = 48;
  p.wpost_challenge_lookback = 20;
  p.fault_declaration_cutoff = 70;
  p.fault_max_age = 120960;
  p.chain_finality = 900;
  p.min_sector_expiration = 518400;
  p.max_sector_expiration_extension = 1278000;
  p.deal_min_duration = 518400;
  p.deal_max_duration = 1278000;
  p.winning_post_sector_set_lookback = 10;
  p.consensus_miner_min_power = 2048;
  p.supported_seal_proofs = {RegisteredSealProof::kStackedDrg2KiBV1_1, RegisteredSealProof::kStackedDrg8MiBV1_1,
                             RegisteredSealProof::kStackedDrg512MiBV1_1};
  p.initial_base_fee = 100000000;
  p.minimum_base_fee = 100;
  p.block_gas_limit = 10'000'000'000;
  p.block_gas_target = 5'000'000'000;
  p.premium_base_fee_height = -32;  // Lotus 2k: FIP-0115 from genesis
  return p;
}

}  // namespace

const NetworkParams& devnetParams() {
  static const NetworkParams p = makeDevnet();
  return p;
}

const NetworkParams& testDevnetParams() {
  static const NetworkParams p = [] {
    NetworkParams t = makeDevnet();
    t.name = "testnet";
    t.block_delay_seconds = 1;
    t.propagation_delay_seconds = 0;
    // Short proving periods so tests see deadlines pass, faults declared
    // and recovered within seconds: 4 deadlines of 10 epochs.
    t.wpost_proving_period = 40;
    t.wpost_challenge_window = 10;
    t.wpost_period_deadlines = 4;
    t.wpost_challenge_lookback = 2;
    t.fault_declaration_cutoff = 3;
    t.pre_commit_challenge_delay = 3;
    t.chain_finality = 20;
    t.min_sector_expiration = 200;
    t.deal_min_duration = 100;
    t.winning_post_sector_set_lookback = 2;
    return t;
  }();
  return p;
}

const NetworkParams& fastDevnetParams() {
  static const NetworkParams p = [] {
    NetworkParams t = makeDevnet();
    t.block_delay_seconds = 1;
    t.propagation_delay_seconds = 0;
    return t;
  }();
  return p;
}

const NetworkParams& mainnetParams() {
  static const NetworkParams p = [] {
    NetworkParams m = makeDevnet();
    m.name = "mainnet";
    m.block_delay_seconds = 30;
    m.propagation_delay_seconds = 6;
    m.pre_commit_challenge_delay = 150;
    m.max_prove_commit_duration = 86550;
    m.winning_post_sector_set_lookback = 10;
    m.consensus_miner_min_power = primitives::StoragePower(1) << 40;
    m.consensus_miner_min_power *= 10;
    m.supported_seal_proofs = {RegisteredSealProof::kStackedDrg32GiBV1_1, RegisteredSealProof::kStackedDrg64GiBV1_1};
    m.premium_base_fee_height = 6052800;  // FIP-0115 on mainnet, 2026-05-27
    return m;
  }();
  return p;
}

}  // namespace fil::chain
