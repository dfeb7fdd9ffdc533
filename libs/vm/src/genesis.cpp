#include "fil/vm/genesis.h"

#include <set>

#include <fmt/format.h>

#include "fil/base/base58.h"
#include "fil/chain/genesis_block.h"
#include "fil/codec/json.h"
#include "fil/primitives/json.h"
#include "fil/proofs/registered_proof.h"
#include "fil/store/amt.h"
#include "fil/store/car.h"
#include "fil/vm/actors/account.h"
#include "fil/vm/actors/cron.h"
#include "fil/vm/actors/init.h"
#include "fil/vm/actors/miner.h"
#include "fil/vm/actors/power.h"
#include "fil/vm/actors/reward.h"
#include "fil/vm/actors/system.h"
#include "fil/vm/buffered_blockstore.h"
#include "fil/vm/exit.h"
#include "fil/vm/state_tree.h"
#include "fil/vm/vm.h"

// A deal label's JSON is its text (go-state-types DealLabel).
template <>
struct fil::codec::JsonCodec<fil::vm::market::DealLabel> {
  static Json toJson(const vm::market::DealLabel& l) { return l.data; }
  static Status fromJson(const Json& j, vm::market::DealLabel& out) {
    if (!j.is_string()) return fail(detail::jsonTypeError(j, "a deal label string"));
    out = {j.get<std::string>(), true};
    return ok();
  }
};

namespace fil::vm::genesis {
namespace {

using codec::Json;

Error genesisError(std::string message) { return Error(VmError::kInvalidState, std::move(message)); }

Result<Json> parseJson(std::string_view text, std::string_view what) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded()) return fail(genesisError(fmt::format("{} is not valid JSON", what)));
  return j;
}

// Go's encoding/json matches keys case-insensitively; so do we.
const Json* field(const Json& object, std::string_view name) { return codec::detail::findKey(object, name); }

template <typename T>
Status readField(const Json& object, std::string_view name, T& out, bool required = true) {
  const Json* f = field(object, name);
  if (f == nullptr) {
    if (required) return fail(genesisError(fmt::format("missing field \"{}\"", name)));
    return ok();
  }
  return codec::fromJson(*f, out).map_error([&](Error e) { return std::move(e).withContext(std::string(name)); });
}

Json actorToJson(const ActorEntry& a) {
  Json j = Json::object();
  j["Type"] = a.type;
  j["Balance"] = primitives::toDecimal(a.balance);
  j["Meta"] = Json::parse(a.meta_json, nullptr, false);
  if (j["Meta"].is_discarded()) j["Meta"] = nullptr;
  return j;
}

Result<ActorEntry> actorFromJson(const Json& j) {
  if (!j.is_object()) return fail(genesisError("a genesis actor must be an object"));
  ActorEntry a;
  FIL_TRY(readField(j, "Type", a.type));
  FIL_TRY(readField(j, "Balance", a.balance));
  const Json* meta = field(j, "Meta");
  a.meta_json = meta ? meta->dump() : "null";
  return a;
}

Json keyToJson(const primitives::KeyInfo& k) {
  return Json{{"Type", k.type}, {"PrivateKey", toBase64(k.private_key)}};
}

Json minerToJson(const Miner& m) {
  Json j = Json::object();
  j["ID"] = m.id.toString();
  j["Owner"] = m.owner.toString();
  j["Worker"] = m.worker.toString();
  j["PeerId"] = m.peer_id;
  j["MarketBalance"] = primitives::toDecimal(m.market_balance);
  j["PowerBalance"] = primitives::toDecimal(m.power_balance);
  j["SectorSize"] = m.sector_size;
  Json sectors = Json::array();
  for (const auto& s : m.sectors) {
    Json ps = Json::object();
    ps["CommR"] = codec::toJson(s.comm_r);
    ps["CommD"] = codec::toJson(s.comm_d);
    ps["SectorID"] = s.sector_id;
    ps["Deal"] = codec::toJson(s.deal);
    ps["DealClientKey"] = keyToJson(s.deal_client_key);
    ps["ProofType"] = s.proof_type;
    sectors.push_back(std::move(ps));
  }
  j["Sectors"] = m.sectors.empty() ? Json(nullptr) : std::move(sectors);
  return j;
}

Result<Miner> minerFromJson(const Json& j) {
  if (!j.is_object()) return fail(genesisError("a genesis miner must be an object"));
  Miner m;
  FIL_TRY(readField(j, "ID", m.id, false));
  FIL_TRY(readField(j, "Owner", m.owner));
  FIL_TRY(readField(j, "Worker", m.worker));
  FIL_TRY(readField(j, "PeerId", m.peer_id, false));
  FIL_TRY(readField(j, "MarketBalance", m.market_balance, false));
  FIL_TRY(readField(j, "PowerBalance", m.power_balance, false));
  FIL_TRY(readField(j, "SectorSize", m.sector_size));
  const Json* sectors = field(j, "Sectors");
  if (sectors != nullptr && !sectors->is_null()) {
    if (!sectors->is_array()) return fail(genesisError("Sectors must be an array"));
    for (size_t i = 0; i < sectors->size(); ++i) {
      const Json& s = (*sectors)[i];
      auto in_sector = [&](Status st) {
        return st.map_error([&](Error e) { return std::move(e).withContext(fmt::format("Sectors[{}]", i)); });
      };
      if (!s.is_object()) return fail(genesisError(fmt::format("Sectors[{}] must be an object", i)));
      PreSeal ps;
      FIL_TRY(in_sector(readField(s, "CommR", ps.comm_r)));
      FIL_TRY(in_sector(readField(s, "CommD", ps.comm_d)));
      FIL_TRY(in_sector(readField(s, "SectorID", ps.sector_id)));
      FIL_TRY(in_sector(readField(s, "Deal", ps.deal)));
      FIL_TRY(in_sector(readField(s, "ProofType", ps.proof_type)));
      const Json* key = field(s, "DealClientKey");
      if (key == nullptr) return fail(genesisError(fmt::format("Sectors[{}]: missing field \"DealClientKey\"", i)));
      FIL_ASSIGN_OR_RETURN(ps.deal_client_key,
                           primitives::keyInfoFromJson(key->dump()).map_error([&](Error e) {
                             return std::move(e).withContext(fmt::format("Sectors[{}].DealClientKey", i));
                           }));
      m.sectors.push_back(std::move(ps));
    }
  }
  return m;
}

Result<Address> accountOwner(const ActorEntry& a, std::string_view what) {
  if (a.type != "account") {
    return fail(genesisError(fmt::format("{} is a {} actor; only \"account\" genesis actors are supported here "
                                         "(this VM has no multisig actor)", what, a.type)));
  }
  FIL_ASSIGN_OR_RETURN(Json meta, parseJson(a.meta_json, fmt::format("{} Meta", what)));
  Address owner;
  if (!meta.is_object()) return fail(genesisError(fmt::format("{} Meta must be an object", what)));
  FIL_TRY(readField(meta, "Owner", owner).map_error([&](Error e) { return std::move(e).withContext(what); }));
  if (owner.protocol() != primitives::AddressProtocol::kSecp256k1 &&
      owner.protocol() != primitives::AddressProtocol::kBls) {
    return fail(genesisError(fmt::format("{} owner {} must be a key address", what, owner.toString())));
  }
  return owner;
}

// Randomness does not exist before the first block; genesis set-up never draws it.
class NoRandomness final : public chain::RandomnessSource {
 public:
  Result<chain::Randomness> fromTickets(chain::DomainSeparationTag, chain::ChainEpoch, BytesView) const override {
    return fail(VmError::kFatal, "no ticket randomness at genesis");
  }
  Result<chain::Randomness> fromBeacon(chain::DomainSeparationTag, chain::ChainEpoch, BytesView) const override {
    return fail(VmError::kFatal, "no beacon randomness at genesis");
  }
};

struct MsgMeta {
  cid::Cid bls_messages;
  cid::Cid secpk_messages;
};
FIL_CBOR_TUPLE(MsgMeta, (bls_messages, "BlsMessages"), (secpk_messages, "SecpkMessages"))

template <typename S>
Status putActor(StateTree& tree, store::Blockstore& store, ActorId id, ActorType type, const S& state,
                const TokenAmount& balance) {
  FIL_ASSIGN_OR_RETURN(cid::Cid head, store::putCbor(store, state));
  return tree.setActor(Address::id(id), Actor{codeCid(type), head, 0, balance, std::nullopt});
}

Result<Bytes> implicitCall(Vm& vm, const Address& from, const Address& to, MethodNum method, Bytes params,
                           const TokenAmount& value, std::string_view what) {
  primitives::Message m;
  m.from = from;
  m.to = to;
  m.method = method;
  m.params = std::move(params);
  m.value = value;
  m.gas_limit = kImplicitMessageGasLimit;
  FIL_ASSIGN_OR_RETURN(ApplyRet r, vm.applyImplicitMessage(m));
  if (r.receipt.exit_code != ExitCode::kOk) {
    return fail(genesisError(fmt::format("{} failed with exit code {}: {}", what, static_cast<int64_t>(r.receipt.exit_code),
                                         r.error)));
  }
  return std::move(r.receipt.return_value);
}

// Builds the singleton actors and the accounts; returns the state root.
Result<cid::Cid> makeInitialState(store::Blockstore& store, const Template& t) {
  FIL_ASSIGN_OR_RETURN(StateTree tree, StateTree::create(store));
  FIL_ASSIGN_OR_RETURN(auto system_state, system::makeState(store));
  FIL_TRY(putActor(tree, store, kSystemActorId, ActorType::kSystem, system_state, 0));

  FIL_ASSIGN_OR_RETURN(init::State init_state, init::makeState(store, t.network_name));
  init_state.next_id = kMinerStart;
  std::vector<std::pair<ActorId, Address>> accounts;
  std::set<Address> seen;
  ActorId next = kAccountStart;
  for (size_t i = 0; i < t.accounts.size(); ++i) {
    FIL_ASSIGN_OR_RETURN(Address owner, accountOwner(t.accounts[i], fmt::format("Accounts[{}]", i)));
    if (!seen.insert(owner).second) {
      return fail(genesisError(fmt::format("Accounts[{}]: {} is listed twice", i, owner.toString())));
    }
    if (next >= kMinerStart) return fail(genesisError("too many genesis accounts"));
    FIL_TRY(init::mapAddressToId(store, init_state, owner, next));
    accounts.emplace_back(next++, owner);
  }
  FIL_ASSIGN_OR_RETURN(Address root_key, accountOwner(t.verifreg_root_key, "VerifregRootKey"));
  FIL_ASSIGN_OR_RETURN(Address remainder, accountOwner(t.remainder_account, "RemainderAccount"));
  if (seen.contains(root_key)) {
    return fail(genesisError(fmt::format("rootkey account has already been declared, cannot be assigned 80: {}",
                                         root_key.toString())));
  }
  if (seen.contains(remainder)) {
    return fail(genesisError(fmt::format("remainder account has already been declared, cannot be assigned 90: {}",
                                         remainder.toString())));
  }
  FIL_TRY(init::mapAddressToId(store, init_state, root_key, kRootVerifierActorId));
  // The default template gives both the same key: it then names f080, and
  // f090 is reached by its ID (remapping the key would orphan f080).
  if (remainder != root_key) FIL_TRY(init::mapAddressToId(store, init_state, remainder, kReserveActorId));
  FIL_TRY(putActor(tree, store, kInitActorId, ActorType::kInit, init_state, 0));

  FIL_TRY(putActor(tree, store, kRewardActorId, ActorType::kReward, reward::makeState(), reward::kStorageMiningAllocation));
  FIL_TRY(putActor(tree, store, kCronActorId, ActorType::kCron, cron::State{cron::genesisEntries()}, 0));
  FIL_ASSIGN_OR_RETURN(auto power_state, power::makeState(store));
  FIL_TRY(putActor(tree, store, kPowerActorId, ActorType::kPower, power_state, 0));
  FIL_ASSIGN_OR_RETURN(auto market_state, market::makeState(store));
  FIL_TRY(putActor(tree, store, kMarketActorId, ActorType::kMarket, market_state, 0));
  FIL_TRY(putActor(tree, store, kBurntFundsActorId, ActorType::kAccount, account::State{burntFundsActorAddress()}, 0));

  TokenAmount allocated = reward::kStorageMiningAllocation;
  for (size_t i = 0; i < accounts.size(); ++i) {
    const TokenAmount& balance = t.accounts[i].balance;
    if (balance < 0) return fail(genesisError(fmt::format("Accounts[{}] has a negative balance", i)));
    FIL_TRY(putActor(tree, store, accounts[i].first, ActorType::kAccount, account::State{accounts[i].second}, balance));
    allocated += balance;
  }
  FIL_TRY(putActor(tree, store, kRootVerifierActorId, ActorType::kAccount, account::State{root_key},
                   t.verifreg_root_key.balance));
  allocated += t.verifreg_root_key.balance;
  const TokenAmount remaining = kTotalFilecoin - allocated;
  if (remaining < 0) {
    return fail(genesisError(fmt::format("genesis allocates {} FIL, more than the {} FIL that exist",
                                         primitives::formatFil(allocated), primitives::formatFil(kTotalFilecoin))));
  }
  FIL_TRY(putActor(tree, store, kReserveActorId, ActorType::kAccount, account::State{remainder}, remaining));
  return tree.flush();
}

Status setUpMiner(Vm& vm, const Miner& m, size_t index, const chain::NetworkParams& net) {
  const ActorId expected = kMinerStart + index;
  if (m.id.defined() && m.id != Address::id(expected)) {
    return fail(genesisError(fmt::format("miner {} of the template must be t0{}, not {}", index, expected, m.id.toString())));
  }
  auto proof = proofs::sealProofForSectorSize(m.sector_size);
  if (!proof) return fail(genesisError(fmt::format("miner t0{}: {}", expected, proof.error().message())));
  FIL_ASSIGN_OR_RETURN(auto post, proofs::windowPoStProofFor(*proof));
  Bytes peer;
  if (!m.peer_id.empty()) {
    auto decoded = fromBase58(m.peer_id);
    if (!decoded) return fail(genesisError(fmt::format("miner t0{}: PeerId {} is not base58", expected, m.peer_id)));
    peer = std::move(*decoded);
  }
  // As Lotus: the worker key owns the genesis miner.
  power::CreateMinerParams create{m.worker, m.worker, static_cast<int64_t>(post), peer, {}};
  FIL_ASSIGN_OR_RETURN(Bytes raw, implicitCall(vm, m.owner, powerActorAddress(), power::kCreateMiner,
                                               codec::encode(create), m.power_balance,
                                               fmt::format("creating miner t0{}", expected)));
  FIL_ASSIGN_OR_RETURN(auto created, codec::decode<power::CreateMinerReturn>(raw));
  if (created.id_address != Address::id(expected)) {
    return fail(genesisError(fmt::format("miner assigned wrong address: {} != t0{}", created.id_address.toString(), expected)));
  }
  const Address maddr = created.id_address;
  if (m.market_balance > 0) {
    FIL_TRY(implicitCall(vm, m.worker, marketActorAddress(), market::kAddBalance, codec::encode(maddr), m.market_balance,
                         "adding market balance"));
  }
  if (m.sectors.empty()) return ok();

  // Pre-sealed sectors last for the longest lifetime the policy allows.
  FIL_ASSIGN_OR_RETURN(auto actor, vm.stateTree().getActor(maddr));
  FIL_ASSIGN_OR_RETURN(auto mst, store::getCbor<miner::State>(vm.store(), actor->head));
  const int64_t max_periods = net.max_sector_expiration_extension / net.wpost_proving_period;
  const int64_t expiration = (max_periods - 1) * net.wpost_proving_period + mst.proving_period_start - 1;

  market::PublishStorageDealsParams publish;
  for (const auto& ps : m.sectors) {
    if (ps.proof_type != static_cast<int64_t>(*proof)) {
      return fail(genesisError(fmt::format("sector {} of t0{} has proof type {}, expected {}", ps.sector_id, expected,
                                           ps.proof_type, static_cast<int64_t>(*proof))));
    }
    market::DealProposal deal = ps.deal;
    deal.end_epoch = expiration;
    deal.provider = maddr;
    if (ps.deal_client_key.type != primitives::kKeyTypeSecp256k1) {
      return fail(genesisError(fmt::format("sector {} of t0{}: deal client key of type {} cannot sign here (secp256k1 only)",
                                           ps.sector_id, expected, ps.deal_client_key.type)));
    }
    FIL_ASSIGN_OR_RETURN(auto signed_deal, market::signProposal(deal, ps.deal_client_key.private_key));
    publish.deals.push_back(std::move(signed_deal));
  }
  FIL_ASSIGN_OR_RETURN(Bytes published, implicitCall(vm, m.worker, marketActorAddress(), market::kPublishStorageDeals,
                                                     codec::encode(publish), 0, "publishing pre-sealed deals"));
  FIL_ASSIGN_OR_RETURN(auto ids, codec::decode<market::PublishStorageDealsReturn>(published));
  if (ids.ids.size() != m.sectors.size()) {
    return fail(genesisError(fmt::format("{} of {} pre-sealed deals of t0{} were invalid", m.sectors.size() - ids.ids.size(),
                                         m.sectors.size(), expected)));
  }

  // Enough for each sector's deposit and pledge (1 FIL per 32 GiB each, the cap).
  const TokenAmount per_sector = primitives::kFilecoinPrecision * m.sector_size / (TokenAmount(32) << 30) * 2;
  miner::PreCommitSectorBatchParams2 batch;
  miner::ConfirmSectorProofsParams confirm;
  for (size_t i = 0; i < m.sectors.size(); ++i) {
    const auto& ps = m.sectors[i];
    batch.sectors.push_back({ps.proof_type, ps.sector_id, ps.comm_r, -1, {ids.ids[i]}, expiration, ps.comm_d});
    confirm.sectors.push_back(ps.sector_id);
  }
  FIL_TRY(implicitCall(vm, m.worker, maddr, miner::kPreCommitSectorBatch2, codec::encode(batch),
                       per_sector * m.sectors.size(), "pre-committing pre-sealed sectors"));
  FIL_TRY(implicitCall(vm, powerActorAddress(), maddr, miner::kConfirmSectorProofsValid, codec::encode(confirm), 0,
                       "confirming pre-sealed sectors"));

  // Pre-sealed sectors have power from the start (Lotus EraseAllUnproven).
  FIL_ASSIGN_OR_RETURN(actor, vm.stateTree().getActor(maddr));
  FIL_ASSIGN_OR_RETURN(mst, store::getCbor<miner::State>(vm.store(), actor->head));
  FIL_ASSIGN_OR_RETURN(miner::PowerPair added, miner::eraseAllUnproven(vm.store(), mst));
  FIL_ASSIGN_OR_RETURN(actor->head, store::putCbor(vm.store(), mst));
  FIL_TRY(vm.stateTree().setActor(maddr, *actor));
  FIL_TRY(implicitCall(vm, maddr, powerActorAddress(), power::kUpdateClaimedPower,
                       codec::encode(power::UpdateClaimedPowerParams{added.raw, added.qa}), 0, "claiming genesis power"));
  return ok();
}

}  // namespace

ActorEntry accountEntry(const Address& owner, const TokenAmount& balance) {
  ActorEntry a;
  a.type = "account";
  a.balance = balance;
  a.meta_json = Json{{"Owner", owner.toString()}}.dump();
  return a;
}

Template newTemplate(std::string network_name, uint64_t timestamp) {
  Template t;
  t.network_name = std::move(network_name);
  t.timestamp = timestamp;
  const Address key = *Address::parse(kDefaultRemainderKey);
  t.verifreg_root_key = accountEntry(key, 0);
  t.remainder_account = accountEntry(key, 0);
  return t;
}

Status addMiners(Template& t, const std::map<std::string, Miner>& miners, int64_t balance_fil) {
  for (const auto& [name, miner] : miners) {
    FIL_ASSIGN_OR_RETURN(Address maddr, Address::parse(name).map_error([&](Error e) {
      return std::move(e).withContext("parsing miner address " + name);
    }));
    const ActorId want = kMinerStart + t.miners.size();
    if (!maddr.isId() || *maddr.idValue() != want) {
      return fail(genesisError(fmt::format("tried to set miner {} as t0{}", name, want)));
    }
    Miner m = miner;
    m.id = maddr;
    t.miners.push_back(std::move(m));
    t.accounts.push_back(accountEntry(miner.owner, TokenAmount(balance_fil) * primitives::kFilecoinPrecision));
  }
  return ok();
}

Result<std::string> templateToJson(const Template& t) {
  Json j = Json::object();
  j["NetworkVersion"] = t.network_version;
  Json accounts = Json::array();
  for (const auto& a : t.accounts) accounts.push_back(actorToJson(a));
  j["Accounts"] = std::move(accounts);
  Json miners = Json::array();
  for (const auto& m : t.miners) miners.push_back(minerToJson(m));
  j["Miners"] = std::move(miners);
  j["NetworkName"] = t.network_name;
  if (t.timestamp != 0) j["Timestamp"] = t.timestamp;
  j["VerifregRootKey"] = actorToJson(t.verifreg_root_key);
  j["RemainderAccount"] = actorToJson(t.remainder_account);
  return j.dump(2);
}

Result<Template> templateFromJson(std::string_view text) {
  FIL_ASSIGN_OR_RETURN(Json j, parseJson(text, "the genesis template"));
  if (!j.is_object()) return fail(genesisError("the genesis template must be a JSON object"));
  Template t;
  FIL_TRY(readField(j, "NetworkVersion", t.network_version, false));
  FIL_TRY(readField(j, "NetworkName", t.network_name, false));
  FIL_TRY(readField(j, "Timestamp", t.timestamp, false));
  auto list = [&](std::string_view name, auto&& each) -> Status {
    const Json* a = field(j, name);
    if (a == nullptr || a->is_null()) return ok();
    if (!a->is_array()) return fail(genesisError(fmt::format("{} must be an array", name)));
    for (size_t i = 0; i < a->size(); ++i) {
      FIL_TRY(each((*a)[i]).map_error([&](Error e) { return std::move(e).withContext(fmt::format("{}[{}]", name, i)); }));
    }
    return ok();
  };
  FIL_TRY(list("Accounts", [&](const Json& a) -> Status {
    FIL_ASSIGN_OR_RETURN(auto entry, actorFromJson(a));
    t.accounts.push_back(std::move(entry));
    return ok();
  }));
  FIL_TRY(list("Miners", [&](const Json& m) -> Status {
    FIL_ASSIGN_OR_RETURN(auto miner, minerFromJson(m));
    t.miners.push_back(std::move(miner));
    return ok();
  }));
  for (auto [name, slot] : {std::pair{"VerifregRootKey", &t.verifreg_root_key}, {"RemainderAccount", &t.remainder_account}}) {
    const Json* a = field(j, name);
    if (a == nullptr) return fail(genesisError(fmt::format("the genesis template has no {}", name)));
    FIL_ASSIGN_OR_RETURN(*slot, actorFromJson(*a).map_error([&](Error e) { return std::move(e).withContext(name); }));
  }
  return t;
}

Result<std::string> minersToJson(const std::map<std::string, Miner>& miners) {
  Json j = Json::object();
  for (const auto& [name, m] : miners) j[name] = minerToJson(m);
  return j.dump(2);
}

Result<std::map<std::string, Miner>> minersFromJson(std::string_view text) {
  FIL_ASSIGN_OR_RETURN(Json j, parseJson(text, "the pre-seal manifest"));
  if (!j.is_object()) return fail(genesisError("the pre-seal manifest must be an object of miners by address"));
  std::map<std::string, Miner> out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    FIL_ASSIGN_OR_RETURN(Miner m, minerFromJson(it.value()).map_error([&](Error e) { return std::move(e).withContext(it.key()); }));
    out.emplace(it.key(), std::move(m));
  }
  return out;
}

Result<GenesisState> buildGenesisState(store::Blockstore& store, const Template& t, const chain::NetworkParams& network) {
  BufferedBlockstore buffer(store);
  FIL_ASSIGN_OR_RETURN(cid::Cid root, makeInitialState(buffer, t));
  NoRandomness no_randomness;
  VmOptions options{0, 0, &network, &no_randomness, nullptr};
  FIL_ASSIGN_OR_RETURN(auto vm, Vm::load(buffer, root, options));
  GenesisState out;
  for (size_t i = 0; i < t.miners.size(); ++i) {
    FIL_TRY(setUpMiner(*vm, t.miners[i], i, network).map_error([&](Error e) {
      return std::move(e).withContext(fmt::format("genesis miner t0{}", kMinerStart + i));
    }));
    out.miners.push_back(Address::id(kMinerStart + i));
  }
  // The power the first epoch's consensus and pledge calculations see.
  FIL_ASSIGN_OR_RETURN(auto power_actor, vm->stateTree().getActor(powerActorAddress()));
  FIL_ASSIGN_OR_RETURN(auto ps, store::getCbor<power::State>(vm->store(), power_actor->head));
  auto [raw, qa] = power::currentTotalPower(ps);
  ps.this_epoch_raw_byte_power = raw;
  ps.this_epoch_quality_adj_power = qa;
  ps.this_epoch_pledge_collateral = ps.total_pledge_collateral;
  ps.this_epoch_qa_power_smoothed = constantEstimate(qa);
  FIL_ASSIGN_OR_RETURN(power_actor->head, store::putCbor(vm->store(), ps));
  FIL_TRY(vm->stateTree().setActor(powerActorAddress(), *power_actor));
  FIL_ASSIGN_OR_RETURN(out.state_root, vm->flush());
  FIL_TRY(buffer.flush(out.state_root));

  FIL_ASSIGN_OR_RETURN(cid::Cid empty_amt, store::Amt(store, {3, store::AmtVersion::kV0}).flush());
  FIL_ASSIGN_OR_RETURN(out.messages_root, store::putCbor(store, MsgMeta{empty_amt, empty_amt}));
  out.receipts_root = empty_amt;
  out.timestamp = t.timestamp;
  out.network_name = t.network_name;
  return out;
}

Status writeCar(store::Blockstore& store, const std::vector<cid::Cid>& roots, store::ByteSink& sink) {
  FIL_ASSIGN_OR_RETURN(auto writer, store::CarWriter::create(sink, roots));
  std::set<cid::Cid> seen;
  std::vector<cid::Cid> stack(roots.rbegin(), roots.rend());
  while (!stack.empty()) {
    cid::Cid c = std::move(stack.back());
    stack.pop_back();
    if (!seen.insert(c).second) continue;
    // State blocks are DAG-CBOR. Other links name what is not a block of
    // ours: actor code (the WASM modules of Lotus's builtin-actors bundle;
    // our actors are native) and sector commitments (comm_r, comm_d).
    if (c.codec() != cid::Codec::kDagCbor) continue;
    FIL_ASSIGN_OR_RETURN(Bytes data, store.get(c));
    FIL_TRY(writer.put(c, data));
    // The Filecoin genesis block every genesis names as its parent is
    // Lotus's fixed bytes: not canonical DAG-CBOR (its map keys are out of
    // order), and without links.
    if (c == chain::filecoinGenesisCid()) continue;
    FIL_ASSIGN_OR_RETURN(auto links, cborLinks(data));
    for (auto it = links.rbegin(); it != links.rend(); ++it) stack.push_back(std::move(*it));
  }
  return ok();
}

}  // namespace fil::vm::genesis
