#include "fil/rpc/permission.h"

#include <array>

namespace fil::rpc {
namespace {
constexpr std::array<std::string_view, 4> kNames = {"read", "write", "sign", "admin"};
}

std::string_view permName(Perm p) { return kNames.at(static_cast<size_t>(p)); }

std::optional<Perm> parsePerm(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Perm>(i);
  }
  return std::nullopt;
}

std::vector<std::string> permissionsUpTo(Perm p) {
  std::vector<std::string> out;
  for (size_t i = 0; i <= static_cast<size_t>(p); ++i) out.emplace_back(kNames[i]);
  return out;
}

std::vector<std::string> allPermissions() { return permissionsUpTo(Perm::kAdmin); }

}  // namespace fil::rpc
