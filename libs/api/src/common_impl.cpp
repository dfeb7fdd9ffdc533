#include "fil/api/common_impl.h"

#include <fmt/format.h>

#include "fil/base/hex.h"
#include "fil/base/log.h"
#include "fil/crypto/random.h"
#include "fil/rpc/server.h"

namespace fil::api {
namespace {

std::string newUuid() {
  auto b = crypto::randomArray<16>();
  b[6] = (b[6] & 0x0f) | 0x40;  // version 4
  b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
  const std::string h = toHex(b);
  return fmt::format("{}-{}-{}-{}-{}", h.substr(0, 8), h.substr(8, 4), h.substr(12, 4), h.substr(16, 4), h.substr(20));
}

}  // namespace

CommonImpl::CommonImpl(CommonOptions options)
    : options_(std::move(options)), started_{std::chrono::system_clock::now()}, session_(newUuid()) {}

Result<std::vector<std::string>> CommonImpl::authVerify(const std::string& token) {
  if (!options_.auth) return fail(rpc::RpcError::kUnauthorized, "this node has no token secret");
  FIL_ASSIGN_OR_RETURN(auto claims, options_.auth->verify(token));
  return claims.allow;
}

Result<Bytes> CommonImpl::authNew(const std::vector<std::string>& permissions) {
  if (!options_.auth) return fail(rpc::RpcError::kUnauthorized, "this node has no token secret");
  for (const auto& p : permissions) {
    if (!rpc::parsePerm(p)) {
      return fail(rpc::RpcError::kInvalidParams, fmt::format("unknown permission '{}' (read, write, sign, admin)", p));
    }
  }
  const std::string token = options_.auth->create({permissions, std::nullopt, std::nullopt});
  return Bytes(token.begin(), token.end());
}

Result<std::vector<std::string>> CommonImpl::logList() { return fil::log::subsystems(); }

Result<void> CommonImpl::logSetLevel(const std::string& subsystem, const std::string& level) {
  return fil::log::setLevel(subsystem, level);
}

Result<std::vector<Alert>> CommonImpl::logAlerts() { return std::vector<Alert>{}; }

Result<ApiVersion> CommonImpl::version() {
  return ApiVersion{options_.version, options_.api_version, options_.block_delay};
}

Result<JsonDocument> CommonImpl::discover() {
  if (!options_.describe) return fail(GenericError::kNotFound, "no API description available");
  return JsonDocument{options_.describe()};
}

Result<void> CommonImpl::shutdown() {
  if (!options_.request_shutdown) return fail(GenericError::kPermission, "this node cannot be stopped over the API");
  fil::log::get("api").warn("shutdown requested over the API");
  options_.request_shutdown();
  return ok();
}

Result<Timestamp> CommonImpl::startTime() { return started_; }

Result<std::string> CommonImpl::session() { return session_; }

Result<rpc::Channel<Empty>> CommonImpl::closing() {
  rpc::Channel<Empty> channel(1);
  std::lock_guard lock(mutex_);
  if (closed_) {
    channel.close();
  } else {
    closing_.push_back(channel);
  }
  return channel;
}

void CommonImpl::notifyClosing() {
  std::vector<rpc::Channel<Empty>> channels;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    channels.swap(closing_);
  }
  for (auto& c : channels) c.close();
}

}  // namespace fil::api
