// lotus-miner: the storage provider, monolith or split into a markets node
// and a mining/sealing/proving node.
#include <cstdio>

#include "fil/base/log.h"
#include "fil/base/version.h"
#include "fil/cli/common_commands.h"
#include "fil/config/loader.h"
#include "fil/config/node_config.h"

namespace {

using fil::cli::ConfigView;

std::string renderMinerConfig(const fil::cli::CliContext& ctx, ConfigView view) {
  using fil::config::RenderMode;
  if (view == ConfigView::kDefaultCommented) return fil::config::render(fil::config::MinerConfig{}, RenderMode::kCommented);
  if (view == ConfigView::kDefaultPlain) return fil::config::render(fil::config::MinerConfig{}, RenderMode::kPlain);
  const auto current =
      fil::cli::check(fil::config::loadFile<fil::config::MinerConfig>(ctx.targetRepo() / "config.toml"));
  return fil::config::render(current, view == ConfigView::kUpdatedPlain ? RenderMode::kPlain : RenderMode::kUpdated);
}

}  // namespace

int main(int argc, char** argv) {
  if (auto configured = fil::log::configureFromEnv(); !configured) {
    std::fprintf(stderr, "ERROR: %s\n", configured.error().message().c_str());
    return 1;
  }
  CLI::App app("Filecoin decentralized storage network miner", "lotus-miner");
  app.require_subcommand(1);
  app.set_version_flag("--version,-v", "lotus-miner version " + std::string(fil::kNodeVersion));

  fil::cli::CliContext ctx{.program = "lotus-miner", .node_type = fil::rpc::NodeType::kStorageMiner};
  fil::cli::addRepoFlags(app, ctx);

  const std::string miner = "the storage miner, after the full node (issue 8) on the roadmap";
  fil::cli::addNotBuilt(app, "init", "Initialize a lotus miner repo", miner);
  fil::cli::addNotBuilt(app, "run", "Start a lotus miner process", miner);
  fil::cli::addNotBuilt(app, "stop", "Stop a running lotus miner", miner);
  fil::cli::addConfigCommands(app, ctx, [&ctx](ConfigView view) { return renderMinerConfig(ctx, view); });
  fil::cli::addNotBuilt(app, "backup", "Create node metadata backup", miner);
  fil::cli::addVersionCommand(app, ctx);
  for (const auto& [name, description] : std::vector<std::pair<std::string, std::string>>{
           {"actor", "manipulate the miner actor"},
           {"info", "Print miner info"},
           {"storage-deals", "Manage storage deals and related configuration"},
           {"retrieval-deals", "Manage retrieval deals and related configuration"},
           {"data-transfers", "Manage data transfers"},
           {"dagstore", "Manage the dagstore on the markets subsystem"},
           {"market", "Interact with the market actor"},
           {"net", "Manage P2P Network"},
           {"pieces", "interact with the piecestore"},
           {"sectors", "interact with sector store"},
           {"proving", "View proving information"},
           {"storage", "manage sector storage"},
           {"sealing", "interact with sealing pipeline"},
           {"fetch-params", "Fetch proving parameters"}}) {
    fil::cli::addNotBuilt(app, name, description, miner);
  }
  fil::cli::addWaitApiCommand(app, ctx);
  fil::cli::addAuthCommands(app, ctx);
  fil::cli::addLogCommands(app, ctx);
  return fil::cli::runApp(app, argc, argv);
}
