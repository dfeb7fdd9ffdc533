// Value types of config.toml that TOML has no native form for, written as
// Lotus writes them: durations in Go's time.Duration text ("30s",
// "1h0m0s") and FIL amounts as types.FIL text ("0.07 FIL").
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "fil/base/error.h"
#include "fil/primitives/big_int.h"

namespace fil::config {

struct Duration {
  std::chrono::nanoseconds value{0};
  Duration() = default;
  template <typename Rep, typename Period>
  Duration(std::chrono::duration<Rep, Period> d)  // NOLINT(google-explicit-constructor)
      : value(std::chrono::duration_cast<std::chrono::nanoseconds>(d)) {}
  friend bool operator==(const Duration&, const Duration&) = default;
};

// Go's time.Duration.String(): "0s", "200ms", "30s", "1h0m0s", "336h0m0s".
std::string formatDuration(const Duration& d);
// Go's time.ParseDuration: "1h30m", "1.5h", "300ms", "-2s", units ns us µs ms s m h.
[[nodiscard]] Result<Duration> parseDuration(std::string_view text);

struct FilAmount {
  primitives::TokenAmount value;
  FilAmount() = default;
  FilAmount(primitives::TokenAmount v) : value(std::move(v)) {}  // NOLINT(google-explicit-constructor)
  // For defaults written in the code ("0.07"); aborts on a typo there.
  static FilAmount constant(std::string_view fil);
  friend bool operator==(const FilAmount&, const FilAmount&) = default;
};

// "0.07 FIL"; Lotus's types.FIL text. Parsing takes what lotus accepts.
std::string formatFilAmount(const FilAmount& f);
[[nodiscard]] Result<FilAmount> parseFilAmount(std::string_view text);

}  // namespace fil::config
