// Config sections declared beside their structs, with the TOML key name
// and the comment `config default` prints above each key:
//
//   struct ApiConfig {
//     std::string listen_address = "/ip4/127.0.0.1/tcp/1234/http";
//     Duration timeout = std::chrono::seconds(30);
//   };
//   FIL_CONFIG_SECTION(ApiConfig,
//     (listen_address, "ListenAddress", "Binding address for the API"),
//     (timeout, "Timeout", "Maximum time a call may take"))
//
// Member initialisers are the defaults: one place. A member whose type is
// itself a declared section becomes a [Parent.Child] table.
//
// From the declarations, schemaOf<T>() builds a type-erased tree that the
// TOML reader, the environment overrides and the printer walk.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <variant>
#include <vector>

#include "fil/base/error.h"
#include "fil/codec/reflect.h"
#include "fil/config/config_error.h"
#include "fil/config/values.h"

namespace fil::config {

// A value read from TOML or the environment, before it meets its field.
using RawValue = std::variant<bool, int64_t, double, std::string, std::vector<std::string>,
                              std::map<std::string, std::string>>;

enum class FieldKind { kBool, kInteger, kString, kDuration, kFil, kStringList, kStringMap, kSection };

struct SectionSchema;

struct FieldSchema {
  std::string name;
  std::string comment;
  FieldKind kind;
  std::string type_name;  // as printed in comments: "bool", "int", "string", "Duration", "types.FIL", "[]string", "map[string]string"
  // Scalars: the value in TOML syntax, and setting it from a raw value
  // (the error says what was expected).
  std::function<std::string(const void* section)> format;
  std::function<Status(void* section, const RawValue& value)> assign;
  // Sections: the nested schema and how to reach the member.
  std::shared_ptr<const SectionSchema> section;
  std::function<void*(void* parent)> child;
  std::function<const void*(const void* parent)> child_const;
};

struct SectionSchema {
  std::vector<FieldSchema> fields;
  const FieldSchema* find(std::string_view name) const;
};

template <typename Struct, typename Member>
struct ConfigField {
  std::string_view name;
  Member Struct::*member;
  std::string_view comment;
  using Type = Member;
};

template <typename T>
concept ConfigSection = requires(const T* p) { filConfigFields(p); };

namespace detail {

Status wrongType(std::string_view expected, const RawValue& got);
std::string quoteToml(std::string_view s);
std::string_view rawTypeName(const RawValue& v);

template <typename M>
FieldSchema scalarField();

template <typename T>
std::shared_ptr<const SectionSchema> buildSchema();

template <typename M>
FieldSchema makeField() {
  if constexpr (ConfigSection<M>) {
    FieldSchema f;
    f.kind = FieldKind::kSection;
    f.section = buildSchema<M>();
    return f;
  } else {
    return scalarField<M>();
  }
}

template <typename M>
FieldSchema scalarField() {
  FieldSchema f;
  if constexpr (std::is_same_v<M, bool>) {
    f.kind = FieldKind::kBool;
    f.type_name = "bool";
    f.format = [](const void* v) { return std::string(*static_cast<const M*>(v) ? "true" : "false"); };
    f.assign = [](void* v, const RawValue& raw) -> Status {
      if (auto* b = std::get_if<bool>(&raw)) {
        *static_cast<M*>(v) = *b;
        return ok();
      }
      return wrongType("a boolean", raw);
    };
  } else if constexpr (std::is_integral_v<M>) {
    f.kind = FieldKind::kInteger;
    f.type_name = std::is_unsigned_v<M> ? "uint64" : "int";
    f.format = [](const void* v) { return std::to_string(*static_cast<const M*>(v)); };
    f.assign = [](void* v, const RawValue& raw) -> Status {
      auto* i = std::get_if<int64_t>(&raw);
      if (!i) return wrongType("an integer", raw);
      if ((std::is_unsigned_v<M> && *i < 0) ||
          (!std::is_unsigned_v<M> && (*i < static_cast<int64_t>(std::numeric_limits<M>::min()) ||
                                      *i > static_cast<int64_t>(std::numeric_limits<M>::max())))) {
        return fail(ConfigError::kInvalidValue, "integer " + std::to_string(*i) + " is out of range");
      }
      *static_cast<M*>(v) = static_cast<M>(*i);
      return ok();
    };
  } else if constexpr (std::is_same_v<M, std::string>) {
    f.kind = FieldKind::kString;
    f.type_name = "string";
    f.format = [](const void* v) { return quoteToml(*static_cast<const M*>(v)); };
    f.assign = [](void* v, const RawValue& raw) -> Status {
      if (auto* s = std::get_if<std::string>(&raw)) {
        *static_cast<M*>(v) = *s;
        return ok();
      }
      return wrongType("a string", raw);
    };
  } else if constexpr (std::is_same_v<M, Duration>) {
    f.kind = FieldKind::kDuration;
    f.type_name = "Duration";
    f.format = [](const void* v) { return quoteToml(formatDuration(*static_cast<const M*>(v))); };
    f.assign = [](void* v, const RawValue& raw) -> Status {
      auto* s = std::get_if<std::string>(&raw);
      if (!s) return wrongType("a duration string such as \"30s\"", raw);
      FIL_ASSIGN_OR_RETURN(*static_cast<M*>(v), parseDuration(*s));
      return ok();
    };
  } else if constexpr (std::is_same_v<M, FilAmount>) {
    f.kind = FieldKind::kFil;
    f.type_name = "types.FIL";
    f.format = [](const void* v) { return quoteToml(formatFilAmount(*static_cast<const M*>(v))); };
    f.assign = [](void* v, const RawValue& raw) -> Status {
      auto* s = std::get_if<std::string>(&raw);
      if (!s) return wrongType("a FIL amount string such as \"0.5 FIL\"", raw);
      FIL_ASSIGN_OR_RETURN(*static_cast<M*>(v), parseFilAmount(*s));
      return ok();
    };
  } else if constexpr (std::is_same_v<M, std::vector<std::string>>) {
    f.kind = FieldKind::kStringList;
    f.type_name = "[]string";
    f.format = [](const void* v) {
      std::string out = "[";
      const auto& list = *static_cast<const M*>(v);
      for (size_t i = 0; i < list.size(); ++i) out += (i ? ", " : "") + quoteToml(list[i]);
      return out + "]";
    };
    f.assign = [](void* v, const RawValue& raw) -> Status {
      if (auto* l = std::get_if<std::vector<std::string>>(&raw)) {
        *static_cast<M*>(v) = *l;
        return ok();
      }
      return wrongType("a list of strings", raw);
    };
  } else if constexpr (std::is_same_v<M, std::map<std::string, std::string>>) {
    f.kind = FieldKind::kStringMap;
    f.type_name = "map[string]string";
    f.format = [](const void* v) {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, val] : *static_cast<const M*>(v)) {
        out += (first ? "" : ", ") + quoteToml(k) + " = " + quoteToml(val);
        first = false;
      }
      return out + "}";
    };
    f.assign = [](void* v, const RawValue& raw) -> Status {
      if (auto* m = std::get_if<std::map<std::string, std::string>>(&raw)) {
        *static_cast<M*>(v) = *m;
        return ok();
      }
      return wrongType("a table of strings", raw);
    };
  } else {
    static_assert(sizeof(M) == 0, "unsupported config field type");
  }
  return f;
}

template <typename T>
std::shared_ptr<const SectionSchema> buildSchema() {
  auto schema = std::make_shared<SectionSchema>();
  std::apply(
      [&](const auto&... field) {
        (
            [&] {
              using M = typename std::decay_t<decltype(field)>::Type;
              FieldSchema f = makeField<M>();
              f.name = std::string(field.name);
              f.comment = std::string(field.comment);
              const auto member = field.member;
              if (f.kind == FieldKind::kSection) {
                f.child = [member](void* p) -> void* { return &(static_cast<T*>(p)->*member); };
                f.child_const = [member](const void* p) -> const void* { return &(static_cast<const T*>(p)->*member); };
              } else {
                auto format = f.format;
                auto assign = f.assign;
                f.format = [member, format](const void* p) { return format(&(static_cast<const T*>(p)->*member)); };
                f.assign = [member, assign](void* p, const RawValue& raw) {
                  return assign(&(static_cast<T*>(p)->*member), raw);
                };
              }
              schema->fields.push_back(std::move(f));
            }(),
            ...);
      },
      filConfigFields(static_cast<const T*>(nullptr)));
  return schema;
}

}  // namespace detail

template <ConfigSection T>
const SectionSchema& schemaOf() {
  static const std::shared_ptr<const SectionSchema> schema = detail::buildSchema<T>();
  return *schema;
}

}  // namespace fil::config

#define FIL_CONFIG_FIELD_I(member, name, comment) ::fil::config::ConfigField<FilSelf, decltype(FilSelf::member)>{name, &FilSelf::member, comment}
#define FIL_CONFIG_FIELD(triple) FIL_CONFIG_FIELD_I triple

#define FIL_CONFIG_SECTION(Type, ...)                                          \
  [[maybe_unused]] inline auto filConfigFields(const Type*) {                 \
    using FilSelf = Type;                                                     \
    return std::make_tuple(FIL_PP_MAP(FIL_CONFIG_FIELD, __VA_ARGS__));        \
  }
