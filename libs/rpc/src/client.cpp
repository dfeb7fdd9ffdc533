// The WebSocket JSON-RPC client: one connection, its own I/O thread, calls
// matched to answers by id.
#include "fil/rpc/client.h"

#include <atomic>
#include <future>
#include <map>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast.hpp>

#include "fil/base/log.h"

namespace fil::rpc {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

Error remoteError(const Json& error) {
  const int code = error.value("code", 0);
  std::string message = error.value("message", std::string("(no message)"));
  switch (code) {
    case -32700: return Error(RpcError::kParse, std::move(message));
    case -32600: return Error(RpcError::kInvalidRequest, std::move(message));
    case -32601: return Error(RpcError::kMethodNotFound, std::move(message));
    case -32602: return Error(RpcError::kInvalidParams, std::move(message));
    default:
      if (message.starts_with("missing permission")) return Error(RpcError::kPermissionDenied, std::move(message));
      return Error(RpcError::kRemote, std::move(message));
  }
}

struct Subscription {
  std::function<bool(Json&&)> on_value;
  std::function<void()> on_close;
};

}  // namespace

struct Client::Impl {
  ClientOptions options;
  asio::io_context io;
  websocket::stream<beast::tcp_stream> ws{io};
  std::thread io_thread;
  std::atomic<bool> open{false};
  std::atomic<uint64_t> next_id{1};

  // I/O thread only.
  std::deque<std::string> outbox;
  bool writing = false;
  std::map<uint64_t, std::promise<Result<Json>>> pending;
  std::map<uint64_t, Subscription> pending_channels;  // request id -> subscription awaiting its channel id
  std::map<uint64_t, uint64_t> channel_requests;      // channel id -> request id (for xrpc.cancel)
  std::map<uint64_t, Subscription> channels;          // channel id -> subscription

  void send(std::string text) {
    outbox.push_back(std::move(text));
    if (writing) return;
    writing = true;
    writeNext();
  }

  void writeNext() {
    if (outbox.empty() || !open) {
      writing = false;
      return;
    }
    auto text = std::make_shared<std::string>(std::move(outbox.front()));
    outbox.pop_front();
    ws.async_write(asio::buffer(*text), [this, text](beast::error_code ec, size_t) {
      if (ec) {
        failAll(Error(RpcError::kTransport, "connection lost: " + ec.message()));
        return;
      }
      writeNext();
    });
  }

  void failAll(const Error& e) {
    open = false;
    for (auto& [id, promise] : pending) promise.set_value(fail(e));
    pending.clear();
    for (auto& [id, sub] : pending_channels) sub.on_close();
    pending_channels.clear();
    for (auto& [id, sub] : channels) sub.on_close();
    channels.clear();
  }

  void readLoop(std::shared_ptr<beast::flat_buffer> buffer) {
    ws.async_read(*buffer, [this, buffer](beast::error_code ec, size_t) {
      if (ec) {
        failAll(Error(RpcError::kTransport, "connection closed: " + ec.message()));
        return;
      }
      const std::string text = beast::buffers_to_string(buffer->data());
      buffer->consume(buffer->size());
      handleMessage(text);
      readLoop(buffer);
    });
  }

  void cancelChannel(uint64_t chan_id) {
    auto req = channel_requests.find(chan_id);
    if (req == channel_requests.end()) return;
    Json cancel = Json::object();
    cancel["jsonrpc"] = "2.0";
    cancel["method"] = "xrpc.cancel";
    cancel["params"] = Json::array({req->second});
    send(cancel.dump());
  }

  void handleMessage(const std::string& text) {
    Json msg = Json::parse(text, nullptr, false);
    if (msg.is_discarded() || !msg.is_object()) {
      fil::log::get("rpc-client").warn("ignoring a message that is not a JSON object");
      return;
    }
    if (const auto method = msg.find("method"); method != msg.end() && method->is_string()) {
      const Json params = msg.value("params", Json::array());
      if (!params.is_array() || params.empty() || !params[0].is_number_unsigned()) return;
      const uint64_t chan = params[0].get<uint64_t>();
      auto it = channels.find(chan);
      if (it == channels.end()) return;
      if (*method == "xrpc.ch.val" && params.size() == 2) {
        Json value = params[1];
        if (!it->second.on_value(std::move(value))) {
          cancelChannel(chan);
          it->second.on_close();
          channels.erase(it);
          channel_requests.erase(chan);
        }
      } else if (*method == "xrpc.ch.close") {
        it->second.on_close();
        channels.erase(it);
        channel_requests.erase(chan);
      }
      return;
    }
    const auto id_it = msg.find("id");
    if (id_it == msg.end() || !id_it->is_number_unsigned()) return;
    const uint64_t id = id_it->get<uint64_t>();
    if (auto sub = pending_channels.find(id); sub != pending_channels.end()) {
      auto pending_it = pending.find(id);
      if (msg.contains("error")) {
        sub->second.on_close();
        if (pending_it != pending.end()) pending_it->second.set_value(fail(remoteError(msg["error"])));
      } else {
        const uint64_t chan = msg.value("result", Json(0)).is_number_unsigned() ? msg["result"].get<uint64_t>() : 0;
        channels[chan] = std::move(sub->second);
        channel_requests[chan] = id;
        if (pending_it != pending.end()) pending_it->second.set_value(Json(chan));
      }
      pending_channels.erase(sub);
      if (pending_it != pending.end()) pending.erase(pending_it);
      return;
    }
    auto it = pending.find(id);
    if (it == pending.end()) return;  // answer to a call that timed out
    if (const auto error = msg.find("error"); error != msg.end() && !error->is_null()) {
      it->second.set_value(fail(remoteError(*error)));
    } else {
      it->second.set_value(msg.value("result", Json(nullptr)));
    }
    pending.erase(it);
  }

  Result<Json> call(std::string_view method, Json params, std::optional<Subscription> subscription) {
    if (!open) return fail(RpcError::kTransport, "not connected");
    const uint64_t id = next_id++;
    Json request = Json::object();
    request["jsonrpc"] = "2.0";
    request["method"] = method;
    request["params"] = std::move(params);
    request["id"] = id;
    std::promise<Result<Json>> promise;
    auto answer = promise.get_future();
    asio::post(io, [this, id, text = request.dump(), promise = std::move(promise),
                    subscription = std::move(subscription)]() mutable {
      if (!open) {
        promise.set_value(fail(RpcError::kTransport, "connection closed"));
        if (subscription) subscription->on_close();
        return;
      }
      pending.emplace(id, std::move(promise));
      if (subscription) pending_channels.emplace(id, std::move(*subscription));
      send(std::move(text));
    });
    if (answer.wait_for(options.call_timeout) != std::future_status::ready) {
      asio::post(io, [this, id] {
        if (auto sub = pending_channels.find(id); sub != pending_channels.end()) {
          sub->second.on_close();
          pending_channels.erase(sub);
        }
        pending.erase(id);
      });
      return fail(RpcError::kTimeout, fmt::format("{} did not answer within {} ms", method, options.call_timeout.count()));
    }
    return answer.get();
  }
};

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Client::~Client() {
  auto& impl = *impl_;
  asio::post(impl.io, [&impl] {
    if (impl.open) {
      impl.open = false;
      beast::error_code ignored;
      beast::get_lowest_layer(impl.ws).socket().shutdown(tcp::socket::shutdown_both, ignored);
      beast::get_lowest_layer(impl.ws).socket().close(ignored);
    }
  });
  if (impl.io_thread.joinable()) impl.io_thread.join();
}

bool Client::connected() const { return impl_->open; }
size_t Client::channelCapacity() const { return impl_->options.channel_capacity; }

Result<std::unique_ptr<Client>> Client::connect(const ApiInfo& info, ClientOptions options) {
  if (info.tls()) return fail(RpcError::kBadApiInfo, "TLS (wss/https) API endpoints are not supported yet");
  FIL_ASSIGN_OR_RETURN(auto host_port, info.hostPort());
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  auto& ws = impl->ws;
  const std::string target = "/rpc/" + options.version;

  beast::error_code ec;
  tcp::resolver resolver(impl->io);
  auto endpoints = resolver.resolve(host_port.first, std::to_string(host_port.second), ec);
  if (ec) return fail(RpcError::kTransport, fmt::format("resolving {}: {}", host_port.first, ec.message()));
  beast::get_lowest_layer(ws).expires_after(options.connect_timeout);
  beast::get_lowest_layer(ws).connect(endpoints, ec);
  if (ec) {
    return fail(RpcError::kTransport,
                fmt::format("connecting to {}:{}: {}", host_port.first, host_port.second, ec.message()));
  }
  beast::get_lowest_layer(ws).expires_never();
  ws.read_message_max(options.max_message_bytes);
  const std::string token = info.token;
  ws.set_option(websocket::stream_base::decorator([token](websocket::request_type& req) {
    req.set(http::field::user_agent, "filstack-rpc-client");
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
  }));
  websocket::response_type response;
  ws.handshake(response, host_port.first + ":" + std::to_string(host_port.second), target, ec);
  if (ec) {
    if (response.result() == http::status::unauthorized) {
      return fail(RpcError::kUnauthorized, fmt::format("the node refused the token (401): {}", response.body()));
    }
    return fail(RpcError::kTransport, fmt::format("WebSocket handshake with {}{}: {}", info.addr, target, ec.message()));
  }
  impl->open = true;
  auto* raw = impl.get();
  raw->readLoop(std::make_shared<beast::flat_buffer>());
  raw->io_thread = std::thread([raw] { raw->io.run(); });
  return std::unique_ptr<Client>(new Client(std::move(impl)));
}

Result<Json> Client::callJson(std::string_view method, Json params) {
  return impl_->call(method, std::move(params), std::nullopt);
}

Status Client::callChannel(std::string_view method, Json params, std::function<bool(Json&&)> on_value,
                           std::function<void()> on_close) {
  FIL_TRY(impl_->call(method, std::move(params), Subscription{std::move(on_value), std::move(on_close)}));
  return ok();
}

}  // namespace fil::rpc
