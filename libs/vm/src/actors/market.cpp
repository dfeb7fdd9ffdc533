#include "fil/vm/actors/market.h"

#include <map>
#include <set>

#include "actors/actors.h"
#include "fil/proofs/commp.h"
#include "fil/proofs/registered_proof.h"
#include "fil/store/amt.h"
#include "fil/store/hamt.h"
#include "fil/vm/actors/account.h"
#include "fil/vm/actors/miner.h"
#include "fil/vm/state_tree.h"

namespace fil::vm::market {

cid::Cid DealProposal::cid() const { return cid::Cid::compute(cid::Codec::kDagCbor, codec::encode(*this)); }

Result<ClientDealProposal> signProposal(const DealProposal& proposal, BytesView private_key) {
  FIL_ASSIGN_OR_RETURN(auto sig, primitives::signSecp256k1(private_key, codec::encode(proposal)));
  return ClientDealProposal{proposal, std::move(sig)};
}

namespace {

const store::HamtOptions kBalanceHamt{kBalanceTableBitWidth};
const store::AmtOptions kProposalsAmt{kProposalsAmtBitWidth, store::AmtVersion::kV3};
const store::AmtOptions kStatesAmt{kStatesAmtBitWidth, store::AmtVersion::kV3};
const Bytes kSetValue{0xf6};  // set members map to null
// Active deals are paid (and checked for expiry and slashing) every epoch.
constexpr int64_t kDealUpdatesInterval = 1;
// The whole FIL supply: the upper bound of prices and collaterals.
const TokenAmount kTotalFilecoin = TokenAmount(2'000'000'000) * primitives::kFilecoinPrecision;

// A balance table: HAMT[address] -> TokenAmount, bit width 6; zero
// balances are removed.
class BalanceTable {
 public:
  static Result<BalanceTable> load(store::Blockstore& store, const cid::Cid& root) {
    FIL_ASSIGN_OR_RETURN(auto map, store::Hamt::load(store, root, kBalanceHamt));
    return BalanceTable(std::move(map));
  }
  Result<TokenAmount> get(const Address& a) {
    FIL_ASSIGN_OR_RETURN(auto v, map_.getCbor<TokenAmount>(addressKey(a)));
    return v ? *v : TokenAmount(0);
  }
  Status add(const Address& a, const TokenAmount& amount) {
    FIL_ASSIGN_OR_RETURN(TokenAmount prev, get(a));
    const TokenAmount next = prev + amount;
    if (next < 0) {
      return exitError(ExitCode::kErrIllegalState,
                       fmt::format("balance of {} would go negative: {} + {}", a.toString(), prev.str(), amount.str()));
    }
    if (next == 0) {
      FIL_TRY(map_.remove(addressKey(a)));
    } else {
      FIL_TRY(map_.setCbor(addressKey(a), next));
    }
    return ok();
  }
  Status mustSubtract(const Address& a, const TokenAmount& amount) {
    FIL_ASSIGN_OR_RETURN(TokenAmount prev, get(a));
    if (prev < amount) {
      return exitError(ExitCode::kErrInsufficientFunds,
                       fmt::format("couldn't subtract {} from balance {} of {}", amount.str(), prev.str(), a.toString()));
    }
    return add(a, -amount);
  }
  // Subtracts up to `amount`, leaving at least `floor`; returns what it took.
  Result<TokenAmount> subtractWithMinimum(const Address& a, const TokenAmount& amount, const TokenAmount& floor) {
    FIL_ASSIGN_OR_RETURN(TokenAmount prev, get(a));
    TokenAmount available = prev - floor;
    if (available < 0) available = 0;
    const TokenAmount taken = std::min(available, amount);
    FIL_TRY(add(a, -taken));
    return taken;
  }
  Result<cid::Cid> flush() { return map_.flush(); }

 private:
  explicit BalanceTable(store::Hamt map) : map_(std::move(map)) {}
  store::Hamt map_;
};

// The market state with its tables loaded for one method.
class Tables {
 public:
  Tables(store::Blockstore& store, State& st) : store_(store), st_(st) {}

  Result<BalanceTable*> escrow() { return table(escrow_, st_.escrow_table); }
  Result<BalanceTable*> locked() { return table(locked_, st_.locked_table); }

  Result<std::optional<DealProposal>> proposal(DealId id) {
    FIL_ASSIGN_OR_RETURN(auto* a, amt(proposals_, st_.proposals, kProposalsAmt));
    return a->getCbor<DealProposal>(id);
  }
  Status putProposal(DealId id, const DealProposal& p) {
    FIL_ASSIGN_OR_RETURN(auto* a, amt(proposals_, st_.proposals, kProposalsAmt));
    return a->setCbor(id, p);
  }
  Status removeProposal(DealId id) {
    FIL_ASSIGN_OR_RETURN(auto* a, amt(proposals_, st_.proposals, kProposalsAmt));
    FIL_ASSIGN_OR_RETURN(bool removed, a->remove(id));
    if (!removed) return exitError(ExitCode::kErrIllegalState, fmt::format("no proposal for deal {}", id));
    return ok();
  }
  Result<std::optional<DealState>> dealState(DealId id) {
    FIL_ASSIGN_OR_RETURN(auto* a, amt(states_, st_.states, kStatesAmt));
    return a->getCbor<DealState>(id);
  }
  Status putDealState(DealId id, const DealState& s) {
    FIL_ASSIGN_OR_RETURN(auto* a, amt(states_, st_.states, kStatesAmt));
    return a->setCbor(id, s);
  }
  Status removeDealState(DealId id) {
    FIL_ASSIGN_OR_RETURN(auto* a, amt(states_, st_.states, kStatesAmt));
    FIL_ASSIGN_OR_RETURN(bool removed, a->remove(id));
    if (!removed) return exitError(ExitCode::kErrIllegalState, fmt::format("no state for deal {}", id));
    return ok();
  }
  Result<bool> hasPending(const cid::Cid& c) {
    FIL_ASSIGN_OR_RETURN(auto* h, hamt(pending_, st_.pending_proposals));
    FIL_ASSIGN_OR_RETURN(auto v, h->get(c.toBytes()));
    return v.has_value();
  }
  Status putPending(const cid::Cid& c) {
    FIL_ASSIGN_OR_RETURN(auto* h, hamt(pending_, st_.pending_proposals));
    return h->set(c.toBytes(), kSetValue).map([](bool) {});
  }
  Status removePending(const cid::Cid& c) {
    FIL_ASSIGN_OR_RETURN(auto* h, hamt(pending_, st_.pending_proposals));
    FIL_ASSIGN_OR_RETURN(bool removed, h->remove(c.toBytes()));
    if (!removed) return exitError(ExitCode::kErrIllegalState, "failed to delete pending proposal: does not exist");
    return ok();
  }
  // Deal operations scheduled at an epoch (a set multimap).
  Result<std::vector<DealId>> dealsAt(int64_t epoch) {
    FIL_ASSIGN_OR_RETURN(auto* ops, hamt(ops_, st_.deal_ops_by_epoch));
    FIL_ASSIGN_OR_RETURN(auto root, ops->getCbor<cid::Cid>(uintKey(static_cast<uint64_t>(epoch))));
    std::vector<DealId> ids;
    if (!root) return ids;
    FIL_ASSIGN_OR_RETURN(auto set, store::Hamt::load(store_, *root));
    FIL_TRY(set.forEach([&](BytesView k, BytesView) -> Status {
      FIL_ASSIGN_OR_RETURN(uint64_t id, parseUintKey(k));
      ids.push_back(id);
      return ok();
    }));
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  Status scheduleDeal(int64_t epoch, DealId id) {
    FIL_ASSIGN_OR_RETURN(auto* ops, hamt(ops_, st_.deal_ops_by_epoch));
    const Bytes key = uintKey(static_cast<uint64_t>(epoch));
    FIL_ASSIGN_OR_RETURN(auto root, ops->getCbor<cid::Cid>(key));
    store::Hamt set(store_);
    if (root) {
      FIL_ASSIGN_OR_RETURN(set, store::Hamt::load(store_, *root));
    }
    FIL_TRY(set.set(uintKey(id), kSetValue));
    FIL_ASSIGN_OR_RETURN(cid::Cid new_root, set.flush());
    FIL_TRY(ops->setCbor(key, new_root));
    return ok();
  }
  Status removeDealsAt(int64_t epoch) {
    FIL_ASSIGN_OR_RETURN(auto* ops, hamt(ops_, st_.deal_ops_by_epoch));
    FIL_TRY(ops->remove(uintKey(static_cast<uint64_t>(epoch))));
    return ok();
  }

  // ---- balances (builtin-actors market State) ----
  Result<bool> balanceCovered(const Address& a, const TokenAmount& to_lock) {
    FIL_ASSIGN_OR_RETURN(auto* e, escrow());
    FIL_ASSIGN_OR_RETURN(auto* l, locked());
    FIL_ASSIGN_OR_RETURN(TokenAmount escrowed, e->get(a));
    FIL_ASSIGN_OR_RETURN(TokenAmount prev, l->get(a));
    return prev + to_lock <= escrowed;
  }
  Status lock(const Address& a, const TokenAmount& amount) {
    if (amount < 0) return exitError(ExitCode::kErrIllegalState, "cannot lock a negative amount");
    FIL_ASSIGN_OR_RETURN(bool covered, balanceCovered(a, amount));
    if (!covered) {
      return exitError(ExitCode::kErrInsufficientFunds, fmt::format("not enough balance to lock for {}", a.toString()));
    }
    FIL_ASSIGN_OR_RETURN(auto* l, locked());
    return l->add(a, amount);
  }
  enum class Reason { kClientCollateral, kClientStorageFee, kProviderCollateral };
  Status unlock(const Address& a, const TokenAmount& amount, Reason reason) {
    if (amount < 0) return exitError(ExitCode::kErrIllegalState, "unlock negative amount");
    FIL_ASSIGN_OR_RETURN(auto* l, locked());
    FIL_TRY(l->mustSubtract(a, amount));
    switch (reason) {
      case Reason::kClientCollateral: st_.total_client_locked_collateral -= amount; break;
      case Reason::kClientStorageFee: st_.total_client_storage_fee -= amount; break;
      case Reason::kProviderCollateral: st_.total_provider_locked_collateral -= amount; break;
    }
    return ok();
  }
  // Moves locked client funds to the provider's free balance.
  Status transferBalance(const Address& from, const Address& to, const TokenAmount& amount) {
    FIL_ASSIGN_OR_RETURN(auto* e, escrow());
    FIL_TRY(e->mustSubtract(from, amount));
    FIL_TRY(unlock(from, amount, Reason::kClientStorageFee));
    return e->add(to, amount);
  }
  Status slash(const Address& a, const TokenAmount& amount, Reason reason) {
    FIL_ASSIGN_OR_RETURN(auto* e, escrow());
    FIL_TRY(e->mustSubtract(a, amount));
    return unlock(a, amount, reason);
  }

  // Writes every loaded table back into the state.
  Status flush() {
    auto flushInto = [](auto& slot, cid::Cid& root) -> Status {
      if (!slot) return ok();
      FIL_ASSIGN_OR_RETURN(root, slot->flush());
      return ok();
    };
    FIL_TRY(flushInto(escrow_, st_.escrow_table));
    FIL_TRY(flushInto(locked_, st_.locked_table));
    FIL_TRY(flushInto(proposals_, st_.proposals));
    FIL_TRY(flushInto(states_, st_.states));
    FIL_TRY(flushInto(pending_, st_.pending_proposals));
    return flushInto(ops_, st_.deal_ops_by_epoch);
  }

 private:
  Result<BalanceTable*> table(std::optional<BalanceTable>& slot, const cid::Cid& root) {
    if (!slot) {
      FIL_ASSIGN_OR_RETURN(auto t, BalanceTable::load(store_, root));
      slot.emplace(std::move(t));
    }
    return &*slot;
  }
  Result<store::Amt*> amt(std::optional<store::Amt>& slot, const cid::Cid& root, const store::AmtOptions& o) {
    if (!slot) {
      FIL_ASSIGN_OR_RETURN(auto a, store::Amt::load(store_, root, o));
      slot.emplace(std::move(a));
    }
    return &*slot;
  }
  Result<store::Hamt*> hamt(std::optional<store::Hamt>& slot, const cid::Cid& root) {
    if (!slot) {
      FIL_ASSIGN_OR_RETURN(auto h, store::Hamt::load(store_, root));
      slot.emplace(std::move(h));
    }
    return &*slot;
  }

  store::Blockstore& store_;
  State& st_;
  std::optional<BalanceTable> escrow_, locked_;
  std::optional<store::Amt> proposals_, states_;
  std::optional<store::Hamt> pending_, ops_;
};

// Where a party's escrow lives, who receives withdrawals and who may
// withdraw: a miner's funds go to its owner and are managed by owner or
// worker; anyone else's are their own.
struct EscrowAddresses {
  Address nominal;
  Address recipient;
  std::vector<ActorId> approved;
};

Result<EscrowAddresses> escrowAddress(Runtime& rt, const Address& address) {
  FIL_ASSIGN_OR_RETURN(auto id, rt.resolveAddress(address));
  if (!id) return exitError(ExitCode::kErrIllegalArgument, fmt::format("failed to resolve address {}", address.toString()));
  FIL_ASSIGN_OR_RETURN(auto type, rt.actorType(*id));
  if (!type) return exitError(ExitCode::kErrIllegalArgument, fmt::format("no code for address f0{}", *id));
  if (*type == ActorType::kMiner) {
    FIL_ASSIGN_OR_RETURN(Bytes raw, rt.send(Address::id(*id), miner::kControlAddresses, {}, 0));
    FIL_ASSIGN_OR_RETURN(auto ctl, decodeReturn<miner::GetControlAddressesReturn>(raw));
    FIL_ASSIGN_OR_RETURN(ActorId owner, ctl.owner.idValue());
    FIL_ASSIGN_OR_RETURN(ActorId worker, ctl.worker.idValue());
    return EscrowAddresses{Address::id(*id), ctl.owner, {owner, worker}};
  }
  return EscrowAddresses{Address::id(*id), Address::id(*id), {*id}};
}

int64_t nextUpdateEpoch(DealId id, int64_t interval, int64_t earliest) {
  // QuantSpec{unit: interval, offset: id % interval}.quantize_up(earliest)
  const int64_t offset = static_cast<int64_t>(id % static_cast<uint64_t>(interval));
  const int64_t remainder = ((earliest - offset) % interval + interval) % interval;
  return remainder == 0 ? earliest : earliest - remainder + interval;
}

Result<cid::Cid> computeDataCommitment(Runtime& rt, const std::vector<std::pair<DealId, DealProposal>>& proposals,
                                       int64_t sector_type) {
  std::vector<proofs::PieceInfo> pieces;
  for (const auto& [id, p] : proposals) pieces.push_back({p.piece_size, p.piece_cid});
  FIL_ASSIGN_OR_RETURN(auto comm_d,
                       rt.computeUnsealedSectorCid(static_cast<proofs::RegisteredSealProof>(sector_type), pieces));
  return proofs::pieceCid(comm_d);
}

Result<std::vector<std::pair<DealId, DealProposal>>> getProposals(Tables& t, const std::vector<DealId>& ids,
                                                                   DealId next_id) {
  std::vector<std::pair<DealId, DealProposal>> out;
  std::set<DealId> seen;
  for (DealId id : ids) {
    if (!seen.insert(id).second) {
      return exitError(ExitCode::kErrIllegalArgument, fmt::format("duplicate deal ID {} in sector", id));
    }
    FIL_ASSIGN_OR_RETURN(auto p, t.proposal(id));
    if (!p) {
      if (id < next_id) return exitError(kErrDealExpired, fmt::format("deal {} expired", id));
      return exitError(ExitCode::kErrNotFound, fmt::format("no such deal {}", id));
    }
    out.emplace_back(id, std::move(*p));
  }
  return out;
}

// Checks deals against the sector that will hold them; returns their space.
Result<BigInt> validateDealSpace(const std::vector<std::pair<DealId, DealProposal>>& proposals, ActorId miner,
                                 int64_t sector_expiry, int64_t activation, std::optional<uint64_t> sector_size) {
  BigInt space = 0;
  for (const auto& [id, p] : proposals) {
    if (p.provider != Address::id(miner)) {
      return exitError(ExitCode::kErrForbidden, fmt::format("cannot activate deal {}: proposal has provider {}, must be f0{}",
                                                            id, p.provider.toString(), miner));
    }
    if (activation > p.start_epoch) {
      return exitError(ExitCode::kErrIllegalArgument,
                       fmt::format("cannot activate deal {}: start epoch {} has already elapsed at {}", id,
                                   p.start_epoch, activation));
    }
    if (p.end_epoch > sector_expiry) {
      return exitError(ExitCode::kErrIllegalArgument,
                       fmt::format("cannot activate deal {}: expiration {} exceeds sector expiration {}", id,
                                   p.end_epoch, sector_expiry));
    }
    space += p.piece_size;
  }
  if (sector_size && space > *sector_size) {
    return exitError(ExitCode::kErrIllegalArgument,
                     fmt::format("deals too large to fit in sector {} > {}", space.str(), *sector_size));
  }
  return space;
}

Status validateDeal(Runtime& rt, const ClientDealProposal& deal) {
  const DealProposal& p = deal.proposal;
  // The client authenticates the proposal's CBOR with its key.
  account::AuthenticateMessageParams auth{deal.client_signature.data, codec::encode(p)};
  auto authenticated = rt.sendCbor(p.client, account::kAuthenticateMessage, auth, 0);
  if (!authenticated) {
    if (isFatal(authenticated.error())) return fail(std::move(authenticated).error());
    return exitError(ExitCode::kErrIllegalArgument, "proposal authentication failed: " + authenticated.error().message());
  }
  if (p.label.data.size() > kDealMaxLabelSize) {
    return exitError(ExitCode::kErrIllegalArgument, fmt::format("deal label can be at most {} bytes, is {}",
                                                                kDealMaxLabelSize, p.label.data.size()));
  }
  if (p.piece_size < 128 || (p.piece_size & (p.piece_size - 1)) != 0) {
    return exitError(ExitCode::kErrIllegalArgument, fmt::format("proposal piece size {} is invalid", p.piece_size));
  }
  if (!proofs::commitmentFromPieceCid(p.piece_cid)) {
    return exitError(ExitCode::kErrIllegalArgument, "proposal PieceCID is not a piece commitment");
  }
  if (p.verified_deal) {
    return exitError(ExitCode::kErrIllegalArgument, "verified deals are not supported (no DataCap on this network)");
  }
  if (p.end_epoch <= p.start_epoch) return exitError(ExitCode::kErrIllegalArgument, "proposal end before proposal start");
  if (rt.epoch() > p.start_epoch) return exitError(ExitCode::kErrIllegalArgument, "Deal start epoch has already elapsed.");
  const auto& net = rt.network();
  if (p.duration() < net.deal_min_duration || p.duration() > net.deal_max_duration) {
    return exitError(ExitCode::kErrIllegalArgument,
                     fmt::format("Deal duration out of bounds: {} not in [{}, {}]", p.duration(), net.deal_min_duration,
                                 net.deal_max_duration));
  }
  auto in_bounds = [](const TokenAmount& v) { return v >= 0 && v <= kTotalFilecoin; };
  const auto collateral = providerCollateralBounds();
  if (!in_bounds(p.storage_price_per_epoch)) return exitError(ExitCode::kErrIllegalArgument, "Storage price out of bounds.");
  if (p.provider_collateral < collateral.min || p.provider_collateral > collateral.max) return exitError(ExitCode::kErrIllegalArgument, "Provider collateral out of bounds.");
  if (!in_bounds(p.client_collateral)) return exitError(ExitCode::kErrIllegalArgument, "Client collateral out of bounds.");
  return ok();
}

Result<Bytes> addBalance(Runtime& rt, const Address& party) {
  const TokenAmount& value = rt.valueReceived();
  if (value <= 0) {
    return exitError(ExitCode::kErrIllegalArgument,
                     fmt::format("balance to add must be greater than zero was: {}", value.str()));
  }
  FIL_ASSIGN_OR_RETURN(auto escrow, escrowAddress(rt, party));
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  Tables t(rt.store(), st);
  FIL_ASSIGN_OR_RETURN(auto* e, t.escrow());
  FIL_TRY(e->add(escrow.nominal, value));
  FIL_TRY(t.flush());
  FIL_TRY(rt.saveState(st));
  return Bytes{};
}

Result<Bytes> withdrawBalance(Runtime& rt, const WithdrawBalanceParams& params) {
  if (params.amount < 0) return exitError(ExitCode::kErrIllegalArgument, "negative amount: " + params.amount.str());
  FIL_ASSIGN_OR_RETURN(auto escrow, escrowAddress(rt, params.provider_or_client));
  FIL_TRY(rt.validateCallerIs(escrow.approved));
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  Tables t(rt.store(), st);
  FIL_ASSIGN_OR_RETURN(auto* e, t.escrow());
  FIL_ASSIGN_OR_RETURN(auto* l, t.locked());
  FIL_ASSIGN_OR_RETURN(TokenAmount locked, l->get(escrow.nominal));
  FIL_ASSIGN_OR_RETURN(TokenAmount taken, e->subtractWithMinimum(escrow.nominal, params.amount, locked));
  FIL_TRY(t.flush());
  FIL_TRY(rt.saveState(st));
  FIL_TRY(rt.send(escrow.recipient, kMethodSend, {}, taken));
  return encodeReturn(taken);
}

Result<Bytes> publishStorageDeals(Runtime& rt, PublishStorageDealsParams params) {
  if (params.deals.empty()) return exitError(ExitCode::kErrIllegalArgument, "Empty deals parameter");
  const Address provider_raw = params.deals[0].proposal.provider;
  FIL_ASSIGN_OR_RETURN(auto provider_id, rt.resolveAddress(provider_raw));
  if (!provider_id) {
    return exitError(ExitCode::kErrNotFound, fmt::format("failed to resolve provider address {}", provider_raw.toString()));
  }
  FIL_ASSIGN_OR_RETURN(auto provider_type, rt.actorType(*provider_id));
  if (provider_type != ActorType::kMiner) {
    return exitError(ExitCode::kErrIllegalArgument, "deal provider is not a storage miner actor");
  }
  FIL_ASSIGN_OR_RETURN(Bytes controlling_raw,
                       rt.sendCbor(Address::id(*provider_id), miner::kIsControllingAddressExported, rt.caller(), 0));
  FIL_ASSIGN_OR_RETURN(bool controlling, decodeReturn<bool>(controlling_raw));
  if (!controlling) {
    return exitError(ExitCode::kErrForbidden, fmt::format("caller {} is not worker or control address of provider f0{}",
                                                          rt.caller().toString(), *provider_id));
  }
  // Checks that need other actors come before the state is loaded.
  std::vector<bool> valid(params.deals.size());
  for (size_t i = 0; i < params.deals.size(); ++i) {
    auto v = validateDeal(rt, params.deals[i]);
    if (!v && isFatal(v.error())) return fail(std::move(v).error());
    valid[i] = v.has_value();
  }

  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  Tables t(rt.store(), st);
  const Address provider = Address::id(*provider_id);
  std::map<ActorId, TokenAmount> client_lockup;
  TokenAmount provider_lockup = 0;
  std::set<cid::Cid> seen;
  std::vector<DealProposal> accepted;
  std::vector<uint64_t> accepted_index;
  for (size_t i = 0; i < params.deals.size(); ++i) {
    if (!valid[i]) continue;
    DealProposal p = params.deals[i].proposal;
    if (p.provider != provider && p.provider != provider_raw) continue;  // one provider per batch
    FIL_ASSIGN_OR_RETURN(auto client_id, rt.resolveAddress(p.client));
    if (!client_id) continue;
    const TokenAmount client_total = client_lockup[*client_id] + p.clientBalanceRequirement();
    FIL_ASSIGN_OR_RETURN(bool client_ok, t.balanceCovered(Address::id(*client_id), client_total));
    if (!client_ok) continue;
    const TokenAmount provider_total = provider_lockup + p.provider_collateral;
    FIL_ASSIGN_OR_RETURN(bool provider_ok, t.balanceCovered(provider, provider_total));
    if (!provider_ok) continue;
    // Stored with ID addresses, so its CID does not depend on how it was addressed.
    p.provider = provider;
    p.client = Address::id(*client_id);
    const cid::Cid pcid = p.cid();
    FIL_ASSIGN_OR_RETURN(bool pending, t.hasPending(pcid));
    if (pending || !seen.insert(pcid).second) continue;  // duplicate
    client_lockup[*client_id] = client_total;
    provider_lockup = provider_total;
    accepted.push_back(std::move(p));
    accepted_index.push_back(i);
  }
  if (accepted.empty()) return exitError(ExitCode::kErrIllegalArgument, "All deal proposals invalid");

  PublishStorageDealsReturn ret;
  ret.valid_deals = primitives::BitField::fromIndexes(accepted_index);
  for (const auto& p : accepted) {
    FIL_TRY(t.lock(p.client, p.clientBalanceRequirement()));
    FIL_TRY(t.lock(p.provider, p.provider_collateral));
    st.total_client_locked_collateral += p.client_collateral;
    st.total_client_storage_fee += p.totalStorageFee();
    st.total_provider_locked_collateral += p.provider_collateral;
    const DealId id = st.next_id++;
    FIL_TRY(t.putPending(p.cid()));
    FIL_TRY(t.putProposal(id, p));
    FIL_TRY(t.scheduleDeal(nextUpdateEpoch(id, kDealUpdatesInterval, p.start_epoch), id));
    ret.ids.push_back(id);
  }
  FIL_TRY(t.flush());
  FIL_TRY(rt.saveState(st));
  return encodeReturn(ret);
}

Result<Bytes> verifyDealsForActivation(Runtime& rt, const VerifyDealsForActivationParams& params) {
  FIL_TRY(rt.validateCallerType({ActorType::kMiner}));
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  Tables t(rt.store(), st);
  VerifyDealsForActivationReturn ret;
  for (const auto& sector : params.sectors) {
    FIL_ASSIGN_OR_RETURN(auto proposals, getProposals(t, sector.deal_ids, st.next_id));
    auto info = proofs::sealProofInfo(static_cast<proofs::RegisteredSealProof>(sector.sector_type));
    if (!info) return exitError(ExitCode::kErrIllegalArgument, "sector size unknown: " + info.error().message());
    FIL_TRY(validateDealSpace(proposals, rt.callerId(), sector.sector_expiry, rt.epoch(), info->sector_size)
                .map_error([](Error e) { return std::move(e).withContext("failed to validate deal proposals for activation"); }));
    if (sector.deal_ids.empty()) {
      ret.unsealed_cids.push_back(std::nullopt);
    } else {
      FIL_ASSIGN_OR_RETURN(cid::Cid commd, computeDataCommitment(rt, proposals, sector.sector_type));
      ret.unsealed_cids.push_back(commd);
    }
  }
  return encodeReturn(ret);
}

Result<Bytes> batchActivateDeals(Runtime& rt, const BatchActivateDealsParams& params) {
  FIL_TRY(rt.validateCallerType({ActorType::kMiner}));
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  Tables t(rt.store(), st);
  BatchActivateDealsResult ret;
  std::set<DealId> activated;
  for (uint32_t i = 0; i < params.sectors.size(); ++i) {
    const auto& sector = params.sectors[i];
    // Each sector's deals activate together or not at all.
    Result<SectorDealActivation> one = [&]() -> Result<SectorDealActivation> {
      for (DealId id : sector.deal_ids) {
        if (activated.contains(id)) {
          return exitError(ExitCode::kErrIllegalArgument, fmt::format("deal {} activated twice in the batch", id));
        }
      }
      FIL_ASSIGN_OR_RETURN(auto proposals, getProposals(t, sector.deal_ids, st.next_id));
      FIL_ASSIGN_OR_RETURN(BigInt space,
                           validateDealSpace(proposals, rt.callerId(), sector.sector_expiry, rt.epoch(), std::nullopt));
      for (const auto& [id, p] : proposals) {
        FIL_ASSIGN_OR_RETURN(auto existing, t.dealState(id));
        if (existing) return exitError(ExitCode::kErrIllegalArgument, fmt::format("deal {} already activated", id));
        FIL_ASSIGN_OR_RETURN(bool pending, t.hasPending(p.cid()));
        if (!pending) {
          return exitError(ExitCode::kErrIllegalState,
                           fmt::format("tried to activate deal {} that was not in the pending set", id));
        }
      }
      SectorDealActivation activation;
      activation.nonverified_deal_space = space;
      if (params.compute_cid && !sector.deal_ids.empty()) {
        FIL_ASSIGN_OR_RETURN(activation.unsealed_cid, computeDataCommitment(rt, proposals, sector.sector_type));
      }
      for (const auto& [id, p] : proposals) {
        FIL_TRY(t.putDealState(id, DealState{rt.epoch(), kEpochUndefined, kEpochUndefined, 0}));
        activated.insert(id);
      }
      return activation;
    }();
    if (one) {
      ret.activations.push_back(std::move(*one));
      ret.activation_results.success_count += 1;
    } else {
      if (isFatal(one.error())) return fail(std::move(one).error());
      ret.activation_results.fail_codes.push_back({i, static_cast<uint32_t>(exitCodeOf(one.error()))});
    }
  }
  FIL_TRY(t.flush());
  FIL_TRY(rt.saveState(st));
  return encodeReturn(ret);
}

Result<Bytes> onMinerSectorsTerminate(Runtime& rt, const OnMinerSectorsTerminateParams& params) {
  FIL_TRY(rt.validateCallerType({ActorType::kMiner}));
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  Tables t(rt.store(), st);
  for (DealId id : params.deal_ids) {
    FIL_ASSIGN_OR_RETURN(auto p, t.proposal(id));
    if (!p) continue;  // expired and cleaned up already
    if (p->provider != rt.caller()) {
      return exitError(ExitCode::kErrIllegalState, fmt::format("caller {} is not the provider {} of deal {}",
                                                               rt.caller().toString(), p->provider.toString(), id));
    }
    if (p->end_epoch <= params.epoch) continue;  // expired deals are not slashed
    FIL_ASSIGN_OR_RETURN(auto s, t.dealState(id));
    if (!s) return exitError(ExitCode::kErrIllegalArgument, fmt::format("no state for deal {}", id));
    if (s->slash_epoch != kEpochUndefined) continue;
    // Marked here; cron releases the client's funds and slashes the provider.
    s->slash_epoch = params.epoch;
    FIL_TRY(t.putDealState(id, *s));
  }
  FIL_TRY(t.flush());
  FIL_TRY(rt.saveState(st));
  return Bytes{};
}

// Pays and settles one activated deal at `now`; returns (slashed, remove).
Result<std::pair<TokenAmount, bool>> processDealUpdate(Tables& t, const DealState& s, const DealProposal& p,
                                                       int64_t now) {
  const bool ever_updated = s.last_updated_epoch != kEpochUndefined;
  const bool ever_slashed = s.slash_epoch != kEpochUndefined;
  if (ever_updated && s.last_updated_epoch > now) {
    return exitError(ExitCode::kErrIllegalState, fmt::format("deal updated at future epoch {}", s.last_updated_epoch));
  }
  if (p.start_epoch > now) return std::pair<TokenAmount, bool>{0, false};
  int64_t payment_end = std::min(p.end_epoch, now);
  if (ever_slashed) {
    if (now < s.slash_epoch || s.slash_epoch > p.end_epoch) {
      return exitError(ExitCode::kErrIllegalState, fmt::format("deal slash epoch {} is out of range", s.slash_epoch));
    }
    payment_end = s.slash_epoch;
  }
  const int64_t payment_start =
      ever_updated && s.last_updated_epoch > p.start_epoch ? s.last_updated_epoch : p.start_epoch;
  const TokenAmount payment = p.storage_price_per_epoch * std::max<int64_t>(payment_end - payment_start, 0);
  if (payment > 0) FIL_TRY(t.transferBalance(p.client, p.provider, payment));
  if (ever_slashed) {
    const int64_t from = std::max(s.slash_epoch, p.start_epoch);
    const TokenAmount remaining = p.storage_price_per_epoch * (p.end_epoch - from);
    FIL_TRY(t.unlock(p.client, remaining, Tables::Reason::kClientStorageFee));
    FIL_TRY(t.unlock(p.client, p.client_collateral, Tables::Reason::kClientCollateral));
    FIL_TRY(t.slash(p.provider, p.provider_collateral, Tables::Reason::kProviderCollateral));
    return std::pair<TokenAmount, bool>{p.provider_collateral, true};
  }
  if (now >= p.end_epoch) {
    if (s.sector_start_epoch == kEpochUndefined) return exitError(ExitCode::kErrIllegalState, "start sector epoch undefined");
    FIL_TRY(t.unlock(p.provider, p.provider_collateral, Tables::Reason::kProviderCollateral));
    FIL_TRY(t.unlock(p.client, p.client_collateral, Tables::Reason::kClientCollateral));
    return std::pair<TokenAmount, bool>{0, true};
  }
  return std::pair<TokenAmount, bool>{0, false};
}

Result<Bytes> cronTick(Runtime& rt) {
  FIL_TRY(rt.validateCallerIs({kCronActorId}));
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  Tables t(rt.store(), st);
  const int64_t now = rt.epoch();
  TokenAmount slashed_total = 0;
  std::map<int64_t, std::vector<DealId>> rescheduled;
  for (int64_t epoch = st.last_cron + 1; epoch <= now; ++epoch) {
    FIL_ASSIGN_OR_RETURN(auto ids, t.dealsAt(epoch));
    for (DealId id : ids) {
      FIL_ASSIGN_OR_RETURN(auto p, t.proposal(id));
      if (!p) return exitError(ExitCode::kErrIllegalState, fmt::format("scheduled deal {} has no proposal", id));
      const cid::Cid pcid = p->cid();
      FIL_ASSIGN_OR_RETURN(auto s, t.dealState(id));
      if (!s) {
        // Never activated: the deal timed out at its start epoch.
        if (now < p->start_epoch) {
          return exitError(ExitCode::kErrIllegalState, fmt::format("deal {} processed before start epoch", id));
        }
        FIL_TRY(t.unlock(p->client, p->totalStorageFee(), Tables::Reason::kClientStorageFee));
        FIL_TRY(t.unlock(p->client, p->client_collateral, Tables::Reason::kClientCollateral));
        // The provider loses its whole collateral for a deal it never sealed.
        FIL_TRY(t.slash(p->provider, p->provider_collateral, Tables::Reason::kProviderCollateral));
        slashed_total += p->provider_collateral;
        FIL_TRY(t.removeProposal(id));
        FIL_TRY(t.removePending(pcid));
        continue;
      }
      if (s->last_updated_epoch == kEpochUndefined) FIL_TRY(t.removePending(pcid));
      FIL_ASSIGN_OR_RETURN(auto outcome, processDealUpdate(t, *s, *p, now));
      if (outcome.second) {
        slashed_total += outcome.first;
        FIL_TRY(t.removeDealState(id));
        FIL_TRY(t.removeProposal(id));
      } else {
        s->last_updated_epoch = now;
        FIL_TRY(t.putDealState(id, *s));
        rescheduled[nextUpdateEpoch(id, kDealUpdatesInterval, now + 1)].push_back(id);
      }
    }
    FIL_TRY(t.removeDealsAt(epoch));
  }
  for (const auto& [epoch, ids] : rescheduled) {
    for (DealId id : ids) FIL_TRY(t.scheduleDeal(epoch, id));
  }
  st.last_cron = now;
  FIL_TRY(t.flush());
  FIL_TRY(rt.saveState(st));
  if (slashed_total > 0) FIL_TRY(rt.send(burntFundsActorAddress(), kMethodSend, {}, slashed_total));
  return Bytes{};
}

}  // namespace

CollateralBounds providerCollateralBounds() { return {TokenAmount(0), kTotalFilecoin}; }

Result<State> makeState(store::Blockstore& store) {
  State st;
  FIL_ASSIGN_OR_RETURN(st.proposals, store::Amt(store, kProposalsAmt).flush());
  FIL_ASSIGN_OR_RETURN(st.states, store::Amt(store, kStatesAmt).flush());
  FIL_ASSIGN_OR_RETURN(st.pending_proposals, store::Hamt(store).flush());
  FIL_ASSIGN_OR_RETURN(st.escrow_table, store::Hamt(store, kBalanceHamt).flush());
  st.locked_table = st.escrow_table;
  st.deal_ops_by_epoch = st.pending_proposals;
  st.pending_deal_allocation_ids = st.pending_proposals;
  return st;
}

Result<std::optional<DealProposal>> loadProposal(store::Blockstore& store, const State& state, DealId id) {
  FIL_ASSIGN_OR_RETURN(auto a, store::Amt::load(store, state.proposals, kProposalsAmt));
  return a.getCbor<DealProposal>(id);
}

Result<std::optional<DealState>> loadDealState(store::Blockstore& store, const State& state, DealId id) {
  FIL_ASSIGN_OR_RETURN(auto a, store::Amt::load(store, state.states, kStatesAmt));
  return a.getCbor<DealState>(id);
}

Result<std::vector<Deal>> loadDeals(store::Blockstore& store, const State& state) {
  FIL_ASSIGN_OR_RETURN(auto proposals, store::Amt::load(store, state.proposals, kProposalsAmt));
  FIL_ASSIGN_OR_RETURN(auto states, store::Amt::load(store, state.states, kStatesAmt));
  std::vector<Deal> out;
  FIL_TRY(proposals.forEach([&](uint64_t id, BytesView v) -> Status {
    FIL_ASSIGN_OR_RETURN(auto p, codec::decode<DealProposal>(v));
    FIL_ASSIGN_OR_RETURN(auto s, states.getCbor<DealState>(id));
    out.push_back({id, std::move(p), s ? *s : DealState{}});
    return ok();
  }));
  return out;
}

Result<GetBalanceReturn> loadBalance(store::Blockstore& store, const State& state, ActorId id) {
  FIL_ASSIGN_OR_RETURN(auto escrow, BalanceTable::load(store, state.escrow_table));
  FIL_ASSIGN_OR_RETURN(auto locked, BalanceTable::load(store, state.locked_table));
  FIL_ASSIGN_OR_RETURN(TokenAmount balance, escrow.get(Address::id(id)));
  FIL_ASSIGN_OR_RETURN(TokenAmount held, locked.get(Address::id(id)));
  return GetBalanceReturn{balance, held};
}

Result<Bytes> invoke(Runtime& rt, MethodNum method, BytesView params) {
  switch (method) {
    case kConstructor: {
      FIL_TRY(rt.validateCallerIs({kSystemActorId}));
      FIL_ASSIGN_OR_RETURN(State st, withExitCode(makeState(rt.store()), ExitCode::kErrIllegalState, "market state"));
      FIL_TRY(rt.saveState(st));
      return Bytes{};
    }
    case kAddBalance:
    case kAddBalanceExported:
      return withParams<Address>(params, [&](const Address& a) { return addBalance(rt, a); });
    case kWithdrawBalance:
    case kWithdrawBalanceExported:
      return withParams<WithdrawBalanceParams>(params, [&](const auto& p) { return withdrawBalance(rt, p); });
    case kPublishStorageDeals:
    case kPublishStorageDealsExported:
      return withParams<PublishStorageDealsParams>(params, [&](auto p) { return publishStorageDeals(rt, std::move(p)); });
    case kVerifyDealsForActivation:
      return withParams<VerifyDealsForActivationParams>(params, [&](const auto& p) { return verifyDealsForActivation(rt, p); });
    case kBatchActivateDeals:
      return withParams<BatchActivateDealsParams>(params, [&](const auto& p) { return batchActivateDeals(rt, p); });
    case kOnMinerSectorsTerminate:
      return withParams<OnMinerSectorsTerminateParams>(params, [&](const auto& p) { return onMinerSectorsTerminate(rt, p); });
    case kCronTick:
      return cronTick(rt);
    case kGetBalanceExported:
      return withParams<Address>(params, [&](const Address& a) -> Result<Bytes> {
        FIL_ASSIGN_OR_RETURN(auto id, rt.resolveAddress(a));
        if (!id) return exitError(ExitCode::kErrIllegalArgument, fmt::format("failed to resolve address {}", a.toString()));
        FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
        FIL_ASSIGN_OR_RETURN(auto b, loadBalance(rt.store(), st, *id));
        return encodeReturn(b);
      });
    default:
      return unhandledMethod(method);
  }
}

}  // namespace fil::vm::market

namespace fil::codec {

void CborCodec<vm::market::DealLabel>::encode(CborEncoder& e, const vm::market::DealLabel& l) {
  if (l.is_string) {
    e.writeText(l.data);
  } else {
    e.writeBytes(asBytes(l.data));
  }
}

Status CborCodec<vm::market::DealLabel>::decode(CborDecoder& d, vm::market::DealLabel& out) {
  FIL_ASSIGN_OR_RETURN(auto type, d.peekType());
  if (type == MajorType::kText) {
    FIL_ASSIGN_OR_RETURN(auto text, d.readText());
    out = {std::string(text), true};
    return ok();
  }
  FIL_ASSIGN_OR_RETURN(auto bytes, d.readBytes());
  out = {std::string(asString(bytes)), false};
  return ok();
}

}  // namespace fil::codec
