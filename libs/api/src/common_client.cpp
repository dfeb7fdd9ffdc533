#include "fil/api/common_client.h"

#include "fil/api/json.h"
#include "fil/rpc/client.h"

namespace fil::api {

Result<std::vector<std::string>> CommonClient::authVerify(const std::string& token) { return client_.call(kAuthVerify, token); }
Result<Bytes> CommonClient::authNew(const std::vector<std::string>& permissions) { return client_.call(kAuthNew, permissions); }
Result<std::vector<std::string>> CommonClient::logList() { return client_.call(kLogList); }
Result<void> CommonClient::logSetLevel(const std::string& subsystem, const std::string& level) {
  return client_.call(kLogSetLevel, subsystem, level);
}
Result<std::vector<Alert>> CommonClient::logAlerts() { return client_.call(kLogAlerts); }
Result<ApiVersion> CommonClient::version() { return client_.call(kVersion); }
Result<JsonDocument> CommonClient::discover() { return client_.call(kDiscover); }
Result<void> CommonClient::shutdown() { return client_.call(kShutdown); }
Result<Timestamp> CommonClient::startTime() { return client_.call(kStartTime); }
Result<std::string> CommonClient::session() { return client_.call(kSession); }
Result<rpc::Channel<Empty>> CommonClient::closing() { return client_.call(kClosing); }

}  // namespace fil::api
