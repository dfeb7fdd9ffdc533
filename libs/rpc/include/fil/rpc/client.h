// A JSON-RPC client over WebSocket, as Lotus's CLI and the markets node use
// to reach other nodes. Calls block the calling thread until the answer or
// the timeout; the connection itself runs on the client's own I/O thread.
// Do not call from an I/O thread of your own.
//
//   FIL_ASSIGN_OR_RETURN(auto client, rpc::Client::connect(info));
//   FIL_ASSIGN_OR_RETURN(auto perms, client->call(api::kAuthVerify, token));
//
// Include from .cpp files only (nlohmann/json via the JSON codec).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "fil/codec/json.h"
#include "fil/rpc/api_info.h"
#include "fil/rpc/channel.h"
#include "fil/rpc/method.h"
#include "fil/rpc/rpc_error.h"

namespace fil::rpc {

using Json = codec::Json;

struct ClientOptions {
  std::string version = "v0";
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds call_timeout{std::chrono::minutes(5)};
  size_t max_message_bytes = 100 << 20;
  size_t channel_capacity = 1024;  // values buffered per channel before it is cancelled
};

class Client {
 public:
  [[nodiscard]] static Result<std::unique_ptr<Client>> connect(const ApiInfo& info, ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // `method` is the full JSON-RPC name. Errors: kRemote (the method failed,
  // with its message), kMethodNotFound, kInvalidParams, kTimeout, kTransport.
  [[nodiscard]] Result<Json> callJson(std::string_view method, Json params);
  // For channel-returning methods: each value is handed to `on_value` on the
  // client's I/O thread (it must not block; returning false cancels the
  // subscription), and `on_close` runs once when the stream ends.
  [[nodiscard]] Status callChannel(std::string_view method, Json params, std::function<bool(Json&&)> on_value,
                                   std::function<void()> on_close);

  template <auto F, typename... A>
  [[nodiscard]] Result<typename Method<F>::ResultType> call(const Method<F>& m, const A&... args);

  bool connected() const;
  size_t channelCapacity() const;

 private:
  struct Impl;
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

namespace detail {
template <typename Params, typename... A, size_t... I>
Json encodeParams(std::index_sequence<I...>, const A&... args) {
  return Json::array({codec::toJson(std::tuple_element_t<I, Params>(args))...});
}
}  // namespace detail

template <auto F, typename... A>
Result<typename Method<F>::ResultType> Client::call(const Method<F>& m, const A&... args) {
  using R = typename Method<F>::ResultType;
  using Params = typename Method<F>::ParamTypes;
  static_assert(sizeof...(A) == std::tuple_size_v<Params>, "wrong number of arguments for this API method");
  const Json params = detail::encodeParams<Params>(std::index_sequence_for<A...>{}, args...);
  const std::string name = std::string(kMethodPrefix) + std::string(m.name);
  if constexpr (IsChannel<R>::value) {
    using V = typename IsChannel<R>::Value;
    R typed(channelCapacity());
    FIL_TRY(callChannel(
        name, params,
        [typed](Json&& j) {
          V v{};
          if (!codec::fromJson(j, v)) return false;
          return typed.tryPush(std::move(v));
        },
        [typed] { typed.close(); }));
    return typed;
  } else if constexpr (std::is_void_v<R>) {
    FIL_TRY(callJson(name, params));
    return ok();
  } else {
    FIL_ASSIGN_OR_RETURN(auto j, callJson(name, params));
    R out{};
    FIL_TRY(codec::fromJson(j, out).map_error([&](Error e) {
      return Error(RpcError::kInvalidParams, fmt::format("decoding the result of {}: {}", name, e.message()));
    }));
    return out;
  }
}

}  // namespace fil::rpc
