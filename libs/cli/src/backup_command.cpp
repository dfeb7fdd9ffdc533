#include "fil/cli/backup_command.h"

#include <cstdio>

#include <fmt/format.h>

#include "fil/api/full_node_api.h"
#include "fil/repo/repo.h"
#include "fil/rpc/client.h"
#include "fil/store/backup.h"
#include "fil/store/filesystem.h"

namespace fil::cli {
namespace {

void offlineBackup(const CliContext& ctx, const std::filesystem::path& file) {
  const auto path = ctx.targetRepo();
  if (!check(repo::Repo::exists(path))) failCommand(fmt::format("repo at '{}' is not initialized", path.string()));
  const auto type = [&] {
    switch (ctx.targetType()) {
      case rpc::NodeType::kFullNode: return repo::RepoType::kFullNode;
      case rpc::NodeType::kMarkets: return repo::RepoType::kMarkets;
      default: return repo::RepoType::kStorageMiner;
    }
  }();
  // Taking the repo's lock refuses a repo whose node is running (it would change under the backup).
  auto opened = repo::Repo::open(path, type);
  if (!opened) failCommand("locking repo: " + opened.error().message());
  store::Datastore* ds = check((*opened)->datastore());
  const auto written = check(store::backupToFile(*ds, store::defaultFileSystem(), file.string()));
  std::printf("wrote %llu keys, %llu bytes to %s\n", static_cast<unsigned long long>(written.entries),
              static_cast<unsigned long long>(written.bytes), file.c_str());
}

}  // namespace

void addBackupCommand(CLI::App& app, const CliContext& ctx) {
  auto* cmd = app.add_subcommand("backup", "Create node metadata backup");
  cmd->footer(
      "The backup command writes a copy of node metadata under the specified path\n\n"
      "Online backups:\n"
      "For security reasons, the daemon must be have LOTUS_BACKUP_BASE_PATH env var set\n"
      "to a path where backup files are supposed to be saved, and the path specified in\n"
      "this command must be within this base path");
  auto offline = std::make_shared<bool>(false);
  auto file = std::make_shared<std::string>();
  cmd->add_flag("--offline", *offline, "create backup without the node running");
  cmd->add_option("path", *file, "backup file path")->required();
  cmd->callback([&ctx, offline, file] {
    const auto absolute = std::filesystem::absolute(expandHome(*file)).lexically_normal();
    if (*offline) {
      offlineBackup(ctx, absolute);
    } else {
      auto client = ctx.connect();
      // Every node's API has CreateBackup under the same name and permission.
      check(client->call(api::kCreateBackup, absolute.string()));
    }
    std::printf("Success\n");
  });
}

}  // namespace fil::cli
