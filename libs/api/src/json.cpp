#include "fil/api/json.h"

#include <ctime>
#include <limits>

#include <fmt/chrono.h>

namespace fil::codec {

Json JsonCodec<api::Timestamp>::toJson(const api::Timestamp& t) {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ns / 1000000000);
  std::string frac = fmt::format("{:09}", ns % 1000000000);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}{}Z", fmt::gmtime(seconds), frac.empty() ? "" : "." + frac);
}

Status JsonCodec<api::Timestamp>::fromJson(const Json& j, api::Timestamp& out) {
  if (!j.is_string()) return fail(detail::jsonTypeError(j, "an RFC 3339 time"));
  const std::string s = j.get<std::string>();
  std::tm tm{};
  int64_t nanos = 0;
  const char* rest = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (rest == nullptr) return fail(JsonError::kInvalidValue, fmt::format("'{}' is not an RFC 3339 time", s));
  if (*rest == '.') {
    ++rest;
    int digits = 0;
    while (std::isdigit(static_cast<unsigned char>(*rest))) {
      if (digits < 9) nanos = nanos * 10 + (*rest - '0');
      ++digits;
      ++rest;
    }
    for (; digits < 9; ++digits) nanos *= 10;
  }
  int64_t offset = 0;
  if (*rest == '+' || *rest == '-') {
    int hours = 0, minutes = 0;
    if (std::sscanf(rest + 1, "%2d:%2d", &hours, &minutes) != 2) {
      return fail(JsonError::kInvalidValue, fmt::format("'{}' has a bad zone offset", s));
    }
    offset = (*rest == '+' ? 1 : -1) * (hours * 3600 + minutes * 60);
  } else if (*rest != 'Z') {
    return fail(JsonError::kInvalidValue, fmt::format("'{}' has no time zone", s));
  }
  const int64_t seconds = static_cast<int64_t>(timegm(&tm)) - offset;
  // The clock counts nanoseconds in 64 bits: years 1678 to 2262.
  constexpr int64_t kMaxSeconds = std::numeric_limits<int64_t>::max() / 1000000000 - 1;
  if (seconds < -kMaxSeconds || seconds > kMaxSeconds) {
    return fail(JsonError::kInvalidValue, fmt::format("'{}' is outside the years 1678 to 2262", s));
  }
  out.time = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::seconds(seconds) + std::chrono::nanoseconds(nanos)));
  return ok();
}

namespace {
constexpr std::string_view kGoZeroTime = "0001-01-01T00:00:00Z";
}

Json JsonCodec<std::optional<api::Timestamp>>::toJson(const std::optional<api::Timestamp>& t) {
  return t ? JsonCodec<api::Timestamp>::toJson(*t) : Json(std::string(kGoZeroTime));
}

Status JsonCodec<std::optional<api::Timestamp>>::fromJson(const Json& j, std::optional<api::Timestamp>& out) {
  if (j.is_null() || (j.is_string() && j.get<std::string>() == kGoZeroTime)) {
    out.reset();
    return ok();
  }
  api::Timestamp t;
  FIL_TRY(JsonCodec<api::Timestamp>::fromJson(j, t));
  out = t;
  return ok();
}

}  // namespace fil::codec
