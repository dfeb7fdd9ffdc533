#include "fil/api/api_host.h"

#include <signal.h>

#include <thread>

#include "fil/api/common_impl.h"
#include "fil/api/serve.h"
#include "fil/base/log.h"
#include "fil/repo/repo.h"
#include "fil/rpc/server.h"

namespace fil::api {
namespace {

sigset_t terminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void blockTerminationSignals() {
  sigset_t set = terminationSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

Result<std::unique_ptr<ApiHost>> ApiHost::create(repo::Repo& repo, ApiHostOptions options) {
  FIL_ASSIGN_OR_RETURN(auto secret, repo.apiSecret());
  auto auth = std::make_shared<const rpc::JwtAuth>(std::move(secret));
  return std::unique_ptr<ApiHost>(new ApiHost(repo, std::move(options), std::move(auth)));
}

ApiHost::ApiHost(repo::Repo& repo, ApiHostOptions options, std::shared_ptr<const rpc::JwtAuth> auth)
    : repo_(repo), options_(std::move(options)), auth_(std::move(auth)) {
  server_ = std::make_unique<rpc::Server>(rpc::ServerOptions{.listen = options_.listen, .subsystem = options_.subsystem},
                                          auth_);
  common_ = std::make_unique<CommonImpl>(CommonOptions{
      .version = options_.version,
      .api_version = options_.api_version,
      .block_delay = options_.block_delay,
      .auth = auth_,
      .request_shutdown = [this] { requestShutdown(); },
      .describe = [this] { return server_->describe(); },
  });
  serveCommonApi(*server_, *common_);
}

ApiHost::~ApiHost() { stop(); }

rpc::Server& ApiHost::server() { return *server_; }

Result<std::string> ApiHost::start() {
  FIL_ASSIGN_OR_RETURN(auto bound, server_->start());
  FIL_TRY(repo_.setApiEndpoint(bound));
  log::get(options_.subsystem).info("API listening on {}", bound);
  return bound;
}

void ApiHost::requestShutdown() {
  {
    std::lock_guard lock(mutex_);
    shutdown_requested_ = true;
  }
  cv_.notify_all();
}

void ApiHost::waitForShutdown() {
  // A thread waits for the signals (blocked everywhere by
  // blockTerminationSignals) and turns them into a shutdown request.
  std::thread signals([this] {
    const sigset_t set = terminationSignals();
    while (true) {
      {
        std::lock_guard lock(mutex_);
        if (shutdown_requested_) return;
      }
      timespec timeout{0, 200'000'000};
      const int sig = sigtimedwait(&set, nullptr, &timeout);
      if (sig == SIGINT || sig == SIGTERM) {
        log::get(options_.subsystem).warn("received {}, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
        requestShutdown();
        return;
      }
    }
  });
  {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [this] { return shutdown_requested_; });
  }
  signals.join();
}

void ApiHost::stop() {
  if (!server_) return;
  common_->notifyClosing();
  server_->stop();
}

}  // namespace fil::api
