// Block production over the full node API (Lotus's miner/miner.go): what
// the Mining subsystem of lotus-miner runs, and what tests drive now.
//
//   BlockProducer producer(full_node_api, {.miner = Address::id(1000), .network = &params},
//                          localWinningProver("/root/.genesis-sectors"));
//   producer.start();                 // mines every epoch on the heaviest head
//   ...
//   producer.stop();
//
// Each round, on the heaviest tipset: MinerGetBaseInfo; the election and
// the ticket as VRFs by the worker key, computed by the full node's wallet
// (WalletComputeVRF); the winning PoSt over the challenged sectors, proved
// here from the sealed files; MpoolSelect; MinerCreateBlock (signed by the
// node's wallet); SyncSubmitBlock at the block's timestamp. Losing a round
// makes it a null round and the next is tried on the same base; a heavier
// head that arrives while waiting (a late block) becomes the base.
//
// The worker key must be in the full node's wallet, as Lotus requires
// (`lotus wallet import pre-seal-t01000.key`).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#include "fil/api/full_node_api.h"
#include "fil/base/error.h"
#include "fil/chain/block.h"
#include "fil/chain/network.h"
#include "fil/chain/tipset.h"
#include "fil/primitives/address.h"
#include "fil/proofs/post.h"

namespace prometheus {
class Registry;
}

namespace fil::mining {

// Proves a winning PoSt for the challenged sectors of miner `miner_id`.
using WinningProver = std::function<Result<std::vector<proofs::PoStProof>>(
    proofs::RegisteredPoStProof type, uint64_t miner_id, std::span<const proofs::PublicSectorInfo> sectors,
    const proofs::PoStRandomness& randomness)>;

// The prover over sealed sectors in Lotus's layout under `root`
// (sealed/s-t0<miner>-<n>, cache/s-t0<miner>-<n>), as lotus-seed pre-seal
// and the sealer leave them.
WinningProver localWinningProver(std::filesystem::path root);

struct ProducerConfig {
  primitives::Address miner;  // the miner actor's ID address
  const chain::NetworkParams* network = nullptr;
  // Unix seconds; the wall clock when unset.
  std::function<uint64_t()> now;
};

struct ProducerStats {
  uint64_t rounds = 0;      // elections run
  uint64_t wins = 0;        // blocks made
  uint64_t submitted = 0;   // blocks the node accepted
  uint64_t errors = 0;      // rounds that failed (logged)
  chain::ChainEpoch last_epoch = 0;
  std::string last_error;
};

class BlockProducer {
 public:
  BlockProducer(api::FullNodeApi& node, ProducerConfig config, WinningProver prover);
  ~BlockProducer();
  BlockProducer(const BlockProducer&) = delete;
  BlockProducer& operator=(const BlockProducer&) = delete;

  // One round: the block this miner makes at `epoch` on `base`, or nullopt
  // when it has no power there, is not eligible, or loses the election.
  [[nodiscard]] Result<std::optional<chain::BlockMsg>> mineOne(const chain::TipSet& base, chain::ChainEpoch epoch);

  // Runs the production loop in a thread until stop().
  void start();
  void stop();

  ProducerStats stats() const;
  // Counters fil_mining_rounds_total{result="lost|won|submitted|error"}.
  void registerMetrics(prometheus::Registry& registry);

 private:
  void loop();
  void round(std::optional<chain::TipSetKey>& last_base, uint64_t& null_rounds);
  // Sleeps until Unix time `when`; false when stopped meanwhile.
  bool sleepUntil(uint64_t when);
  uint64_t now() const;
  void count(const char* result, const std::string& error = {});

  api::FullNodeApi& node_;
  ProducerConfig config_;
  WinningProver prover_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
  ProducerStats stats_;
  std::atomic<bool> ineligible_{false};  // warned that the miner cannot mine
  struct Metrics;
  std::unique_ptr<Metrics> metrics_;
};

}  // namespace fil::mining
