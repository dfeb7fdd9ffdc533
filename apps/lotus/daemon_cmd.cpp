// `lotus daemon` and `lotus daemon stop`: wiring of the full node (libs/node)
// and its API server (libs/api) over the repo at LOTUS_PATH.
#include "daemon_cmd.h"

#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "fil/api/api_host.h"
#include "fil/api/common_client.h"
#include "fil/api/types.h"
#include "fil/base/log.h"
#include "fil/base/version.h"
#include "fil/config/loader.h"
#include "fil/config/node_config.h"
#include "fil/api/serve.h"
#include "fil/node/full_node.h"
#include "fil/node/full_node_impl.h"
#include "fil/repo/repo.h"
#include "fil/rpc/client.h"
#include "fil/store/backup.h"
#include "fil/store/filesystem.h"

namespace lotus {
namespace {

using fil::cli::check;
using fil::cli::failCommand;

struct DaemonFlags {
  std::string genesis;
  std::string make_genesis;
  std::string genesis_template;
  std::string network = "devnet";
  std::string api;
  std::string restore;
};

const fil::chain::NetworkParams& networkNamed(const std::string& name) {
  if (name == "devnet") return fil::chain::devnetParams();
  if (name == "test-devnet") return fil::chain::fastDevnetParams();
  failCommand("unknown --network '" + name + "' (devnet, test-devnet)");
}

// Restores a `lotus backup` file into the new repo before the node opens
// it: the whole datastore (chain blocks, metadata, the pool's local
// messages), checked in full before anything is written; a repo whose
// datastore already holds anything is refused. Keys are not in backups, as
// in Lotus: the keystore is copied separately.
void restoreRepo(fil::repo::Repo& repo, const std::string& file) {
  fil::store::Datastore* ds = check(repo.datastore());
  uint64_t last_percent = 101;
  const auto summary = fil::store::restoreBackupFile(
      fil::store::defaultFileSystem(), fil::cli::expandHome(file).string(), *ds,
      [&](const fil::store::RestoreProgress& p) {
        if (p.committed) return;
        const uint64_t percent = p.total_bytes == 0 ? 0 : p.bytes_read * 100 / p.total_bytes;
        if (percent == last_percent) return;
        last_percent = percent;
        std::printf("restoring: %llu keys, %llu%% read\n", static_cast<unsigned long long>(p.entries),
                    static_cast<unsigned long long>(percent));
        std::fflush(stdout);
      });
  if (!summary) failCommand("restoring " + file + ": " + summary.error().message());
  std::printf("restored %llu keys from %s\n", static_cast<unsigned long long>(summary->entries), file.c_str());
}

void runDaemon(const fil::cli::CliContext& ctx, const DaemonFlags& flags) {
  // Before any thread starts, so that SIGINT/SIGTERM reach waitForShutdown.
  fil::api::blockTerminationSignals();
  const auto& network = networkNamed(flags.network);
  const auto path = fil::cli::expandHome(ctx.full_node_repo);
  const bool fresh = !check(fil::repo::Repo::exists(path));
  if (fresh) {
    check(fil::repo::Repo::init(path, fil::repo::RepoType::kFullNode));
    std::printf("initialized repo at %s\n", path.c_str());
  }
  auto repo = check(fil::repo::Repo::open(path, fil::repo::RepoType::kFullNode));
  if (!flags.restore.empty()) restoreRepo(*repo, flags.restore);
  auto config = check(fil::config::loadFile<fil::config::FullNodeConfig>(repo->configPath()));
  if (!flags.api.empty()) config.api.listen_address = "/ip4/127.0.0.1/tcp/" + flags.api + "/http";

  fil::node::GenesisSource genesis;
  if (!flags.genesis.empty()) genesis.genesis_car = flags.genesis;
  if (!flags.make_genesis.empty()) {
    if (flags.genesis_template.empty()) failCommand("--lotus-make-genesis needs --genesis-template=localnet.json");
    genesis.make_genesis = flags.make_genesis;
    const auto text = check(fil::store::readFile(fil::store::defaultFileSystem(), flags.genesis_template));
    genesis.genesis_template = check(fil::vm::genesis::templateFromJson(
        std::string_view(reinterpret_cast<const char*>(text.data()), text.size())));
  }
  auto node = check(fil::node::FullNode::open(*repo, network, genesis));

  auto host = check(fil::api::ApiHost::create(*repo, {.listen = config.api.listen_address,
                                                      .version = std::string(fil::kNodeVersion),
                                                      .api_version = fil::api::kFullApiVersion1,
                                                      .block_delay = network.block_delay_seconds,
                                                      .subsystem = "rpc"}));
  fil::node::FullNodeImpl impl(*node, {.backup = [&repo](const std::filesystem::path& file) -> fil::Status {
    FIL_ASSIGN_OR_RETURN(fil::store::Datastore * ds, repo->datastore());
    FIL_ASSIGN_OR_RETURN(auto written, fil::store::backupToFile(*ds, fil::store::defaultFileSystem(), file.string()));
    fil::log::get("node").info("backup written to {}: {} keys, {} bytes", file.string(), written.entries,
                               written.bytes);
    return fil::ok();
  }});
  fil::api::serveFullNodeApi(host->server(), impl);
  const std::string bound = check(host->start());
  const auto head = node->chain().heaviest();
  std::printf("lotus daemon: network %s, chain head at height %lld, API on %s (token in %s)\n",
              std::string(network.name).c_str(), static_cast<long long>(head.height()), bound.c_str(),
              (path / "token").c_str());
  std::fflush(stdout);
  host->waitForShutdown();
  fil::log::get("node").info("shutting down");
  host->stop();
}

}  // namespace

void addDaemonCommands(CLI::App& app, fil::cli::CliContext& ctx) {
  auto flags = std::make_shared<DaemonFlags>();
  auto* daemon = app.add_subcommand("daemon", "Start a lotus daemon process");
  daemon->add_option("--genesis", flags->genesis, "genesis file to use for first node run");
  daemon->add_option("--lotus-make-genesis", flags->make_genesis, "write the genesis it makes to this file");
  daemon->add_option("--genesis-template", flags->genesis_template, "genesis template to use with --lotus-make-genesis");
  daemon->add_option("--network", flags->network, "network parameters: devnet (make devnet) or test-devnet (tests)")
      ->capture_default_str();
  daemon->add_option("--api", flags->api, "override the API port ([API] ListenAddress)");
  daemon->add_option("--restore", flags->restore, "restore from backup file");
  auto* stop = daemon->add_subcommand("stop", "Stop a running lotus daemon");
  daemon->callback([&ctx, flags, daemon] {
    if (!daemon->got_subcommand("stop")) runDaemon(ctx, *flags);
  });
  stop->callback([&ctx] {
    auto client = ctx.connect();
    check(fil::api::CommonClient(*client).shutdown());
    std::printf("stopping the daemon\n");
  });
}

}  // namespace lotus
