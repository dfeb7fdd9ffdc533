// What a builtin actor sees while one of its methods runs: the message that
// called it, its own state and balance, sends to other actors, randomness
// and the proof and signature checks (builtin-actors' Runtime trait).
//
//   Result<Bytes> changePeerId(Runtime& rt, BytesView raw) {
//     FIL_ASSIGN_OR_RETURN(auto params, decodeParams<ChangePeerIdParams>(raw));
//     FIL_ASSIGN_OR_RETURN(auto st, rt.state<MinerState>());
//     ...
//     FIL_TRY(rt.saveState(st));
//     return Bytes{};
//   }
//
// Every call charges gas; running out fails with kSysErrOutOfGas. A method's
// changes are kept only if it returns success (the VM reverts them
// otherwise), and a failed send() reverts only what the callee did.
#pragma once

#include <initializer_list>
#include <optional>
#include <span>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/chain/network.h"
#include "fil/chain/randomness.h"
#include "fil/cid/cid.h"
#include "fil/codec/cbor.h"
#include "fil/primitives/signature.h"
#include "fil/proofs/commp.h"
#include "fil/proofs/porep.h"
#include "fil/proofs/post.h"
#include "fil/store/blockstore.h"
#include "fil/vm/actor.h"
#include "fil/vm/exit.h"
#include "fil/vm/gas.h"

namespace fil::vm {

using chain::ChainEpoch;
using chain::DomainSeparationTag;
using chain::Randomness;

class Runtime {
 public:
  virtual ~Runtime() = default;

  // ---- the message ----
  virtual ChainEpoch epoch() const = 0;
  virtual const chain::NetworkParams& network() const = 0;
  virtual ActorId callerId() const = 0;
  virtual ActorType callerType() const = 0;
  virtual ActorId receiverId() const = 0;
  virtual const TokenAmount& valueReceived() const = 0;
  virtual MethodNum method() const = 0;
  Address caller() const { return Address::id(callerId()); }
  Address receiver() const { return Address::id(receiverId()); }

  // ---- caller checks (kErrForbidden) ----
  [[nodiscard]] Status validateCallerIs(std::initializer_list<ActorId> ids) const;
  [[nodiscard]] Status validateCallerIs(std::span<const ActorId> ids) const;
  [[nodiscard]] Status validateCallerType(std::initializer_list<ActorType> types) const;

  // ---- own state and balance ----
  [[nodiscard]] virtual Result<TokenAmount> currentBalance() = 0;
  virtual store::Blockstore& store() = 0;  // charges gas on every get and put
  [[nodiscard]] virtual Result<cid::Cid> head() = 0;
  [[nodiscard]] virtual Status setHead(const cid::Cid& head) = 0;

  template <typename T>
  [[nodiscard]] Result<T> state() {
    FIL_ASSIGN_OR_RETURN(cid::Cid h, head());
    return withExitCode(store::getCbor<T>(store(), h), ExitCode::kErrIllegalState, "loading actor state");
  }
  template <typename T>
  [[nodiscard]] Status saveState(const T& st) {
    FIL_ASSIGN_OR_RETURN(cid::Cid c, withExitCode(store::putCbor(store(), st), ExitCode::kErrIllegalState,
                                                  "storing actor state"));
    return setHead(c);
  }

  // ---- other actors ----
  // Sends `value` and calls `method` on `to`; returns the callee's return
  // bytes, or its error (with its exit code).
  [[nodiscard]] virtual Result<Bytes> send(const Address& to, MethodNum method, Bytes params,
                                           const TokenAmount& value) = 0;
  template <typename P>
  [[nodiscard]] Result<Bytes> sendCbor(const Address& to, MethodNum method, const P& params,
                                       const TokenAmount& value) {
    return send(to, method, codec::encode(params), value);
  }
  // The ID behind an address, or nullopt when no actor has it.
  [[nodiscard]] virtual Result<std::optional<ActorId>> resolveAddress(const Address& address) = 0;
  // The type of the actor with `id`, or nullopt when there is none.
  [[nodiscard]] virtual Result<std::optional<ActorType>> actorType(ActorId id) = 0;
  // The key (f1/f3) address behind an account actor's address.
  [[nodiscard]] virtual Result<Address> resolveKeyAddress(const Address& address) = 0;

  // ---- actor creation (init actor only) ----
  [[nodiscard]] virtual Result<Address> newActorAddress() = 0;
  [[nodiscard]] virtual Status createActor(ActorType type, ActorId id) = 0;

  // ---- randomness, gas, checks ----
  [[nodiscard]] virtual Result<Randomness> randomnessFromTickets(DomainSeparationTag tag, ChainEpoch epoch,
                                                                 BytesView entropy) = 0;
  [[nodiscard]] virtual Result<Randomness> randomnessFromBeacon(DomainSeparationTag tag, ChainEpoch epoch,
                                                                BytesView entropy) = 0;
  [[nodiscard]] virtual Status chargeGas(const GasCharge& charge) = 0;
  // kErrIllegalArgument when the signature does not check.
  [[nodiscard]] virtual Status verifySignature(const primitives::Signature& signature, const Address& signer,
                                               BytesView plaintext) = 0;
  [[nodiscard]] virtual Status verifySeal(const proofs::SealVerifyInfo& info, BytesView proof) = 0;
  [[nodiscard]] virtual Status verifyWindowPoSt(proofs::RegisteredPoStProof type,
                                                const proofs::PoStRandomness& randomness, ActorId miner,
                                                std::span<const proofs::PublicSectorInfo> sectors,
                                                std::span<const proofs::PoStProof> proofs) = 0;
  [[nodiscard]] virtual Result<proofs::Commitment> computeUnsealedSectorCid(
      proofs::RegisteredSealProof type, std::span<const proofs::PieceInfo> pieces) = 0;
};

// Decodes a method's parameters; kErrSerialization when they do not decode.
template <typename P>
[[nodiscard]] Result<P> decodeParams(BytesView params) {
  auto p = codec::decode<P>(params);
  if (!p) return exitError(ExitCode::kErrSerialization, "failed to decode parameters: " + p.error().message());
  return p;
}

// Decodes a callee's return value; kErrSerialization when it does not decode.
template <typename R>
[[nodiscard]] Result<R> decodeReturn(BytesView ret) {
  auto r = codec::decode<R>(ret);
  if (!r) return exitError(ExitCode::kErrSerialization, "failed to decode return value: " + r.error().message());
  return r;
}

}  // namespace fil::vm
