// Lotus JSON of the chain types (include from .cpp files only): reflected
// structs give block headers, tickets, beacon entries and proofs; tipset
// keys are arrays of CIDs ([] when empty, as Lotus prints them) and
// tipsets {"Cids", "Blocks", "Height"}, rebuilt and checked on input.
#pragma once

#include "fil/chain/block.h"
#include "fil/chain/messages.h"
#include "fil/chain/receipt.h"
#include "fil/chain/tipset.h"
#include "fil/codec/json.h"
#include "fil/primitives/json.h"

template <>
struct fil::codec::JsonCodec<fil::chain::TipSetKey> {
  static Json toJson(const chain::TipSetKey& k);
  static Status fromJson(const Json& j, chain::TipSetKey& out);
};

template <>
struct fil::codec::JsonCodec<fil::chain::TipSet> {
  static Json toJson(const chain::TipSet& ts);
  static Status fromJson(const Json& j, chain::TipSet& out);
};

// {"ExitCode", "Return", "GasUsed", "EventsRoot"} (EventsRoot only for V1).
template <>
struct fil::codec::JsonCodec<fil::chain::MessageReceipt> {
  static Json toJson(const chain::MessageReceipt& r);
  static Status fromJson(const Json& j, chain::MessageReceipt& out);
};
