#include "fil/rpc/jwt.h"

#include <algorithm>

#include <fmt/format.h>
#include <jwt/jwt.hpp>

namespace fil::rpc {

bool TokenClaims::hasPermission(Perm p) const {
  return std::find(allow.begin(), allow.end(), permName(p)) != allow.end();
}

bool TokenClaims::allows(std::string_view method, Perm p) const {
  if (!hasPermission(p)) return false;
  if (!methods) return true;
  return std::find(methods->begin(), methods->end(), method) != methods->end();
}

std::string JwtAuth::create(const TokenClaims& claims) const {
  jwt::jwt_object token{jwt::params::algorithm("HS256"), jwt::params::secret(std::string(asString(secret_)))};
  token.add_claim("Allow", claims.allow);
  if (claims.methods) token.add_claim("Methods", *claims.methods);
  if (claims.expires) token.add_claim("exp", *claims.expires);
  return token.signature();
}

Result<TokenClaims> JwtAuth::verify(std::string_view token) const {
  std::error_code ec;
  auto decoded = jwt::decode(jwt::string_view(token.data(), token.size()), jwt::params::algorithms({"HS256"}), ec,
                             jwt::params::secret(std::string(asString(secret_))), jwt::params::verify(true));
  if (ec) return fail(RpcError::kUnauthorized, fmt::format("invalid token: {}", ec.message()));
  const auto& payload = decoded.payload().create_json_obj();
  TokenClaims claims;
  const auto allow = payload.find("Allow");
  if (allow == payload.end() || !allow->is_array()) {
    return fail(RpcError::kUnauthorized, "invalid token: no \"Allow\" permission list");
  }
  for (const auto& p : *allow) {
    if (!p.is_string()) return fail(RpcError::kUnauthorized, "invalid token: \"Allow\" holds a non-string");
    claims.allow.push_back(p.get<std::string>());
  }
  if (const auto methods = payload.find("Methods"); methods != payload.end()) {
    if (!methods->is_array()) return fail(RpcError::kUnauthorized, "invalid token: \"Methods\" is not a list");
    claims.methods.emplace();
    for (const auto& m : *methods) {
      if (!m.is_string()) return fail(RpcError::kUnauthorized, "invalid token: \"Methods\" holds a non-string");
      claims.methods->push_back(m.get<std::string>());
    }
  }
  if (const auto exp = payload.find("exp"); exp != payload.end() && exp->is_number_integer()) {
    claims.expires = std::chrono::system_clock::time_point(std::chrono::seconds(exp->get<int64_t>()));
  }
  return claims;
}

}  // namespace fil::rpc
