// Running shell commands from a test: to completion, keeping what they
// printed, or in the background with their output in a log file.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>

namespace fil::testing {

struct CommandRun {
  int exit_code = 0;
  std::string out;  // stdout and stderr together
};

// Runs `command` with /bin/sh, stderr merged into stdout.
CommandRun runCommand(const std::string& command);

// The whole file ("" when it does not exist).
std::string readText(const std::filesystem::path& path);

// A command started with /bin/sh in the background, stdout and stderr to
// `log`. The command should `exec` the program it runs, so that signals
// reach the program and its exit status is the process's. The destructor
// kills it (SIGKILL) if it still runs.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::string& command, std::filesystem::path log);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }
  const std::filesystem::path& log() const { return log_; }
  std::string output() const { return readText(log_); }

  // Until `text` appears in the log; false when the process exits first or
  // `timeout` passes.
  bool waitFor(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(30));
  void signal(int sig) const;
  // The exit code (128 + signal when killed by one); -1 after `timeout`
  // (the process is then killed).
  int wait(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  bool running();

 private:
  pid_t pid_ = -1;
  std::filesystem::path log_;
  bool reaped_ = false;
  int status_ = 0;
};

}  // namespace fil::testing
