// `backup [--offline] FILE`, as Lotus's shared cli/backup.go for `lotus`
// and `lotus-miner`: online, the node writes the backup (CreateBackup; the
// node's LOTUS_BACKUP_BASE_PATH must contain FILE); offline, the command
// opens the stopped node's repo and writes it itself.
//
// A relative FILE is made absolute in the caller's directory before it is
// sent, so that the node does not resolve it against its own.
#pragma once

#include <CLI/CLI.hpp>

#include "fil/cli/context.h"

namespace fil::cli {

void addBackupCommand(CLI::App& app, const CliContext& ctx);

}  // namespace fil::cli
