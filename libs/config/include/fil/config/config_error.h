// Errors from reading config.toml and environment overrides.
#pragma once

#include <string_view>

#include "fil/base/error.h"

namespace fil::config {

enum class ConfigError {
  kSyntax = 1,     // not valid TOML (with line and column)
  kUnknownKey,     // a key this node does not have (with line)
  kWrongType,      // a value of the wrong type (with key and line)
  kInvalidValue,   // right type, refused value (bad duration, FIL amount...)
  kIo,
};
std::string_view describe(ConfigError e);

}  // namespace fil::config

FIL_REGISTER_ERROR(fil::config::ConfigError, "config");
