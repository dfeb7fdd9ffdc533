#include "fil/config/values.h"

#include <cmath>

#include <fmt/format.h>

#include "fil/config/config_error.h"

namespace fil::config {

std::string_view describe(ConfigError e) {
  switch (e) {
    case ConfigError::kSyntax: return "config syntax error";
    case ConfigError::kUnknownKey: return "unknown config key";
    case ConfigError::kWrongType: return "config value has the wrong type";
    case ConfigError::kInvalidValue: return "invalid config value";
    case ConfigError::kIo: return "cannot read config";
  }
  return "unknown config error";
}

namespace {

// Go's fmtFrac/fmtInt for Duration.String: the fraction without trailing zeros.
std::string fraction(uint64_t v, int digits) {
  std::string s = fmt::format("{:0{}}", v, digits);
  while (!s.empty() && s.back() == '0') s.pop_back();
  return s.empty() ? std::string() : "." + s;
}

}  // namespace

std::string formatDuration(const Duration& d) {
  int64_t ns = d.value.count();
  if (ns == 0) return "0s";
  const bool negative = ns < 0;
  uint64_t u = negative ? static_cast<uint64_t>(-(ns + 1)) + 1 : static_cast<uint64_t>(ns);
  std::string out;
  if (u < 1000000000ull) {
    // Under a second: ns, µs or ms with a fraction, as Go prints them.
    if (u < 1000ull) {
      out = std::to_string(u) + "ns";
    } else if (u < 1000000ull) {
      out = std::to_string(u / 1000) + fraction(u % 1000, 3) + "\xc2\xb5s";
    } else {
      out = std::to_string(u / 1000000) + fraction(u % 1000000, 6) + "ms";
    }
  } else {
    const uint64_t seconds = u / 1000000000ull;
    const std::string secs = std::to_string(seconds % 60) + fraction(u % 1000000000ull, 9) + "s";
    const uint64_t minutes = seconds / 60;
    if (minutes == 0) {
      out = secs;
    } else if (minutes < 60) {
      out = std::to_string(minutes) + "m" + secs;
    } else {
      out = std::to_string(minutes / 60) + "h" + std::to_string(minutes % 60) + "m" + secs;
    }
  }
  return negative ? "-" + out : out;
}

Result<Duration> parseDuration(std::string_view text) {
  const std::string original(text);
  auto invalid = [&] { return fail(ConfigError::kInvalidValue, fmt::format("invalid duration \"{}\" (use e.g. 30s, 1h30m)", original)); };
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text == "0") return Duration{};
  if (text.empty()) return invalid();
  long double total = 0;
  while (!text.empty()) {
    size_t i = 0;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (i == 0) return invalid();
    const std::string number(text.substr(0, i));
    if (std::count(number.begin(), number.end(), '.') > 1 || number == ".") return invalid();
    text.remove_prefix(i);
    size_t u = 0;
    while (u < text.size() && !std::isdigit(static_cast<unsigned char>(text[u])) && text[u] != '.') ++u;
    const std::string_view unit = text.substr(0, u);
    text.remove_prefix(u);
    long double scale = 0;
    if (unit == "ns") scale = 1;
    else if (unit == "us" || unit == "\xc2\xb5s" || unit == "\xce\xbcs") scale = 1e3;
    else if (unit == "ms") scale = 1e6;
    else if (unit == "s") scale = 1e9;
    else if (unit == "m") scale = 60e9;
    else if (unit == "h") scale = 3600e9;
    else return invalid();
    total += std::stold(number) * scale;
  }
  if (total > 9.2e18L) return fail(ConfigError::kInvalidValue, fmt::format("duration \"{}\" is too long", original));
  const auto ns = static_cast<int64_t>(std::llround(total));
  return Duration{std::chrono::nanoseconds(negative ? -ns : ns)};
}

FilAmount FilAmount::constant(std::string_view fil) {
  auto v = primitives::parseFil(fil);
  if (!v) std::abort();
  return FilAmount{std::move(*v)};
}

std::string formatFilAmount(const FilAmount& f) { return primitives::formatFil(f.value); }

Result<FilAmount> parseFilAmount(std::string_view text) {
  auto v = primitives::parseFil(text);
  if (!v) return fail(ConfigError::kInvalidValue, v.error().message());
  return FilAmount{std::move(*v)};
}

}  // namespace fil::config
