#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "fil/rpc/api_info.h"
#include "fil/testing/paths.h"

namespace fil::rpc {
namespace {

TEST(ApiInfo, LotusForms) {
  auto info = parseApiInfo("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJBbGxvdyI6WyJyZWFkIl19.sig:/ip4/127.0.0.1/tcp/2345/http");
  ASSERT_TRUE(info) << info.error().message();
  EXPECT_EQ(info->token, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJBbGxvdyI6WyJyZWFkIl19.sig");
  EXPECT_EQ(info->addr, "/ip4/127.0.0.1/tcp/2345/http");
  EXPECT_EQ(*info->dialUrl("v0"), "ws://127.0.0.1:2345/rpc/v0");
  EXPECT_EQ(*info->dialUrl("v1", true), "http://127.0.0.1:2345/rpc/v1");
  EXPECT_EQ(info->toString(), info->token + ":" + info->addr);

  auto bare = parseApiInfo("/ip4/10.0.0.1/tcp/1234/http");
  ASSERT_TRUE(bare);
  EXPECT_TRUE(bare->token.empty());

  auto url = parseApiInfo("TOKEN:http://example.com:8080");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->token, "TOKEN");
  EXPECT_EQ(*url->dialUrl("v0"), "http://example.com:8080/rpc/v0");

  auto wss = parseApiInfo("T:/dns4/node.example/tcp/443/wss");
  ASSERT_TRUE(wss);
  EXPECT_EQ(*wss->dialUrl("v0"), "wss://node.example:443/rpc/v0");

  auto ip6 = parseApiInfo("/ip6/::1/tcp/1234/http");
  ASSERT_TRUE(ip6);
  EXPECT_EQ(*ip6->dialUrl("v0"), "ws://[::1]:1234/rpc/v0");

  // A "NAME_API_INFO=" inside an address is not a variable name (found by
  // fuzzing: it parsed differently the second time).
  auto inside = parseApiInfo("http://x.example/q_API_INFO=1:80");
  if (inside) EXPECT_EQ(parseApiInfo(inside->toString())->addr, inside->addr);

  // As `auth api-info` prints it, with the variable name and a newline.
  auto pasted = parseApiInfo("MINER_API_INFO=TOK:/ip4/127.0.0.1/tcp/2345/http\n");
  ASSERT_TRUE(pasted);
  EXPECT_EQ(pasted->token, "TOK");
}

TEST(ApiInfo, RefusesGarbage) {
  EXPECT_TRUE(parseApiInfo("").error().is(RpcError::kBadApiInfo));
  EXPECT_FALSE(parseApiInfo("TOKEN:/ip4/1.2.3.4"));
  EXPECT_FALSE(parseApiInfo("TOKEN:nonsense"));
  EXPECT_FALSE(parseApiInfo("/ip4/1.2.3.4/tcp/99999/http"));
  EXPECT_FALSE(parseApiInfo("http://host:0"));
}

TEST(ApiInfo, MultiAndLookupOrder) {
  auto multi = parseApiInfoMulti("A:/ip4/1.1.1.1/tcp/1/http,B:/ip4/2.2.2.2/tcp/2/http");
  ASSERT_TRUE(multi);
  ASSERT_EQ(multi->size(), 2u);
  EXPECT_EQ((*multi)[1].token, "B");

  testing::TempDir repo;
  std::ofstream(repo.path() / "api") << "/ip4/127.0.0.1/tcp/2345/http\n";
  std::ofstream(repo.path() / "token") << "REPOTOKEN";

  ::unsetenv("MINER_API_INFO");
  ::unsetenv("STORAGE_API_INFO");
  ::unsetenv("MARKETS_API_INFO");
  auto from_repo = findApiInfo({NodeType::kStorageMiner, std::nullopt, repo.path()});
  ASSERT_TRUE(from_repo) << from_repo.error().message();
  EXPECT_EQ(from_repo->token, "REPOTOKEN");

  ::setenv("MINER_API_INFO", "ENVTOKEN:/ip4/127.0.0.1/tcp/9/http", 1);
  EXPECT_EQ(findApiInfo({NodeType::kStorageMiner, std::nullopt, repo.path()})->token, "ENVTOKEN");
  EXPECT_EQ(findApiInfo({NodeType::kStorageMiner, "FLAG:/ip4/127.0.0.1/tcp/8/http", repo.path()})->token, "FLAG");
  // The markets node falls back to MINER_API_INFO when it has no repo of its own.
  EXPECT_EQ(findApiInfo({NodeType::kMarkets, std::nullopt, repo.path() / "missing"})->token, "ENVTOKEN");
  ::unsetenv("MINER_API_INFO");
  auto none = findApiInfo({NodeType::kMarkets, std::nullopt, std::nullopt});
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message().find("MARKETS_API_INFO"), std::string::npos);
}

}  // namespace
}  // namespace fil::rpc
