// What every command of `lotus` and `lotus-miner` shares: which node type
// the binary talks to, where its repos are, and how to reach a node's API.
//
// Commands run in the program's entry layer: they report failure by
// throwing CommandFailure (main prints "ERROR: <message>" and exits 1);
// libraries below return Results.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>

#include "fil/base/error.h"
#include "fil/rpc/api_info.h"

namespace fil::rpc {
class Client;
struct ClientOptions;
}

namespace fil::cli {

class CommandFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <typename T>
T check(Result<T> r) {
  if (!r) throw CommandFailure(r.error().message());
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}
[[noreturn]] inline void failCommand(const std::string& message) { throw CommandFailure(message); }

struct CliContext {
  std::string program;                 // "lotus" or "lotus-miner"
  rpc::NodeType node_type = rpc::NodeType::kFullNode;
  std::string full_node_repo;          // --repo / LOTUS_PATH
  std::string miner_repo;              // --miner-repo / LOTUS_MINER_PATH
  std::string markets_repo;            // --markets-repo / LOTUS_MARKETS_PATH
  bool call_on_markets = false;        // lotus-miner --call-on-markets

  // Where the node commands write their output and read their input
  // (`wallet import` from stdin); tests point these at string streams.
  std::ostream* out = &std::cout;
  std::istream* in = &std::cin;
  // The wall clock and how to wait, for commands that compare the chain's
  // time with now (`sync wait`, `info`) or poll.
  std::function<std::chrono::system_clock::time_point()> now = [] { return std::chrono::system_clock::now(); };
  std::function<void(std::chrono::milliseconds)> sleep{};  // empty: std::this_thread::sleep_for

  // The node type and repo the program's own API commands target.
  rpc::NodeType targetType() const;
  std::filesystem::path targetRepo() const;

  // Connects to the target node's API (env var, then repo), as Lotus's GetAPI.
  std::unique_ptr<rpc::Client> connect() const;
  // The same with the client's options (API version, call timeout).
  std::unique_ptr<rpc::Client> connect(const rpc::ClientOptions& options) const;
  void pause(std::chrono::milliseconds d) const;
  rpc::ApiInfo apiInfo() const;
};

// "~/x" -> "$HOME/x".
std::filesystem::path expandHome(const std::string& path);

// Adds the global repo flags of the program to `app`.
void addRepoFlags(CLI::App& app, CliContext& ctx);

// A command that exists in Lotus but not in this build yet: it says so and
// exits non-zero, instead of being silently absent.
CLI::App* addNotBuilt(CLI::App& parent, const std::string& name, const std::string& description,
                      const std::string& tracking);

// Runs the parsed app; returns the process exit code.
int runApp(CLI::App& app, int argc, char** argv);

}  // namespace fil::cli
