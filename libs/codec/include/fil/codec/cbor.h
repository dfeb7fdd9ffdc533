// Typed DAG-CBOR: encode and decode C++ values, including structs declared
// with FIL_CBOR_TUPLE / FIL_CBOR_MAP (reflect.h).
//
//   Bytes bytes = codec::encode(proposal);
//   FIL_ASSIGN_OR_RETURN(auto back, codec::decode<DealProposal>(bytes));
//
// A type gets its encoding from CborCodec<T>: built in for integers, bool,
// strings, Bytes, fixed byte arrays, optional (null), vectors (arrays),
// CIDs, and reflected structs; specialise it for anything else:
//
//   template <> struct fil::codec::CborCodec<Address> {
//     static void encode(CborEncoder& e, const Address& a);
//     static Status decode(CborDecoder& d, Address& a);
//   };
#pragma once

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "fil/codec/cbor_decoder.h"
#include "fil/codec/cbor_encoder.h"
#include "fil/codec/reflect.h"

namespace fil::codec {

template <typename T, typename Enable = void>
struct CborCodec;

template <typename T>
concept CborEncodable = requires(CborEncoder& e, const T& v) { CborCodec<T>::encode(e, v); };

template <typename T>
void encode(CborEncoder& e, const T& value) {
  CborCodec<T>::encode(e, value);
}

template <typename T>
[[nodiscard]] Status decode(CborDecoder& d, T& out) {
  return CborCodec<T>::decode(d, out);
}

template <typename T>
Bytes encode(const T& value) {
  CborEncoder e;
  encode(e, value);
  return std::move(e).take();
}

// Decodes exactly one item of type T; bytes after it are an error.
template <typename T>
[[nodiscard]] Result<T> decode(BytesView bytes, CborLimits limits = {}) {
  CborDecoder d(bytes, limits);
  T out{};
  FIL_TRY(decode(d, out));
  FIL_TRY(d.expectEnd());
  return out;
}

// One already-encoded CBOR item kept as bytes (message params, HAMT values).
struct RawCbor {
  Bytes bytes;
  friend bool operator==(const RawCbor&, const RawCbor&) = default;
};

// ---- built-in codecs -------------------------------------------------------

template <>
struct CborCodec<bool> {
  static void encode(CborEncoder& e, bool v) { e.writeBool(v); }
  static Status decode(CborDecoder& d, bool& out) {
    FIL_ASSIGN_OR_RETURN(out, d.readBool());
    return ok();
  }
};

template <typename T>
  requires(std::is_integral_v<T> && std::is_unsigned_v<T> && !std::is_same_v<T, bool>)
struct CborCodec<T> {
  static void encode(CborEncoder& e, T v) { e.writeUint(v); }
  static Status decode(CborDecoder& d, T& out) {
    FIL_ASSIGN_OR_RETURN(auto v, d.readUint());
    if (v > std::numeric_limits<T>::max()) {
      return fail(d.error(CborError::kOutOfRange, fmt::format("{} does not fit in {} bits", v, sizeof(T) * 8)));
    }
    out = static_cast<T>(v);
    return ok();
  }
};

template <typename T>
  requires(std::is_integral_v<T> && std::is_signed_v<T>)
struct CborCodec<T> {
  static void encode(CborEncoder& e, T v) { e.writeInt(v); }
  static Status decode(CborDecoder& d, T& out) {
    FIL_ASSIGN_OR_RETURN(auto v, d.readInt());
    if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()) {
      return fail(d.error(CborError::kOutOfRange, fmt::format("{} does not fit in {} bits", v, sizeof(T) * 8)));
    }
    out = static_cast<T>(v);
    return ok();
  }
};

// Enums travel as their underlying integer.
template <typename T>
  requires std::is_enum_v<T>
struct CborCodec<T> {
  using U = std::underlying_type_t<T>;
  static void encode(CborEncoder& e, T v) { CborCodec<U>::encode(e, static_cast<U>(v)); }
  static Status decode(CborDecoder& d, T& out) {
    U u{};
    FIL_TRY(CborCodec<U>::decode(d, u));
    out = static_cast<T>(u);
    return ok();
  }
};

template <>
struct CborCodec<std::string> {
  static void encode(CborEncoder& e, const std::string& v) { e.writeText(v); }
  static Status decode(CborDecoder& d, std::string& out) {
    FIL_ASSIGN_OR_RETURN(auto v, d.readText());
    out.assign(v);
    return ok();
  }
};

template <>
struct CborCodec<Bytes> {
  static void encode(CborEncoder& e, const Bytes& v) { e.writeBytes(v); }
  static Status decode(CborDecoder& d, Bytes& out) {
    FIL_ASSIGN_OR_RETURN(auto v, d.readBytes());
    out.assign(v.begin(), v.end());
    return ok();
  }
};

template <size_t N>
struct CborCodec<ByteArray<N>> {
  static void encode(CborEncoder& e, const ByteArray<N>& v) { e.writeBytes(v); }
  static Status decode(CborDecoder& d, ByteArray<N>& out) {
    FIL_ASSIGN_OR_RETURN(auto v, d.readBytes());
    if (v.size() != N) {
      return fail(d.error(CborError::kWrongLength, fmt::format("expected {} bytes, got {}", N, v.size())));
    }
    std::copy(v.begin(), v.end(), out.begin());
    return ok();
  }
};

template <>
struct CborCodec<cid::Cid> {
  static void encode(CborEncoder& e, const cid::Cid& v) { e.writeCid(v); }
  static Status decode(CborDecoder& d, cid::Cid& out) {
    FIL_ASSIGN_OR_RETURN(out, d.readCid());
    return ok();
  }
};

template <>
struct CborCodec<RawCbor> {
  static void encode(CborEncoder& e, const RawCbor& v) { e.writeRaw(v.bytes); }
  static Status decode(CborDecoder& d, RawCbor& out) {
    FIL_ASSIGN_OR_RETURN(auto v, d.readRaw());
    out.bytes.assign(v.begin(), v.end());
    return ok();
  }
};

// Optional values are null when absent (Go's nil pointers).
template <typename T>
struct CborCodec<std::optional<T>> {
  static void encode(CborEncoder& e, const std::optional<T>& v) {
    if (v) {
      CborCodec<T>::encode(e, *v);
    } else {
      e.writeNull();
    }
  }
  static Status decode(CborDecoder& d, std::optional<T>& out) {
    if (d.peekNull()) {
      out.reset();
      return d.readNull();
    }
    T value{};
    FIL_TRY(CborCodec<T>::decode(d, value));
    out = std::move(value);
    return ok();
  }
};

template <typename T>
  requires(!std::is_same_v<T, uint8_t>)
struct CborCodec<std::vector<T>> {
  static void encode(CborEncoder& e, const std::vector<T>& v) {
    e.writeArrayHeader(v.size());
    for (const auto& item : v) CborCodec<T>::encode(e, item);
  }
  static Status decode(CborDecoder& d, std::vector<T>& out) {
    FIL_ASSIGN_OR_RETURN(auto count, d.readArrayHeader());
    out.clear();
    out.reserve(count);  // bounded by the input size (readArrayHeader checks)
    for (uint64_t i = 0; i < count; ++i) {
      T item{};
      FIL_TRY(CborCodec<T>::decode(d, item));
      out.push_back(std::move(item));
    }
    return ok();
  }
};

// ---- reflected structs ------------------------------------------------------

namespace detail {

template <typename T, size_t... I>
void encodeTupleFields(CborEncoder& e, const T& value, std::index_sequence<I...>) {
  constexpr auto fields = fieldsOf<T>();
  (CborCodec<typename std::tuple_element_t<I, decltype(fields)>::Type>::encode(e, value.*(std::get<I>(fields).member)),
   ...);
}

template <typename T, size_t... I>
Status decodeTupleFields(CborDecoder& d, T& value, std::index_sequence<I...>) {
  constexpr auto fields = fieldsOf<T>();
  Status status = ok();
  // Stops at the first failing field; the error names it.
  (void)((status = CborCodec<typename std::tuple_element_t<I, decltype(fields)>::Type>::decode(
              d, value.*(std::get<I>(fields).member))
                       .map_error([&](Error err) {
                         return std::move(err).withContext(fmt::format("field {}", std::get<I>(fields).name));
                       }),
          status.has_value()) &&
         ...);
  return status;
}

// Field indexes in DAG-CBOR key order, computed once per type.
template <typename T>
const std::array<size_t, fieldCount<T>()>& mapKeyOrder() {
  static const auto order = [] {
    constexpr auto fields = fieldsOf<T>();
    std::array<std::string_view, fieldCount<T>()> names{};
    std::apply([&](const auto&... f) {
      size_t i = 0;
      ((names[i++] = f.name), ...);
    }, fields);
    std::array<size_t, fieldCount<T>()> idx{};
    for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return cborKeyLess(names[a], names[b]); });
    return idx;
  }();
  return order;
}

template <typename T, size_t... I>
void encodeMapField(CborEncoder& e, const T& value, size_t which, std::index_sequence<I...>) {
  constexpr auto fields = fieldsOf<T>();
  (void)((which == I ? (e.writeText(std::get<I>(fields).name),
                        CborCodec<typename std::tuple_element_t<I, decltype(fields)>::Type>::encode(
                            e, value.*(std::get<I>(fields).member)),
                        true)
                     : false) ||
         ...);
}

// Decodes the value of the field named `key`; false in `found` when no field has that name.
template <typename T, size_t... I>
Status decodeMapField(CborDecoder& d, T& value, std::string_view key, bool& found, size_t& index,
                      std::index_sequence<I...>) {
  constexpr auto fields = fieldsOf<T>();
  Status status = ok();
  found = ((std::get<I>(fields).name == key
                ? (index = I,
                   status = CborCodec<typename std::tuple_element_t<I, decltype(fields)>::Type>::decode(
                                d, value.*(std::get<I>(fields).member))
                                .map_error([&](Error err) {
                                  return std::move(err).withContext(fmt::format("field {}", key));
                                }),
                   true)
                : false) ||
           ...);
  return status;
}

}  // namespace detail

template <Reflected T>
struct CborCodec<T> {
  static constexpr size_t kFields = fieldCount<T>();
  using Indexes = std::make_index_sequence<kFields>;

  static void encode(CborEncoder& e, const T& value) {
    if constexpr (layoutOf<T>() == Layout::kTuple) {
      e.writeArrayHeader(kFields);
      detail::encodeTupleFields(e, value, Indexes{});
    } else {
      e.writeMapHeader(kFields);
      for (size_t i : detail::mapKeyOrder<T>()) detail::encodeMapField(e, value, i, Indexes{});
    }
  }

  static Status decode(CborDecoder& d, T& value) {
    if constexpr (layoutOf<T>() == Layout::kTuple) {
      FIL_ASSIGN_OR_RETURN(auto count, d.readArrayHeader());
      if (count != kFields) {
        return fail(d.error(CborError::kWrongLength,
                            fmt::format("expected a tuple of {} fields, got {}", kFields, count)));
      }
      return detail::decodeTupleFields(d, value, Indexes{});
    } else {
      // As cbor-gen: keys in any order, unknown keys skipped, absent fields
      // keep their defaults; a key given twice is refused.
      FIL_ASSIGN_OR_RETURN(auto count, d.readMapHeader());
      std::array<bool, kFields> seen{};
      for (uint64_t i = 0; i < count; ++i) {
        FIL_ASSIGN_OR_RETURN(auto key, d.readText());
        bool found = false;
        size_t index = 0;
        FIL_TRY(detail::decodeMapField(d, value, key, found, index, Indexes{}));
        if (!found) {
          FIL_TRY(d.skip());
          continue;
        }
        if (seen[index]) return fail(d.error(CborError::kNonCanonical, fmt::format("duplicate map key \"{}\"", key)));
        seen[index] = true;
      }
      return ok();
    }
  }
};

}  // namespace fil::codec
