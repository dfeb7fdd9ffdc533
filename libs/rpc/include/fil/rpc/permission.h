// API permissions, as Lotus has them: read < write < sign < admin. Every
// API method requires one; a token carries the list it was granted.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fil::rpc {

enum class Perm { kRead, kWrite, kSign, kAdmin };

std::string_view permName(Perm p);  // "read", "write", "sign", "admin"
std::optional<Perm> parsePerm(std::string_view name);

// Lotus's `auth create-token --perm=X`: every permission up to and including X.
std::vector<std::string> permissionsUpTo(Perm p);

// All four, the permissions of the repo's own token.
std::vector<std::string> allPermissions();

}  // namespace fil::rpc
