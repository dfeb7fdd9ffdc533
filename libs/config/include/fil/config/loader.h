// Reading and printing config.toml as Lotus does: the file is decoded over
// the defaults, then environment variables LOTUS_<SECTION>_<KEY> override
// (envconfig rules: lists comma-separated, maps "k:v,k2:v2"). An unknown key
// or a value of the wrong type is an error naming the key and its line.
//
//   FIL_ASSIGN_OR_RETURN(auto cfg, config::loadFile<MinerConfig>(repo / "config.toml"));
//   std::cout << config::render(cfg, RenderMode::kCommented);   // `config default`
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "fil/config/schema.h"

namespace fil::config {

// Applies TOML text to `root`; `source` names the file in errors.
[[nodiscard]] Status applyToml(const SectionSchema& schema, void* root, std::string_view text, std::string_view source);
// Applies LOTUS_* (or `prefix`_*) environment variables to `root`.
[[nodiscard]] Status applyEnv(const SectionSchema& schema, void* root, std::string_view prefix = "LOTUS");

enum class RenderMode {
  kCommented,  // `config default`: every key commented out, with its documentation
  kPlain,      // `config default --no-comment`: plain TOML
  kUpdated,    // `config updated`: documentation, with keys that differ from the default uncommented
};
std::string renderConfig(const SectionSchema& schema, const void* cfg, const void* defaults, RenderMode mode,
                         std::string_view env_prefix = "LOTUS");

template <ConfigSection T>
[[nodiscard]] Result<T> parse(std::string_view text, std::string_view source = "config.toml", bool apply_env = true) {
  T cfg{};
  FIL_TRY(applyToml(schemaOf<T>(), &cfg, text, source));
  if (apply_env) FIL_TRY(applyEnv(schemaOf<T>(), &cfg));
  return cfg;
}

// A missing file means the defaults (plus environment overrides).
[[nodiscard]] Result<std::string> readConfigText(const std::filesystem::path& path);

template <ConfigSection T>
[[nodiscard]] Result<T> loadFile(const std::filesystem::path& path, bool apply_env = true) {
  FIL_ASSIGN_OR_RETURN(auto text, readConfigText(path));
  return parse<T>(text, path.string(), apply_env);
}

template <ConfigSection T>
std::string render(const T& cfg, RenderMode mode) {
  const T defaults{};
  return renderConfig(schemaOf<T>(), &cfg, &defaults, mode);
}

}  // namespace fil::config
