#include "fil/rpc/rpc_error.h"

namespace fil::rpc {

std::string_view describe(RpcError e) {
  switch (e) {
    case RpcError::kParse: return "parse error";
    case RpcError::kInvalidRequest: return "invalid request";
    case RpcError::kMethodNotFound: return "method not found";
    case RpcError::kInvalidParams: return "invalid params";
    case RpcError::kPermissionDenied: return "missing permission";
    case RpcError::kUnauthorized: return "unauthorized";
    case RpcError::kTooLarge: return "request too large";
    case RpcError::kTimeout: return "timed out";
    case RpcError::kTransport: return "connection failed";
    case RpcError::kRemote: return "remote error";
    case RpcError::kShuttingDown: return "server is shutting down";
    case RpcError::kBadApiInfo: return "invalid API info";
  }
  return "unknown rpc error";
}

}  // namespace fil::rpc
