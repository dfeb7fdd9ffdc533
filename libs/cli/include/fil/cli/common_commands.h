// Commands both `lotus` and `lotus-miner` have, as Lotus has them:
// `auth create-token|api-info`, `log list|set-level|alerts`, `version`,
// `wait-api`, `config default|updated`.
#pragma once

#include <functional>
#include <string>

#include "fil/cli/context.h"

namespace fil::cli {

void addAuthCommands(CLI::App& app, const CliContext& ctx);
void addLogCommands(CLI::App& app, const CliContext& ctx);
void addVersionCommand(CLI::App& app, const CliContext& ctx);
// `wait-api [--timeout 30s]`: retries the node's API each second until
// Version answers; fails with "timed out waiting for api to come online".
void addWaitApiCommand(CLI::App& app, const CliContext& ctx);

// `config default [--no-comment]` and `config updated [--no-comment]`.
// `render(mode, current)`: the program's config rendered; `current` means
// the repo's config.toml (for `updated`) rather than the defaults.
enum class ConfigView { kDefaultCommented, kDefaultPlain, kUpdatedCommented, kUpdatedPlain };
void addConfigCommands(CLI::App& app, const CliContext& ctx, std::function<std::string(ConfigView)> render);

}  // namespace fil::cli
