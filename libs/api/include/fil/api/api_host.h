// A node's API server as every node process runs it (lotus daemon,
// lotus-miner run): the JWT secret and admin token from the repo, the RPC
// server on [API] ListenAddress with the Common API, the `api` file while it
// serves, and a clean stop on SIGINT, SIGTERM or the Shutdown method.
//
//   fil::api::blockTerminationSignals();          // first thing in main()
//   FIL_ASSIGN_OR_RETURN(auto host, ApiHost::create(repo, {.listen = cfg.api.listen_address, ...}));
//   host->server().registerApi(full_node, kFullNodeMethods);
//   FIL_ASSIGN_OR_RETURN(std::string bound, host->start());
//   host->waitForShutdown();                      // a signal or Filecoin.Shutdown
//   host->stop();
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include "fil/base/error.h"

namespace fil::repo {
class Repo;
}
namespace fil::rpc {
class Server;
class JwtAuth;
}

namespace fil::api {

class CommonImpl;

// Blocks SIGINT and SIGTERM in the calling thread and every thread it
// starts afterwards, so that waitForShutdown() receives them. Call before
// any thread is started.
void blockTerminationSignals();

struct ApiHostOptions {
  std::string listen = "/ip4/127.0.0.1/tcp/1234/http";
  std::string version;           // for Version
  uint32_t api_version = 0;
  uint64_t block_delay = 0;
  std::string subsystem = "rpc";
};

class ApiHost {
 public:
  [[nodiscard]] static Result<std::unique_ptr<ApiHost>> create(repo::Repo& repo, ApiHostOptions options);
  ~ApiHost();
  ApiHost(const ApiHost&) = delete;
  ApiHost& operator=(const ApiHost&) = delete;

  rpc::Server& server();
  const std::shared_ptr<const rpc::JwtAuth>& auth() const { return auth_; }

  // Binds, writes the repo's api file and returns the bound multiaddr.
  [[nodiscard]] Result<std::string> start();
  // Until SIGINT/SIGTERM arrives or requestShutdown() is called (the Shutdown method does).
  void waitForShutdown();
  void requestShutdown();
  // Stops serving after the calls in flight; tells Closing() subscribers.
  void stop();

 private:
  ApiHost(repo::Repo& repo, ApiHostOptions options, std::shared_ptr<const rpc::JwtAuth> auth);

  repo::Repo& repo_;
  ApiHostOptions options_;
  std::shared_ptr<const rpc::JwtAuth> auth_;
  std::unique_ptr<rpc::Server> server_;
  std::unique_ptr<CommonImpl> common_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool shutdown_requested_ = false;
};

}  // namespace fil::api
