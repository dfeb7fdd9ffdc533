#include "fil/config/schema.h"

#include <fmt/format.h>

namespace fil::config {

const FieldSchema* SectionSchema::find(std::string_view name) const {
  for (const auto& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

namespace detail {

std::string_view rawTypeName(const RawValue& v) {
  switch (v.index()) {
    case 0: return "a boolean";
    case 1: return "an integer";
    case 2: return "a float";
    case 3: return "a string";
    case 4: return "a list";
    default: return "a table";
  }
}

Status wrongType(std::string_view expected, const RawValue& got) {
  return fail(ConfigError::kWrongType, fmt::format("expected {}, got {}", expected, rawTypeName(got)));
}

std::string quoteToml(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<int>(c));
        } else {
          out.push_back(c);
        }
    }
  }
  return out + "\"";
}

}  // namespace detail
}  // namespace fil::config
