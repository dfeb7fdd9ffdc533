// Lotus-style JSON for typed values, driven by the same field declarations
// as CBOR (FIL_CBOR_TUPLE / FIL_CBOR_MAP): a reflected struct is an object
// whose keys are the Go field names, in declaration order (as Go writes
// them). Conventions: CIDs {"/": "bafy..."}, bytes standard base64 (empty
// bytes and empty lists are null, as Go's nil slices), optional values null
// when absent, 64-bit integers as JSON numbers; primitives add big integers
// as decimal strings and addresses as strings (fil/primitives/json.h).
//
// This header includes nlohmann/json: include it from .cpp files only.
//
//   nlohmann::ordered_json j = codec::toJson(message);
//   Message m;
//   FIL_TRY(codec::fromJson(j, m));
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "fil/base/base64.h"
#include "fil/base/error.h"
#include "fil/cid/cid.h"
#include "fil/codec/reflect.h"

namespace fil::codec {

using Json = nlohmann::ordered_json;

enum class JsonError { kWrongType = 1, kInvalidValue, kMissingField };
std::string_view describe(JsonError e);

}  // namespace fil::codec

FIL_REGISTER_ERROR(fil::codec::JsonError, "json");

namespace fil::codec {

template <typename T, typename Enable = void>
struct JsonCodec;

template <typename T>
Json toJson(const T& value) {
  return JsonCodec<T>::toJson(value);
}

template <typename T>
[[nodiscard]] Status fromJson(const Json& j, T& out) {
  return JsonCodec<T>::fromJson(j, out);
}

template <typename T>
[[nodiscard]] Result<T> fromJson(const Json& j) {
  T out{};
  FIL_TRY(fromJson(j, out));
  return out;
}

namespace detail {
inline Error jsonTypeError(const Json& j, std::string_view expected) {
  return Error(JsonError::kWrongType, fmt::format("expected {}, got {}", expected, j.type_name()));
}
}  // namespace detail

template <>
struct JsonCodec<bool> {
  static Json toJson(bool v) { return v; }
  static Status fromJson(const Json& j, bool& out) {
    if (!j.is_boolean()) return fail(detail::jsonTypeError(j, "a boolean"));
    out = j.get<bool>();
    return ok();
  }
};

// Go's float64 (Lotus MpoolSelect's ticket quality); any JSON number reads.
template <>
struct JsonCodec<double> {
  static Json toJson(double v) { return v; }
  static Status fromJson(const Json& j, double& out) {
    if (!j.is_number()) return fail(detail::jsonTypeError(j, "a number"));
    out = j.get<double>();
    return ok();
  }
};

template <typename T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool>)
struct JsonCodec<T> {
  static Json toJson(T v) { return v; }
  static Status fromJson(const Json& j, T& out) {
    if (!j.is_number_integer()) return fail(detail::jsonTypeError(j, "an integer"));
    if constexpr (std::is_unsigned_v<T>) {
      // A value built in memory from a signed type is number_integer even
      // when it is not negative (parsed text is number_unsigned).
      if (j.is_number_unsigned() || j.get<int64_t>() >= 0) {
        const auto v = j.get<uint64_t>();
        if (v > std::numeric_limits<T>::max()) return fail(JsonError::kInvalidValue, fmt::format("{} is out of range", v));
        out = static_cast<T>(v);
        return ok();
      }
      return fail(JsonError::kInvalidValue, fmt::format("{} must not be negative", j.get<int64_t>()));
    } else {
      if (j.is_number_unsigned() && j.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<T>::max())) {
        return fail(JsonError::kInvalidValue, fmt::format("{} is out of range", j.get<uint64_t>()));
      }
      const auto v = j.get<int64_t>();
      if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()) {
        return fail(JsonError::kInvalidValue, fmt::format("{} is out of range", v));
      }
      out = static_cast<T>(v);
      return ok();
    }
  }
};

template <typename T>
  requires std::is_enum_v<T>
struct JsonCodec<T> {
  using U = std::underlying_type_t<T>;
  static Json toJson(T v) { return JsonCodec<U>::toJson(static_cast<U>(v)); }
  static Status fromJson(const Json& j, T& out) {
    U u{};
    FIL_TRY(JsonCodec<U>::fromJson(j, u));
    out = static_cast<T>(u);
    return ok();
  }
};

template <>
struct JsonCodec<std::string> {
  static Json toJson(const std::string& v) { return v; }
  static Status fromJson(const Json& j, std::string& out) {
    if (!j.is_string()) return fail(detail::jsonTypeError(j, "a string"));
    out = j.get<std::string>();
    return ok();
  }
};

template <>
struct JsonCodec<Bytes> {
  static Json toJson(const Bytes& v) {
    if (v.empty()) return nullptr;
    return toBase64(v);
  }
  static Status fromJson(const Json& j, Bytes& out) {
    if (j.is_null()) {
      out.clear();
      return ok();
    }
    if (!j.is_string()) return fail(detail::jsonTypeError(j, "base64 bytes"));
    auto b = fromBase64(j.get<std::string>());
    if (!b) return fail(JsonError::kInvalidValue, b.error().message());
    out = std::move(*b);
    return ok();
  }
};

template <size_t N>
struct JsonCodec<ByteArray<N>> {
  static Json toJson(const ByteArray<N>& v) { return toBase64(v); }
  static Status fromJson(const Json& j, ByteArray<N>& out) {
    Bytes b;
    FIL_TRY(JsonCodec<Bytes>::fromJson(j, b));
    if (b.size() != N) return fail(JsonError::kInvalidValue, fmt::format("expected {} bytes, got {}", N, b.size()));
    std::copy(b.begin(), b.end(), out.begin());
    return ok();
  }
};

// The undefined CID is null both ways, as go-cid marshals cid.Undef.
template <>
struct JsonCodec<cid::Cid> {
  static Json toJson(const cid::Cid& c) {
    if (!c.defined()) return nullptr;
    return Json{{"/", c.toString()}};
  }
  static Status fromJson(const Json& j, cid::Cid& out) {
    if (j.is_null()) {
      out = cid::Cid();
      return ok();
    }
    if (!j.is_object() || !j.contains("/") || !j["/"].is_string()) {
      return fail(detail::jsonTypeError(j, R"(a CID {"/": "..."})"));
    }
    auto c = cid::Cid::parse(j["/"].get<std::string>());
    if (!c) return fail(JsonError::kInvalidValue, c.error().message());
    out = std::move(*c);
    return ok();
  }
};

template <typename T>
struct JsonCodec<std::optional<T>> {
  static Json toJson(const std::optional<T>& v) { return v ? JsonCodec<T>::toJson(*v) : Json(nullptr); }
  static Status fromJson(const Json& j, std::optional<T>& out) {
    if (j.is_null()) {
      out.reset();
      return ok();
    }
    T value{};
    FIL_TRY(JsonCodec<T>::fromJson(j, value));
    out = std::move(value);
    return ok();
  }
};

template <typename T>
  requires(!std::is_same_v<T, uint8_t>)
struct JsonCodec<std::vector<T>> {
  static Json toJson(const std::vector<T>& v) {
    if (v.empty()) return nullptr;
    Json out = Json::array();
    for (const auto& item : v) out.push_back(JsonCodec<T>::toJson(item));
    return out;
  }
  static Status fromJson(const Json& j, std::vector<T>& out) {
    out.clear();
    if (j.is_null()) return ok();
    if (!j.is_array()) return fail(detail::jsonTypeError(j, "an array"));
    out.reserve(j.size());
    for (size_t i = 0; i < j.size(); ++i) {
      T item{};
      FIL_TRY(JsonCodec<T>::fromJson(j[i], item).map_error(
          [&](Error e) { return std::move(e).withContext(fmt::format("[{}]", i)); }));
      out.push_back(std::move(item));
    }
    return ok();
  }
};

namespace detail {

// Go's encoding/json matches keys exactly first, then case-insensitively.
inline const Json* findKey(const Json& object, std::string_view name) {
  if (auto it = object.find(std::string(name)); it != object.end()) return &*it;
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string& key = it.key();
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
      return &*it;
    }
  }
  return nullptr;
}

}  // namespace detail

// The object form of a reflected struct; types that add fields (Lotus's
// messages add "CID") call these from their own JsonCodec.
template <Reflected T>
Json reflectedToJson(const T& value) {
  Json out = Json::object();
  std::apply([&](const auto&... f) {
    ((out[std::string(f.name)] = JsonCodec<typename std::decay_t<decltype(f)>::Type>::toJson(value.*(f.member))), ...);
  }, fieldsOf<T>());
  return out;
}

template <Reflected T>
[[nodiscard]] Status reflectedFromJson(const Json& j, T& value) {
  if (!j.is_object()) return fail(detail::jsonTypeError(j, "an object"));
  Status status = ok();
  std::apply(
      [&](const auto&... f) {
        (void)((status = [&] {
                  const Json* field = detail::findKey(j, f.name);
                  if (field == nullptr) return ok();  // absent: keep the default, as Go does
                  return JsonCodec<typename std::decay_t<decltype(f)>::Type>::fromJson(*field, value.*(f.member))
                      .map_error([&](Error e) { return std::move(e).withContext(std::string(f.name)); });
                }(),
                status.has_value()) &&
               ...);
      },
      fieldsOf<T>());
  return status;
}

template <Reflected T>
struct JsonCodec<T> {
  static Json toJson(const T& value) { return reflectedToJson(value); }
  static Status fromJson(const Json& j, T& value) { return reflectedFromJson(j, value); }
};

}  // namespace fil::codec
