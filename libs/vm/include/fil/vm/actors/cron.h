// Cron actor (f03): calls its entries every epoch (power's CronTick, then
// market's CronTick).
#pragma once

#include <vector>

#include "fil/codec/cbor.h"
#include "fil/vm/actor.h"

namespace fil::vm::cron {

inline constexpr MethodNum kConstructor = 1;
inline constexpr MethodNum kEpochTick = 2;

struct Entry {
  Address receiver;  // an ID address
  MethodNum method = 0;
  friend bool operator==(const Entry&, const Entry&) = default;
};
FIL_CBOR_TUPLE(Entry, (receiver, "Receiver"), (method, "MethodNum"))

struct State {
  std::vector<Entry> entries;
};
FIL_CBOR_TUPLE(State, (entries, "Entries"))

using ConstructorParams = State;

// The entries Lotus's genesis installs: power CronTick (5), market CronTick (9).
std::vector<Entry> genesisEntries();

}  // namespace fil::vm::cron
