// The Common API as every node implements it.
#pragma once

#include <functional>
#include <memory>
#include <mutex>

#include "fil/api/common_api.h"
#include "fil/rpc/jwt.h"

namespace fil::api {

struct CommonOptions {
  std::string version;                 // "1.23.3+filstack"
  uint32_t api_version = kFullApiVersion0;
  uint64_t block_delay = 0;
  std::shared_ptr<const rpc::JwtAuth> auth;
  // Asks the node to stop. Must not block: the node stops the API server,
  // which waits for calls in flight, this one included.
  std::function<void()> request_shutdown;
  // The server's OpenRPC description (rpc::Server::discover).
  std::function<std::string()> describe;
};

class CommonImpl : public CommonApi {
 public:
  explicit CommonImpl(CommonOptions options);

  Result<std::vector<std::string>> authVerify(const std::string& token) override;
  Result<Bytes> authNew(const std::vector<std::string>& permissions) override;
  Result<std::vector<std::string>> logList() override;
  Result<void> logSetLevel(const std::string& subsystem, const std::string& level) override;
  Result<std::vector<Alert>> logAlerts() override;
  Result<ApiVersion> version() override;
  Result<JsonDocument> discover() override;
  Result<void> shutdown() override;
  Result<Timestamp> startTime() override;
  Result<std::string> session() override;
  Result<rpc::Channel<Empty>> closing() override;

  // Closes every Closing() channel; called by the node when it stops.
  void notifyClosing();

 private:
  CommonOptions options_;
  Timestamp started_;
  std::string session_;
  std::mutex mutex_;
  std::vector<rpc::Channel<Empty>> closing_;
  bool closed_ = false;
};

}  // namespace fil::api
