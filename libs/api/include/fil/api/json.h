// JSON forms of the API's own value types (include from .cpp files only).
#pragma once

#include "fil/api/types.h"
#include "fil/codec/json.h"

template <>
struct fil::codec::JsonCodec<fil::api::Timestamp> {
  static Json toJson(const api::Timestamp& t);
  static Status fromJson(const Json& j, api::Timestamp& out);
};

// A Go time.Time that may be unset: nullopt is Go's zero time
// ("0001-01-01T00:00:00Z"), which is what Go writes for it (never null);
// null is read as unset too.
template <>
struct fil::codec::JsonCodec<std::optional<fil::api::Timestamp>> {
  static Json toJson(const std::optional<api::Timestamp>& t);
  static Status fromJson(const Json& j, std::optional<api::Timestamp>& out);
};

template <>
struct fil::codec::JsonCodec<fil::api::Empty> {
  static Json toJson(const api::Empty&) { return Json::object(); }
  static Status fromJson(const Json&, api::Empty&) { return ok(); }
};

// Empty text is null both ways; text that is not JSON is written as null.
template <>
struct fil::codec::JsonCodec<fil::api::JsonDocument> {
  static Json toJson(const api::JsonDocument& d) {
    if (d.text.empty()) return nullptr;
    Json j = Json::parse(d.text, nullptr, false);
    return j.is_discarded() ? Json(nullptr) : j;
  }
  static Status fromJson(const Json& j, api::JsonDocument& out) {
    out.text = j.is_null() ? std::string() : j.dump();
    return ok();
  }
};
