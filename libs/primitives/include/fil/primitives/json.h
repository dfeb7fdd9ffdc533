// Lotus JSON forms of the primitive types (include from .cpp files only):
// addresses as strings, big integers as decimal strings, signatures as
// {"Type": 1, "Data": "<base64>"}, messages with an extra "CID" field.
#pragma once

#include "fil/codec/json.h"
#include "fil/primitives/address.h"
#include "fil/primitives/big_int.h"
#include "fil/primitives/bitfield.h"
#include "fil/primitives/message.h"
#include "fil/primitives/signature.h"

template <>
struct fil::codec::JsonCodec<fil::primitives::Address> {
  static Json toJson(const primitives::Address& a) { return a.toString(); }
  static Status fromJson(const Json& j, primitives::Address& out) {
    if (!j.is_string()) return fail(detail::jsonTypeError(j, "an address string"));
    // go-address writes address.Undef as "<empty>" and reads it back.
    if (j.get<std::string>() == "<empty>") {
      out = primitives::Address();
      return ok();
    }
    auto a = primitives::Address::parse(j.get<std::string>());
    if (!a) return fail(JsonError::kInvalidValue, a.error().message());
    out = std::move(*a);
    return ok();
  }
};

template <>
struct fil::codec::JsonCodec<fil::primitives::BigInt> {
  static Json toJson(const primitives::BigInt& v) { return primitives::toDecimal(v); }
  static Status fromJson(const Json& j, primitives::BigInt& out) {
    if (!j.is_string()) return fail(detail::jsonTypeError(j, "a decimal string"));
    auto v = primitives::parseDecimal(j.get<std::string>());
    if (!v) return fail(JsonError::kInvalidValue, v.error().message());
    out = std::move(*v);
    return ok();
  }
};

template <>
struct fil::codec::JsonCodec<fil::primitives::Signature> {
  static Json toJson(const primitives::Signature& s) {
    return Json{{"Type", static_cast<int>(s.type)}, {"Data", toBase64(s.data)}};
  }
  static Status fromJson(const Json& j, primitives::Signature& out) {
    if (!j.is_object()) return fail(detail::jsonTypeError(j, "a signature object"));
    uint8_t type = 0;
    FIL_TRY(JsonCodec<uint8_t>::fromJson(j.value("Type", Json(0)), type));
    if (type < 1 || type > 3) return fail(JsonError::kInvalidValue, fmt::format("signature type {} is not 1, 2 or 3", type));
    out.type = static_cast<primitives::SignatureType>(type);
    return JsonCodec<Bytes>::fromJson(j.value("Data", Json(nullptr)), out.data);
  }
};

// go-bitfield's JSON: run lengths, starting with a run of absent members;
// the empty set is [0] (rle.MarshalJSON), never null.
template <>
struct fil::codec::JsonCodec<fil::primitives::BitField> {
  static Json toJson(const primitives::BitField& b) {
    const auto lengths = b.runLengths();
    return lengths.empty() ? Json::array({0}) : codec::toJson(lengths);
  }
  static Status fromJson(const Json& j, primitives::BitField& out) {
    std::vector<uint64_t> lengths;
    FIL_TRY(codec::fromJson(j, lengths));
    auto b = primitives::BitField::fromRunLengths(lengths);
    if (!b) return fail(JsonError::kInvalidValue, b.error().message());
    out = std::move(*b);
    return ok();
  }
};

// Lotus adds the CID to the JSON of messages (types.Message MarshalJSON).
template <>
struct fil::codec::JsonCodec<fil::primitives::Message> {
  static Json toJson(const primitives::Message& m) {
    Json out = reflectedToJson(m);
    out["CID"] = codec::toJson(m.cid());
    return out;
  }
  static Status fromJson(const Json& j, primitives::Message& out) { return reflectedFromJson(j, out); }
};

template <>
struct fil::codec::JsonCodec<fil::primitives::SignedMessage> {
  static Json toJson(const primitives::SignedMessage& m) {
    Json out = reflectedToJson(m);
    out["CID"] = codec::toJson(m.cid());
    return out;
  }
  static Status fromJson(const Json& j, primitives::SignedMessage& out) { return reflectedFromJson(j, out); }
};
