// Logging through spdlog, one named logger per subsystem ("rpc", "chain",
// "sealing"), each with its own level, as go-log gives Lotus.
//
//   auto& log = fil::log::get("rpc");
//   log.info("serving on {}", address);
//
// Environment (read by configureFromEnv, Lotus's names):
//   GOLOG_LOG_LEVEL  "info", or per subsystem "rpc=debug,chain=warn,info"
//   GOLOG_LOG_FMT    "json" for one JSON object per line (structured logs),
//                    anything else for text
//   GOLOG_FILE       write to this file instead of stderr
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <spdlog/logger.h>

#include "fil/base/error.h"

namespace fil::log {

enum class LogError { kUnknownLevel = 1, kUnknownSubsystem, kSink };
std::string_view describe(LogError e);

}  // namespace fil::log

FIL_REGISTER_ERROR(fil::log::LogError, "log");

namespace fil::log {

// The logger of a subsystem, created on first use at the default level.
// Loggers live until the process ends; the reference stays valid.
spdlog::logger& get(std::string_view subsystem);

// Sets the level of one subsystem, or of all (existing and future) with "*".
[[nodiscard]] Status setLevel(std::string_view subsystem, std::string_view level);

// The subsystems that have a logger, sorted.
std::vector<std::string> subsystems();

enum class Format { kText, kJson };

struct Options {
  Format format = Format::kText;
  std::string file;            // empty: stderr
  std::string default_level = "info";
};

// Replaces the output of every logger. Call once at start-up, before threads.
[[nodiscard]] Status configure(const Options& options);

// configure() from GOLOG_* variables, then the per-subsystem levels they name.
[[nodiscard]] Status configureFromEnv();

}  // namespace fil::log
