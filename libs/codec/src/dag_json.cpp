#include "fil/codec/dag_json.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "fil/base/base64.h"

namespace fil::codec {

std::string_view describe(DagJsonError e) {
  switch (e) {
    case DagJsonError::kSyntax: return "JSON syntax error";
    case DagJsonError::kInvalidValue: return "invalid DAG-JSON value";
    case DagJsonError::kDuplicateKey: return "duplicate key in DAG-JSON map";
    case DagJsonError::kTooDeep: return "DAG-JSON nested too deeply";
  }
  return "unknown DAG-JSON error";
}

namespace {

void appendString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<int>(c));
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

struct ToJson {
  std::string& out;
  void operator()(std::nullptr_t) const { out += "null"; }
  void operator()(bool b) const { out += b ? "true" : "false"; }
  void operator()(uint64_t u) const { out += std::to_string(u); }
  void operator()(NegativeInt n) const {
    // -1 - n; n + 1 overflows only for -2^64.
    if (n.n == UINT64_MAX) {
      out += "-18446744073709551616";
    } else {
      out += "-" + std::to_string(n.n + 1);
    }
  }
  void operator()(double d) const {
    std::string text = fmt::format("{}", d);
    // Keep a float a float on the way back: "1" would read as an integer.
    if (text.find_first_of(".eE") == std::string::npos) text += ".0";
    out += text;
  }
  void operator()(const Bytes& b) const {
    out += R"({"/":{"bytes":)";
    appendString(out, toBase64(b, Base64Alphabet::kStandard, Base64Padding::kUnpadded));
    out += "}}";
  }
  void operator()(const std::string& s) const { appendString(out, s); }
  void operator()(const ValueArray& a) const {
    out.push_back('[');
    for (size_t i = 0; i < a.size(); ++i) {
      if (i > 0) out.push_back(',');
      std::visit(*this, a[i].variant());
    }
    out.push_back(']');
  }
  void operator()(const ValueMap& m) const {
    // DAG-JSON orders keys by their bytes (DAG-CBOR puts shorter keys first).
    std::vector<const std::pair<std::string, Value>*> entries;
    entries.reserve(m.size());
    for (const auto& e : m) entries.push_back(&e);
    std::sort(entries.begin(), entries.end(), [](auto* a, auto* b) { return a->first < b->first; });
    out.push_back('{');
    for (size_t i = 0; i < entries.size(); ++i) {
      if (i > 0) out.push_back(',');
      appendString(out, entries[i]->first);
      out.push_back(':');
      std::visit(*this, entries[i]->second.variant());
    }
    out.push_back('}');
  }
  void operator()(const cid::Cid& c) const {
    out += R"({"/":)";
    appendString(out, c.toString());
    out += "}";
  }
};

// Builds a Value from nlohmann's SAX events, refusing what DAG-JSON refuses.
class Builder final : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit Builder(size_t max_depth) : max_depth_(max_depth) {}

  bool null() override { return put(Value(nullptr)); }
  bool boolean(bool b) override { return put(Value(b)); }
  bool number_integer(number_integer_t i) override { return put(Value(static_cast<int64_t>(i))); }
  bool number_unsigned(number_unsigned_t u) override { return put(Value(static_cast<uint64_t>(u))); }
  bool number_float(number_float_t d, const string_t& text) override {
    if (text.find_first_of(".eE") == std::string::npos) {
      // An integer literal beyond 64 bits; CBOR can still hold down to -2^64.
      if (text == "-18446744073709551616") return put(Value(NegativeInt{UINT64_MAX}));
      if (!text.empty() && text[0] == '-') {
        uint64_t magnitude = 0;
        auto [end, ec] = std::from_chars(text.data() + 1, text.data() + text.size(), magnitude);
        if (ec == std::errc() && end == text.data() + text.size()) return put(Value(NegativeInt{magnitude - 1}));
      }
      return failWith(DagJsonError::kInvalidValue, fmt::format("integer {} is outside the CBOR range", text));
    }
    if (!std::isfinite(d)) return failWith(DagJsonError::kInvalidValue, fmt::format("number {} is not finite", text));
    return put(Value(static_cast<double>(d)));
  }
  bool string(string_t& s) override { return put(Value(std::move(s))); }
  bool binary(binary_t&) override { return failWith(DagJsonError::kInvalidValue, "binary JSON values are not DAG-JSON"); }

  // The parse itself stops a little deeper than the limit (the bytes form
  // {"/":{"bytes":...}} spends two JSON levels on one leaf); result() then
  // applies the limit to the values, as the CBOR decoder does.
  bool tooDeep() const { return stack_.size() > max_depth_ + 2; }

  bool start_object(std::size_t) override {
    if (tooDeep()) return failWith(DagJsonError::kTooDeep, fmt::format("nesting deeper than {}", max_depth_));
    stack_.push_back(Frame{true, {}, {}, {}});
    return true;
  }
  bool key(string_t& k) override {
    auto& frame = stack_.back();
    for (const auto& [existing, v] : frame.map) {
      if (existing == k) return failWith(DagJsonError::kDuplicateKey, fmt::format("key \"{}\" appears twice", k));
    }
    frame.pending_key = std::move(k);
    return true;
  }
  bool end_object() override {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    auto special = slashForm(frame.map);
    if (!special) return failWith(DagJsonError::kInvalidValue, special.error().message());
    if (*special) return put(std::move(**special));
    auto map = Value::fromMap(std::move(frame.map));
    if (!map) return failWith(DagJsonError::kDuplicateKey, map.error().message());
    return put(std::move(*map));
  }
  bool start_array(std::size_t) override {
    if (tooDeep()) return failWith(DagJsonError::kTooDeep, fmt::format("nesting deeper than {}", max_depth_));
    stack_.push_back(Frame{false, {}, {}, {}});
    return true;
  }
  bool end_array() override {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    return put(Value(std::move(frame.array)));
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
    if (!error_) error_ = Error(DagJsonError::kSyntax, fmt::format("at byte {}: {}", position, ex.what()));
    return false;
  }

  Result<Value> result() {
    if (error_) return fail(*error_);
    if (!root_) return fail(DagJsonError::kSyntax, "no value");
    if (nestingLevel(*root_) > max_depth_) {
      return fail(DagJsonError::kTooDeep, fmt::format("nesting deeper than {}", max_depth_));
    }
    return std::move(*root_);
  }

 private:
  struct Frame {
    bool is_map;
    ValueMap map;
    ValueArray array;
    std::string pending_key;
  };

  // {"/": "<cid>"} is a link and {"/": {"bytes": "<b64>"}} bytes; any other
  // map is an ordinary map, even with a "/" key (as @ipld/dag-json reads it).
  // nullopt: an ordinary map.
  static Result<std::optional<Value>> slashForm(const ValueMap& map) {
    if (map.size() != 1 || map[0].first != "/") return std::optional<Value>();
    const Value& inner = map[0].second;
    if (inner.is<std::string>()) {
      auto c = cid::Cid::parse(inner.as<std::string>());
      if (!c) return fail(DagJsonError::kInvalidValue, "link: " + c.error().message());
      return std::optional<Value>(Value(std::move(*c)));
    }
    if (inner.is<ValueMap>()) {
      const auto& m = inner.as<ValueMap>();
      if (m.size() == 1 && m[0].first == "bytes" && m[0].second.is<std::string>()) {
        auto b = fromBase64(m[0].second.as<std::string>(), Base64Alphabet::kStandard, Base64Padding::kUnpadded);
        if (!b) return fail(DagJsonError::kInvalidValue, "bytes: " + b.error().message());
        return std::optional<Value>(Value(std::move(*b)));
      }
    }
    return std::optional<Value>();
  }

  bool put(Value v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return true;
    }
    auto& frame = stack_.back();
    if (frame.is_map) {
      frame.map.emplace_back(std::move(frame.pending_key), std::move(v));
    } else {
      frame.array.push_back(std::move(v));
    }
    return true;
  }

  bool failWith(DagJsonError kind, std::string message) {
    if (!error_) error_ = Error(kind, std::move(message));
    return false;
  }

  size_t max_depth_;
  std::vector<Frame> stack_;
  std::optional<Value> root_;
  std::optional<Error> error_;
};

}  // namespace

std::string toDagJson(const Value& value) {
  std::string out;
  std::visit(ToJson{out}, value.variant());
  return out;
}

Result<Value> fromDagJson(std::string_view text, size_t max_depth) {
  Builder builder(max_depth);
  nlohmann::json::sax_parse(text.begin(), text.end(), &builder, nlohmann::json::input_format_t::json, true, false);
  return builder.result();
}

}  // namespace fil::codec
