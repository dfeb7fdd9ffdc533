// JSON forms of the API's own value types (include from .cpp files only).
#pragma once

#include "fil/api/types.h"
#include "fil/codec/json.h"

template <>
struct fil::codec::JsonCodec<fil::api::Timestamp> {
  static Json toJson(const api::Timestamp& t);
  static Status fromJson(const Json& j, api::Timestamp& out);
};

template <>
struct fil::codec::JsonCodec<fil::api::Empty> {
  static Json toJson(const api::Empty&) { return Json::object(); }
  static Status fromJson(const Json&, api::Empty&) { return ok(); }
};

template <>
struct fil::codec::JsonCodec<fil::api::JsonDocument> {
  static Json toJson(const api::JsonDocument& d) { return Json::parse(d.text, nullptr, false); }
  static Status fromJson(const Json& j, api::JsonDocument& out) {
    out.text = j.dump();
    return ok();
  }
};
