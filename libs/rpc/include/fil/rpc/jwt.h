// API tokens: HS256 JWTs whose payload lists the permissions granted,
// {"Allow": ["read", "write"]}, as Lotus signs them with the repo's
// `auth-jwt-private` secret.
//
// Two extensions, both optional and both ignored by Lotus:
//   "Methods": ["Filecoin.SectorAddPieceToAny", ...] narrows a token to the
//              listed methods (the markets node gets only what it needs);
//   "exp":     expiry in Unix seconds (RFC 7519); an expired token is refused.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/rpc/permission.h"
#include "fil/rpc/rpc_error.h"

namespace fil::rpc {

struct TokenClaims {
  std::vector<std::string> allow;                    // permission names
  std::optional<std::vector<std::string>> methods;   // "Filecoin.X" names, when narrowed
  std::optional<std::chrono::system_clock::time_point> expires;

  bool hasPermission(Perm p) const;
  // Whether the token may call `method` ("Filecoin.X") that needs `p`.
  bool allows(std::string_view method, Perm p) const;
};

// The secret's size as Lotus makes it.
inline constexpr size_t kJwtSecretSize = 32;

class JwtAuth {
 public:
  explicit JwtAuth(Bytes secret) : secret_(std::move(secret)) {}

  [[nodiscard]] std::string create(const TokenClaims& claims) const;

  // Checks the signature (HS256 only; "none" and other algorithms are
  // refused), the expiry and the claims' shape. Errors are kUnauthorized
  // with the reason.
  [[nodiscard]] Result<TokenClaims> verify(std::string_view token) const;

 private:
  Bytes secret_;
};

}  // namespace fil::rpc
