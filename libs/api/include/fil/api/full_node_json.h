// Lotus JSON of the full node API's special forms (include from .cpp files
// only: it brings in nlohmann/json). Reflection covers the plain structs of
// full_node_types.h; these are the values Go marshals by hand. Every .cpp
// that writes or reads the API's types as JSON includes this header (the
// head change type would otherwise fall back to the generic enum form).
#pragma once

#include <chrono>
#include <optional>

#include "fil/api/full_node_types.h"
#include "fil/api/json.h"
#include "fil/chain/json.h"
#include "fil/codec/json.h"
#include "fil/primitives/json.h"

// "current", "revert", "apply".
template <>
struct fil::codec::JsonCodec<fil::api::HeadChangeType> {
  static Json toJson(api::HeadChangeType t);
  static Status fromJson(const Json& j, api::HeadChangeType& out);
};

// A peer ID as libp2p's peer.ID marshals it: its base58 text.
template <>
struct fil::codec::JsonCodec<fil::net::PeerId> {
  static Json toJson(const net::PeerId& id);
  static Status fromJson(const Json& j, net::PeerId& out);
};

template <>
struct fil::codec::JsonCodec<fil::api::Uuid> {
  static Json toJson(const api::Uuid& u);
  static Status fromJson(const Json& j, api::Uuid& out);
};

// Go's time.Duration: integer nanoseconds.
template <>
struct fil::codec::JsonCodec<std::chrono::nanoseconds> {
  static Json toJson(std::chrono::nanoseconds d);
  static Status fromJson(const Json& j, std::chrono::nanoseconds& out);
};

// map[string]*MarketDeal keyed by the decimal deal ID.
template <>
struct fil::codec::JsonCodec<fil::api::MarketDeals> {
  static Json toJson(const api::MarketDeals& deals);
  static Status fromJson(const Json& j, api::MarketDeals& out);
};

// go-state-types DealLabel: a JSON string; a byte label marshals as ""
// (Lotus drops it), and a string read back is a string label.
template <>
struct fil::codec::JsonCodec<fil::vm::market::DealLabel> {
  static Json toJson(const vm::market::DealLabel& label);
  static Status fromJson(const Json& j, vm::market::DealLabel& out);
};

// types.KeyInfo: {"Type": "secp256k1", "PrivateKey": "<base64>"}.
template <>
struct fil::codec::JsonCodec<fil::primitives::KeyInfo> {
  static Json toJson(const primitives::KeyInfo& key);
  static Status fromJson(const Json& j, primitives::KeyInfo& out);
};
