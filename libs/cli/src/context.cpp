#include "fil/cli/context.h"

#include <cstdio>
#include <cstdlib>
#include <thread>

#include "fil/rpc/client.h"

namespace fil::cli {

std::filesystem::path expandHome(const std::string& path) {
  if (path == "~" || path.starts_with("~/")) {
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home != nullptr ? home : "/") / path.substr(path.size() > 1 ? 2 : 1);
  }
  return path;
}

rpc::NodeType CliContext::targetType() const {
  if (node_type == rpc::NodeType::kFullNode) return rpc::NodeType::kFullNode;
  return call_on_markets ? rpc::NodeType::kMarkets : rpc::NodeType::kStorageMiner;
}

std::filesystem::path CliContext::targetRepo() const {
  switch (targetType()) {
    case rpc::NodeType::kFullNode: return expandHome(full_node_repo);
    case rpc::NodeType::kMarkets: return expandHome(markets_repo.empty() ? miner_repo : markets_repo);
    case rpc::NodeType::kStorageMiner: return expandHome(miner_repo);
  }
  return expandHome(full_node_repo);
}

rpc::ApiInfo CliContext::apiInfo() const {
  return check(rpc::findApiInfo({targetType(), std::nullopt, targetRepo()}));
}

std::unique_ptr<rpc::Client> CliContext::connect() const { return connect(rpc::ClientOptions{}); }

std::unique_ptr<rpc::Client> CliContext::connect(const rpc::ClientOptions& options) const {
  const auto info = apiInfo();
  auto client = rpc::Client::connect(info, options);
  if (!client) {
    failCommand("could not reach the " + std::string(rpc::apiInfoEnvName(targetType())) + " endpoint " + info.addr +
                ": " + client.error().message());
  }
  return std::move(*client);
}

void CliContext::pause(std::chrono::milliseconds d) const {
  if (sleep) {
    sleep(d);
  } else {
    std::this_thread::sleep_for(d);
  }
}

void addRepoFlags(CLI::App& app, CliContext& ctx) {
  const auto env_or = [](const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return std::string(v != nullptr ? v : fallback);
  };
  ctx.full_node_repo = env_or("LOTUS_PATH", "~/.lotus");
  app.add_option("--repo", ctx.full_node_repo, "full node repo (env LOTUS_PATH)")->capture_default_str();
  if (ctx.node_type != rpc::NodeType::kFullNode) {
    const char* storage = std::getenv("LOTUS_STORAGE_PATH");  // Lotus's deprecated name
    ctx.miner_repo = env_or("LOTUS_MINER_PATH", storage != nullptr ? storage : "~/.lotusminer");
    ctx.markets_repo = env_or("LOTUS_MARKETS_PATH", "");
    app.add_option("--miner-repo,--storagerepo", ctx.miner_repo, "miner repo (env LOTUS_MINER_PATH)")->capture_default_str();
    app.add_option("--markets-repo", ctx.markets_repo, "markets repo (env LOTUS_MARKETS_PATH)");
    app.add_flag("--call-on-markets", ctx.call_on_markets, "talk to the markets node instead of the mining node");
  }
}

CLI::App* addNotBuilt(CLI::App& parent, const std::string& name, const std::string& description,
                      const std::string& tracking) {
  auto* cmd = parent.add_subcommand(name, description + " [not built yet]");
  cmd->allow_extras();
  const std::string full = parent.get_name() + " " + name;
  cmd->callback([full, tracking] {
    failCommand("'" + full + "' is not built yet in this version (" + tracking + "; see docs/status.md)");
  });
  return cmd;
}

int runApp(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const CommandFailure& e) {
    std::fprintf(stderr, "ERROR: %s\n", e.what());
    return 1;
  }
  return 0;
}

}  // namespace fil::cli
