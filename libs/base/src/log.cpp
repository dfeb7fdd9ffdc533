#include "fil/base/log.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace fil::log {

std::string_view describe(LogError e) {
  switch (e) {
    case LogError::kUnknownLevel: return "unknown log level";
    case LogError::kUnknownSubsystem: return "unknown log subsystem";
    case LogError::kSink: return "cannot open log output";
  }
  return "unknown log error";
}

namespace {

// One JSON object per line, with go-log's (zap's) keys so that tools made for
// Lotus logs read ours: level, ts, logger, msg.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto level = spdlog::level::to_string_view(msg.level);
    fmt::format_to(std::back_inserter(dest), R"({{"level":"{}","ts":"{:%Y-%m-%dT%H:%M:%S}Z","logger":")",
                   std::string_view(level.data(), level.size()),
                   fmt::gmtime(std::chrono::system_clock::to_time_t(msg.time)));
    appendEscaped(dest, std::string_view(msg.logger_name.data(), msg.logger_name.size()));
    fmt::format_to(std::back_inserter(dest), R"(","msg":")");
    appendEscaped(dest, std::string_view(msg.payload.data(), msg.payload.size()));
    fmt::format_to(std::back_inserter(dest), "\"}}\n");
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }

 private:
  static void appendEscaped(spdlog::memory_buf_t& dest, std::string_view s) {
    for (char c : s) {
      switch (c) {
        case '"': dest.append(std::string_view("\\\"")); break;
        case '\\': dest.append(std::string_view("\\\\")); break;
        case '\n': dest.append(std::string_view("\\n")); break;
        case '\r': dest.append(std::string_view("\\r")); break;
        case '\t': dest.append(std::string_view("\\t")); break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            fmt::format_to(std::back_inserter(dest), "\\u{:04x}", static_cast<int>(c));
          } else {
            dest.push_back(c);
          }
      }
    }
  }
};

struct Registry {
  std::mutex mutex;
  std::map<std::string, std::shared_ptr<spdlog::logger>, std::less<>> loggers;
  spdlog::sink_ptr sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  spdlog::level::level_enum default_level = spdlog::level::info;
  Format format = Format::kText;

  std::unique_ptr<spdlog::formatter> makeFormatter() const {
    if (format == Format::kJson) return std::make_unique<JsonFormatter>();
    return std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%e%z\t%^%l%$\t%n\t%v");
  }
};

Registry& registry() {
  static Registry* r = new Registry();  // never destroyed: loggers outlive static destructors
  return *r;
}

Result<spdlog::level::level_enum> parseLevel(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "warn" || lower == "warning") return spdlog::level::warn;
  if (lower == "error" || lower == "err") return spdlog::level::err;
  if (lower == "fatal" || lower == "dpanic" || lower == "panic") return spdlog::level::critical;
  for (int l = spdlog::level::trace; l <= spdlog::level::off; ++l) {
    const auto name = spdlog::level::to_string_view(static_cast<spdlog::level::level_enum>(l));
    if (lower == std::string_view(name.data(), name.size())) return static_cast<spdlog::level::level_enum>(l);
  }
  return fail(LogError::kUnknownLevel,
              fmt::format("unknown log level '{}' (use debug, info, warn, error)", text));
}

}  // namespace

spdlog::logger& get(std::string_view subsystem) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  auto it = r.loggers.find(subsystem);
  if (it == r.loggers.end()) {
    auto logger = std::make_shared<spdlog::logger>(std::string(subsystem), r.sink);
    logger->set_level(r.default_level);
    logger->set_formatter(r.makeFormatter());
    it = r.loggers.emplace(std::string(subsystem), std::move(logger)).first;
  }
  return *it->second;
}

Status setLevel(std::string_view subsystem, std::string_view level) {
  FIL_ASSIGN_OR_RETURN(auto parsed, parseLevel(level));
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  if (subsystem == "*") {
    r.default_level = parsed;
    for (auto& [name, logger] : r.loggers) logger->set_level(parsed);
    return ok();
  }
  auto it = r.loggers.find(subsystem);
  if (it == r.loggers.end()) {
    return fail(LogError::kUnknownSubsystem,
                fmt::format("no logger named '{}' (see 'log list')", subsystem));
  }
  it->second->set_level(parsed);
  return ok();
}

std::vector<std::string> subsystems() {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  std::vector<std::string> names;
  for (const auto& [name, logger] : r.loggers) names.push_back(name);
  return names;
}

Status configure(const Options& options) {
  FIL_ASSIGN_OR_RETURN(auto level, parseLevel(options.default_level));
  spdlog::sink_ptr sink;
  if (options.file.empty()) {
    sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  } else {
    try {
      sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file);
    } catch (const spdlog::spdlog_ex& e) {
      return fail(LogError::kSink, fmt::format("opening log file {}: {}", options.file, e.what()));
    }
  }
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  r.sink = sink;
  r.format = options.format;
  r.default_level = level;
  for (auto& [name, logger] : r.loggers) {
    logger->sinks().assign(1, sink);
    logger->set_formatter(r.makeFormatter());
    logger->set_level(level);
  }
  return ok();
}

Status configureFromEnv() {
  Options options;
  const char* fmt_env = std::getenv("GOLOG_LOG_FMT");
  if (fmt_env != nullptr && std::string_view(fmt_env) == "json") options.format = Format::kJson;
  if (const char* file = std::getenv("GOLOG_FILE")) options.file = file;

  // GOLOG_LOG_LEVEL is "level" or "sub=level,sub2=level,level".
  std::vector<std::pair<std::string, std::string>> per_subsystem;
  if (const char* levels = std::getenv("GOLOG_LOG_LEVEL")) {
    std::string_view rest(levels);
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      if (item.empty()) continue;
      const size_t eq = item.find('=');
      if (eq == std::string_view::npos) {
        options.default_level = std::string(item);
      } else {
        per_subsystem.emplace_back(std::string(item.substr(0, eq)), std::string(item.substr(eq + 1)));
      }
    }
  }
  FIL_TRY(configure(options).map_error([](Error e) { return std::move(e).withContext("GOLOG_LOG_LEVEL"); }));
  for (const auto& [subsystem, level] : per_subsystem) {
    get(subsystem);  // a level set before first use must stick
    FIL_TRY(setLevel(subsystem, level));
  }
  return ok();
}

}  // namespace fil::log
