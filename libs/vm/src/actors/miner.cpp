#include "fil/vm/actors/miner.h"

#include <algorithm>
#include <set>

#include "actors/actors.h"
#include "fil/chain/network.h"
#include "fil/crypto/blake2b.h"
#include "fil/proofs/commp.h"
#include "fil/proofs/registered_proof.h"
#include "fil/store/amt.h"
#include "fil/store/hamt.h"
#include "fil/vm/actors/market.h"
#include "fil/vm/actors/power.h"
#include "fil/vm/actors/reward.h"
#include "fil/vm/state_tree.h"

namespace fil::vm::miner {

// ---------------------------------------------------------------------------
// Deadlines (builtin-actors deadline_info.rs and lib.rs)

DeadlineInfo newDeadlineInfo(const chain::NetworkParams& p, int64_t period_start, uint64_t index,
                             int64_t current_epoch) {
  DeadlineInfo d;
  d.current_epoch = current_epoch;
  d.period_start = period_start;
  d.index = index;
  if (index < p.wpost_period_deadlines) {
    d.open = period_start + static_cast<int64_t>(index) * p.wpost_challenge_window;
    d.close = d.open + p.wpost_challenge_window;
    d.challenge = d.open - p.wpost_challenge_lookback;
    d.fault_cutoff = d.open - p.fault_declaration_cutoff;
  } else {
    const int64_t after_last = period_start + p.wpost_proving_period;
    d.open = d.close = d.challenge = after_last;
    d.fault_cutoff = 0;
  }
  return d;
}

DeadlineInfo nextNotElapsed(const chain::NetworkParams& p, const DeadlineInfo& info) {
  if (!info.hasElapsed()) return info;
  const int64_t gap = info.current_epoch - info.close;
  const int64_t periods = 1 + gap / p.wpost_proving_period;
  return newDeadlineInfo(p, info.period_start + p.wpost_proving_period * periods, info.index, info.current_epoch);
}

DeadlineInfo currentDeadlineInfo(const chain::NetworkParams& p, const State& state, int64_t current_epoch) {
  // builtin-actors new_deadline_info_from_offset_and_epoch: the period
  // containing `current_epoch` (the miner's proving period start is only its
  // offset), so the answer is right even after epochs without the miner's
  // cron (before its first sector, or once it has nothing left to prove).
  const int64_t period = p.wpost_proving_period;
  const int64_t offset = ((state.proving_period_start % period) + period) % period;
  const int64_t into_period = ((current_epoch - offset) % period + period) % period;
  const int64_t period_start = current_epoch - into_period;
  const auto index = static_cast<uint64_t>(into_period / p.wpost_challenge_window);
  return newDeadlineInfo(p, period_start, index, current_epoch);
}

int64_t currentProvingPeriodStart(const chain::NetworkParams& p, const State& state, int64_t current_epoch) {
  return currentDeadlineInfo(p, state, current_epoch).period_start;
}

TokenAmount availableBalance(const State& state, const TokenAmount& actor_balance) {
  return actor_balance - state.pre_commit_deposits - state.locked_funds - state.initial_pledge - state.fee_debt;
}

namespace {

using proofs::RegisteredPoStProof;
using proofs::RegisteredSealProof;

constexpr int64_t kEpochsInDay = 2880;  // builtin-actors EPOCHS_IN_DAY (30-second epochs)
constexpr int64_t kPledgeProjectionDays = 20;
constexpr size_t kSectorDealsMax = 256;

const store::AmtOptions kSectorsAmt{kSectorsAmtBitWidth, store::AmtVersion::kV3};
const store::AmtOptions kCleanUpAmt{kPrecommitCleanUpAmtBitWidth, store::AmtVersion::kV3};
const store::AmtOptions kPartitionsAmt{kDeadlinePartitionsAmtBitWidth, store::AmtVersion::kV3};

// ---- policy ----

int64_t maxPreCommitRandomnessLookback(const chain::NetworkParams& p) { return p.wpost_proving_period + p.chain_finality; }
int64_t expiredPreCommitCleanUpDelay(const chain::NetworkParams& p) { return p.wpost_proving_period / 3; }
int64_t workerKeyChangeDelay(const chain::NetworkParams& p) { return p.chain_finality; }

bool canPreCommit(const chain::NetworkParams& p, int64_t seal_proof) {
  return std::any_of(p.supported_seal_proofs.begin(), p.supported_seal_proofs.end(),
                     [&](RegisteredSealProof s) { return static_cast<int64_t>(s) == seal_proof; });
}

Result<RegisteredPoStProof> windowPoStFor(int64_t seal_proof) {
  auto post = proofs::windowPoStProofFor(static_cast<RegisteredSealProof>(seal_proof));
  if (!post) return exitError(ExitCode::kErrIllegalArgument, fmt::format("unknown seal proof type {}", seal_proof));
  return post;
}

Status checkPoStProofType(const chain::NetworkParams& p, int64_t post_proof) {
  for (RegisteredSealProof s : p.supported_seal_proofs) {
    auto w = proofs::windowPoStProofFor(s);
    if (w && static_cast<int64_t>(*w) == post_proof) return ok();
  }
  return exitError(ExitCode::kErrIllegalArgument, fmt::format("proof type {} not allowed for new miner actors", post_proof));
}

PowerPair powerFor(uint64_t sector_size, uint64_t sectors) {
  const StoragePower p = StoragePower(sector_size) * sectors;
  return {p, p};  // no verified deals: quality-adjusted power equals raw power
}

// ---- money (docs/actors.md: a scaled-down builtin-actors model) ----

TokenAmount expectedRewardForPower(const FilterEstimate& reward, const FilterEstimate& network_qap,
                                   const StoragePower& qa, int64_t projection) {
  const BigInt network = estimateValue(network_qap);
  const BigInt epoch_reward = estimateValue(reward);
  if (network <= 0) return epoch_reward * projection;
  return epoch_reward * qa * projection / network;
}

// Pre-commit deposit and initial pledge: 20 days of the sector's expected
// reward, capped at builtin-actors' 1 FIL per 32 GiB.
TokenAmount sectorPledge(const FilterEstimate& reward, const FilterEstimate& network_qap, uint64_t sector_size) {
  const TokenAmount projected =
      expectedRewardForPower(reward, network_qap, sector_size, kPledgeProjectionDays * kEpochsInDay);
  const TokenAmount cap = primitives::kFilecoinPrecision * sector_size / (TokenAmount(32) << 30);
  return std::min(projected, cap);
}

// Charged for each faulty sector at its deadline's end: 3.51 days' worth
// of its pledge's 20 days.
TokenAmount faultFee(const SectorOnChainInfo& s) { return s.initial_pledge * 351 / 2000; }

// Early termination: the pledge prorated over the sector's age, up to 140
// days, and at least the fault fee.
TokenAmount terminationFee(const SectorOnChainInfo& s, int64_t now) {
  const int64_t cap = 140 * kEpochsInDay;
  const int64_t age = std::clamp<int64_t>(now - s.activation, 0, cap);
  return std::max(faultFee(s), TokenAmount(s.initial_pledge * age / cap));
}

// ---- shared checks and calls ----

Status checkPeerInfo(const Bytes& peer, const std::vector<Bytes>& addrs) {
  if (peer.size() > kMaxPeerIdLength) {
    return exitError(ExitCode::kErrIllegalArgument,
                     fmt::format("peer ID size of {} exceeds maximum size of {}", peer.size(), kMaxPeerIdLength));
  }
  size_t total = 0;
  for (const auto& a : addrs) {
    if (a.empty()) return exitError(ExitCode::kErrIllegalArgument, "invalid empty multiaddr");
    total += a.size();
  }
  if (total > kMaxMultiaddrData) {
    return exitError(ExitCode::kErrIllegalArgument,
                     fmt::format("multiaddr size of {} exceeds maximum of {}", total, kMaxMultiaddrData));
  }
  return ok();
}

Result<ActorId> resolveWorker(Runtime& rt, const Address& raw) {
  FIL_ASSIGN_OR_RETURN(auto id, rt.resolveAddress(raw));
  if (!id) return exitError(ExitCode::kErrIllegalArgument, fmt::format("unable to resolve address: {}", raw.toString()));
  FIL_ASSIGN_OR_RETURN(auto type, rt.actorType(*id));
  if (type != ActorType::kAccount) {
    return exitError(ExitCode::kErrIllegalArgument, fmt::format("worker actor type must be an account, was {}",
                                                                type ? actorTypeName(*type) : "none"));
  }
  // builtin-actors insists on a BLS worker (Lotus's VRF); ours is a
  // secp256k1 ECVRF, so both key kinds are accepted.
  FIL_ASSIGN_OR_RETURN(Address key, rt.resolveKeyAddress(Address::id(*id)));
  (void)key;
  return *id;
}

Result<std::vector<Address>> resolveControls(Runtime& rt, const std::vector<Address>& raw) {
  if (raw.size() > kMaxControlAddresses) {
    return exitError(ExitCode::kErrIllegalArgument, fmt::format("control addresses length {} exceeds max control addresses length {}",
                                                                raw.size(), kMaxControlAddresses));
  }
  std::vector<Address> out;
  for (const auto& a : raw) {
    FIL_ASSIGN_OR_RETURN(auto id, rt.resolveAddress(a));
    if (!id) return exitError(ExitCode::kErrIllegalArgument, fmt::format("unable to resolve control address: {}", a.toString()));
    out.push_back(Address::id(*id));
  }
  return out;
}

Result<MinerInfo> getInfo(Runtime& rt, const State& st) {
  return withExitCode(store::getCbor<MinerInfo>(rt.store(), st.info), ExitCode::kErrIllegalState, "could not read miner info");
}

Status saveInfo(Runtime& rt, State& st, const MinerInfo& info) {
  FIL_ASSIGN_OR_RETURN(st.info, store::putCbor(rt.store(), info));
  return ok();
}

std::vector<ActorId> controllingIds(const MinerInfo& info) {
  std::vector<ActorId> ids;
  for (const auto& a : info.control_addresses) ids.push_back(*a.idValue());
  ids.push_back(*info.worker.idValue());
  ids.push_back(*info.owner.idValue());
  return ids;
}

Status validateControlCaller(Runtime& rt, const MinerInfo& info) { return rt.validateCallerIs(controllingIds(info)); }

TokenAmount unlockedBalance(const State& st, const TokenAmount& balance) {
  return balance - st.pre_commit_deposits - st.locked_funds - st.initial_pledge;
}

// Pays the whole fee debt from unlocked funds or fails (builtin-actors
// repay_debts_or_abort); returns what to burn.
Result<TokenAmount> repayDebtsOrAbort(Runtime& rt, State& st) {
  FIL_ASSIGN_OR_RETURN(TokenAmount balance, rt.currentBalance());
  const TokenAmount unlocked = unlockedBalance(st, balance);
  if (unlocked < st.fee_debt) {
    return exitError(ExitCode::kErrInsufficientFunds,
                     fmt::format("unlocked balance {} can not repay fee debt {}", unlocked.str(), st.fee_debt.str()));
  }
  TokenAmount burn = st.fee_debt;
  st.fee_debt = 0;
  return burn;
}

// Adds a penalty to the fee debt and repays what unlocked funds allow;
// returns what to burn now.
TokenAmount applyPenalty(State& st, const TokenAmount& balance, const TokenAmount& penalty) {
  st.fee_debt += penalty;
  const TokenAmount unlocked = std::max<TokenAmount>(unlockedBalance(st, balance), 0);
  const TokenAmount repaid = std::min(unlocked, st.fee_debt);
  st.fee_debt -= repaid;
  return repaid;
}

Status burn(Runtime& rt, const TokenAmount& amount) {
  if (amount <= 0) return ok();
  return rt.send(burntFundsActorAddress(), kMethodSend, {}, amount).map([](Bytes) {});
}

Status requestUpdatePower(Runtime& rt, const PowerPair& delta) {
  if (delta.isZero()) return ok();
  return rt.sendCbor(powerActorAddress(), power::kUpdateClaimedPower, power::UpdateClaimedPowerParams{delta.raw, delta.qa}, 0)
      .map([](Bytes) {})
      .map_error([](Error e) { return std::move(e).withContext("failed to update power"); });
}

Status notifyPledgeChanged(Runtime& rt, const TokenAmount& delta) {
  if (delta == 0) return ok();
  return rt.sendCbor(powerActorAddress(), power::kUpdatePledgeTotal, delta, 0).map([](Bytes) {});
}

Status enrollCron(Runtime& rt, int64_t epoch, int64_t event_type) {
  power::EnrollCronEventParams params{epoch, codec::encode(CronEventPayload{event_type})};
  return rt.sendCbor(powerActorAddress(), power::kEnrollCronEvent, params, 0).map([](Bytes) {});
}

Result<reward::ThisEpochRewardReturn> requestReward(Runtime& rt) {
  FIL_ASSIGN_OR_RETURN(Bytes raw, rt.send(rewardActorAddress(), reward::kThisEpochReward, {}, 0));
  return decodeReturn<reward::ThisEpochRewardReturn>(raw);
}

Result<power::CurrentTotalPowerReturn> requestTotalPower(Runtime& rt) {
  FIL_ASSIGN_OR_RETURN(Bytes raw, rt.send(powerActorAddress(), power::kCurrentTotalPower, {}, 0));
  return decodeReturn<power::CurrentTotalPowerReturn>(raw);
}

Bytes receiverEntropy(Runtime& rt) { return codec::encode(rt.receiver()); }

// ---- state pieces ----

Result<cid::Cid> emptyAmt(store::Blockstore& store, unsigned bit_width) {
  return store::Amt(store, {bit_width, store::AmtVersion::kV3}).flush();
}

Result<Deadline> emptyDeadline(store::Blockstore& store) {
  Deadline d;
  FIL_ASSIGN_OR_RETURN(d.partitions, emptyAmt(store, kDeadlinePartitionsAmtBitWidth));
  FIL_ASSIGN_OR_RETURN(d.expirations_epochs, emptyAmt(store, kDeadlineExpirationAmtBitWidth));
  FIL_ASSIGN_OR_RETURN(d.optimistic_post_submissions, emptyAmt(store, kDeadlineOptimisticPoStSubmissionsAmtBitWidth));
  FIL_ASSIGN_OR_RETURN(d.sectors_snapshot, emptyAmt(store, kSectorsAmtBitWidth));
  d.partitions_snapshot = d.partitions;
  d.optimistic_post_submissions_snapshot = d.optimistic_post_submissions;
  return d;
}

Result<Partition> emptyPartition(store::Blockstore& store) {
  Partition p;
  FIL_ASSIGN_OR_RETURN(p.expirations_epochs, emptyAmt(store, kPartitionExpirationAmtBitWidth));
  FIL_ASSIGN_OR_RETURN(p.early_terminated, emptyAmt(store, kPartitionEarlyTerminationArrayAmtBitWidth));
  return p;
}

// The deadlines of a miner, loaded for one method and written back by save().
class DeadlineSet {
 public:
  static Result<DeadlineSet> load(store::Blockstore& store, const State& st) {
    FIL_ASSIGN_OR_RETURN(auto ds, store::getCbor<Deadlines>(store, st.deadlines));
    return DeadlineSet(store, std::move(ds));
  }
  size_t size() const { return due_.due.size(); }
  Result<Deadline> deadline(uint64_t index) {
    if (index >= due_.due.size()) {
      return exitError(ExitCode::kErrIllegalArgument, fmt::format("invalid deadline {}", index));
    }
    return store::getCbor<Deadline>(store_, due_.due[index]);
  }
  Status setDeadline(uint64_t index, const Deadline& d) {
    FIL_ASSIGN_OR_RETURN(due_.due.at(index), store::putCbor(store_, d));
    return ok();
  }
  Status save(State& st) {
    FIL_ASSIGN_OR_RETURN(st.deadlines, store::putCbor(store_, due_));
    return ok();
  }

 private:
  DeadlineSet(store::Blockstore& store, Deadlines due) : store_(store), due_(std::move(due)) {}
  store::Blockstore& store_;
  Deadlines due_;
};

Result<std::vector<Partition>> partitionsOf(store::Blockstore& store, const Deadline& d) {
  FIL_ASSIGN_OR_RETURN(auto amt, store::Amt::load(store, d.partitions, kPartitionsAmt));
  std::vector<Partition> out;
  FIL_TRY(amt.forEach([&](uint64_t i, BytesView v) -> Status {
    if (i != out.size()) return fail(VmError::kInvalidState, "partitions are not contiguous");
    FIL_ASSIGN_OR_RETURN(auto p, codec::decode<Partition>(v));
    out.push_back(std::move(p));
    return ok();
  }));
  return out;
}

Status savePartitions(store::Blockstore& store, Deadline& d, const std::vector<Partition>& parts) {
  store::Amt amt(store, kPartitionsAmt);
  for (size_t i = 0; i < parts.size(); ++i) FIL_TRY(amt.setCbor(i, parts[i]));
  FIL_ASSIGN_OR_RETURN(d.partitions, amt.flush());
  // Faulty power and live counts follow the partitions.
  d.faulty_power = {};
  d.live_sectors = 0;
  for (const auto& p : parts) {
    d.faulty_power += p.faulty_power;
    d.live_sectors += p.liveSectors().count();
  }
  return ok();
}

uint64_t countOf(const BitField& b) { return b.count(); }

// Recomputes a partition's power fields from its bitfields.
void refreshPower(Partition& p, uint64_t sector_size) {
  p.live_power = powerFor(sector_size, countOf(p.liveSectors()));
  p.unproven_power = powerFor(sector_size, countOf(p.unproven));
  p.faulty_power = powerFor(sector_size, countOf(p.faults));
  p.recovering_power = powerFor(sector_size, countOf(p.recoveries));
}

class SectorTable {
 public:
  static Result<SectorTable> load(store::Blockstore& store, const State& st) {
    FIL_ASSIGN_OR_RETURN(auto amt, store::Amt::load(store, st.sectors, kSectorsAmt));
    return SectorTable(std::move(amt));
  }
  Result<SectorOnChainInfo> get(SectorNumber n) {
    FIL_ASSIGN_OR_RETURN(auto s, amt_.getCbor<SectorOnChainInfo>(n));
    if (!s) return exitError(ExitCode::kErrNotFound, fmt::format("sector {} not found", n));
    return *s;
  }
  Result<std::vector<SectorOnChainInfo>> get(const BitField& numbers) {
    std::vector<SectorOnChainInfo> out;
    FIL_ASSIGN_OR_RETURN(auto ns, numbers.indexes(kAddressedSectorsMax));
    for (SectorNumber n : ns) {
      FIL_ASSIGN_OR_RETURN(auto s, get(n));
      out.push_back(std::move(s));
    }
    return out;
  }
  Status put(const SectorOnChainInfo& s) { return amt_.setCbor(s.sector_number, s); }
  Status remove(SectorNumber n) { return amt_.remove(n).map([](bool) {}); }
  Status save(State& st) {
    FIL_ASSIGN_OR_RETURN(st.sectors, amt_.flush());
    return ok();
  }

 private:
  explicit SectorTable(store::Amt amt) : amt_(std::move(amt)) {}
  store::Amt amt_;
};

// Groups declarations by deadline and partition, checking limits.
Result<std::map<uint64_t, std::map<uint64_t, BitField>>> groupDeclarations(const chain::NetworkParams& p,
                                                                           const std::vector<SectorDeclaration>& decls) {
  if (decls.size() > kDeclarationsMax) {
    return exitError(ExitCode::kErrIllegalArgument,
                     fmt::format("too many declarations: {} > {}", decls.size(), kDeclarationsMax));
  }
  std::map<uint64_t, std::map<uint64_t, BitField>> out;
  uint64_t total = 0;
  for (const auto& d : decls) {
    if (d.deadline >= p.wpost_period_deadlines) {
      return exitError(ExitCode::kErrIllegalArgument,
                       fmt::format("invalid deadline {}, must be < {}", d.deadline, p.wpost_period_deadlines));
    }
    BitField& b = out[d.deadline][d.partition];
    b = b.unite(d.sectors);
    total += d.sectors.count();
    if (total > kAddressedSectorsMax) {
      return exitError(ExitCode::kErrIllegalArgument, fmt::format("too many sectors addressed, max {}", kAddressedSectorsMax));
    }
  }
  return out;
}

bool deadlineIsMutable(const chain::NetworkParams& p, int64_t period_start, uint64_t index, int64_t now) {
  const DeadlineInfo d = nextNotElapsed(p, newDeadlineInfo(p, period_start, index, now));
  return !d.isOpen() && now < d.open - p.wpost_challenge_window;
}

// ---------------------------------------------------------------------------
// Methods

Result<Bytes> constructor(Runtime& rt, const ConstructorParams& params) {
  FIL_TRY(rt.validateCallerIs({kInitActorId}));
  const auto& net = rt.network();
  FIL_TRY(checkPeerInfo(params.peer_id, params.multiaddrs));
  FIL_TRY(checkPoStProofType(net, params.window_post_proof_type));
  FIL_ASSIGN_OR_RETURN(auto owner, rt.resolveAddress(params.owner));
  if (!owner) {
    return exitError(ExitCode::kErrIllegalArgument, fmt::format("unable to resolve owner address: {}", params.owner.toString()));
  }
  FIL_ASSIGN_OR_RETURN(ActorId worker, resolveWorker(rt, params.worker));
  FIL_ASSIGN_OR_RETURN(auto controls, resolveControls(rt, params.control_addresses));

  const int64_t now = rt.epoch();
  // assign_proving_period_offset: blake2b(CBOR(address) || BE(epoch)) mod period.
  Bytes seed = codec::encode(rt.receiver());
  putU64BE(seed, static_cast<uint64_t>(now));
  FIL_TRY(rt.chargeGas(PriceList::current().onHashing(seed.size())));
  const auto digest = crypto::blake2b256(seed);
  uint64_t offset = 0;
  for (int i = 0; i < 8; ++i) offset = (offset << 8) | digest[i];
  offset %= static_cast<uint64_t>(net.wpost_proving_period);
  const int64_t modulus = now % net.wpost_proving_period;
  const int64_t progress = modulus >= static_cast<int64_t>(offset)
                               ? modulus - static_cast<int64_t>(offset)
                               : net.wpost_proving_period - (static_cast<int64_t>(offset) - modulus);
  const int64_t period_start = now - progress;
  const uint64_t deadline_index = static_cast<uint64_t>((now - period_start) / net.wpost_challenge_window);

  const auto post = static_cast<RegisteredPoStProof>(params.window_post_proof_type);
  FIL_ASSIGN_OR_RETURN(auto post_info, withExitCode(proofs::postProofInfo(post), ExitCode::kErrIllegalArgument, "proof type"));
  MinerInfo info;
  info.owner = Address::id(*owner);
  info.worker = Address::id(worker);
  info.control_addresses = std::move(controls);
  info.peer_id = params.peer_id;
  info.multiaddrs = params.multiaddrs;
  info.window_post_proof_type = params.window_post_proof_type;
  info.sector_size = post_info.sector_size;
  info.window_post_partition_sectors = post_info.sector_count;
  info.beneficiary = info.owner;

  store::Blockstore& store = rt.store();
  State st;
  FIL_ASSIGN_OR_RETURN(st.info, store::putCbor(store, info));
  FIL_ASSIGN_OR_RETURN(st.vesting_funds, store::putCbor(store, VestingFunds{}));
  FIL_ASSIGN_OR_RETURN(st.pre_committed_sectors, store::Hamt(store).flush());
  FIL_ASSIGN_OR_RETURN(st.pre_committed_sectors_clean_up, emptyAmt(store, kPrecommitCleanUpAmtBitWidth));
  FIL_ASSIGN_OR_RETURN(st.allocated_sectors, store::putCbor(store, BitField{}));
  FIL_ASSIGN_OR_RETURN(st.sectors, emptyAmt(store, kSectorsAmtBitWidth));
  FIL_ASSIGN_OR_RETURN(Deadline empty, emptyDeadline(store));
  FIL_ASSIGN_OR_RETURN(cid::Cid empty_cid, store::putCbor(store, empty));
  FIL_ASSIGN_OR_RETURN(st.deadlines, store::putCbor(store, Deadlines{std::vector<cid::Cid>(net.wpost_period_deadlines, empty_cid)}));
  st.proving_period_start = period_start;
  st.current_deadline = deadline_index;
  FIL_TRY(rt.saveState(st));
  return Bytes{};
}

Result<Bytes> changeWorkerAddress(Runtime& rt, const ChangeWorkerAddressParams& params) {
  FIL_ASSIGN_OR_RETURN(auto controls, resolveControls(rt, params.new_control_addresses));
  FIL_ASSIGN_OR_RETURN(ActorId new_worker, resolveWorker(rt, params.new_worker));
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  FIL_ASSIGN_OR_RETURN(MinerInfo info, getInfo(rt, st));
  FIL_TRY(rt.validateCallerIs({*info.owner.idValue()}));
  info.control_addresses = std::move(controls);
  if (Address::id(new_worker) != info.worker && !info.pending_worker_key) {
    info.pending_worker_key = WorkerKeyChange{Address::id(new_worker), rt.epoch() + workerKeyChangeDelay(rt.network())};
  }
  FIL_TRY(saveInfo(rt, st, info));
  FIL_TRY(rt.saveState(st));
  return Bytes{};
}

// Makes a pending worker change effective once its epoch has come.
void processPendingWorker(MinerInfo& info, int64_t now) {
  if (!info.pending_worker_key || now < info.pending_worker_key->effective_at) return;
  info.worker = info.pending_worker_key->new_worker;
  info.pending_worker_key.reset();
}

Result<Bytes> confirmChangeWorkerAddress(Runtime& rt) {
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  FIL_ASSIGN_OR_RETURN(MinerInfo info, getInfo(rt, st));
  FIL_TRY(rt.validateCallerIs({*info.owner.idValue()}));
  processPendingWorker(info, rt.epoch());
  FIL_TRY(saveInfo(rt, st, info));
  FIL_TRY(rt.saveState(st));
  return Bytes{};
}

Result<Bytes> changeOwnerAddress(Runtime& rt, const Address& new_owner) {
  if (!new_owner.isId()) return exitError(ExitCode::kErrIllegalArgument, "owner address must be an ID address");
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  FIL_ASSIGN_OR_RETURN(MinerInfo info, getInfo(rt, st));
  if (rt.caller() == info.owner || !info.pending_owner_address) {
    FIL_TRY(rt.validateCallerIs({*info.owner.idValue()}));
    info.pending_owner_address = new_owner;
  } else {
    FIL_TRY(rt.validateCallerIs({*info.pending_owner_address->idValue()}));
    if (new_owner != *info.pending_owner_address) {
      return exitError(ExitCode::kErrIllegalArgument, fmt::format("expected confirmation of {} got {}",
                                                                  info.pending_owner_address->toString(), new_owner.toString()));
    }
    if (info.beneficiary == info.owner) info.beneficiary = *info.pending_owner_address;
    info.pending_beneficiary_term.reset();
    info.owner = *info.pending_owner_address;
  }
  if (info.pending_owner_address == info.owner) info.pending_owner_address.reset();
  FIL_TRY(saveInfo(rt, st, info));
  FIL_TRY(rt.saveState(st));
  return Bytes{};
}

template <typename F>
Result<Bytes> updateInfo(Runtime& rt, F&& change) {
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  FIL_ASSIGN_OR_RETURN(MinerInfo info, getInfo(rt, st));
  FIL_TRY(validateControlCaller(rt, info));
  change(info);
  FIL_TRY(saveInfo(rt, st, info));
  FIL_TRY(rt.saveState(st));
  return Bytes{};
}

Result<Bytes> changePeerId(Runtime& rt, const ChangePeerIdParams& params) {
  FIL_TRY(checkPeerInfo(params.new_id, {}));
  return updateInfo(rt, [&](MinerInfo& info) { info.peer_id = params.new_id; });
}

Result<Bytes> changeMultiaddrs(Runtime& rt, const ChangeMultiaddrsParams& params) {
  FIL_TRY(checkPeerInfo({}, params.new_multiaddrs));
  return updateInfo(rt, [&](MinerInfo& info) { info.multiaddrs = params.new_multiaddrs; });
}

// ---- pre-commit ----

Status validateExpiration(const chain::NetworkParams& net, int64_t now, int64_t activation, int64_t expiration) {
  if (expiration <= activation) {
    return exitError(ExitCode::kErrIllegalArgument,
                     fmt::format("sector expiration {} must be after activation {}", expiration, activation));
  }
  if (expiration - activation < net.min_sector_expiration) {
    return exitError(ExitCode::kErrIllegalArgument,
                     fmt::format("invalid expiration {}, total sector lifetime ({}) must exceed {} after activation {}",
                                 expiration, expiration - activation, net.min_sector_expiration, activation));
  }
  if (expiration > now + net.max_sector_expiration_extension) {
    return exitError(ExitCode::kErrIllegalArgument,
                     fmt::format("invalid expiration {}, cannot be more than {} past current epoch {}", expiration,
                                 net.max_sector_expiration_extension, now));
  }
  return ok();
}

// `given_commd`: whether the caller stated each sector's unsealed CID
// (PreCommitSectorBatch2) or left it to the market (the older methods).
Result<Bytes> preCommitBatch(Runtime& rt, std::vector<SectorPreCommitInfo> sectors, bool given_commd) {
  const auto& net = rt.network();
  const int64_t now = rt.epoch();
  if (sectors.empty()) return exitError(ExitCode::kErrIllegalArgument, "batch empty");
  if (sectors.size() > kPreCommitSectorBatchMaxSize) {
    return exitError(ExitCode::kErrIllegalArgument,
                     fmt::format("batch of {} too large, max {}", sectors.size(), kPreCommitSectorBatchMaxSize));
  }
  std::set<SectorNumber> numbers;
  market::VerifyDealsForActivationParams verify;
  bool any_deals = false;
  for (const auto& pc : sectors) {
    if (!numbers.insert(pc.sector_number).second) {
      return exitError(ExitCode::kErrIllegalArgument, fmt::format("duplicate sector number {}", pc.sector_number));
    }
    if (!canPreCommit(net, pc.seal_proof)) {
      return exitError(ExitCode::kErrIllegalArgument, fmt::format("unsupported seal proof type {}", pc.seal_proof));
    }
    if (pc.sector_number > kMaxSectorNumber) {
      return exitError(ExitCode::kErrIllegalArgument, fmt::format("sector number {} out of range 0..(2^63-1)", pc.sector_number));
    }
    if (!proofs::commitmentFromSealedCid(pc.sealed_cid)) {
      return exitError(ExitCode::kErrIllegalArgument, "sealed CID had wrong prefix");
    }
    if (pc.seal_rand_epoch >= now) {
      return exitError(ExitCode::kErrIllegalArgument,
                       fmt::format("seal challenge epoch {} must be before now {}", pc.seal_rand_epoch, now));
    }
    if (pc.seal_rand_epoch < now - maxPreCommitRandomnessLookback(net)) {
      return exitError(ExitCode::kErrIllegalArgument,
                       fmt::format("seal challenge epoch {} too old, must be after {}", pc.seal_rand_epoch,
                                   now - maxPreCommitRandomnessLookback(net)));
    }
    if (pc.unsealed_cid && !proofs::commitmentFromPieceCid(*pc.unsealed_cid)) {
      return exitError(ExitCode::kErrIllegalArgument, "unsealed CID had wrong prefix");
    }
    FIL_TRY(validateExpiration(net, now, now + net.max_prove_commit_duration, pc.expiration));
    if (pc.deal_ids.size() > kSectorDealsMax) {
      return exitError(ExitCode::kErrIllegalArgument,
                       fmt::format("too many deals for sector {} > {}", pc.deal_ids.size(), kSectorDealsMax));
    }
    any_deals = any_deals || !pc.deal_ids.empty();
    verify.sectors.push_back({pc.seal_proof, pc.expiration, pc.deal_ids});
  }
  FIL_ASSIGN_OR_RETURN(auto this_reward, requestReward(rt));
  FIL_ASSIGN_OR_RETURN(auto total_power, requestTotalPower(rt));
  market::VerifyDealsForActivationReturn verified;
  if (any_deals) {
    FIL_ASSIGN_OR_RETURN(Bytes raw, rt.sendCbor(marketActorAddress(), market::kVerifyDealsForActivation, verify, 0));
    FIL_ASSIGN_OR_RETURN(verified, decodeReturn<market::VerifyDealsForActivationReturn>(raw));
  } else {
    verified.unsealed_cids.resize(sectors.size());
  }
  if (verified.unsealed_cids.size() != sectors.size()) {
    return exitError(ExitCode::kErrIllegalState, "deal verification returned the wrong number of sectors");
  }

  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  FIL_ASSIGN_OR_RETURN(TokenAmount balance, rt.currentBalance());
  const TokenAmount available = availableBalance(st, balance);
  FIL_ASSIGN_OR_RETURN(TokenAmount fee_to_burn, repayDebtsOrAbort(rt, st));
  FIL_ASSIGN_OR_RETURN(MinerInfo info, getInfo(rt, st));
  FIL_TRY(validateControlCaller(rt, info));

  store::Blockstore& store = rt.store();
  FIL_ASSIGN_OR_RETURN(auto precommits, store::Hamt::load(store, st.pre_committed_sectors));
  FIL_ASSIGN_OR_RETURN(BitField allocated, store::getCbor<BitField>(store, st.allocated_sectors));
  FIL_ASSIGN_OR_RETURN(auto cleanups, store::Amt::load(store, st.pre_committed_sectors_clean_up, kCleanUpAmt));
  const TokenAmount deposit = sectorPledge(this_reward.this_epoch_reward_smoothed,
                                           total_power.quality_adj_power_smoothed, info.sector_size);
  TokenAmount total_deposit = 0;
  const int64_t clean_up_epoch = now + net.max_prove_commit_duration + expiredPreCommitCleanUpDelay(net);
  for (size_t i = 0; i < sectors.size(); ++i) {
    SectorPreCommitInfo& pc = sectors[i];
    FIL_ASSIGN_OR_RETURN(auto post, windowPoStFor(pc.seal_proof));
    if (static_cast<int64_t>(post) != info.window_post_proof_type) {
      return exitError(ExitCode::kErrIllegalArgument,
                       fmt::format("sector Window PoSt proof type {} must match miner Window PoSt proof type {} (seal proof type {})",
                                   static_cast<int64_t>(post), info.window_post_proof_type, pc.seal_proof));
    }
    const auto& computed = verified.unsealed_cids[i];
    if (!given_commd) {
      pc.unsealed_cid = computed;
    } else if (pc.unsealed_cid != computed) {
      return exitError(ExitCode::kErrIllegalArgument,
                       fmt::format("computed {} and passed {} CommDs not equal",
                                   computed ? computed->toString() : "none",
                                   pc.unsealed_cid ? pc.unsealed_cid->toString() : "none"));
    }
    if (allocated.has(pc.sector_number)) {
      return exitError(ExitCode::kErrIllegalArgument, fmt::format("sector number {} has already been allocated", pc.sector_number));
    }
    allocated.set(pc.sector_number);
    SectorPreCommitOnChainInfo on_chain{pc, deposit, now};
    FIL_ASSIGN_OR_RETURN(bool fresh, precommits.setIfAbsent(uintKey(pc.sector_number), codec::encode(on_chain)));
    if (!fresh) {
      return exitError(ExitCode::kErrIllegalArgument, fmt::format("sector {} already pre-committed", pc.sector_number));
    }
    total_deposit += deposit;
  }
  if (available < total_deposit) {
    return exitError(ExitCode::kErrInsufficientFunds,
                     fmt::format("insufficient funds {} for pre-commit deposit: {}", available.str(), total_deposit.str()));
  }
  // Pre-commits not proven in time are cleaned up (their deposit burnt).
  FIL_ASSIGN_OR_RETURN(auto queued, cleanups.getCbor<BitField>(static_cast<uint64_t>(clean_up_epoch)));
  BitField due = queued ? *queued : BitField{};
  for (const auto& pc : sectors) due.set(pc.sector_number);
  FIL_TRY(cleanups.setCbor(static_cast<uint64_t>(clean_up_epoch), due));

  st.pre_commit_deposits += total_deposit;
  FIL_ASSIGN_OR_RETURN(st.pre_committed_sectors, precommits.flush());
  FIL_ASSIGN_OR_RETURN(st.allocated_sectors, store::putCbor(store, allocated));
  FIL_ASSIGN_OR_RETURN(st.pre_committed_sectors_clean_up, cleanups.flush());
  const bool needs_cron = !st.deadline_cron_active;
  st.deadline_cron_active = true;
  FIL_TRY(rt.saveState(st));
  FIL_TRY(burn(rt, fee_to_burn));
  if (needs_cron) FIL_TRY(enrollCron(rt, currentDeadlineInfo(net, st, now).last(), kCronEventProvingDeadline));
  return Bytes{};
}

// ---- prove-commit and activation ----

// Puts new sectors into the least-full mutable deadlines, filling the last
// partition of a deadline before opening another.
Status assignSectorsToDeadlines(Runtime& rt, State& st, const MinerInfo& info, const std::vector<SectorNumber>& numbers) {
  const auto& net = rt.network();
  const int64_t now = rt.epoch();
  store::Blockstore& store = rt.store();
  FIL_ASSIGN_OR_RETURN(auto deadlines, DeadlineSet::load(store, st));
  const int64_t period_start = currentProvingPeriodStart(net, st, now);
  for (SectorNumber n : numbers) {
    std::optional<uint64_t> best;
    uint64_t best_live = 0;
    for (uint64_t i = 0; i < deadlines.size(); ++i) {
      if (!deadlineIsMutable(net, period_start, i, now)) continue;
      FIL_ASSIGN_OR_RETURN(Deadline d, deadlines.deadline(i));
      if (!best || d.live_sectors < best_live) {
        best = i;
        best_live = d.live_sectors;
      }
    }
    if (!best) return exitError(ExitCode::kErrIllegalState, "no deadline can take new sectors now");
    FIL_ASSIGN_OR_RETURN(Deadline d, deadlines.deadline(*best));
    FIL_ASSIGN_OR_RETURN(auto parts, partitionsOf(store, d));
    if (parts.empty() || parts.back().sectors.count() >= info.window_post_partition_sectors) {
      FIL_ASSIGN_OR_RETURN(Partition p, emptyPartition(store));
      parts.push_back(std::move(p));
    }
    Partition& p = parts.back();
    p.sectors.set(n);
    p.unproven.set(n);  // power comes with the first WindowPoSt that proves it
    refreshPower(p, info.sector_size);
    d.total_sectors += 1;
    FIL_TRY(savePartitions(store, d, parts));
    FIL_TRY(deadlines.setDeadline(*best, d));
  }
  return deadlines.save(st);
}

// Activates a proven pre-commit: its deals (whose pieces must add up to the
// pre-committed CommD), the sector record in a deadline, the pledge.
Status activateSector(Runtime& rt, const SectorPreCommitOnChainInfo& pc) {
  const auto& net = rt.network();
  const int64_t now = rt.epoch();
  const SectorNumber number = pc.info.sector_number;
  // The space the deals occupy (their weight; without verified deals it
  // does not change the sector's power).
  BigInt deal_space = 0;
  if (!pc.info.deal_ids.empty()) {
    market::BatchActivateDealsParams activate{{{pc.info.seal_proof, pc.info.expiration, pc.info.deal_ids}}, true};
    FIL_ASSIGN_OR_RETURN(Bytes raw, rt.sendCbor(marketActorAddress(), market::kBatchActivateDeals, activate, 0));
    FIL_ASSIGN_OR_RETURN(auto result, decodeReturn<market::BatchActivateDealsResult>(raw));
    if (result.activation_results.success_count != 1 || result.activations.size() != 1) {
      const auto code = result.activation_results.fail_codes.empty()
                            ? ExitCode::kErrIllegalState
                            : static_cast<ExitCode>(result.activation_results.fail_codes[0].code);
      return exitError(code, fmt::format("failed to activate the deals of sector {}", number));
    }
    if (result.activations[0].unsealed_cid != pc.info.unsealed_cid) {
      return exitError(ExitCode::kErrIllegalArgument,
                       fmt::format("the deals of sector {} do not add up to its pre-committed CommD", number));
    }
    deal_space = result.activations[0].nonverified_deal_space;
  }
  FIL_ASSIGN_OR_RETURN(auto this_reward, requestReward(rt));
  FIL_ASSIGN_OR_RETURN(auto total_power, requestTotalPower(rt));
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  FIL_ASSIGN_OR_RETURN(MinerInfo info, getInfo(rt, st));
  const int64_t duration = pc.info.expiration - now;
  if (duration < net.min_sector_expiration) {
    return exitError(ExitCode::kErrIllegalArgument, fmt::format("sector {} lifetime {} is less than the minimum {}",
                                                                number, duration, net.min_sector_expiration));
  }
  SectorOnChainInfo sector;
  sector.sector_number = number;
  sector.seal_proof = pc.info.seal_proof;
  sector.sealed_cid = pc.info.sealed_cid;
  sector.deal_ids = pc.info.deal_ids;
  sector.activation = now;
  sector.expiration = pc.info.expiration;
  sector.deal_weight = deal_space * duration;
  sector.initial_pledge = sectorPledge(this_reward.this_epoch_reward_smoothed, total_power.quality_adj_power_smoothed,
                                       info.sector_size);
  sector.expected_day_reward = expectedRewardForPower(this_reward.this_epoch_reward_smoothed,
                                                      total_power.quality_adj_power_smoothed, info.sector_size, kEpochsInDay);
  sector.expected_storage_pledge = sector.initial_pledge;
  sector.power_base_epoch = now;
  sector.flags = kSectorFlagSimpleQaPower;

  FIL_ASSIGN_OR_RETURN(auto table, SectorTable::load(rt.store(), st));
  FIL_TRY(table.put(sector));
  FIL_TRY(table.save(st));
  FIL_ASSIGN_OR_RETURN(auto precommits, store::Hamt::load(rt.store(), st.pre_committed_sectors));
  FIL_TRY(precommits.remove(uintKey(number)));
  FIL_ASSIGN_OR_RETURN(st.pre_committed_sectors, precommits.flush());
  FIL_TRY(assignSectorsToDeadlines(rt, st, info, {number}));
  st.pre_commit_deposits -= pc.pre_commit_deposit;
  FIL_ASSIGN_OR_RETURN(TokenAmount balance, rt.currentBalance());
  if (unlockedBalance(st, balance) < sector.initial_pledge) {
    return exitError(ExitCode::kErrInsufficientFunds,
                     fmt::format("insufficient funds for initial pledge requirement {}, available: {}",
                                 sector.initial_pledge.str(), unlockedBalance(st, balance).str()));
  }
  st.initial_pledge += sector.initial_pledge;
  FIL_TRY(rt.saveState(st));
  return notifyPledgeChanged(rt, sector.initial_pledge);
}

Result<Bytes> proveCommitSector(Runtime& rt, const ProveCommitSectorParams& params) {
  const auto& net = rt.network();
  const int64_t now = rt.epoch();
  if (params.sector_number > kMaxSectorNumber) {
    return exitError(ExitCode::kErrIllegalArgument, "sector number greater than maximum");
  }
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  FIL_ASSIGN_OR_RETURN(auto pc, loadPreCommit(rt.store(), st, params.sector_number));
  if (!pc) return exitError(ExitCode::kErrNotFound, fmt::format("no pre-committed sector {}", params.sector_number));
  const int64_t due = pc->pre_commit_epoch + net.max_prove_commit_duration;
  if (now > due) {
    return exitError(ExitCode::kErrIllegalArgument,
                     fmt::format("too late to prove sector {}: due at {}, now {}", params.sector_number, due, now));
  }
  const int64_t interactive_epoch = pc->pre_commit_epoch + net.pre_commit_challenge_delay;
  if (now <= interactive_epoch) {
    return exitError(ExitCode::kErrForbidden,
                     fmt::format("too early to prove sector {}: the seed is drawn at {}, now {}", params.sector_number,
                                 interactive_epoch, now));
  }
  const Bytes entropy = receiverEntropy(rt);
  FIL_ASSIGN_OR_RETURN(auto ticket, rt.randomnessFromTickets(DomainSeparationTag::kSealRandomness,
                                                             pc->info.seal_rand_epoch, entropy));
  FIL_ASSIGN_OR_RETURN(auto seed, rt.randomnessFromBeacon(DomainSeparationTag::kInteractiveSealChallengeSeed,
                                                          interactive_epoch, entropy));
  const auto seal_proof = static_cast<RegisteredSealProof>(pc->info.seal_proof);
  FIL_ASSIGN_OR_RETURN(auto seal_info, withExitCode(proofs::sealProofInfo(seal_proof), ExitCode::kErrIllegalState, "seal proof"));
  proofs::SealVerifyInfo svi;
  svi.proof = seal_proof;
  svi.prover_id = proofs::proverIdFromActorId(rt.receiverId());
  svi.sector = params.sector_number;
  svi.ticket = ticket;
  svi.seed = seed;
  FIL_ASSIGN_OR_RETURN(svi.comm_r, withExitCode(proofs::commitmentFromSealedCid(pc->info.sealed_cid),
                                                ExitCode::kErrIllegalState, "sealed CID"));
  if (pc->info.unsealed_cid) {
    FIL_ASSIGN_OR_RETURN(svi.comm_d, withExitCode(proofs::commitmentFromPieceCid(*pc->info.unsealed_cid),
                                                  ExitCode::kErrIllegalState, "unsealed CID"));
  } else {
    svi.comm_d = proofs::zeroPieceCommitment(seal_info.sector_size);
  }
  FIL_TRY(rt.verifySeal(svi, params.proof));
  FIL_TRY(activateSector(rt, *pc));
  return Bytes{};
}

// Called by the power actor once proofs are verified in bulk; here only at
// genesis, for pre-sealed sectors (as Lotus's genesis does), since
// ProveCommitSector verifies and activates at once.
Result<Bytes> confirmSectorProofsValid(Runtime& rt, const ConfirmSectorProofsParams& params) {
  FIL_TRY(rt.validateCallerIs({kPowerActorId}));
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  for (SectorNumber n : params.sectors) {
    FIL_ASSIGN_OR_RETURN(auto pc, loadPreCommit(rt.store(), st, n));
    if (!pc) continue;  // skipped, as builtin-actors skips missing pre-commits
    FIL_TRY(activateSector(rt, *pc));
  }
  return Bytes{};
}

// ---- WindowPoSt ----

Result<Bytes> submitWindowedPoSt(Runtime& rt, SubmitWindowedPoStParams params) {
  const auto& net = rt.network();
  const int64_t now = rt.epoch();
  // builtin-actors takes exactly one (SNARK) proof; vanilla proofs come one
  // per partition-sized group of the proven sectors (docs/actors.md), so a
  // submission of up to kPoStedPartitionsMax partitions carries that many.
  if (params.proofs.empty() || params.proofs.size() > kPoStedPartitionsMax) {
    return exitError(ExitCode::kErrIllegalArgument,
                     fmt::format("expected 1 to {} proofs, got {}", kPoStedPartitionsMax, params.proofs.size()));
  }
  FIL_TRY(checkPoStProofType(net, params.proofs[0].post_proof));
  for (const auto& p : params.proofs) {
    if (p.post_proof != params.proofs[0].post_proof) {
      return exitError(ExitCode::kErrIllegalArgument, "proofs of different types in one submission");
    }
  }
  if (params.deadline >= net.wpost_period_deadlines) {
    return exitError(ExitCode::kErrIllegalArgument,
                     fmt::format("invalid deadline {} of {}", params.deadline, net.wpost_period_deadlines));
  }
  if (params.chain_commit_rand.size() > 32) {
    return exitError(ExitCode::kErrIllegalArgument,
                     fmt::format("expected at most 32 bytes of randomness, got {}", params.chain_commit_rand.size()));
  }
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  FIL_ASSIGN_OR_RETURN(MinerInfo info, getInfo(rt, st));
  FIL_TRY(validateControlCaller(rt, info));
  if (params.proofs[0].post_proof != info.window_post_proof_type) {
    return exitError(ExitCode::kErrIllegalArgument, fmt::format("expected proof of type {}, got {}",
                                                                info.window_post_proof_type, params.proofs[0].post_proof));
  }
  if (params.partitions.size() > kPoStedPartitionsMax) {
    return exitError(ExitCode::kErrIllegalArgument,
                     fmt::format("too many partitions {}, limit {}", params.partitions.size(), kPoStedPartitionsMax));
  }
  const DeadlineInfo dl = currentDeadlineInfo(net, st, now);
  if (!dl.isOpen()) {
    return exitError(ExitCode::kErrIllegalState,
                     fmt::format("proving period {} not yet open at {}", dl.period_start, now));
  }
  if (params.deadline != dl.index) {
    return exitError(ExitCode::kErrIllegalArgument, fmt::format("invalid deadline {} at epoch {}, expected {}",
                                                                params.deadline, now, dl.index));
  }
  if (params.chain_commit_epoch < dl.challenge) {
    return exitError(ExitCode::kErrIllegalArgument, fmt::format("expected chain commit epoch {} to be after {}",
                                                                params.chain_commit_epoch, dl.challenge));
  }
  if (params.chain_commit_epoch >= now) {
    return exitError(ExitCode::kErrIllegalArgument, fmt::format("chain commit epoch {} must be less than the current epoch {}",
                                                                params.chain_commit_epoch, now));
  }
  FIL_ASSIGN_OR_RETURN(auto commit_rand,
                       rt.randomnessFromTickets(DomainSeparationTag::kPoStChainCommit, params.chain_commit_epoch, {}));
  if (!equal(commit_rand, params.chain_commit_rand)) {
    return exitError(ExitCode::kErrIllegalArgument, "post commit randomness mismatched");
  }

  store::Blockstore& store = rt.store();
  FIL_ASSIGN_OR_RETURN(auto deadlines, DeadlineSet::load(store, st));
  FIL_ASSIGN_OR_RETURN(Deadline deadline, deadlines.deadline(params.deadline));
  FIL_ASSIGN_OR_RETURN(auto parts, partitionsOf(store, deadline));
  PowerPair power_delta;
  BitField proven;
  std::set<uint64_t> seen;
  for (const auto& post : params.partitions) {
    if (!seen.insert(post.index).second) {
      return exitError(ExitCode::kErrIllegalArgument, fmt::format("partition {} submitted twice", post.index));
    }
    if (post.index >= parts.size()) {
      return exitError(ExitCode::kErrNotFound, fmt::format("no such partition {} in deadline {}", post.index, params.deadline));
    }
    if (deadline.partitions_posted.has(post.index)) continue;  // proven already this period
    Partition& p = parts[post.index];
    const BitField live = p.liveSectors();
    if (!live.contains(post.skipped)) {
      return exitError(ExitCode::kErrIllegalArgument,
                       fmt::format("skipped faults contain sectors outside partition {}", post.index));
    }
    const PowerPair active_before = p.activePower();
    // Skipped sectors become faults; recoveries not skipped are recovered;
    // unproven sectors not skipped are proven.
    p.recoveries = p.recoveries.subtract(post.skipped);
    p.faults = p.faults.unite(post.skipped).subtract(p.recoveries);
    p.recoveries = {};
    p.unproven = {};
    refreshPower(p, info.sector_size);
    power_delta += p.activePower() - active_before;
    proven = proven.unite(live.subtract(p.faults));
    deadline.partitions_posted.set(post.index);
  }
  if (proven.empty()) {
    return exitError(ExitCode::kErrIllegalArgument, "cannot prove partitions with no active sectors");
  }
  FIL_ASSIGN_OR_RETURN(auto table, SectorTable::load(store, st));
  FIL_ASSIGN_OR_RETURN(auto infos, table.get(proven));
  std::vector<proofs::PublicSectorInfo> challenged;
  for (const auto& s : infos) {
    FIL_ASSIGN_OR_RETURN(auto comm_r, withExitCode(proofs::commitmentFromSealedCid(s.sealed_cid),
                                                   ExitCode::kErrIllegalState, "sealed CID"));
    challenged.push_back({static_cast<RegisteredSealProof>(s.seal_proof), s.sector_number, comm_r});
  }
  FIL_ASSIGN_OR_RETURN(auto randomness, rt.randomnessFromBeacon(DomainSeparationTag::kWindowedPoStChallengeSeed,
                                                                dl.challenge, receiverEntropy(rt)));
  std::vector<proofs::PoStProof> post_proofs;
  for (const auto& p : params.proofs) {
    post_proofs.push_back({static_cast<RegisteredPoStProof>(p.post_proof), p.proof_bytes});
  }
  FIL_TRY(rt.verifyWindowPoSt(static_cast<RegisteredPoStProof>(info.window_post_proof_type), randomness,
                              rt.receiverId(), challenged, post_proofs));

  FIL_TRY(savePartitions(store, deadline, parts));
  FIL_TRY(deadlines.setDeadline(params.deadline, deadline));
  FIL_TRY(deadlines.save(st));
  FIL_TRY(rt.saveState(st));
  FIL_TRY(requestUpdatePower(rt, power_delta));
  return Bytes{};
}

// ---- faults, recoveries, terminations ----

// Applies `change` to each declared partition of `groups` (fault or
// recovery declarations), after the checks both share: the deadline's fault
// cutoff has not passed, the partition exists, and it holds every declared
// sector. Saves the changed deadlines; the caller saves the state.
template <typename Groups, typename Change>
Status changeDeclaredPartitions(store::Blockstore& store, const chain::NetworkParams& net, DeadlineSet& deadlines,
                                int64_t period_start, int64_t now, const Groups& groups, std::string_view what,
                                const Change& change) {
  for (const auto& [dl_index, partitions] : groups) {
    const DeadlineInfo target = nextNotElapsed(net, newDeadlineInfo(net, period_start, dl_index, now));
    if (target.faultCutoffPassed()) {
      return exitError(ExitCode::kErrIllegalArgument,
                       fmt::format("failed {} declaration at deadline {}: late fault or recovery declaration", what,
                                   dl_index));
    }
    FIL_ASSIGN_OR_RETURN(Deadline deadline, deadlines.deadline(dl_index));
    FIL_ASSIGN_OR_RETURN(auto parts, partitionsOf(store, deadline));
    for (const auto& [part_index, sectors] : partitions) {
      if (part_index >= parts.size()) {
        return exitError(ExitCode::kErrNotFound, fmt::format("no partition {} in deadline {}", part_index, dl_index));
      }
      Partition& p = parts[part_index];
      if (!p.sectors.contains(sectors)) {
        return exitError(ExitCode::kErrIllegalArgument,
                         fmt::format("not all sectors are assigned to partition {} of deadline {}", part_index, dl_index));
      }
      change(p, sectors);
    }
    FIL_TRY(savePartitions(store, deadline, parts));
    FIL_TRY(deadlines.setDeadline(dl_index, deadline));
  }
  return ok();
}

Result<Bytes> declareFaults(Runtime& rt, const DeclareFaultsParams& params) {
  const auto& net = rt.network();
  const int64_t now = rt.epoch();
  FIL_ASSIGN_OR_RETURN(auto groups, groupDeclarations(net, params.faults));
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  FIL_ASSIGN_OR_RETURN(MinerInfo info, getInfo(rt, st));
  FIL_TRY(validateControlCaller(rt, info));
  store::Blockstore& store = rt.store();
  FIL_ASSIGN_OR_RETURN(auto deadlines, DeadlineSet::load(store, st));
  const int64_t period_start = currentProvingPeriodStart(net, st, now);
  PowerPair power_delta;
  FIL_TRY(changeDeclaredPartitions(store, net, deadlines, period_start, now, groups, "fault",
                                   [&](Partition& p, const BitField& sectors) {
                                     const PowerPair active_before = p.activePower();
                                     const BitField new_faults = sectors.intersect(p.liveSectors()).subtract(p.faults);
                                     p.faults = p.faults.unite(new_faults);
                                     p.recoveries = p.recoveries.subtract(sectors);
                                     p.unproven = p.unproven.subtract(new_faults);
                                     refreshPower(p, info.sector_size);
                                     power_delta += p.activePower() - active_before;
                                   }));
  FIL_TRY(deadlines.save(st));
  FIL_TRY(rt.saveState(st));
  FIL_TRY(requestUpdatePower(rt, power_delta));
  return Bytes{};
}

Result<Bytes> declareFaultsRecovered(Runtime& rt, const DeclareFaultsRecoveredParams& params) {
  const auto& net = rt.network();
  const int64_t now = rt.epoch();
  FIL_ASSIGN_OR_RETURN(auto groups, groupDeclarations(net, params.recoveries));
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  FIL_ASSIGN_OR_RETURN(TokenAmount fee_to_burn, repayDebtsOrAbort(rt, st));
  FIL_ASSIGN_OR_RETURN(MinerInfo info, getInfo(rt, st));
  FIL_TRY(validateControlCaller(rt, info));
  store::Blockstore& store = rt.store();
  FIL_ASSIGN_OR_RETURN(auto deadlines, DeadlineSet::load(store, st));
  const int64_t period_start = currentProvingPeriodStart(net, st, now);
  FIL_TRY(changeDeclaredPartitions(store, net, deadlines, period_start, now, groups, "recovery",
                                   [&](Partition& p, const BitField& sectors) {
                                     // Only faulty, live sectors can recover; their power returns with the next PoSt.
                                     p.recoveries = p.recoveries.unite(sectors.intersect(p.faults).subtract(p.terminated));
                                     refreshPower(p, info.sector_size);
                                   }));
  FIL_TRY(deadlines.save(st));
  FIL_TRY(rt.saveState(st));
  FIL_TRY(burn(rt, fee_to_burn));
  return Bytes{};
}

// Removes sectors from their partition: power, pledge, fees, deal slashing.
struct Removal {
  PowerPair power_delta;
  TokenAmount pledge_delta;
  TokenAmount penalty;
  std::vector<DealId> deals;  // of sectors terminated before their expiration
};

Status removeSectors(Runtime& rt, State& st, const MinerInfo& info, SectorTable& table, Partition& p,
                     const BitField& sectors, bool early, Removal& out) {
  const PowerPair active_before = p.activePower();
  p.terminated = p.terminated.unite(sectors);
  p.faults = p.faults.subtract(sectors);
  p.recoveries = p.recoveries.subtract(sectors);
  p.unproven = p.unproven.subtract(sectors);
  refreshPower(p, info.sector_size);
  out.power_delta += p.activePower() - active_before;
  FIL_ASSIGN_OR_RETURN(auto infos, table.get(sectors));
  for (const auto& s : infos) {
    out.pledge_delta -= s.initial_pledge;
    st.initial_pledge -= s.initial_pledge;
    if (early) {
      out.penalty += terminationFee(s, rt.epoch());
      out.deals.insert(out.deals.end(), s.deal_ids.begin(), s.deal_ids.end());
    }
    FIL_TRY(table.remove(s.sector_number));
  }
  return ok();
}

Status finishRemoval(Runtime& rt, const Removal& r, const TokenAmount& burn_now) {
  FIL_TRY(burn(rt, burn_now));
  FIL_TRY(requestUpdatePower(rt, r.power_delta));
  FIL_TRY(notifyPledgeChanged(rt, r.pledge_delta));
  if (!r.deals.empty()) {
    market::OnMinerSectorsTerminateParams params{rt.epoch(), r.deals};
    FIL_TRY(rt.sendCbor(marketActorAddress(), market::kOnMinerSectorsTerminate, params, 0).map([](Bytes) {}));
  }
  return ok();
}

Result<Bytes> terminateSectors(Runtime& rt, const TerminateSectorsParams& params) {
  const auto& net = rt.network();
  const int64_t now = rt.epoch();
  FIL_ASSIGN_OR_RETURN(auto groups, groupDeclarations(net, params.terminations));
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  FIL_ASSIGN_OR_RETURN(MinerInfo info, getInfo(rt, st));
  FIL_TRY(validateControlCaller(rt, info));
  store::Blockstore& store = rt.store();
  FIL_ASSIGN_OR_RETURN(auto deadlines, DeadlineSet::load(store, st));
  FIL_ASSIGN_OR_RETURN(auto table, SectorTable::load(store, st));
  const int64_t period_start = currentProvingPeriodStart(net, st, now);
  Removal removal;
  for (const auto& [dl_index, partitions] : groups) {
    if (!deadlineIsMutable(net, period_start, dl_index, now)) {
      return exitError(ExitCode::kErrIllegalArgument,
                       fmt::format("cannot terminate sectors in immutable deadline {}", dl_index));
    }
    FIL_ASSIGN_OR_RETURN(Deadline deadline, deadlines.deadline(dl_index));
    FIL_ASSIGN_OR_RETURN(auto parts, partitionsOf(store, deadline));
    for (const auto& [part_index, sectors] : partitions) {
      if (part_index >= parts.size()) {
        return exitError(ExitCode::kErrNotFound, fmt::format("no partition {} in deadline {}", part_index, dl_index));
      }
      Partition& p = parts[part_index];
      if (!p.liveSectors().contains(sectors)) {
        return exitError(ExitCode::kErrIllegalArgument,
                         fmt::format("can only terminate live sectors (partition {} of deadline {})", part_index, dl_index));
      }
      FIL_TRY(removeSectors(rt, st, info, table, p, sectors, true, removal));
    }
    FIL_TRY(savePartitions(store, deadline, parts));
    FIL_TRY(deadlines.setDeadline(dl_index, deadline));
  }
  FIL_TRY(deadlines.save(st));
  FIL_TRY(table.save(st));
  FIL_ASSIGN_OR_RETURN(TokenAmount balance, rt.currentBalance());
  const TokenAmount burn_now = applyPenalty(st, balance, removal.penalty);
  FIL_TRY(rt.saveState(st));
  FIL_TRY(finishRemoval(rt, removal, burn_now));
  return encodeReturn(TerminateSectorsReturn{true});
}

// ---- cron ----

Result<Bytes> handleProvingDeadline(Runtime& rt) {
  const auto& net = rt.network();
  const int64_t now = rt.epoch();
  store::Blockstore& store = rt.store();
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  FIL_ASSIGN_OR_RETURN(MinerInfo info, getInfo(rt, st));
  processPendingWorker(info, now);
  FIL_TRY(saveInfo(rt, st, info));

  TokenAmount penalty = 0;
  // Pre-commits past their proving deadline lose their deposit.
  {
    FIL_ASSIGN_OR_RETURN(auto cleanups, store::Amt::load(store, st.pre_committed_sectors_clean_up, kCleanUpAmt));
    FIL_ASSIGN_OR_RETURN(auto precommits, store::Hamt::load(store, st.pre_committed_sectors));
    std::vector<uint64_t> done;
    Status walked = cleanups.forEach([&](uint64_t epoch, BytesView v) -> Status {
      if (static_cast<int64_t>(epoch) > now) return fail(GenericError::kCancelled, "");  // stop: later entries
      done.push_back(epoch);
      FIL_ASSIGN_OR_RETURN(auto sectors, codec::decode<BitField>(v));
      FIL_ASSIGN_OR_RETURN(auto numbers, sectors.indexes(kAddressedSectorsMax));
      for (SectorNumber n : numbers) {
        FIL_ASSIGN_OR_RETURN(auto pc, precommits.getCbor<SectorPreCommitOnChainInfo>(uintKey(n)));
        if (!pc) continue;  // proven in time
        FIL_TRY(precommits.remove(uintKey(n)));
        st.pre_commit_deposits -= pc->pre_commit_deposit;
        penalty += pc->pre_commit_deposit;
      }
      return ok();
    });
    if (!walked && !walked.error().is(GenericError::kCancelled)) return fail(std::move(walked).error());
    for (uint64_t epoch : done) FIL_TRY(cleanups.remove(epoch));
    FIL_ASSIGN_OR_RETURN(st.pre_committed_sectors_clean_up, cleanups.flush());
    FIL_ASSIGN_OR_RETURN(st.pre_committed_sectors, precommits.flush());
  }

  // Close the current deadline: missed proofs make sectors faulty, faulty
  // sectors pay the fault fee, sectors due expire.
  const DeadlineInfo dl = currentDeadlineInfo(net, st, now);
  Removal removal;
  if (dl.periodStarted()) {
    st.current_deadline = (dl.index + 1) % net.wpost_period_deadlines;
    if (st.current_deadline == 0) st.proving_period_start = dl.period_start + net.wpost_proving_period;
    FIL_ASSIGN_OR_RETURN(auto deadlines, DeadlineSet::load(store, st));
    FIL_ASSIGN_OR_RETURN(Deadline deadline, deadlines.deadline(dl.index));
    FIL_ASSIGN_OR_RETURN(auto parts, partitionsOf(store, deadline));
    FIL_ASSIGN_OR_RETURN(auto table, SectorTable::load(store, st));
    for (size_t i = 0; i < parts.size(); ++i) {
      Partition& p = parts[i];
      if (!deadline.partitions_posted.has(i)) {
        // Missed: every live sector is now faulty; recoveries failed.
        const PowerPair active_before = p.activePower();
        p.faults = p.liveSectors();
        p.recoveries = {};
        p.unproven = {};
        refreshPower(p, info.sector_size);
        removal.power_delta += p.activePower() - active_before;
      }
      FIL_ASSIGN_OR_RETURN(auto faulty, table.get(p.faults));
      for (const auto& s : faulty) penalty += faultFee(s);
      // Expire the sectors whose term ends by the deadline's close.
      FIL_ASSIGN_OR_RETURN(auto live, table.get(p.liveSectors()));
      BitField expiring;
      for (const auto& s : live) {
        if (s.expiration <= dl.last()) expiring.set(s.sector_number);
      }
      if (!expiring.empty()) FIL_TRY(removeSectors(rt, st, info, table, p, expiring, false, removal));
    }
    deadline.partitions_posted = {};
    FIL_TRY(savePartitions(store, deadline, parts));
    FIL_TRY(deadlines.setDeadline(dl.index, deadline));
    FIL_TRY(deadlines.save(st));
    FIL_TRY(table.save(st));
  }
  FIL_ASSIGN_OR_RETURN(TokenAmount balance, rt.currentBalance());
  const TokenAmount burn_now = applyPenalty(st, balance, penalty);
  const bool continue_cron = st.pre_commit_deposits != 0 || st.initial_pledge != 0 || st.locked_funds != 0;
  st.deadline_cron_active = continue_cron;
  FIL_TRY(rt.saveState(st));
  FIL_TRY(finishRemoval(rt, removal, burn_now));
  if (continue_cron) {
    FIL_TRY(enrollCron(rt, currentDeadlineInfo(net, st, now + 1).last(), kCronEventProvingDeadline));
  }
  return Bytes{};
}

Result<Bytes> onDeferredCronEvent(Runtime& rt, const DeferredCronEventParams& params) {
  FIL_TRY(rt.validateCallerIs({kPowerActorId}));
  FIL_ASSIGN_OR_RETURN(auto payload, decodeParams<CronEventPayload>(params.event_payload));
  if (payload.event_type == kCronEventProvingDeadline) return handleProvingDeadline(rt);
  return Bytes{};  // other events (worker key change, early terminations) have nothing queued here
}

// ---- funds ----

Result<Bytes> applyRewards(Runtime& rt, const ApplyRewardParams& params) {
  FIL_TRY(rt.validateCallerIs({kRewardActorId}));
  if (params.reward < 0) return exitError(ExitCode::kErrIllegalArgument, "cannot lock up a negative amount of funds");
  if (params.penalty < 0) return exitError(ExitCode::kErrIllegalArgument, "cannot penalize a negative amount of funds");
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  FIL_ASSIGN_OR_RETURN(TokenAmount balance, rt.currentBalance());
  // The reward is available at once (no vesting: docs/actors.md); the
  // block's penalty is taken from it or becomes debt.
  const TokenAmount burn_now = applyPenalty(st, balance, params.penalty);
  FIL_TRY(rt.saveState(st));
  FIL_TRY(burn(rt, burn_now));
  return Bytes{};
}

Result<Bytes> withdrawBalance(Runtime& rt, const WithdrawBalanceParams& params) {
  if (params.amount_requested < 0) {
    return exitError(ExitCode::kErrIllegalArgument, "negative fund requested for withdrawal: " + params.amount_requested.str());
  }
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  FIL_ASSIGN_OR_RETURN(MinerInfo info, getInfo(rt, st));
  FIL_TRY(rt.validateCallerIs({*info.owner.idValue(), *info.beneficiary.idValue()}));
  FIL_ASSIGN_OR_RETURN(TokenAmount fee_to_burn, repayDebtsOrAbort(rt, st));
  FIL_ASSIGN_OR_RETURN(TokenAmount balance, rt.currentBalance());
  const TokenAmount available = availableBalance(st, balance - fee_to_burn);
  if (available < 0) return exitError(ExitCode::kErrIllegalState, "negative available balance " + available.str());
  const TokenAmount amount = std::min(available, params.amount_requested);
  FIL_TRY(rt.saveState(st));
  FIL_TRY(burn(rt, fee_to_burn));
  if (amount > 0) FIL_TRY(rt.send(info.beneficiary, kMethodSend, {}, amount).map([](Bytes) {}));
  return encodeReturn(amount);
}

Result<Bytes> repayDebt(Runtime& rt) {
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  FIL_ASSIGN_OR_RETURN(MinerInfo info, getInfo(rt, st));
  FIL_TRY(validateControlCaller(rt, info));
  FIL_ASSIGN_OR_RETURN(TokenAmount fee_to_burn, repayDebtsOrAbort(rt, st));
  FIL_TRY(rt.saveState(st));
  FIL_TRY(burn(rt, fee_to_burn));
  return Bytes{};
}

template <typename F>
Result<Bytes> readInfo(Runtime& rt, F&& get) {
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  FIL_ASSIGN_OR_RETURN(MinerInfo info, getInfo(rt, st));
  return get(info);
}

std::vector<SectorPreCommitInfo> fromLegacy(const std::vector<PreCommitSectorParams>& in) {
  std::vector<SectorPreCommitInfo> out;
  for (const auto& p : in) {
    out.push_back({p.seal_proof, p.sector_number, p.sealed_cid, p.seal_rand_epoch, p.deal_ids, p.expiration, std::nullopt});
  }
  return out;
}

Status refuseReplaceCapacity(const std::vector<PreCommitSectorParams>& in) {
  for (const auto& p : in) {
    if (p.replace_capacity) {
      return exitError(ExitCode::kErrForbidden, "cc upgrade through precommit discontinued, use ProveReplicaUpdate");
    }
  }
  return ok();
}

}  // namespace

Result<Bytes> invoke(Runtime& rt, MethodNum method, BytesView params) {
  switch (method) {
    case kConstructor:
      return withParams<ConstructorParams>(params, [&](const auto& p) { return constructor(rt, p); });
    case kControlAddresses:
      return readInfo(rt, [](const MinerInfo& i) {
        return encodeReturn(GetControlAddressesReturn{i.owner, i.worker, i.control_addresses});
      });
    case kChangeWorkerAddress:
    case kChangeWorkerAddressExported:
      return withParams<ChangeWorkerAddressParams>(params, [&](const auto& p) { return changeWorkerAddress(rt, p); });
    case kChangePeerId:
    case kChangePeerIdExported:
      return withParams<ChangePeerIdParams>(params, [&](const auto& p) { return changePeerId(rt, p); });
    case kSubmitWindowedPoSt:
      return withParams<SubmitWindowedPoStParams>(params, [&](auto p) { return submitWindowedPoSt(rt, std::move(p)); });
    case kPreCommitSector:
      return withParams<PreCommitSectorParams>(params, [&](const PreCommitSectorParams& p) -> Result<Bytes> {
        FIL_TRY(refuseReplaceCapacity({p}));
        return preCommitBatch(rt, fromLegacy({p}), false);
      });
    case kPreCommitSectorBatch:
      return withParams<PreCommitSectorBatchParams>(params, [&](const auto& p) -> Result<Bytes> {
        FIL_TRY(refuseReplaceCapacity(p.sectors));
        return preCommitBatch(rt, fromLegacy(p.sectors), false);
      });
    case kPreCommitSectorBatch2:
      return withParams<PreCommitSectorBatchParams2>(params, [&](auto p) { return preCommitBatch(rt, std::move(p.sectors), true); });
    case kConfirmSectorProofsValid:
      return withParams<ConfirmSectorProofsParams>(params, [&](const auto& p) { return confirmSectorProofsValid(rt, p); });
    case kProveCommitSector:
      return withParams<ProveCommitSectorParams>(params, [&](const auto& p) { return proveCommitSector(rt, p); });
    case kTerminateSectors:
      return withParams<TerminateSectorsParams>(params, [&](const auto& p) { return terminateSectors(rt, p); });
    case kDeclareFaults:
      return withParams<DeclareFaultsParams>(params, [&](const auto& p) { return declareFaults(rt, p); });
    case kDeclareFaultsRecovered:
      return withParams<DeclareFaultsRecoveredParams>(params, [&](const auto& p) { return declareFaultsRecovered(rt, p); });
    case kOnDeferredCronEvent:
      return withParams<DeferredCronEventParams>(params, [&](const auto& p) { return onDeferredCronEvent(rt, p); });
    case kCheckSectorProven:
      return withParams<CheckSectorProvenParams>(params, [&](const auto& p) -> Result<Bytes> {
        FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
        FIL_ASSIGN_OR_RETURN(auto s, loadSector(rt.store(), st, p.sector_number));
        if (!s) return exitError(ExitCode::kErrNotFound, fmt::format("sector {} not proven", p.sector_number));
        return Bytes{};
      });
    case kApplyRewards:
      return withParams<ApplyRewardParams>(params, [&](const auto& p) { return applyRewards(rt, p); });
    case kWithdrawBalance:
    case kWithdrawBalanceExported:
      return withParams<WithdrawBalanceParams>(params, [&](const auto& p) { return withdrawBalance(rt, p); });
    case kChangeMultiaddrs:
    case kChangeMultiaddrsExported:
      return withParams<ChangeMultiaddrsParams>(params, [&](const auto& p) { return changeMultiaddrs(rt, p); });
    case kConfirmChangeWorkerAddress:
    case kConfirmChangeWorkerAddressExported:
      return confirmChangeWorkerAddress(rt);
    case kRepayDebt:
    case kRepayDebtExported:
      return repayDebt(rt);
    case kChangeOwnerAddress:
    case kChangeOwnerAddressExported:
      return withParams<Address>(params, [&](const Address& a) { return changeOwnerAddress(rt, a); });
    case kGetPeerIdExported:
      return readInfo(rt, [](const MinerInfo& i) { return encodeReturn(GetPeerIdReturn{i.peer_id}); });
    case kGetMultiaddrsExported:
      return readInfo(rt, [](const MinerInfo& i) { return encodeReturn(GetMultiaddrsReturn{i.multiaddrs}); });
    case kGetOwnerExported:
      return readInfo(rt, [](const MinerInfo& i) {
        codec::CborEncoder e;  // GetOwnerReturn [Owner, Proposed]
        e.writeArrayHeader(2);
        codec::encode(e, i.owner);
        codec::encode(e, i.pending_owner_address);
        return std::move(e).take();
      });
    case kGetSectorSizeExported:
      return readInfo(rt, [](const MinerInfo& i) { return encodeReturn(i.sector_size); });
    case kIsControllingAddressExported:
      return withParams<Address>(params, [&](const Address& a) -> Result<Bytes> {
        FIL_ASSIGN_OR_RETURN(auto id, rt.resolveAddress(a));
        if (!id) return encodeReturn(false);
        return readInfo(rt, [&](const MinerInfo& i) {
          const auto ids = controllingIds(i);
          return encodeReturn(std::find(ids.begin(), ids.end(), *id) != ids.end());
        });
      });
    case kGetAvailableBalanceExported: {
      FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
      FIL_ASSIGN_OR_RETURN(TokenAmount balance, rt.currentBalance());
      return encodeReturn(availableBalance(st, balance));
    }
    default:
      return unhandledMethod(method);
  }
}

// ---------------------------------------------------------------------------
// State readers

Result<MinerInfo> loadInfo(store::Blockstore& store, const State& state) { return store::getCbor<MinerInfo>(store, state.info); }

Result<std::optional<SectorOnChainInfo>> loadSector(store::Blockstore& store, const State& state, SectorNumber sector) {
  FIL_ASSIGN_OR_RETURN(auto amt, store::Amt::load(store, state.sectors, kSectorsAmt));
  return amt.getCbor<SectorOnChainInfo>(sector);
}

Result<std::vector<SectorOnChainInfo>> loadSectors(store::Blockstore& store, const State& state,
                                                   const std::optional<BitField>& filter) {
  FIL_ASSIGN_OR_RETURN(auto amt, store::Amt::load(store, state.sectors, kSectorsAmt));
  std::vector<SectorOnChainInfo> out;
  FIL_TRY(amt.forEach([&](uint64_t n, BytesView v) -> Status {
    if (filter && !filter->has(n)) return ok();
    FIL_ASSIGN_OR_RETURN(auto s, codec::decode<SectorOnChainInfo>(v));
    out.push_back(std::move(s));
    return ok();
  }));
  return out;
}

Result<std::optional<SectorPreCommitOnChainInfo>> loadPreCommit(store::Blockstore& store, const State& state,
                                                               SectorNumber sector) {
  FIL_ASSIGN_OR_RETURN(auto map, store::Hamt::load(store, state.pre_committed_sectors));
  return map.getCbor<SectorPreCommitOnChainInfo>(uintKey(sector));
}

Result<std::vector<SectorPreCommitOnChainInfo>> loadPreCommits(store::Blockstore& store, const State& state) {
  FIL_ASSIGN_OR_RETURN(auto map, store::Hamt::load(store, state.pre_committed_sectors));
  std::vector<SectorPreCommitOnChainInfo> out;
  FIL_TRY(map.forEach([&](BytesView, BytesView v) -> Status {
    FIL_ASSIGN_OR_RETURN(auto pc, codec::decode<SectorPreCommitOnChainInfo>(v));
    out.push_back(std::move(pc));
    return ok();
  }));
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.info.sector_number < b.info.sector_number; });
  return out;
}

Result<BitField> loadAllocatedSectors(store::Blockstore& store, const State& state) {
  return store::getCbor<BitField>(store, state.allocated_sectors);
}

Result<std::vector<Deadline>> loadDeadlines(store::Blockstore& store, const State& state) {
  FIL_ASSIGN_OR_RETURN(auto due, store::getCbor<Deadlines>(store, state.deadlines));
  std::vector<Deadline> out;
  for (const auto& c : due.due) {
    FIL_ASSIGN_OR_RETURN(auto d, store::getCbor<Deadline>(store, c));
    out.push_back(std::move(d));
  }
  return out;
}

Result<std::vector<Partition>> loadPartitions(store::Blockstore& store, const Deadline& deadline) {
  return partitionsOf(store, deadline);
}

Result<PowerPair> eraseAllUnproven(store::Blockstore& store, State& state) {
  FIL_ASSIGN_OR_RETURN(MinerInfo info, loadInfo(store, state));
  FIL_ASSIGN_OR_RETURN(auto deadlines, DeadlineSet::load(store, state));
  PowerPair added;
  for (uint64_t i = 0; i < deadlines.size(); ++i) {
    FIL_ASSIGN_OR_RETURN(Deadline d, deadlines.deadline(i));
    FIL_ASSIGN_OR_RETURN(auto parts, partitionsOf(store, d));
    for (auto& p : parts) {
      const PowerPair before = p.activePower();
      p.unproven = {};
      refreshPower(p, info.sector_size);
      added += p.activePower() - before;
    }
    FIL_TRY(savePartitions(store, d, parts));
    FIL_TRY(deadlines.setDeadline(i, d));
  }
  FIL_TRY(deadlines.save(state));
  return added;
}

}  // namespace fil::vm::miner
