// How decoders name an offending character in error messages.
#pragma once

#include <string>

#include <fmt/format.h>

namespace fil::detail {

// 'x' for printable ASCII, otherwise the byte as 0xNN.
inline std::string describeChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02x}", u);
}

}  // namespace fil::detail
