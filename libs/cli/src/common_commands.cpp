#include "fil/cli/common_commands.h"

#include <cstdio>

#include <fmt/format.h>

#include "fil/api/common_client.h"
#include "fil/base/version.h"
#include "fil/config/values.h"
#include "fil/rpc/client.h"
#include "fil/rpc/permission.h"

namespace fil::cli {
namespace {

// Lotus's `--perm X`: every permission up to X.
std::vector<std::string> permissionsFor(const std::string& perm) {
  if (perm.empty()) failCommand("--perm flag not set, use with one of: read, write, sign, admin");
  const auto p = rpc::parsePerm(perm);
  if (!p) failCommand("--perm flag has to be one of: [read write sign admin]");
  return rpc::permissionsUpTo(*p);
}

std::string versionText(const api::ApiVersion& v) {
  return fmt::format("{}+api{}.{}.{}", v.version, (v.api_version >> 16) & 0xff, (v.api_version >> 8) & 0xff,
                     v.api_version & 0xff);
}

}  // namespace

void addAuthCommands(CLI::App& app, const CliContext& ctx) {
  auto* auth = app.add_subcommand("auth", "Manage RPC permissions");
  auth->require_subcommand(1);
  for (const bool with_info : {false, true}) {
    auto* cmd = with_info ? auth->add_subcommand("api-info", "Get token with API info required to connect to this node")
                          : auth->add_subcommand("create-token", "Create token");
    auto perm = std::make_shared<std::string>();
    cmd->add_option("--perm", *perm, "permission to assign to the token, one of: read, write, sign, admin");
    cmd->callback([&ctx, perm, with_info] {
      const auto perms = permissionsFor(*perm);
      auto client = ctx.connect();
      const Bytes token = check(api::CommonClient(*client).authNew(perms));
      const std::string text(token.begin(), token.end());
      if (!with_info) {
        std::printf("%s\n", text.c_str());
        return;
      }
      const auto info = ctx.apiInfo();
      std::printf("%s=%s:%s\n", std::string(rpc::apiInfoEnvName(ctx.targetType())).c_str(), text.c_str(),
                  info.addr.c_str());
    });
  }
}

void addLogCommands(CLI::App& app, const CliContext& ctx) {
  auto* log = app.add_subcommand("log", "Manage logging");
  log->require_subcommand(1);
  log->add_subcommand("list", "List log systems")->callback([&ctx] {
    auto client = ctx.connect();
    for (const auto& system : check(api::CommonClient(*client).logList())) std::printf("%s\n", system.c_str());
  });
  auto* set = log->add_subcommand("set-level", "Set log level");
  auto level = std::make_shared<std::string>();
  auto systems = std::make_shared<std::vector<std::string>>();
  set->add_option("level", *level, "debug, info, warn or error")->required();
  set->add_option("--system", *systems, "limit to log system (repeatable); all systems when omitted");
  set->callback([&ctx, level, systems] {
    auto client = ctx.connect();
    api::CommonClient common(*client);
    auto targets = *systems;
    if (targets.empty()) targets = check(common.logList());
    for (const auto& system : targets) {
      check(common.logSetLevel(system, *level).map_error(
          [&](Error e) { return std::move(e).withContext("setting level of " + system); }));
    }
  });
  auto* alerts = log->add_subcommand("alerts", "Get alert states");
  auto all = std::make_shared<bool>(false);
  alerts->add_flag("--all", *all, "get all (active and inactive) alerts");
  alerts->callback([&ctx, all] {
    auto client = ctx.connect();
    for (const auto& alert : check(api::CommonClient(*client).logAlerts())) {
      if (!*all && !alert.active) continue;
      std::printf("%s:%s %s\n", alert.type.system.c_str(), alert.type.subsystem.c_str(), alert.active ? "active" : "inactive");
    }
  });
}

void addVersionCommand(CLI::App& app, const CliContext& ctx) {
  app.add_subcommand("version", "Print version")->callback([&ctx] {
    auto client = ctx.connect();
    const auto v = check(api::CommonClient(*client).version());
    std::printf("Daemon:  %s\n", versionText(v).c_str());
    std::printf("Local: %s version %s\n", ctx.program.c_str(), std::string(kNodeVersion).c_str());
  });
}

void addWaitApiCommand(CLI::App& app, const CliContext& ctx) {
  auto* cmd = app.add_subcommand("wait-api", "Wait for lotus api to come online");
  auto timeout = std::make_shared<std::string>("30s");
  cmd->add_option("--timeout", *timeout, "duration to wait till fail")->capture_default_str();
  cmd->callback([&ctx, timeout] {
    const auto limit = config::parseDuration(*timeout);
    if (!limit) failCommand("--timeout: " + limit.error().message());
    const auto deadline = ctx.now() + std::chrono::duration_cast<std::chrono::system_clock::duration>(limit->value);
    while (ctx.now() < deadline) {
      std::unique_ptr<rpc::Client> client;
      try {
        client = ctx.connect();
      } catch (const CommandFailure& e) {
        *ctx.out << "Not online yet... (" << e.what() << ")\n";
        ctx.out->flush();
        ctx.pause(std::chrono::seconds(1));
        continue;
      }
      check(api::CommonClient(*client).version());
      return;
    }
    failCommand("timed out waiting for api to come online");
  });
}

void addConfigCommands(CLI::App& app, const CliContext&, std::function<std::string(ConfigView)> render) {
  auto* config = app.add_subcommand("config", "Manage node config");
  config->require_subcommand(1);
  auto no_comment_default = std::make_shared<bool>(false);
  auto* def = config->add_subcommand("default", "Print default node config");
  def->add_flag("--no-comment", *no_comment_default, "don't comment default values");
  def->callback([render, no_comment_default] {
    std::printf("%s\n", render(*no_comment_default ? ConfigView::kDefaultPlain : ConfigView::kDefaultCommented).c_str());
  });
  auto no_comment_updated = std::make_shared<bool>(false);
  auto* updated = config->add_subcommand("updated", "Print updated node config");
  updated->add_flag("--no-comment", *no_comment_updated, "don't comment default values");
  updated->callback([render, no_comment_updated] {
    std::printf("%s\n", render(*no_comment_updated ? ConfigView::kUpdatedPlain : ConfigView::kUpdatedCommented).c_str());
  });
}

}  // namespace fil::cli
