#include "fil/testing/process.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>

namespace fil::testing {

CommandRun runCommand(const std::string& command) {
  std::array<char, 4096> buffer;
  std::string out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return {127, "popen failed for: " + command};
  while (size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), std::move(out)};
}

}  // namespace fil::testing
