// The version our nodes report. It names the Lotus release whose API shapes
// we follow (tools compare it as they compare Lotus versions), then our own
// build: "1.23.3+filstack.0.1.0".
#pragma once

#include <string_view>

namespace fil {

inline constexpr std::string_view kLotusCompatibleVersion = "1.23.3";
inline constexpr std::string_view kBuildVersion = "0.1.0";
inline constexpr std::string_view kNodeVersion = "1.23.3+filstack.0.1.0";

}  // namespace fil
