// JSON-RPC request processing, independent of the transport: parses a
// request object, checks the caller's permission, runs the handler and
// builds the response as go-jsonrpc does (error code 1 for method errors,
// -32700/-32600/-32601/-32602 for protocol errors).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "fil/rpc/server.h"

namespace fil::rpc::detail {

// go-jsonrpc's error codes.
inline constexpr int kCodeParse = -32700;
inline constexpr int kCodeInvalidRequest = -32600;
inline constexpr int kCodeMethodNotFound = -32601;
inline constexpr int kCodeInvalidParams = -32602;
inline constexpr int kCodeMethodError = 1;

struct Route {
  Perm perm;
  Handler handler;
};

struct Outcome {
  std::optional<Json> response;      // none for notifications
  std::optional<JsonChannel> channel;  // set when the method returned a channel (response holds its id placeholder)
  std::string method;                // for metrics; empty if unknown
  bool ok = true;
};

Json errorResponse(const Json& id, int code, std::string message);

class Dispatcher {
 public:
  void add(std::string name, Perm perm, Handler handler);
  bool has(std::string_view name) const;

  // Handles one request object. Channel results are allowed only when
  // `channels` (WebSocket); the caller assigns the channel id and puts it in
  // the response's "result".
  Outcome call(const Json& request, const CallContext& ctx, bool channels) const;

  // A whole HTTP body: one request or a batch (no channels over HTTP).
  // Returns the response text, empty when every request was a
  // notification. `observe` sees each outcome (for metrics).
  std::string handleBody(std::string_view body, const CallContext& ctx,
                         const std::function<void(const Outcome&)>& observe = {}) const;

  // OpenRPC description of the registered methods (rpc.discover).
  Json discover() const;

 private:
  std::map<std::string, Route, std::less<>> routes_;
};

}  // namespace fil::rpc::detail
