// The JSON-RPC 2.0 server of every node: HTTP POST and WebSocket on
// /rpc/v0 and /rpc/v1, methods "Filecoin.<Name>", batches, rpc.discover,
// channel notifications over WebSocket (xrpc.ch.val / xrpc.ch.close,
// cancelled by xrpc.cancel), JWT permissions, /debug/metrics in Prometheus
// text, request size limits and graceful shutdown.
//
//   rpc::Server server({.listen = "/ip4/127.0.0.1/tcp/0/http"}, auth);
//   server.registerApi(common_impl, api::kCommonMethods);
//   FIL_ASSIGN_OR_RETURN(auto bound, server.start());   // "/ip4/127.0.0.1/tcp/41234/http"
//   ...
//   server.stop();   // finishes calls in flight, then closes
//
// Handlers run on a worker pool, never on the I/O thread, so they may block
// (StateWaitMsg does). Include this header from .cpp files only: it brings
// in nlohmann/json through the JSON codec.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <variant>

#include "fil/codec/json.h"
#include "fil/rpc/channel.h"
#include "fil/rpc/jwt.h"
#include "fil/rpc/method.h"
#include "fil/rpc/rpc_error.h"

namespace prometheus {
class Registry;
}

namespace fil::rpc {

using Json = codec::Json;

// The caller of the method being handled (valid during a handler call).
struct CallContext {
  TokenClaims claims;
  std::string remote;  // peer address
};
// The context of the call the current worker thread is handling; methods
// such as AuthNew consult it. Null outside a handler.
const CallContext* currentCall();

// A channel of JSON values, as the server streams it.
struct JsonChannel {
  std::function<void(std::function<bool(Json&&)> sink, std::function<void()> on_close)> attach;
  std::function<void()> cancel;
};

using HandlerOutput = std::variant<Json, JsonChannel>;
using Handler = std::function<Result<HandlerOutput>(const Json& params)>;

// A plain HTTP route served beside the RPC (e.g. /remote for sector files).
struct HttpRequest {
  std::string method;
  std::string target;  // path and query
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string header(std::string_view name) const;
};
struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

struct ServerOptions {
  std::string listen = "/ip4/127.0.0.1/tcp/0/http";  // multiaddr, as [API] ListenAddress
  size_t max_request_bytes = 100 << 20;              // go-jsonrpc's default
  std::chrono::seconds read_timeout{30};             // for an HTTP request to arrive in full
  size_t worker_threads = 16;
  size_t max_pending_notifications = 4096;           // per WebSocket; beyond it the slowest channel is dropped
  std::string subsystem = "rpc";                     // logger and metric label
};

class Server {
 public:
  Server(ServerOptions options, std::shared_ptr<const JwtAuth> auth);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Registers every method of `table` (a tuple of rpc::Method) on `impl`,
  // which must outlive the server.
  template <typename Api, typename... M>
  void registerApi(Api& impl, const std::tuple<M...>& table) {
    std::apply([&](const auto&... m) { (registerMethod(impl, m), ...); }, table);
  }

  template <typename Api, auto F>
  void registerMethod(Api& impl, const Method<F>& m);

  // `name` is the full JSON-RPC name ("Filecoin.Version").
  void registerHandler(std::string name, Perm perm, Handler handler);
  // Serves requests whose path starts with `prefix`, after a token check
  // (the handler sees the caller through currentCall()).
  void registerHttp(std::string prefix, Perm perm, HttpHandler handler);

  // Binds and starts serving; returns the bound multiaddr (port 0 resolved).
  [[nodiscard]] Result<std::string> start();
  // Stops accepting, lets calls in flight finish (up to `grace`), closes
  // every connection. Idempotent.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

  prometheus::Registry& metrics();
  // The OpenRPC description of the registered methods (rpc.discover).
  std::string describe() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// ---- template implementation ----------------------------------------------

namespace detail {

template <typename Tuple, size_t... I>
Status decodeParams(const Json& params, Tuple& out, std::index_sequence<I...>) {
  Status status = ok();
  (void)((status = codec::fromJson(params[I], std::get<I>(out)).map_error([](Error e) {
            return Error(RpcError::kInvalidParams, fmt::format("param {}: {}", I, e.message()));
          }),
          status.has_value()) &&
         ...);
  return status;
}

template <typename T>
Result<HandlerOutput> toOutput(Result<T> r) {
  if (!r) return fail(std::move(r).error());
  if constexpr (std::is_void_v<T>) {
    return HandlerOutput(Json(nullptr));
  } else if constexpr (IsChannel<T>::value) {
    using V = typename IsChannel<T>::Value;
    T channel = std::move(*r);
    JsonChannel out;
    out.attach = [channel](std::function<bool(Json&&)> sink, std::function<void()> on_close) {
      channel.setSink([sink = std::move(sink)](V&& v) { return sink(codec::toJson(v)); }, std::move(on_close));
    };
    out.cancel = [channel] { channel.close(); };
    return HandlerOutput(std::move(out));
  } else {
    return HandlerOutput(codec::toJson(*r));
  }
}

}  // namespace detail

template <typename Api, auto F>
void Server::registerMethod(Api& impl, const Method<F>& m) {
  using Params = typename Method<F>::ParamTypes;
  static constexpr size_t kArity = std::tuple_size_v<Params>;
  std::string name = std::string(kMethodPrefix) + std::string(m.name);
  registerHandler(name, m.perm, [&impl, name](const Json& params) -> Result<HandlerOutput> {
    const size_t given = params.is_array() ? params.size() : 0;
    if ((!params.is_array() && !params.is_null()) || given != kArity) {
      return fail(RpcError::kInvalidParams,
                  fmt::format("wrong param count (method '{}'): {} != {}", name, given, kArity));
    }
    Params args;
    FIL_TRY(detail::decodeParams(params, args, std::make_index_sequence<kArity>{}));
    return detail::toOutput(std::apply([&](auto&... a) { return (impl.*F)(a...); }, args));
  });
}

}  // namespace fil::rpc
