// A generic IPLD data-model value, for data whose type is not known in
// advance: DAG-CBOR <-> DAG-JSON conversion, `lotus-shed cbor`, tests.
//
// Maps keep their entries in DAG-CBOR key order (length first, then bytes);
// the decoder refuses unsorted input, and fromMap() sorts.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "fil/base/bytes.h"
#include "fil/cid/cid.h"
#include "fil/codec/cbor.h"

namespace fil::codec {

// -1 - n, the whole CBOR negative range.
struct NegativeInt {
  uint64_t n;
  friend bool operator==(const NegativeInt&, const NegativeInt&) = default;
};

class Value;
using ValueArray = std::vector<Value>;
using ValueMap = std::vector<std::pair<std::string, Value>>;

class Value {
 public:
  using Variant = std::variant<std::nullptr_t, bool, uint64_t, NegativeInt, double, Bytes, std::string,
                               ValueArray, ValueMap, cid::Cid>;

  Value() : v_(nullptr) {}
  Value(std::nullptr_t) : v_(nullptr) {}           // NOLINT
  Value(bool b) : v_(b) {}                         // NOLINT
  Value(uint64_t u) : v_(u) {}                     // NOLINT
  Value(int64_t i);                                // NOLINT
  Value(int i) : Value(static_cast<int64_t>(i)) {} // NOLINT
  Value(NegativeInt n) : v_(n) {}                  // NOLINT
  Value(double d) : v_(d) {}                       // NOLINT
  Value(Bytes b) : v_(std::move(b)) {}             // NOLINT
  Value(std::string s) : v_(std::move(s)) {}       // NOLINT
  Value(const char* s) : v_(std::string(s)) {}     // NOLINT
  Value(ValueArray a) : v_(std::move(a)) {}        // NOLINT
  Value(cid::Cid c) : v_(std::move(c)) {}          // NOLINT

  // A map from entries in any order; sorts them into DAG-CBOR key order.
  // Duplicate keys are an error.
  [[nodiscard]] static Result<Value> fromMap(ValueMap entries);

  const Variant& variant() const { return v_; }
  template <typename T>
  bool is() const {
    return std::holds_alternative<T>(v_);
  }
  template <typename T>
  const T& as() const {
    return std::get<T>(v_);
  }
  // Pointer to the map value under `key`, or null.
  const Value* find(std::string_view key) const;

  friend bool operator==(const Value& a, const Value& b) { return a.v_ == b.v_; }

 private:
  struct SortedMapTag {};
  Value(ValueMap m, SortedMapTag) : v_(std::move(m)) {}
  friend struct CborCodec<Value>;
  Variant v_;
};

// The nesting level of the deepest node (the value itself is level 0, an
// array's items level 1, ...): what CborLimits::max_depth bounds.
size_t nestingLevel(const Value& value);

template <>
struct CborCodec<Value> {
  static void encode(CborEncoder& e, const Value& v);
  static Status decode(CborDecoder& d, Value& out);
};

}  // namespace fil::codec
