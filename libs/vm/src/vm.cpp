#include "fil/vm/vm.h"

#include <fmt/format.h>

#include "actors/actors.h"
#include "fil/primitives/signature.h"
#include "fil/proofs/registered_proof.h"
#include "fil/vm/actors/account.h"
#include "fil/vm/runtime.h"

namespace fil::vm {
namespace {

// Deeper call chains fail (builtin actors never nest more than a few).
constexpr int kMaxCallDepth = 1024;

struct GasTracker {
  int64_t limit = 0;
  int64_t used = 0;

  Status charge(const GasCharge& c) {
    used += c.total();
    if (used > limit) {
      used = limit;
      return exitError(ExitCode::kSysErrOutOfGas,
                       fmt::format("not enough gas for {} (gas limit {})", c.name, limit));
    }
    return ok();
  }
};

// The blockstore actors see: every read and write is charged.
class ChargingBlockstore final : public store::Blockstore {
 public:
  ChargingBlockstore(store::Blockstore& inner, GasTracker& gas) : inner_(inner), gas_(gas) {}
  Result<Bytes> get(const cid::Cid& cid) const override {
    FIL_TRY(gas_.charge(PriceList::current().onIpldGet()));
    return inner_.get(cid);
  }
  Result<bool> has(const cid::Cid& cid) const override { return inner_.has(cid); }
  Status put(const cid::Cid& cid, BytesView data) override {
    FIL_TRY(gas_.charge(PriceList::current().onIpldPut(data.size())));
    return inner_.put(cid, data);
  }
  Status putMany(const std::vector<store::Block>& blocks) override {
    for (const auto& b : blocks) FIL_TRY(put(b.cid, b.data));
    return ok();
  }

 private:
  store::Blockstore& inner_;
  GasTracker& gas_;
};

bool isKeyAddress(const Address& a) {
  return a.defined() && (a.protocol() == primitives::AddressProtocol::kSecp256k1 ||
                         a.protocol() == primitives::AddressProtocol::kBls);
}

}  // namespace

// What one top-level message shares across its nested calls.
struct Vm::CallContext {
  CallContext(store::Blockstore& store, int64_t gas_limit, ActorId origin_id, uint64_t nonce)
      : gas{gas_limit}, charging(store, gas), origin(origin_id), origin_nonce(nonce) {}
  GasTracker gas;
  ChargingBlockstore charging;
  ActorId origin;
  uint64_t origin_nonce;
  uint64_t actors_created = 0;
  int depth = 0;
};

class Invocation final : public Runtime {
 public:
  Invocation(Vm& vm, Vm::CallContext& ctx, ActorId caller, ActorType caller_type, ActorId receiver,
             ActorType receiver_type, TokenAmount value, MethodNum method)
      : vm_(vm),
        ctx_(ctx),
        caller_(caller),
        caller_type_(caller_type),
        receiver_(receiver),
        receiver_type_(receiver_type),
        value_(std::move(value)),
        method_(method) {}

  ChainEpoch epoch() const override { return vm_.options_.epoch; }
  const chain::NetworkParams& network() const override { return *vm_.options_.network; }
  ActorId callerId() const override { return caller_; }
  ActorType callerType() const override { return caller_type_; }
  ActorId receiverId() const override { return receiver_; }
  const TokenAmount& valueReceived() const override { return value_; }
  MethodNum method() const override { return method_; }

  Result<TokenAmount> currentBalance() override {
    FIL_ASSIGN_OR_RETURN(Actor self, own());
    return self.balance;
  }
  store::Blockstore& store() override { return ctx_.charging; }
  Result<cid::Cid> head() override {
    FIL_ASSIGN_OR_RETURN(Actor self, own());
    return self.head;
  }
  Status setHead(const cid::Cid& head) override {
    FIL_ASSIGN_OR_RETURN(Actor self, own());
    self.head = head;
    return vm_.tree_->setActor(receiver(), self);
  }

  Result<Bytes> send(const Address& to, MethodNum method, Bytes params, const TokenAmount& value) override {
    return vm_.send(ctx_, receiver_, receiver_type_, to, method, params, value);
  }
  Result<std::optional<ActorId>> resolveAddress(const Address& address) override {
    return vm_.tree_->lookupId(address);
  }
  Result<std::optional<ActorType>> actorType(ActorId id) override {
    FIL_ASSIGN_OR_RETURN(auto actor, vm_.tree_->getActor(Address::id(id)));
    if (!actor) return std::optional<ActorType>();
    return actorTypeOf(actor->code);
  }
  Result<Address> resolveKeyAddress(const Address& address) override {
    if (isKeyAddress(address)) return address;
    FIL_ASSIGN_OR_RETURN(auto actor, vm_.tree_->getActor(address));
    if (!actor) return exitError(ExitCode::kErrNotFound, fmt::format("no actor at {}", address.toString()));
    if (actorTypeOf(actor->code) != ActorType::kAccount) {
      return exitError(ExitCode::kErrIllegalArgument, fmt::format("{} is not an account actor", address.toString()));
    }
    FIL_ASSIGN_OR_RETURN(auto st, withExitCode(store::getCbor<account::State>(store(), actor->head),
                                               ExitCode::kErrIllegalState, "loading account state"));
    return st.address;
  }

  Result<Address> newActorAddress() override {
    FIL_ASSIGN_OR_RETURN(Address origin_key, resolveKeyAddress(Address::id(ctx_.origin)));
    Bytes seed = codec::encode(origin_key);
    putU64BE(seed, ctx_.origin_nonce);
    putU64BE(seed, ctx_.actors_created++);
    return Address::actor(seed);
  }

  Status createActor(ActorType type, ActorId id) override {
    if (receiver_ != kInitActorId) {
      return exitError(ExitCode::kErrForbidden, "only the init actor may create actors");
    }
    if (!isImplemented(type)) {
      return exitError(ExitCode::kErrForbidden,
                       fmt::format("actors of type {} cannot be created here", actorTypeName(type)));
    }
    FIL_TRY(chargeGas(PriceList::current().onCreateActor()));
    FIL_ASSIGN_OR_RETURN(auto existing, vm_.tree_->getActor(Address::id(id)));
    if (existing) return exitError(ExitCode::kErrForbidden, fmt::format("actor {} already exists", id));
    // A new actor's head is the empty object until its constructor runs.
    FIL_ASSIGN_OR_RETURN(cid::Cid empty, store::putBlock(store(), Bytes{0x80}, cid::Codec::kDagCbor));
    return vm_.tree_->setActor(Address::id(id), Actor{codeCid(type), empty, 0, 0, std::nullopt});
  }

  Result<Randomness> randomnessFromTickets(DomainSeparationTag tag, ChainEpoch epoch, BytesView entropy) override {
    if (vm_.options_.randomness == nullptr) return fail(VmError::kFatal, "the VM has no randomness source");
    if (epoch > this->epoch()) {
      return exitError(ExitCode::kErrIllegalArgument,
                       fmt::format("randomness requested for future epoch {} (now {})", epoch, this->epoch()));
    }
    auto r = vm_.options_.randomness->fromTickets(tag, epoch, entropy);
    if (!r) return fail(VmError::kFatal, "ticket randomness: " + r.error().message());
    return r;
  }
  Result<Randomness> randomnessFromBeacon(DomainSeparationTag tag, ChainEpoch epoch, BytesView entropy) override {
    if (vm_.options_.randomness == nullptr) return fail(VmError::kFatal, "the VM has no randomness source");
    if (epoch > this->epoch()) {
      return exitError(ExitCode::kErrIllegalArgument,
                       fmt::format("randomness requested for future epoch {} (now {})", epoch, this->epoch()));
    }
    auto r = vm_.options_.randomness->fromBeacon(tag, epoch, entropy);
    if (!r) return fail(VmError::kFatal, "beacon randomness: " + r.error().message());
    return r;
  }

  Status chargeGas(const GasCharge& charge) override { return ctx_.gas.charge(charge); }

  Status verifySignature(const primitives::Signature& signature, const Address& signer,
                         BytesView plaintext) override {
    FIL_TRY(chargeGas(PriceList::current().onVerifySignature(signature.type)));
    FIL_ASSIGN_OR_RETURN(Address key, resolveKeyAddress(signer));
    auto checked = primitives::verifySignature(signature, key, plaintext);
    if (!checked) return exitError(ExitCode::kErrIllegalArgument, checked.error().message());
    return ok();
  }

  Status verifySeal(const proofs::SealVerifyInfo& info, BytesView proof) override {
    FIL_TRY(chargeGas(PriceList::current().onVerifySeal()));
    auto checked = vm_.verifier().verifySeal(info, proof);
    if (!checked) return exitError(ExitCode::kErrIllegalArgument, "invalid seal proof: " + checked.error().message());
    return ok();
  }

  Status verifyWindowPoSt(proofs::RegisteredPoStProof type, const proofs::PoStRandomness& randomness, ActorId miner,
                          std::span<const proofs::PublicSectorInfo> sectors,
                          std::span<const proofs::PoStProof> proofs) override {
    FIL_TRY(chargeGas(PriceList::current().onVerifyPost(sectors.size())));
    auto checked =
        vm_.verifier().verifyWindowPoSt(type, randomness, proofs::proverIdFromActorId(miner), sectors, proofs);
    if (!checked) {
      return exitError(ExitCode::kErrIllegalArgument, "invalid WindowPoSt: " + checked.error().message());
    }
    return ok();
  }

  Result<proofs::Commitment> computeUnsealedSectorCid(proofs::RegisteredSealProof type,
                                                      std::span<const proofs::PieceInfo> pieces) override {
    FIL_TRY(chargeGas(PriceList::current().onComputeUnsealedSectorCid()));
    auto info = proofs::sealProofInfo(type);
    if (!info) return exitError(ExitCode::kErrIllegalArgument, info.error().message());
    auto comm_d = proofs::computeCommD(info->sector_size, pieces);
    if (!comm_d) return exitError(ExitCode::kErrIllegalArgument, comm_d.error().message());
    return comm_d;
  }

 private:
  Result<Actor> own() {
    FIL_ASSIGN_OR_RETURN(auto self, vm_.tree_->getActor(receiver()));
    if (!self) return fail(VmError::kFatal, fmt::format("actor {} vanished while running", receiver_));
    return *self;
  }

  Vm& vm_;
  Vm::CallContext& ctx_;
  ActorId caller_;
  ActorType caller_type_;
  ActorId receiver_;
  ActorType receiver_type_;
  TokenAmount value_;
  MethodNum method_;
};

Vm::Vm(store::Blockstore& base, VmOptions options)
    : options_(options), buffer_(std::make_unique<BufferedBlockstore>(base)) {}

Vm::~Vm() = default;

const ProofVerifier& Vm::verifier() const {
  return options_.verifier != nullptr ? *options_.verifier : vanillaProofVerifier();
}

Result<std::unique_ptr<Vm>> Vm::load(store::Blockstore& store, const cid::Cid& state_root, VmOptions options) {
  if (options.network == nullptr) return fail(VmError::kFatal, "VmOptions.network is required");
  std::unique_ptr<Vm> vm(new Vm(store, options));
  FIL_ASSIGN_OR_RETURN(auto tree, StateTree::load(*vm->buffer_, state_root));
  vm->tree_ = std::make_unique<StateTree>(std::move(tree));
  return vm;
}

Status Vm::transfer(ActorId from, ActorId to, const TokenAmount& amount) {
  if (amount < 0) {
    return exitError(ExitCode::kErrIllegalArgument, fmt::format("cannot transfer a negative value {}", amount.str()));
  }
  if (from == to || amount == 0) return ok();
  FIL_ASSIGN_OR_RETURN(auto sender, tree_->getActor(Address::id(from)));
  FIL_ASSIGN_OR_RETURN(auto receiver, tree_->getActor(Address::id(to)));
  if (!sender || !receiver) return fail(VmError::kFatal, "transfer between actors that do not exist");
  if (sender->balance < amount) {
    return exitError(ExitCode::kSysErrInsufficientFunds,
                     fmt::format("actor {} has {} attoFIL, cannot send {}", from, sender->balance.str(), amount.str()));
  }
  sender->balance -= amount;
  receiver->balance += amount;
  FIL_TRY(tree_->setActor(Address::id(from), *sender));
  return tree_->setActor(Address::id(to), *receiver);
}

Result<ActorId> Vm::createAccountActor(CallContext& ctx, const Address& key_address) {
  FIL_TRY(ctx.gas.charge(PriceList::current().onCreateActor()));
  FIL_ASSIGN_OR_RETURN(ActorId id, tree_->registerNewAddress(key_address));
  FIL_ASSIGN_OR_RETURN(cid::Cid head, store::putCbor(ctx.charging, account::State{key_address}));
  FIL_TRY(tree_->setActor(Address::id(id), Actor{codeCid(ActorType::kAccount), head, 0, 0, std::nullopt}));
  return id;
}

Result<Bytes> Vm::send(CallContext& ctx, ActorId from, ActorType from_type, const Address& to, MethodNum method,
                       BytesView params, const TokenAmount& value) {
  if (ctx.depth >= kMaxCallDepth) {
    return exitError(ExitCode::kSysErrIllegalInstruction, fmt::format("call depth over {}", kMaxCallDepth));
  }
  ++ctx.depth;
  tree_->snapshot();
  Result<Bytes> result = [&]() -> Result<Bytes> {
    FIL_ASSIGN_OR_RETURN(auto to_id, tree_->lookupId(to));
    if (!to_id) {
      if (!isKeyAddress(to)) {
        return exitError(ExitCode::kSysErrInvalidReceiver, fmt::format("actor {} not found", to.toString()));
      }
      FIL_ASSIGN_OR_RETURN(to_id, createAccountActor(ctx, to));
    }
    FIL_TRY(ctx.gas.charge(PriceList::current().onMethodInvocation(value, method)));
    FIL_ASSIGN_OR_RETURN(auto target, tree_->getActor(Address::id(*to_id)));
    if (!target) {
      return exitError(ExitCode::kSysErrInvalidReceiver, fmt::format("actor {} not found", to.toString()));
    }
    FIL_TRY(transfer(from, *to_id, value));
    if (method == kMethodSend) return Bytes{};
    const auto type = actorTypeOf(target->code);
    if (!type || !isImplemented(*type)) {
      return exitError(ExitCode::kSysErrInvalidReceiver,
                       fmt::format("actor {} has code {} that this VM does not run", *to_id, target->code.toString()));
    }
    Invocation invocation(*this, ctx, from, from_type, *to_id, *type, value, method);
    return invokeActor(*type, invocation, method, params);
  }();
  --ctx.depth;
  if (!result) {
    // A failure undoes what the callee did (and the value sent to it).
    FIL_TRY(tree_->revert());
  }
  tree_->clearSnapshot();
  return result;
}

namespace {

Status checkMessage(const primitives::Message& m) {
  if (m.gas_limit <= 0) return fail(VmError::kInvalidMessage, fmt::format("message gas limit {} is not positive", m.gas_limit));
  if (m.value < 0) return fail(VmError::kInvalidMessage, "message value is negative");
  if (m.gas_fee_cap < 0) return fail(VmError::kInvalidMessage, "message gas fee cap is negative");
  if (m.gas_premium < 0) return fail(VmError::kInvalidMessage, "message gas premium is negative");
  if (!m.to.defined() || !m.from.defined()) return fail(VmError::kInvalidMessage, "message address is undefined");
  return ok();
}

ApplyRet rejected(ExitCode code, TokenAmount penalty, std::string why) {
  ApplyRet r;
  r.receipt.exit_code = code;
  r.receipt.v1 = true;
  r.gas.miner_penalty = std::move(penalty);
  r.error = std::move(why);
  return r;
}

}  // namespace

Result<ApplyRet> Vm::applyMessage(const primitives::SignedMessage& message) {
  auto verified = message.verify();
  if (!verified) {
    return fail(VmError::kInvalidMessage,
                fmt::format("message {} has a bad signature: {}", message.cid().toString(), verified.error().message()));
  }
  return applyMessage(message.message, codec::encode(message).size());
}

Result<ApplyRet> Vm::applyMessage(const primitives::Message& msg, size_t chain_length) {
  FIL_TRY(checkMessage(msg));
  const PriceList& prices = PriceList::current();
  const GasCharge msg_gas = prices.onChainMessage(chain_length);
  if (msg_gas.total() > msg.gas_limit) {
    return rejected(ExitCode::kSysErrOutOfGas, options_.base_fee * msg_gas.total(),
                    "message gas limit does not cover on-chain gas costs");
  }
  const TokenAmount miner_penalty = options_.base_fee * msg.gas_limit;
  FIL_ASSIGN_OR_RETURN(auto from_id, tree_->lookupId(msg.from));
  std::optional<Actor> from_actor;
  if (from_id) {
    FIL_ASSIGN_OR_RETURN(from_actor, tree_->getActor(Address::id(*from_id)));
  }
  if (!from_actor) {
    return rejected(ExitCode::kSysErrSenderInvalid, miner_penalty, fmt::format("actor not found: {}", msg.from.toString()));
  }
  if (actorTypeOf(from_actor->code) != ActorType::kAccount) {
    return rejected(ExitCode::kSysErrSenderInvalid, miner_penalty,
                    fmt::format("send from not account actor: {}", msg.from.toString()));
  }
  if (msg.nonce != from_actor->nonce) {
    return rejected(ExitCode::kSysErrSenderStateInvalid, miner_penalty,
                    fmt::format("actor nonce invalid: msg:{} != state:{}", msg.nonce, from_actor->nonce));
  }
  const TokenAmount gas_cost = TokenAmount(msg.gas_limit) * msg.gas_fee_cap;
  if (from_actor->balance < gas_cost) {
    return rejected(ExitCode::kSysErrSenderStateInvalid, miner_penalty,
                    fmt::format("actor balance less than needed: {} < {}", primitives::formatFil(from_actor->balance),
                                primitives::formatFil(gas_cost)));
  }
  // The gas holder: the most the message can pay leaves the sender first.
  from_actor->balance -= gas_cost;
  from_actor->nonce += 1;
  FIL_TRY(tree_->setActor(Address::id(*from_id), *from_actor));

  CallContext ctx(*buffer_, msg.gas_limit, *from_id, msg.nonce);
  FIL_TRY(ctx.gas.charge(msg_gas));  // covered: checked above
  tree_->snapshot();
  Result<Bytes> ret = send(ctx, *from_id, ActorType::kAccount, msg.to, msg.method, msg.params, msg.value);
  if (!ret && isFatal(ret.error())) {
    FIL_TRY(tree_->revert());
    tree_->clearSnapshot();
    return fail(std::move(ret).error().withContext(
        fmt::format("applying message from {} nonce {} at epoch {}", msg.from.toString(), msg.nonce, options_.epoch)));
  }
  if (ret && !ret->empty()) {
    auto charged = ctx.gas.charge(prices.onChainReturnValue(ret->size()));
    if (!charged) ret = tl::unexpected<Error>(std::move(charged).error());
  }
  ApplyRet out;
  if (!ret) {
    FIL_TRY(tree_->revert());
    out.receipt.exit_code = exitCodeOf(ret.error());
    out.error = ret.error().message();
  } else {
    out.receipt.return_value = std::move(*ret);
  }
  tree_->clearSnapshot();
  out.receipt.gas_used = std::max<int64_t>(ctx.gas.used, 0);
  out.receipt.v1 = true;  // nv18+: receipts carry an events root (null: no events here)

  out.gas = computeGasOutputs(out.receipt.gas_used, msg.gas_limit, options_.base_fee, msg.gas_fee_cap,
                              msg.gas_premium, true);
  const GasOutputs& g = out.gas;
  if (g.base_fee_burn + g.over_estimation_burn + g.miner_tip + g.refund != gas_cost) {
    return fail(VmError::kFatal, "gas handling math is wrong");
  }
  FIL_TRY(credit(kBurntFundsActorId, g.base_fee_burn + g.over_estimation_burn));
  FIL_TRY(credit(kRewardActorId, g.miner_tip));
  FIL_TRY(credit(*from_id, g.refund));
  return out;
}

Status Vm::credit(ActorId id, const TokenAmount& amount) {
  if (amount == 0) return ok();
  if (amount < 0) return fail(VmError::kFatal, fmt::format("negative gas payment {} to {}", amount.str(), id));
  FIL_ASSIGN_OR_RETURN(auto actor, tree_->getActor(Address::id(id)));
  if (!actor) return fail(VmError::kFatal, fmt::format("gas payment to missing actor {}", id));
  actor->balance += amount;
  return tree_->setActor(Address::id(id), *actor);
}

Result<ApplyRet> Vm::applyImplicitMessage(const primitives::Message& msg) {
  // Lotus applies cron and rewards from the system actor, and genesis
  // set-up from other actors; none of them pays gas or checks nonces.
  FIL_ASSIGN_OR_RETURN(auto from_id, tree_->lookupId(msg.from));
  std::optional<Actor> from_actor;
  if (from_id) {
    FIL_ASSIGN_OR_RETURN(from_actor, tree_->getActor(Address::id(*from_id)));
  }
  if (!from_actor) return fail(VmError::kInvalidMessage, "implicit message from missing actor " + msg.from.toString());
  const auto from_type = actorTypeOf(from_actor->code);
  if (!from_type) return fail(VmError::kInvalidMessage, "implicit message from an actor of unknown code");
  CallContext ctx(*buffer_, msg.gas_limit > 0 ? msg.gas_limit : kImplicitMessageGasLimit, *from_id, msg.nonce);
  Result<Bytes> ret = send(ctx, *from_id, *from_type, msg.to, msg.method, msg.params, msg.value);
  if (!ret && isFatal(ret.error())) return fail(std::move(ret).error());
  ApplyRet out;
  out.receipt.v1 = true;
  if (!ret) {
    out.receipt.exit_code = exitCodeOf(ret.error());
    out.error = ret.error().message();
  } else {
    out.receipt.return_value = std::move(*ret);
  }
  return out;
}

Result<cid::Cid> Vm::flush() {
  FIL_ASSIGN_OR_RETURN(cid::Cid root, tree_->flush());
  FIL_TRY(buffer_->flush(root));
  return root;
}

}  // namespace fil::vm
