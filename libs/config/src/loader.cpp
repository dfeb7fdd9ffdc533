#include "fil/config/loader.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

// GCC 12 warns of uninitialised members when RawValue variants are built
// from toml++ nodes; a known false positive of its variant analysis.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace fil::config {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string typeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "a list";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    default: return "a date or time";
  }
}

std::string lineOf(const toml::node& node) {
  const auto& source = node.source();
  return source.begin.line > 0 ? fmt::format(" (line {})", source.begin.line) : std::string();
}

Result<RawValue> toRaw(const toml::node& node, const FieldSchema& field) {
  if (auto v = node.as_boolean()) return RawValue(v->get());
  if (auto v = node.as_integer()) return RawValue(v->get());
  if (auto v = node.as_floating_point()) return RawValue(v->get());
  if (auto v = node.as_string()) return RawValue(v->get());
  if (auto array = node.as_array()) {
    std::vector<std::string> items;
    for (const auto& item : *array) {
      auto s = item.as_string();
      if (!s) return fail(ConfigError::kWrongType, fmt::format("expected a list of strings, found a list holding {}", typeName(item)));
      items.push_back(s->get());
    }
    return RawValue(std::move(items));
  }
  if (auto table = node.as_table()) {
    if (field.kind != FieldKind::kStringMap) return RawValue(std::map<std::string, std::string>{});
    std::map<std::string, std::string> items;
    for (const auto& [k, v] : *table) {
      auto s = v.as_string();
      if (!s) return fail(ConfigError::kWrongType, fmt::format("expected string values, \"{}\" is {}", k.str(), typeName(v)));
      items.emplace(std::string(k.str()), s->get());
    }
    return RawValue(std::move(items));
  }
  return fail(ConfigError::kWrongType, fmt::format("unsupported TOML value: {}", typeName(node)));
}

Status applyTable(const SectionSchema& schema, void* object, const toml::table& table, const std::string& path,
                  std::string_view source) {
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    const std::string full = path.empty() ? name : path + "." + name;
    const FieldSchema* field = schema.find(name);
    if (field == nullptr) {
      return fail(ConfigError::kUnknownKey, fmt::format("{}: unknown key {}{}", source, full, lineOf(node)));
    }
    if (field->kind == FieldKind::kSection) {
      const auto* sub = node.as_table();
      if (sub == nullptr) {
        return fail(ConfigError::kWrongType, fmt::format("{}: {}{} must be a table ([{}])", source, full, lineOf(node), full));
      }
      FIL_TRY(applyTable(*field->section, field->child(object), *sub, full, source));
      continue;
    }
    auto raw = toRaw(node, *field);
    if (!raw) return fail(Error(raw.error().code(), fmt::format("{}: {}{}: {}", source, full, lineOf(node), raw.error().message())));
    if (auto assigned = field->assign(object, *raw); !assigned) {
      return fail(Error(assigned.error().code(),
                        fmt::format("{}: {}{}: {}", source, full, lineOf(node), assigned.error().message())));
    }
  }
  return ok();
}

// envconfig's text forms: bools as strconv.ParseBool, lists comma-separated,
// maps "k:v,k2:v2", everything else as the field's own text.
Result<RawValue> envToRaw(const FieldSchema& field, const std::string& text) {
  switch (field.kind) {
    case FieldKind::kBool: {
      static const std::vector<std::string> yes = {"1", "t", "T", "TRUE", "true", "True"};
      static const std::vector<std::string> no = {"0", "f", "F", "FALSE", "false", "False"};
      if (std::find(yes.begin(), yes.end(), text) != yes.end()) return RawValue(true);
      if (std::find(no.begin(), no.end(), text) != no.end()) return RawValue(false);
      return fail(ConfigError::kInvalidValue, fmt::format("\"{}\" is not a boolean", text));
    }
    case FieldKind::kInteger: {
      char* end = nullptr;
      errno = 0;
      const long long v = std::strtoll(text.c_str(), &end, 10);
      if (text.empty() || *end != '\0' || errno != 0) {
        return fail(ConfigError::kInvalidValue, fmt::format("\"{}\" is not an integer", text));
      }
      return RawValue(static_cast<int64_t>(v));
    }
    case FieldKind::kStringList: {
      std::vector<std::string> items;
      std::stringstream in(text);
      for (std::string item; std::getline(in, item, ',');) {
        if (!item.empty()) items.push_back(item);
      }
      return RawValue(std::move(items));
    }
    case FieldKind::kStringMap: {
      std::map<std::string, std::string> items;
      std::stringstream in(text);
      for (std::string item; std::getline(in, item, ',');) {
        const auto colon = item.find(':');
        if (colon == std::string::npos) {
          return fail(ConfigError::kInvalidValue, fmt::format("\"{}\" is not key:value", item));
        }
        items[item.substr(0, colon)] = item.substr(colon + 1);
      }
      return RawValue(std::move(items));
    }
    default: return RawValue(text);
  }
}

Status applyEnvSection(const SectionSchema& schema, void* object, const std::string& prefix) {
  for (const auto& field : schema.fields) {
    const std::string name = prefix + "_" + upper(field.name);
    if (field.kind == FieldKind::kSection) {
      FIL_TRY(applyEnvSection(*field.section, field.child(object), name));
      continue;
    }
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) continue;
    auto raw = envToRaw(field, value);
    if (!raw) return fail(Error(raw.error().code(), fmt::format("environment {}: {}", name, raw.error().message())));
    if (auto assigned = field.assign(object, *raw); !assigned) {
      return fail(Error(assigned.error().code(), fmt::format("environment {}: {}", name, assigned.error().message())));
    }
  }
  return ok();
}

void renderSection(const SectionSchema& schema, const void* cfg, const void* defaults, RenderMode mode,
                   const std::string& path, const std::string& env, std::string& out) {
  bool header_written = false;
  auto header = [&] {
    if (header_written || path.empty()) return;
    out += "[" + path + "]\n";
    header_written = true;
  };
  // Scalars first, then sub-tables (TOML requires it).
  for (const auto& field : schema.fields) {
    if (field.kind == FieldKind::kSection) continue;
    header();
    const std::string value = field.format(cfg);
    const bool changed = value != field.format(defaults);
    if (mode == RenderMode::kPlain) {
      out += "  " + field.name + " = " + value + "\n";
      continue;
    }
    std::istringstream comment(field.comment);
    bool any_comment = false;
    for (std::string line; std::getline(comment, line);) {
      out += "  # " + line + "\n";
      any_comment = true;
    }
    if (any_comment) out += "  #\n";
    out += "  # type: " + field.type_name + "\n";
    out += "  # env var: " + env + "_" + upper(field.name) + "\n";
    const bool active = mode == RenderMode::kUpdated && changed;
    out += std::string("  ") + (active ? "" : "#") + field.name + " = " + value + "\n\n";
  }
  if (header_written) out += mode == RenderMode::kPlain ? "\n" : "\n";
  for (const auto& field : schema.fields) {
    if (field.kind != FieldKind::kSection) continue;
    const std::string child_path = path.empty() ? field.name : path + "." + field.name;
    renderSection(*field.section, field.child_const(cfg), field.child_const(defaults), mode, child_path,
                  env + "_" + upper(field.name), out);
  }
}

}  // namespace

Status applyToml(const SectionSchema& schema, void* root, std::string_view text, std::string_view source) {
  // Debian's toml++ is built with exceptions; they stop here.
  toml::table table;
  try {
    table = toml::parse(text, std::string(source));
  } catch (const toml::parse_error& e) {
    return fail(ConfigError::kSyntax, fmt::format("{}: line {}, column {}: {}", source, e.source().begin.line,
                                                  e.source().begin.column, e.description()));
  }
  return applyTable(schema, root, table, "", source);
}

Status applyEnv(const SectionSchema& schema, void* root, std::string_view prefix) {
  return applyEnvSection(schema, root, std::string(prefix));
}

std::string renderConfig(const SectionSchema& schema, const void* cfg, const void* defaults, RenderMode mode,
                         std::string_view env_prefix) {
  std::string out;
  renderSection(schema, cfg, defaults, mode, "", std::string(env_prefix), out);
  while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') out.pop_back();
  return out;
}

Result<std::string> readConfigText(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    if (!std::filesystem::exists(path)) return std::string();
    return fail(ConfigError::kIo, fmt::format("cannot read {}", path.string()));
  }
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace fil::config
