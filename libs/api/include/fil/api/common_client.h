// The Common API of a remote node, over JSON-RPC. Every method goes
// through the same table the server dispatches on.
#pragma once

#include "fil/api/common_api.h"

namespace fil::rpc {
class Client;
}

namespace fil::api {

class CommonClient : public CommonApi {
 public:
  explicit CommonClient(rpc::Client& client) : client_(client) {}

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

 private:
  rpc::Client& client_;
};

}  // namespace fil::api
