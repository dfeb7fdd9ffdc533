// Errors of the JSON-RPC layer, on both the server and the client side.
#pragma once

#include <string_view>

#include "fil/base/error.h"

namespace fil::rpc {

enum class RpcError {
  kParse = 1,           // the request is not JSON
  kInvalidRequest,      // JSON, but not a JSON-RPC request
  kMethodNotFound,
  kInvalidParams,
  kPermissionDenied,    // "missing permission to invoke 'Filecoin.X' (need 'write')"
  kUnauthorized,        // bad or expired token (HTTP 401)
  kTooLarge,            // request over the size limit
  kTimeout,
  kTransport,           // connection failed or closed
  kRemote,              // the method itself returned an error
  kShuttingDown,
  kBadApiInfo,
};
std::string_view describe(RpcError e);

}  // namespace fil::rpc

FIL_REGISTER_ERROR(fil::rpc::RpcError, "rpc");
