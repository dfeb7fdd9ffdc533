// lotus: the full node and its client commands.
#include <cstdio>

#include "daemon_cmd.h"
#include "fil/base/log.h"
#include "fil/base/version.h"
#include "fil/cli/backup_command.h"
#include "fil/cli/common_commands.h"
#include "fil/cli/full_node_commands.h"
#include "fil/config/loader.h"
#include "fil/config/node_config.h"

namespace {

using fil::cli::ConfigView;

std::string renderFullNodeConfig(const fil::cli::CliContext& ctx, ConfigView view) {
  using fil::config::RenderMode;
  if (view == ConfigView::kDefaultCommented) return fil::config::render(fil::config::FullNodeConfig{}, RenderMode::kCommented);
  if (view == ConfigView::kDefaultPlain) return fil::config::render(fil::config::FullNodeConfig{}, RenderMode::kPlain);
  const auto current = fil::cli::check(
      fil::config::loadFile<fil::config::FullNodeConfig>(fil::cli::expandHome(ctx.full_node_repo) / "config.toml"));
  return fil::config::render(current, view == ConfigView::kUpdatedPlain ? RenderMode::kPlain : RenderMode::kUpdated);
}

}  // namespace

int main(int argc, char** argv) {
  if (auto configured = fil::log::configureFromEnv(); !configured) {
    std::fprintf(stderr, "ERROR: %s\n", configured.error().message().c_str());
    return 1;
  }
  CLI::App app("Filecoin decentralized storage network client", "lotus");
  app.require_subcommand(1);
  app.set_version_flag("--version,-v", "lotus version " + std::string(fil::kNodeVersion));

  fil::cli::CliContext ctx{.program = "lotus", .node_type = fil::rpc::NodeType::kFullNode};
  fil::cli::addRepoFlags(app, ctx);

  const std::string chain = "issue 7/8, the devnet chain and full node";
  lotus::addDaemonCommands(app, ctx);
  fil::cli::addBackupCommand(app, ctx);
  fil::cli::addConfigCommands(app, ctx, [&ctx](ConfigView view) { return renderFullNodeConfig(ctx, view); });
  fil::cli::addVersionCommand(app, ctx);
  const auto not_built = [&app, &chain](std::vector<std::pair<std::string, std::string>> commands) {
    for (const auto& [name, description] : commands) fil::cli::addNotBuilt(app, name, description, chain);
  };
  // Lotus's order of the client commands.
  fil::cli::addSendCommand(app, ctx);
  fil::cli::addWalletCommands(app, ctx);
  fil::cli::addInfoCommand(app, ctx);
  not_built({{"client", "Make deals, store data, retrieve data"},
             {"msig", "Interact with a multisig wallet"},
             {"paych", "Manage payment channels"}});
  fil::cli::addMpoolCommands(app, ctx);
  fil::cli::addStateCommands(app, ctx);
  fil::cli::addChainCommands(app, ctx);
  fil::cli::addWaitApiCommand(app, ctx);
  not_built({{"fetch-params", "Fetch proving parameters"}});
  fil::cli::addNetCommands(app, ctx);
  fil::cli::addSyncCommands(app, ctx);
  not_built({{"status", "Check node status"}});
  fil::cli::addAuthCommands(app, ctx);
  fil::cli::addLogCommands(app, ctx);
  return fil::cli::runApp(app, argc, argv);
}
