// Actors as the state tree holds them, the builtin actor types with their
// code CIDs, and the singleton addresses.
//
// Code CIDs are those of builtin-actors' v12 bundle for Lotus's "devnet"
// network (nv21), from lotus build/builtin_actors_gen.go (Network "devnet",
// Version 12), so that Lotus tools reading our state recognise each actor's
// type. Our actors are native C++ that keep those actors' method numbers and
// state layouts (go-state-types builtin/v12); docs/actors.md says where the
// rules are simplified.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "fil/cid/cid.h"
#include "fil/codec/cbor.h"
#include "fil/primitives/address.h"
#include "fil/primitives/big_int.h"

namespace fil::vm {

using primitives::ActorId;
using primitives::Address;
using primitives::TokenAmount;

// Lotus types.ActorV5 (state tree version 5): [Code, Head, Nonce, Balance,
// DelegatedAddress].
struct Actor {
  cid::Cid code;
  cid::Cid head;
  uint64_t nonce = 0;
  TokenAmount balance;
  std::optional<Address> delegated_address;
  friend bool operator==(const Actor&, const Actor&) = default;
};
FIL_CBOR_TUPLE(Actor, (code, "Code"), (head, "Head"), (nonce, "Nonce"), (balance, "Balance"),
               (delegated_address, "Address"))  // Lotus's Go name (JSON key) for DelegatedAddress

// builtin-actors' Type numbering (runtime/src/runtime/builtins.rs).
enum class ActorType {
  kSystem = 1,
  kInit,
  kCron,
  kAccount,
  kPower,
  kMiner,
  kMarket,
  kPaymentChannel,
  kMultisig,
  kReward,
  kVerifiedRegistry,
  kDataCap,
  kPlaceholder,
  kEvm,
  kEam,
  kEthAccount,
};
inline constexpr int kActorTypeCount = 16;

// The bundle manifest's name ("storageminer", "account", ...).
std::string_view actorTypeName(ActorType type);
const cid::Cid& codeCid(ActorType type);
std::optional<ActorType> actorTypeOf(const cid::Cid& code);
// Whether this VM runs the type natively (the others exist only so that a
// state holding them decodes; they cannot be created or called).
bool isImplemented(ActorType type);

// Singleton actor IDs.
inline constexpr ActorId kSystemActorId = 0;
inline constexpr ActorId kInitActorId = 1;
inline constexpr ActorId kRewardActorId = 2;
inline constexpr ActorId kCronActorId = 3;
inline constexpr ActorId kPowerActorId = 4;
inline constexpr ActorId kMarketActorId = 5;
inline constexpr ActorId kVerifiedRegistryActorId = 6;
inline constexpr ActorId kDataCapActorId = 7;
inline constexpr ActorId kEamActorId = 10;
inline constexpr ActorId kRootVerifierActorId = 80;
inline constexpr ActorId kReserveActorId = 90;
inline constexpr ActorId kBurntFundsActorId = 99;
inline constexpr ActorId kFirstNonSingletonId = 100;

const Address& systemActorAddress();
const Address& initActorAddress();
const Address& rewardActorAddress();
const Address& cronActorAddress();
const Address& powerActorAddress();
const Address& marketActorAddress();
const Address& burntFundsActorAddress();

// Method numbers common to all actors.
using MethodNum = uint64_t;
inline constexpr MethodNum kMethodSend = 0;
inline constexpr MethodNum kMethodConstructor = 1;
// FRC-42: methods at or above this number may be called by any actor or
// account; those below only by builtin actors.
inline constexpr MethodNum kFirstExportedMethod = uint64_t{1} << 24;
// FRC-42 method number of `name`: the first 4-byte big-endian word of
// blake2b-512("1|" + name) that is >= 2^24.
MethodNum frc42MethodNumber(std::string_view name);

}  // namespace fil::vm
