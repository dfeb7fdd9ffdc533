// Running a shell command from a test and keeping what it printed.
#pragma once

#include <string>

namespace fil::testing {

struct CommandRun {
  int exit_code = 0;
  std::string out;  // stdout and stderr together
};

// Runs `command` with /bin/sh, stderr merged into stdout.
CommandRun runCommand(const std::string& command);

}  // namespace fil::testing
