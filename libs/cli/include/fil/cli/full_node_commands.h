// The `lotus` client commands, with Lotus's names, flags and output: they
// talk to a full node's API (FULLNODE_API_INFO or the repo's api/token
// files) and print to CliContext::out.
//
//   lotus wallet new|list|balance|export|import|default|set-default|sign|verify|delete|market add
//   lotus send [--from] [--gas-premium] [--gas-feecap] [--gas-limit] [--nonce] [--method] [--params-hex] TARGET AMOUNT
//   lotus chain head|get-block|read-obj|getmessage|list
//   lotus state [--tipset] power|list-miners|get-actor|lookup|sector-size|get-deal|wait-msg|search-msg|
//                          miner-info|market balance|network-version|miner-proving-deadline
//   lotus mpool pending|stat|find
//   lotus sync status|wait, lotus net id, lotus info
//
// The Lotus subcommands of these groups that this node's API cannot serve
// yet are present and say so (addNotBuilt).
#pragma once

#include "fil/cli/context.h"

namespace fil::cli {

void addWalletCommands(CLI::App& app, const CliContext& ctx);
void addSendCommand(CLI::App& app, const CliContext& ctx);
void addChainCommands(CLI::App& app, const CliContext& ctx);
void addStateCommands(CLI::App& app, const CliContext& ctx);
void addMpoolCommands(CLI::App& app, const CliContext& ctx);
void addSyncCommands(CLI::App& app, const CliContext& ctx);
void addNetCommands(CLI::App& app, const CliContext& ctx);
void addInfoCommand(CLI::App& app, const CliContext& ctx);

// Every group above, in Lotus's order.
void addFullNodeCommands(CLI::App& app, const CliContext& ctx);

}  // namespace fil::cli
