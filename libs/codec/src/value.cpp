#include "fil/codec/value.h"

#include <algorithm>

#include <fmt/format.h>

namespace fil::codec {

Value::Value(int64_t i) {
  if (i >= 0) {
    v_ = static_cast<uint64_t>(i);
  } else {
    v_ = NegativeInt{~static_cast<uint64_t>(i)};
  }
}

Result<Value> Value::fromMap(ValueMap entries) {
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return cborKeyLess(a.first, b.first); });
  for (size_t i = 1; i < entries.size(); ++i) {
    if (entries[i - 1].first == entries[i].first) {
      return fail(CborError::kNonCanonical, fmt::format("duplicate map key \"{}\"", entries[i].first));
    }
  }
  return Value(std::move(entries), SortedMapTag{});
}

const Value* Value::find(std::string_view key) const {
  const auto* map = std::get_if<ValueMap>(&v_);
  if (map == nullptr) return nullptr;
  for (const auto& [k, v] : *map) {
    if (k == key) return &v;
  }
  return nullptr;
}

size_t nestingLevel(const Value& value) {
  size_t deepest = 0;
  if (const auto* a = std::get_if<ValueArray>(&value.variant())) {
    for (const auto& item : *a) deepest = std::max(deepest, 1 + nestingLevel(item));
  } else if (const auto* m = std::get_if<ValueMap>(&value.variant())) {
    for (const auto& [k, v] : *m) deepest = std::max(deepest, 1 + nestingLevel(v));
  }
  return deepest;
}

namespace {

struct Encode {
  CborEncoder& e;
  void operator()(std::nullptr_t) const { e.writeNull(); }
  void operator()(bool b) const { e.writeBool(b); }
  void operator()(uint64_t u) const { e.writeUint(u); }
  void operator()(NegativeInt n) const { e.writeNegative(n.n); }
  void operator()(double d) const { e.writeFloat64(d); }
  void operator()(const Bytes& b) const { e.writeBytes(b); }
  void operator()(const std::string& s) const { e.writeText(s); }
  void operator()(const ValueArray& a) const {
    e.writeArrayHeader(a.size());
    for (const auto& item : a) std::visit(*this, item.variant());
  }
  void operator()(const ValueMap& m) const {
    e.writeMapHeader(m.size());
    for (const auto& [k, v] : m) {
      e.writeText(k);
      std::visit(*this, v.variant());
    }
  }
  void operator()(const cid::Cid& c) const { e.writeCid(c); }
};

}  // namespace

void CborCodec<Value>::encode(CborEncoder& e, const Value& v) { std::visit(Encode{e}, v.variant()); }

namespace {

Result<Value> decodeValue(CborDecoder& d, size_t depth) {
  if (depth > d.limits().max_depth) {
    return fail(d.error(CborError::kTooDeep, fmt::format("nesting deeper than {}", d.limits().max_depth)));
  }
  FIL_ASSIGN_OR_RETURN(auto type, d.peekType());
  switch (type) {
    case MajorType::kUnsigned:
    case MajorType::kNegative: {
      FIL_ASSIGN_OR_RETURN(auto i, d.readAnyInt());
      if (i.negative) return Value(NegativeInt{i.argument});
      return Value(i.argument);
    }
    case MajorType::kBytes: {
      FIL_ASSIGN_OR_RETURN(auto b, d.readBytes());
      return Value(toBytes(b));
    }
    case MajorType::kText: {
      FIL_ASSIGN_OR_RETURN(auto s, d.readText());
      return Value(std::string(s));
    }
    case MajorType::kArray: {
      FIL_ASSIGN_OR_RETURN(auto count, d.readArrayHeader());
      ValueArray items;
      items.reserve(count);
      for (uint64_t i = 0; i < count; ++i) {
        FIL_ASSIGN_OR_RETURN(auto item, decodeValue(d, depth + 1));
        items.push_back(std::move(item));
      }
      return Value(std::move(items));
    }
    case MajorType::kMap: {
      FIL_ASSIGN_OR_RETURN(auto count, d.readMapHeader());
      ValueMap entries;
      entries.reserve(count);
      for (uint64_t i = 0; i < count; ++i) {
        auto key = d.readText();
        if (!key) {
          if (key.error().is(CborError::kWrongType)) {
            return fail(d.error(CborError::kWrongType, "DAG-CBOR map keys must be text strings"));
          }
          return fail(std::move(key).error());
        }
        if (!entries.empty() && !cborKeyLess(entries.back().first, *key)) {
          return fail(d.error(CborError::kNonCanonical,
                              entries.back().first == *key
                                  ? fmt::format("duplicate map key \"{}\"", *key)
                                  : fmt::format("map key \"{}\" out of order after \"{}\"", *key,
                                                entries.back().first)));
        }
        FIL_ASSIGN_OR_RETURN(auto value, decodeValue(d, depth + 1));
        entries.emplace_back(std::string(*key), std::move(value));
      }
      return Value::fromMap(std::move(entries));
    }
    case MajorType::kTag: {
      FIL_ASSIGN_OR_RETURN(auto c, d.readCid());
      return Value(std::move(c));
    }
    case MajorType::kSimple: {
      if (d.peekNull()) {
        FIL_TRY(d.readNull());
        return Value(nullptr);
      }
      if (auto b = d.readBool()) return Value(*b);
      auto f = d.readFloat64();
      if (f) return Value(*f);
      if (!f.error().is(CborError::kWrongType)) return fail(std::move(f).error());
      // Neither bool, null nor float: skip() names what it is and why it is refused.
      FIL_TRY(d.skip());
      return fail(d.error(CborError::kUnsupported, "unsupported simple value"));
    }
  }
  return fail(d.error(CborError::kUnsupported, "unknown CBOR major type"));
}

}  // namespace

Status CborCodec<Value>::decode(CborDecoder& d, Value& out) {
  FIL_ASSIGN_OR_RETURN(out, decodeValue(d, 0));
  return ok();
}

}  // namespace fil::codec
