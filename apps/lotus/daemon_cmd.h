#pragma once

#include <CLI/CLI.hpp>

#include "fil/cli/context.h"

namespace lotus {

// `lotus daemon [--genesis F | --lotus-make-genesis F --genesis-template T]` and `lotus daemon stop`.
void addDaemonCommands(CLI::App& app, fil::cli::CliContext& ctx);

}  // namespace lotus
