#include "fil/mining/block_producer.h"

#include <algorithm>

#include <fmt/format.h>
#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include "fil/base/log.h"
#include "fil/chain/election.h"
#include "fil/proofs/commp.h"
#include "fil/proofs/porep.h"
#include "fil/proofs/registered_proof.h"

namespace fil::mining {
namespace {

spdlog::logger& logger() { return log::get("miner"); }

uint64_t wallClock() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

}  // namespace

struct BlockProducer::Metrics {
  prometheus::Counter& lost;
  prometheus::Counter& won;
  prometheus::Counter& submitted;
  prometheus::Counter& error;
};

WinningProver localWinningProver(std::filesystem::path root) {
  return [root = std::move(root)](proofs::RegisteredPoStProof type, uint64_t miner_id,
                                  std::span<const proofs::PublicSectorInfo> sectors,
                                  const proofs::PoStRandomness& randomness) -> Result<std::vector<proofs::PoStProof>> {
    std::vector<proofs::PrivateSectorInfo> challenged;
    challenged.reserve(sectors.size());
    for (const auto& s : sectors) challenged.push_back({s, proofs::lotusSectorFiles(root, miner_id, s.sector)});
    return proofs::generateWinningPoSt(type, randomness, proofs::proverIdFromActorId(miner_id), challenged);
  };
}

BlockProducer::BlockProducer(api::FullNodeApi& node, ProducerConfig config, WinningProver prover)
    : node_(node), config_(std::move(config)), prover_(std::move(prover)) {}

BlockProducer::~BlockProducer() { stop(); }

uint64_t BlockProducer::now() const { return config_.now ? config_.now() : wallClock(); }

Result<std::optional<chain::BlockMsg>> BlockProducer::mineOne(const chain::TipSet& base, chain::ChainEpoch epoch) {
  const primitives::Address& miner = config_.miner;
  FIL_ASSIGN_OR_RETURN(const uint64_t miner_id, miner.idValue());
  FIL_ASSIGN_OR_RETURN(auto found, node_.minerGetBaseInfo(miner, epoch, base.key()));
  if (!found) return std::optional<chain::BlockMsg>{};  // no miner actor at the lookback yet
  const api::MiningBaseInfo& info = *found;
  if (!info.eligible_for_mining) {
    // Said once per spell, not every round: a miner without power stays so for a while.
    if (!ineligible_.exchange(true)) {
      logger().warn("miner {} is not eligible to mine at epoch {}: no power at the lookback (missed WindowPoSts?), "
                    "fee debt or a consensus fault",
                    miner.toString(), epoch);
    }
    return std::optional<chain::BlockMsg>{};
  }
  ineligible_ = false;

  const chain::BeaconEntry& rbase = info.beacon_entries.empty() ? info.prev_beacon_entry : info.beacon_entries.back();
  const auto election_seed = chain::electionSeed(rbase, epoch, miner);
  FIL_ASSIGN_OR_RETURN(auto election_vrf, node_.walletComputeVrf(info.worker_key, Bytes(election_seed.begin(), election_seed.end())));
  auto eproof = chain::electionProofFromVrf(std::move(election_vrf), info.miner_power, info.network_power);
  if (eproof.win_count < 1) return std::optional<chain::BlockMsg>{};

  const auto ticket_seed = chain::ticketSeed(rbase, epoch, miner, base.minTicket());
  FIL_ASSIGN_OR_RETURN(auto ticket_vrf, node_.walletComputeVrf(info.worker_key, Bytes(ticket_seed.begin(), ticket_seed.end())));

  if (info.sectors.empty()) return fail(GenericError::kInternal, "won the election but the node named no sectors to prove");
  std::vector<proofs::PublicSectorInfo> sectors;
  for (const auto& s : info.sectors) {
    FIL_ASSIGN_OR_RETURN(auto comm_r, proofs::commitmentFromSealedCid(s.sealed_cid));
    sectors.push_back({s.seal_proof, s.sector_number, comm_r});
  }
  FIL_ASSIGN_OR_RETURN(auto post_type, proofs::winningPoStProofFor(sectors.front().proof));
  const auto post_seed = chain::winningPoStSeed(rbase, epoch, miner);
  FIL_ASSIGN_OR_RETURN(auto post, prover_(post_type, miner_id, sectors, post_seed).map_error([](Error e) {
    return std::move(e).withContext("computing the winning PoSt");
  }));

  FIL_ASSIGN_OR_RETURN(auto messages, node_.mpoolSelect(base.key(), 1.0));
  api::BlockTemplate t;
  t.miner = miner;
  t.parents = base.key();
  t.ticket = chain::Ticket{std::move(ticket_vrf)};
  t.eproof = std::move(eproof);
  t.beacon_values = info.beacon_entries;
  t.messages = std::move(messages);
  t.epoch = epoch;
  t.timestamp = chain::expectedTimestamp(base.minTimestamp(), base.height(), epoch, *config_.network);
  t.winning_post_proof = std::move(post);
  FIL_ASSIGN_OR_RETURN(auto block, node_.minerCreateBlock(t));
  return std::optional<chain::BlockMsg>{std::move(block)};
}

void BlockProducer::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void BlockProducer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool BlockProducer::sleepUntil(uint64_t when) {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const uint64_t t = now();
    if (t >= when) return true;
    // Re-check at least every 100 ms: `now` may be a test clock.
    wake_.wait_for(lock, std::min<std::chrono::milliseconds>(std::chrono::seconds(when - t), std::chrono::milliseconds(100)));
  }
  return false;
}

ProducerStats BlockProducer::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void BlockProducer::registerMetrics(prometheus::Registry& registry) {
  auto& rounds = prometheus::BuildCounter()
                     .Name("fil_mining_rounds_total")
                     .Help("Block production rounds by result: lost, won, submitted, error")
                     .Register(registry);
  std::lock_guard lock(mutex_);
  metrics_ = std::make_unique<Metrics>(Metrics{rounds.Add({{"result", "lost"}}), rounds.Add({{"result", "won"}}),
                                               rounds.Add({{"result", "submitted"}}), rounds.Add({{"result", "error"}})});
}

void BlockProducer::count(const char* result, const std::string& error) {
  std::lock_guard lock(mutex_);
  const std::string_view r(result);
  if (r == "lost") {
    ++stats_.rounds;
    if (metrics_) metrics_->lost.Increment();
  } else if (r == "won") {
    ++stats_.rounds;
    ++stats_.wins;
    if (metrics_) metrics_->won.Increment();
  } else if (r == "submitted") {
    ++stats_.submitted;
    if (metrics_) metrics_->submitted.Increment();
  } else {
    ++stats_.errors;
    stats_.last_error = error;
    if (metrics_) metrics_->error.Increment();
  }
}

void BlockProducer::loop() {
  logger().info("block production started for {}", config_.miner.toString());
  std::optional<chain::TipSetKey> last_base;
  uint64_t null_rounds = 0;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    round(last_base, null_rounds);
  }
  logger().info("block production stopped for {}", config_.miner.toString());
}

void BlockProducer::round(std::optional<chain::TipSetKey>& last_base, uint64_t& null_rounds) {
  const auto& net = *config_.network;
  auto onError = [&](const std::string& what) {
    logger().error("mining round failed: {}", what);
    count("error", what);
    sleepUntil(now() + 1);  // do not spin on a node that keeps failing
  };
  auto head = node_.chainHead();
  if (!head) return onError("ChainHead: " + head.error().message());
  // Wait the propagation delay after the base's time, so that late blocks
  // of its height can still join it, then take the heaviest head again.
  if (!sleepUntil(head->minTimestamp() + net.propagation_delay_seconds)) return;
  auto base = node_.chainHead();
  if (!base) return onError("ChainHead: " + base.error().message());
  if (!last_base || *last_base != base->key()) {
    last_base = base->key();
    null_rounds = 0;
  }
  const chain::ChainEpoch epoch = base->height() + 1 + static_cast<chain::ChainEpoch>(null_rounds);
  const auto started = std::chrono::steady_clock::now();
  auto mined = mineOne(*base, epoch);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  {
    std::lock_guard lock(mutex_);
    stats_.last_epoch = epoch;
  }
  if (!mined) return onError(fmt::format("epoch {}: {}", epoch, mined.error().message()));
  if (!*mined) {
    count("lost");
    ++null_rounds;
    // The next round's time plus the propagation delay: a new tipset has had time to form.
    sleepUntil(chain::expectedTimestamp(base->minTimestamp(), base->height(), epoch + 1, net) - net.block_delay_seconds +
               net.propagation_delay_seconds);
    return;
  }
  count("won");
  const chain::BlockMsg& block = **mined;
  if (!sleepUntil(block.header.timestamp)) return;  // never submit a block before its time
  if (auto submitted = node_.syncSubmitBlock(block); !submitted) {
    ++null_rounds;  // a refused block would be refused again: the next round tries the next epoch
    return onError(fmt::format("SyncSubmitBlock of {} at {}: {}", block.cid().toString(), epoch,
                               submitted.error().message()));
  }
  count("submitted");
  // `took`: the election, winning PoSt and block assembly, not the wait for the block's time.
  logger().info("mined new block cid={} height={} miner={} parents={} messages={} took={}ms", block.cid().toString(),
                epoch, config_.miner.toString(), base->key().toString(),
                block.secpk_messages.size() + block.bls_messages.size(), took.count());
  // Normally the block is the new head and the next round builds on it. If
  // it is not (a heavier head came first, or a chain without power gains
  // no weight), this base's epoch is spent: go on to the next one rather
  // than making the same block again.
  if (auto now_head = node_.chainHead(); now_head) {
    const auto& cids = now_head->cids();
    if (std::find(cids.begin(), cids.end(), block.cid()) == cids.end()) {
      logger().warn("block {} at {} was accepted but is not the head (head {} at {})", block.cid().toString(), epoch,
                    now_head->key().toString(), now_head->height());
      ++null_rounds;
      sleepUntil(block.header.timestamp + net.block_delay_seconds);
    }
  }
}

}  // namespace fil::mining
