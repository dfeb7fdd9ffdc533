#include <gtest/gtest.h>

#include <cstdlib>

#include "fil/config/loader.h"
#include "fil/config/node_config.h"

namespace fil::config {
namespace {

TEST(Duration, GoTextForms) {
  using namespace std::chrono;
  const std::pair<nanoseconds, std::string_view> cases[] = {
      {0s, "0s"},           {1500ms, "1.5s"},     {90s, "1m30s"},    {24h, "24h0m0s"},  {336h, "336h0m0s"},
      {200ms, "200ms"},     {nanoseconds(1100), "1.1\xc2\xb5s"}, {nanoseconds(5), "5ns"}, {-30s, "-30s"},
      {1h + 2min + 3s + 4ms, "1h2m3.004s"},
  };
  for (auto [d, text] : cases) {
    EXPECT_EQ(formatDuration(Duration(d)), text);
    EXPECT_EQ(parseDuration(text)->value, d) << text;
  }
  EXPECT_EQ(parseDuration("1.5h")->value, 90min);
  EXPECT_EQ(parseDuration("2h45m")->value, 165min);
  EXPECT_EQ(parseDuration("300us")->value, 300us);
  for (std::string_view bad : {"", "1x", "h", "1", "1..5s", "--1s"}) {
    EXPECT_TRUE(parseDuration(bad).error().is(ConfigError::kInvalidValue)) << bad;
  }
}

TEST(Config, DefaultsRoundTripThroughEveryRendering) {
  const MinerConfig defaults;
  for (auto mode : {RenderMode::kCommented, RenderMode::kPlain, RenderMode::kUpdated}) {
    const std::string text = render(defaults, mode);
    auto parsed = parse<MinerConfig>(text, "rendered", false);
    ASSERT_TRUE(parsed) << parsed.error().message() << "\n" << text;
    EXPECT_EQ(render(*parsed, RenderMode::kPlain), render(defaults, RenderMode::kPlain));
  }
  const std::string commented = render(defaults, RenderMode::kCommented);
  EXPECT_NE(commented.find("[Subsystems]\n"), std::string::npos);
  EXPECT_NE(commented.find("  # type: bool\n  # env var: LOTUS_SUBSYSTEMS_ENABLEMARKETS\n  #EnableMarkets = true\n"),
            std::string::npos)
      << commented;
  EXPECT_NE(commented.find("#ListenAddress = \"/ip4/127.0.0.1/tcp/2345/http\""), std::string::npos);
  EXPECT_NE(commented.find("[Dealmaking.RetrievalPricing.Default]"), std::string::npos);
  EXPECT_NE(commented.find("#MaxWindowPoStGasFee = \"5 FIL\""), std::string::npos);
  const std::string plain = render(defaults, RenderMode::kPlain);
  EXPECT_NE(plain.find("  EnableMarkets = true\n"), std::string::npos);
  EXPECT_EQ(plain.find('#'), std::string::npos);
}

TEST(Config, FileOverDefaults) {
  // The operator guide's markets config.
  auto cfg = parse<MinerConfig>(R"(
[API]
  ListenAddress = "/ip4/127.0.0.1/tcp/8787/http"
  RemoteListenAddress = "127.0.0.1:8787"

[Subsystems]
  EnableMining = false
  EnableSealing = false
  EnableSectorStorage = false
  EnableMarkets = true
[Sealing]
  WaitDealsDelay = "1h30m"
[Fees]
  MaxPublishDealsFee = "0.1 FIL"
[Logging.SubsystemLevels]
  rpc = "DEBUG"
)",
                                "config.toml", false);
  ASSERT_TRUE(cfg) << cfg.error().message();
  EXPECT_EQ(cfg->api.listen_address, "/ip4/127.0.0.1/tcp/8787/http");
  EXPECT_EQ(cfg->api.remote_listen_address, "127.0.0.1:8787");
  EXPECT_FALSE(cfg->subsystems.enable_mining);
  EXPECT_TRUE(cfg->subsystems.enable_markets);
  EXPECT_EQ(cfg->sealing.wait_deals_delay.value, std::chrono::minutes(90));
  EXPECT_EQ(cfg->fees.max_publish_deals_fee.value, *primitives::parseFil("0.1"));
  EXPECT_EQ(cfg->logging.subsystem_levels.at("rpc"), "DEBUG");
  EXPECT_EQ(cfg->sealing.max_wait_deals_sectors, 2u);  // untouched default

  const std::string updated = render(*cfg, RenderMode::kUpdated);
  EXPECT_NE(updated.find("\n  EnableMining = false\n"), std::string::npos) << updated;
  EXPECT_NE(updated.find("\n  #EnableMarkets = true\n"), std::string::npos);
  EXPECT_NE(updated.find("\n  WaitDealsDelay = \"1h30m0s\"\n"), std::string::npos);
}

TEST(Config, ErrorsNameTheKeyAndLine) {
  auto unknown = parse<MinerConfig>("[API]\n  ListenAddres = \"x\"\n", "config.toml", false);
  ASSERT_FALSE(unknown);
  EXPECT_TRUE(unknown.error().is(ConfigError::kUnknownKey));
  EXPECT_EQ(unknown.error().message(), "config.toml: unknown key API.ListenAddres (line 2)");

  auto wrong = parse<MinerConfig>("[Subsystems]\n\n  EnableMarkets = \"yes\"\n", "config.toml", false);
  ASSERT_FALSE(wrong);
  EXPECT_TRUE(wrong.error().is(ConfigError::kWrongType));
  EXPECT_EQ(wrong.error().message(), "config.toml: Subsystems.EnableMarkets (line 3): expected a boolean, got a string");

  auto section = parse<MinerConfig>("Subsystems = 5\n", "config.toml", false);
  EXPECT_TRUE(section.error().is(ConfigError::kWrongType));
  auto negative = parse<MinerConfig>("[Sealing]\nMaxSealingSectors = -1\n", "config.toml", false);
  EXPECT_TRUE(negative.error().is(ConfigError::kInvalidValue));
  auto duration = parse<MinerConfig>("[Sealing]\nWaitDealsDelay = \"soon\"\n", "config.toml", false);
  ASSERT_FALSE(duration);
  EXPECT_NE(duration.error().message().find("Sealing.WaitDealsDelay (line 2): invalid duration \"soon\""), std::string::npos);
  auto syntax = parse<MinerConfig>("[API\n", "config.toml", false);
  ASSERT_FALSE(syntax);
  EXPECT_TRUE(syntax.error().is(ConfigError::kSyntax));
  EXPECT_NE(syntax.error().message().find("line 1"), std::string::npos);
  // A full-node key in a miner config is unknown there.
  EXPECT_TRUE(parse<MinerConfig>("[Chainstore]\nEnableSplitstore = false\n", "c", false).error().is(ConfigError::kUnknownKey));
  EXPECT_TRUE(parse<FullNodeConfig>("[Chainstore]\nEnableSplitstore = false\n", "c", false));
}

TEST(Config, EnvironmentOverrides) {
  ::setenv("LOTUS_SUBSYSTEMS_ENABLEMARKETS", "false", 1);
  ::setenv("LOTUS_API_LISTENADDRESS", "/ip4/127.0.0.1/tcp/9999/http", 1);
  ::setenv("LOTUS_LIBP2P_LISTENADDRESSES", "/ip4/0.0.0.0/tcp/24001,/ip6/::/tcp/24001", 1);
  ::setenv("LOTUS_DEALMAKING_RETRIEVALPRICING_STRATEGY", "external", 1);
  auto cfg = parse<MinerConfig>("[Subsystems]\nEnableMarkets = true\n");
  ::unsetenv("LOTUS_SUBSYSTEMS_ENABLEMARKETS");
  ::unsetenv("LOTUS_API_LISTENADDRESS");
  ::unsetenv("LOTUS_LIBP2P_LISTENADDRESSES");
  ::unsetenv("LOTUS_DEALMAKING_RETRIEVALPRICING_STRATEGY");
  ASSERT_TRUE(cfg) << cfg.error().message();
  EXPECT_FALSE(cfg->subsystems.enable_markets);  // the environment wins over the file
  EXPECT_EQ(cfg->api.listen_address, "/ip4/127.0.0.1/tcp/9999/http");
  EXPECT_EQ(cfg->libp2p.listen_addresses, (std::vector<std::string>{"/ip4/0.0.0.0/tcp/24001", "/ip6/::/tcp/24001"}));
  EXPECT_EQ(cfg->dealmaking.retrieval_pricing.strategy, "external");

  ::setenv("LOTUS_SEALING_MAXSEALINGSECTORS", "many", 1);
  auto bad = parse<MinerConfig>("");
  ::unsetenv("LOTUS_SEALING_MAXSEALINGSECTORS");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("LOTUS_SEALING_MAXSEALINGSECTORS"), std::string::npos);
}

TEST(Config, FullNodeDefaults) {
  const FullNodeConfig defaults;
  EXPECT_EQ(defaults.api.listen_address, "/ip4/127.0.0.1/tcp/1234/http");
  const std::string text = render(defaults, RenderMode::kCommented);
  EXPECT_NE(text.find("#DefaultMaxFee = \"0.07 FIL\""), std::string::npos);
  EXPECT_TRUE(parse<FullNodeConfig>(text, "default", false));
}

}  // namespace
}  // namespace fil::config
