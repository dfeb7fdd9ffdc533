#include <gtest/gtest.h>

#include "fil/base/base64.h"
#include "fil/crypto/random.h"
#include "fil/rpc/jwt.h"

namespace fil::rpc {
namespace {

TEST(Jwt, RoundTripAndPermissions) {
  const JwtAuth auth(crypto::randomBytes(kJwtSecretSize));
  const auto token = auth.create({permissionsUpTo(Perm::kWrite), std::nullopt, std::nullopt});
  auto claims = auth.verify(token);
  ASSERT_TRUE(claims) << claims.error().message();
  EXPECT_EQ(claims->allow, (std::vector<std::string>{"read", "write"}));
  EXPECT_TRUE(claims->allows("Filecoin.MpoolPush", Perm::kWrite));
  EXPECT_FALSE(claims->allows("Filecoin.WalletSign", Perm::kSign));
}

// A token shaped exactly as Lotus's (gbrlsnchs/jwt) are: header
// {"alg":"HS256","typ":"JWT"}, payload {"Allow":["read","write","sign","admin"]},
// secret of 32 zero bytes. Made with Python's standard hmac/base64 modules,
// independently of our code:
//   b=lambda x: base64.urlsafe_b64encode(x).rstrip(b'=').decode()
//   h+'.'+p+'.'+b(hmac.new(bytes(32), (h+'.'+p).encode(), hashlib.sha256).digest())
TEST(Jwt, AcceptsLotusShapedTokens) {
  const JwtAuth auth(Bytes(32, 0));
  const std::string token =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJBbGxvdyI6WyJyZWFkIiwid3JpdGUiLCJzaWduIiwiYWRtaW4iXX0."
      "ScTxuA6m2BpsCtdfXy_I_7HbNccLJyZSqcZaYgw6eAA";
  auto claims = auth.verify(token);
  ASSERT_TRUE(claims) << claims.error().message();
  EXPECT_EQ(claims->allow, allPermissions());
  EXPECT_FALSE(claims->methods);
  // One flipped signature character and it is refused.
  std::string forged = token;
  char& c = forged[forged.size() - 5];  // not the last: it also holds padding bits
  c = c == 'A' ? 'B' : 'A';
  EXPECT_FALSE(auth.verify(forged));
}

TEST(Jwt, RefusesForgedExpiredAndMalformed) {
  const JwtAuth auth(crypto::randomBytes(kJwtSecretSize));
  const JwtAuth other(crypto::randomBytes(kJwtSecretSize));
  const auto token = other.create({allPermissions(), std::nullopt, std::nullopt});
  EXPECT_TRUE(auth.verify(token).error().is(RpcError::kUnauthorized));
  EXPECT_TRUE(auth.verify("garbage").error().is(RpcError::kUnauthorized));
  EXPECT_TRUE(auth.verify("").error().is(RpcError::kUnauthorized));

  const auto expired = auth.create({allPermissions(), std::nullopt, std::chrono::system_clock::now() - std::chrono::hours(1)});
  EXPECT_TRUE(auth.verify(expired).error().is(RpcError::kUnauthorized));

  // alg "none" with the same payload must not pass.
  const std::string header = toBase64(asBytes(R"({"alg":"none","typ":"JWT"})"), Base64Alphabet::kUrl, Base64Padding::kUnpadded);
  const std::string payload = toBase64(asBytes(R"({"Allow":["admin"]})"), Base64Alphabet::kUrl, Base64Padding::kUnpadded);
  EXPECT_FALSE(auth.verify(header + "." + payload + "."));
}

TEST(Jwt, NarrowedToMethods) {
  const JwtAuth auth(crypto::randomBytes(kJwtSecretSize));
  const auto token = auth.create({allPermissions(), std::vector<std::string>{"Filecoin.SectorAddPieceToAny"}, std::nullopt});
  auto claims = *auth.verify(token);
  EXPECT_TRUE(claims.allows("Filecoin.SectorAddPieceToAny", Perm::kAdmin));
  EXPECT_FALSE(claims.allows("Filecoin.ActorAddress", Perm::kRead));
}

}  // namespace
}  // namespace fil::rpc
