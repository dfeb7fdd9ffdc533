// The Common API every node serves (Lotus api/api_common.go), and its one
// method table: name and permission per method, from which the server
// dispatches, checks permissions, and the typed client calls.
#pragma once

#include <string>
#include <tuple>
#include <vector>

#include "fil/api/types.h"
#include "fil/base/bytes.h"
#include "fil/rpc/channel.h"
#include "fil/rpc/method.h"

namespace fil::api {

class CommonApi {
 public:
  virtual ~CommonApi() = default;
  virtual Result<std::vector<std::string>> authVerify(const std::string& token) = 0;
  virtual Result<Bytes> authNew(const std::vector<std::string>& permissions) = 0;
  virtual Result<std::vector<std::string>> logList() = 0;
  virtual Result<void> logSetLevel(const std::string& subsystem, const std::string& level) = 0;
  virtual Result<std::vector<Alert>> logAlerts() = 0;
  virtual Result<ApiVersion> version() = 0;
  virtual Result<JsonDocument> discover() = 0;
  virtual Result<void> shutdown() = 0;
  virtual Result<Timestamp> startTime() = 0;
  virtual Result<std::string> session() = 0;
  virtual Result<rpc::Channel<Empty>> closing() = 0;
};

using rpc::Perm;
inline constexpr auto kAuthVerify = rpc::method<&CommonApi::authVerify>("AuthVerify", Perm::kRead);
inline constexpr auto kAuthNew = rpc::method<&CommonApi::authNew>("AuthNew", Perm::kAdmin);
inline constexpr auto kLogList = rpc::method<&CommonApi::logList>("LogList", Perm::kWrite);
inline constexpr auto kLogSetLevel = rpc::method<&CommonApi::logSetLevel>("LogSetLevel", Perm::kWrite);
inline constexpr auto kLogAlerts = rpc::method<&CommonApi::logAlerts>("LogAlerts", Perm::kAdmin);
inline constexpr auto kVersion = rpc::method<&CommonApi::version>("Version", Perm::kRead);
inline constexpr auto kDiscover = rpc::method<&CommonApi::discover>("Discover", Perm::kRead);
inline constexpr auto kShutdown = rpc::method<&CommonApi::shutdown>("Shutdown", Perm::kAdmin);
inline constexpr auto kStartTime = rpc::method<&CommonApi::startTime>("StartTime", Perm::kRead);
inline constexpr auto kSession = rpc::method<&CommonApi::session>("Session", Perm::kRead);
inline constexpr auto kClosing = rpc::method<&CommonApi::closing>("Closing", Perm::kRead);

inline constexpr auto kCommonMethods = std::make_tuple(kAuthVerify, kAuthNew, kLogList, kLogSetLevel, kLogAlerts, kVersion,
                                                       kDiscover, kShutdown, kStartTime, kSession, kClosing);

}  // namespace fil::api
