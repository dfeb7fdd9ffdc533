// The network side of the JSON-RPC server: Boost.Beast HTTP and WebSocket
// sessions on one I/O thread, handlers on a worker pool.
#include "fil/rpc/server.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <list>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include "dispatcher.h"
#include "fil/base/log.h"
#include "fil/cid/multiaddr.h"

namespace fil::rpc {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;

std::string HttpRequest::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (beast::iequals(k, name)) return v;
  }
  return {};
}

namespace {

struct HttpRoute {
  std::string prefix;
  Perm perm;
  HttpHandler handler;
};

// Token from "Authorization: Bearer <t>" or "?token=<t>".
std::string extractToken(const http::request<http::string_body>& req) {
  const auto auth = req[http::field::authorization];
  if (auth.size() > 7 && beast::iequals(auth.substr(0, 7), "Bearer ")) return std::string(auth.substr(7));
  const std::string_view target = req.target();
  const auto q = target.find('?');
  if (q == std::string_view::npos) return {};
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto item = query.substr(0, amp);
    if (item.starts_with("token=")) return std::string(item.substr(6));
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
  }
  return {};
}

std::string_view pathOf(std::string_view target) { return target.substr(0, target.find('?')); }

bool isRpcPath(std::string_view path) { return path == "/rpc/v0" || path == "/rpc/v1"; }

}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, std::shared_ptr<const JwtAuth> a)
      : options(std::move(o)),
        auth(std::move(a)),
        pool(options.worker_threads),
        acceptor(io),
        log(fil::log::get(options.subsystem)),
        requests(prometheus::BuildCounter()
                     .Name("rpc_requests_total")
                     .Help("JSON-RPC requests by method and outcome")
                     .Register(registry)),
        latency(prometheus::BuildHistogram()
                    .Name("rpc_request_duration_seconds")
                    .Help("JSON-RPC request latency by method")
                    .Register(registry)) {}

  ServerOptions options;
  std::shared_ptr<const JwtAuth> auth;
  detail::Dispatcher dispatcher;
  std::vector<HttpRoute> http_routes;

  asio::io_context io;
  // Keeps io.run() going between connections, until stop().
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  asio::thread_pool pool;
  tcp::acceptor acceptor;
  std::thread io_thread;
  bool started = false;
  std::atomic<bool> stopping{false};

  // Calls in flight, for graceful shutdown.
  std::mutex flight_mutex;
  std::condition_variable flight_done;
  size_t in_flight = 0;

  // Open sockets, so stop() can close them (I/O thread only).
  std::list<std::function<void()>> closers;

  spdlog::logger& log;
  prometheus::Registry registry;
  prometheus::Family<prometheus::Counter>& requests;
  prometheus::Family<prometheus::Histogram>& latency;

  struct FlightGuard {
    Impl& impl;
    explicit FlightGuard(Impl& i) : impl(i) {
      std::lock_guard lock(impl.flight_mutex);
      ++impl.in_flight;
    }
    ~FlightGuard() {
      std::lock_guard lock(impl.flight_mutex);
      if (--impl.in_flight == 0) impl.flight_done.notify_all();
    }
  };

  // Runs `fn` on the worker pool and resumes the calling coroutine on its
  // own (I/O) executor with the result. (`co_await post(pool, use_awaitable)`
  // would not do: the awaitable resumes through the coroutine's executor, so
  // the handler would run on the I/O thread and one slow call, StateWaitMsg
  // say, would stall every connection.)
  template <typename Fn>
  awaitable<std::invoke_result_t<Fn&>> onPool(Fn fn) {
    co_return co_await asio::co_spawn(
        pool, [&fn]() -> awaitable<std::invoke_result_t<Fn&>> { co_return fn(); }, use_awaitable);
  }

  // Checks the request's token. No token: read-only access.
  Result<TokenClaims> authenticate(const http::request<http::string_body>& req) const {
    const std::string token = extractToken(req);
    if (token.empty()) return TokenClaims{{std::string(permName(Perm::kRead))}, std::nullopt, std::nullopt};
    if (!auth) return fail(RpcError::kUnauthorized, "this server has no token secret configured");
    return auth->verify(token);
  }

  void recordMetrics(const detail::Outcome& outcome, std::chrono::steady_clock::time_point started_at) {
    const std::string method = outcome.method.empty() ? "unknown" : outcome.method;
    requests.Add({{"method", method}, {"status", outcome.ok ? "ok" : "error"}}).Increment();
    static const prometheus::Histogram::BucketBoundaries kBuckets = {0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30};
    latency.Add({{"method", method}}, kBuckets)
        .Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count());
  }

  // Runs one request object on the caller's (worker) thread.
  detail::Outcome callOne(const Json& request, const CallContext& ctx, bool channels) {
    const auto t0 = std::chrono::steady_clock::now();
    auto outcome = dispatcher.call(request, ctx, channels);
    recordMetrics(outcome, t0);
    if (!outcome.ok) log.debug("{} from {}: error", outcome.method, ctx.remote);
    return outcome;
  }

  std::string handleHttpBody(const std::string& body, const CallContext& ctx) {
    const auto t0 = std::chrono::steady_clock::now();
    return dispatcher.handleBody(body, ctx, [&](const detail::Outcome& outcome) { recordMetrics(outcome, t0); });
  }

  awaitable<void> acceptLoop();
  awaitable<void> httpSession(tcp::socket socket);
  awaitable<void> wsSession(beast::tcp_stream stream, http::request<http::string_body> upgrade, TokenClaims claims,
                            std::string remote);
  http::response<http::string_body> serveHttp(const http::request<http::string_body>& req, const TokenClaims& claims,
                                              const std::string& remote);
};

namespace {

http::response<http::string_body> makeResponse(unsigned version, bool keep_alive, http::status status,
                                                std::string body, std::string_view content_type) {
  http::response<http::string_body> res{status, version};
  res.set(http::field::server, "filstack");
  res.set(http::field::content_type, content_type);
  res.keep_alive(keep_alive);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

}  // namespace

http::response<http::string_body> Server::Impl::serveHttp(const http::request<http::string_body>& req,
                                                          const TokenClaims& claims, const std::string& remote) {
  const std::string_view path = pathOf(req.target());
  if (path == "/debug/metrics") {
    prometheus::TextSerializer serializer;
    return makeResponse(req.version(), req.keep_alive(), http::status::ok, serializer.Serialize(registry.Collect()),
                        "text/plain; version=0.0.4");
  }
  if (isRpcPath(path)) {
    if (req.method() != http::verb::post) {
      return makeResponse(req.version(), req.keep_alive(), http::status::method_not_allowed,
                          "JSON-RPC takes POST requests or a WebSocket upgrade\n", "text/plain");
    }
    CallContext ctx{claims, remote};
    std::string body = handleHttpBody(req.body(), ctx);
    return makeResponse(req.version(), req.keep_alive(), http::status::ok, std::move(body), "application/json");
  }
  for (const auto& route : http_routes) {
    if (!path.starts_with(route.prefix)) continue;
    if (!claims.hasPermission(route.perm)) {
      return makeResponse(req.version(), req.keep_alive(), http::status::unauthorized,
                          fmt::format("missing permission to access {} (need '{}')\n", route.prefix, permName(route.perm)),
                          "text/plain");
    }
    HttpRequest request{std::string(req.method_string()), std::string(req.target()), {}, req.body()};
    for (const auto& field : req) request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    CallContext ctx{claims, remote};
    HttpResponse response;
    {
      // Routes run on the worker pool like RPC handlers; the context is visible to them.
      struct Scope {
        explicit Scope(const CallContext&) {}
      } scope(ctx);
      response = route.handler(request);
    }
    http::response<http::string_body> res{static_cast<http::status>(response.status), req.version()};
    for (const auto& [k, v] : response.headers) res.set(k, v);
    res.keep_alive(req.keep_alive());
    res.body() = std::move(response.body);
    res.prepare_payload();
    return res;
  }
  return makeResponse(req.version(), req.keep_alive(), http::status::not_found, "404 page not found\n", "text/plain");
}

awaitable<void> Server::Impl::acceptLoop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(use_awaitable));
    if (ec) {
      if (ec == asio::error::operation_aborted || stopping) co_return;
      log.warn("accept failed: {}", ec.message());
      continue;
    }
    asio::co_spawn(io, httpSession(std::move(socket)), asio::detached);
  }
}

awaitable<void> Server::Impl::httpSession(tcp::socket socket) {
  std::string remote;
  {
    boost::system::error_code ec;
    auto ep = socket.remote_endpoint(ec);
    if (!ec) remote = ep.address().to_string() + ":" + std::to_string(ep.port());
  }
  beast::tcp_stream stream(std::move(socket));
  auto closer = closers.insert(closers.end(), [&stream] {
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.socket().close(ignored);
  });
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(options.max_request_bytes);
    stream.expires_after(options.read_timeout);
    auto [read_ec, read_bytes] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(use_awaitable));
    (void)read_bytes;
    if (read_ec == http::error::body_limit) {
      const auto body = detail::errorResponse(nullptr, detail::kCodeParse,
                                              fmt::format("request bigger than maximum {} allowed", options.max_request_bytes))
                            .dump();
      auto res = makeResponse(11, false, http::status::payload_too_large, body, "application/json");
      stream.expires_after(std::chrono::seconds(5));
      co_await http::async_write(stream, res, asio::as_tuple(use_awaitable));
      // Lingering close: the client may still be sending the body. Read and
      // drop it for a moment, so our answer is not lost to a reset.
      boost::system::error_code ignored;
      stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
      stream.expires_after(std::chrono::seconds(2));
      std::array<char, 16384> sink;
      for (size_t drained = 0; drained < 4 * options.max_request_bytes;) {
        auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), asio::as_tuple(use_awaitable));
        if (ec) break;
        drained += n;
      }
      break;
    }
    if (read_ec) break;  // closed, timed out or garbage: nothing to answer
    auto req = parser.release();
    stream.expires_never();

    auto claims = authenticate(req);
    if (!claims) {
      auto res = makeResponse(req.version(), false, http::status::unauthorized, claims.error().message() + "\n", "text/plain");
      co_await http::async_write(stream, res, asio::as_tuple(use_awaitable));
      break;
    }
    if (stopping) {
      auto res = makeResponse(req.version(), false, http::status::service_unavailable, "shutting down\n", "text/plain");
      co_await http::async_write(stream, res, asio::as_tuple(use_awaitable));
      break;
    }
    if (websocket::is_upgrade(req) && isRpcPath(pathOf(req.target()))) {
      closers.erase(closer);
      co_await wsSession(std::move(stream), std::move(req), std::move(*claims), remote);
      co_return;
    }

    // Off the I/O thread for the handler, back on it to write.
    http::response<http::string_body> res;
    {
      FlightGuard guard(*this);
      res = co_await onPool([&] { return serveHttp(req, *claims, remote); });
    }
    stream.expires_after(options.read_timeout);
    auto [write_ec, written] = co_await http::async_write(stream, res, asio::as_tuple(use_awaitable));
    (void)written;
    if (write_ec || !res.keep_alive() || stopping) break;
  }
  closers.erase(closer);
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

namespace {

// One WebSocket connection's outgoing messages, written in order by one
// writer at a time. I/O thread only.
struct WsConnection : std::enable_shared_from_this<WsConnection> {
  explicit WsConnection(beast::tcp_stream stream) : ws(std::move(stream)) {}
  websocket::stream<beast::tcp_stream> ws;
  struct Outgoing {
    std::string text;
    bool notification;
  };
  std::deque<Outgoing> outbox;
  bool writing = false;
  std::atomic<bool> closed{false};  // read by channel producers' threads
  // Channel notifications handed over by producers and not yet written to
  // the socket: bounded, so a client that stops reading cannot make the
  // server's memory grow.
  std::atomic<size_t> notifications_in_transit{0};
  uint64_t next_channel = 1;
  std::map<std::string, std::function<void()>> channel_cancels;  // request id (dumped) -> cancel

  void send(std::string text, bool is_notification = false) {
    if (closed) {
      if (is_notification) --notifications_in_transit;
      return;
    }
    outbox.push_back({std::move(text), is_notification});
    if (!writing) asio::co_spawn(ws.get_executor(), writeLoop(shared_from_this()), asio::detached);
  }

  static awaitable<void> writeLoop(std::shared_ptr<WsConnection> self) {
    self->writing = true;
    while (!self->outbox.empty() && !self->closed) {
      Outgoing next = std::move(self->outbox.front());
      self->outbox.pop_front();
      auto [ec, n] = co_await self->ws.async_write(asio::buffer(next.text), asio::as_tuple(use_awaitable));
      (void)n;
      if (next.notification) --self->notifications_in_transit;
      if (ec) {
        self->closed = true;
        break;
      }
    }
    self->writing = false;
  }
};

Json notification(std::string_view method, Json params) {
  Json out = Json::object();
  out["jsonrpc"] = "2.0";
  out["method"] = method;
  out["params"] = std::move(params);
  return out;
}

}  // namespace

awaitable<void> Server::Impl::wsSession(beast::tcp_stream stream, http::request<http::string_body> upgrade,
                                        TokenClaims claims, std::string remote) {
  auto conn = std::make_shared<WsConnection>(std::move(stream));
  auto& ws = conn->ws;
  ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws.read_message_max(options.max_request_bytes);
  auto [accept_ec] = co_await ws.async_accept(upgrade, asio::as_tuple(use_awaitable));
  if (accept_ec) co_return;
  auto closer = closers.insert(closers.end(), [conn] {
    conn->closed = true;
    boost::system::error_code ignored;
    beast::get_lowest_layer(conn->ws).socket().close(ignored);
  });
  const auto ctx = std::make_shared<CallContext>(CallContext{std::move(claims), remote});
  auto executor = co_await asio::this_coro::executor;

  beast::flat_buffer buffer;
  for (;;) {
    auto [ec, n] = co_await ws.async_read(buffer, asio::as_tuple(use_awaitable));
    (void)n;
    if (ec) break;
    std::string text = beast::buffers_to_string(buffer.data());
    buffer.consume(buffer.size());
    Json parsed = Json::parse(text, nullptr, false);
    if (parsed.is_discarded()) {
      conn->send(detail::errorResponse(nullptr, detail::kCodeParse, "Parse error").dump());
      continue;
    }
    // xrpc.cancel: the client gave up on a request (for channels: stop streaming).
    if (parsed.is_object() && parsed.value("method", "") == "xrpc.cancel") {
      const Json params = parsed.value("params", Json::array());
      if (params.is_array() && !params.empty()) {
        auto it = conn->channel_cancels.find(params[0].dump());
        if (it != conn->channel_cancels.end()) it->second();
      }
      continue;
    }
    // Each message is handled on the pool; answers go out as they finish.
    asio::co_spawn(
        executor,
        [this, conn, ctx, parsed = std::move(parsed)]() mutable -> awaitable<void> {
          FlightGuard guard(*this);
          std::vector<detail::Outcome> outcomes = co_await onPool([&] {
            std::vector<detail::Outcome> out;
            if (parsed.is_array()) {
              for (const auto& request : parsed) out.push_back(callOne(request, *ctx, true));
            } else {
              out.push_back(callOne(parsed, *ctx, true));
            }
            return out;
          });
          Json batch = Json::array();
          for (auto& outcome : outcomes) {
            if (outcome.channel && outcome.response && !conn->closed) {
              const uint64_t chan_id = conn->next_channel++;
              (*outcome.response)["result"] = chan_id;
              const std::string request_id = (*outcome.response)["id"].dump();
              auto cancel = outcome.channel->cancel;
              conn->channel_cancels[request_id] = cancel;
              conn->send(outcome.response->dump());
              auto weak = std::weak_ptr<WsConnection>(conn);
              const size_t limit = options.max_pending_notifications;
              outcome.channel->attach(
                  // Runs on the producer's thread: only atomics are touched here.
                  [this, weak, chan_id, limit](Json&& value) {
                    auto c = weak.lock();
                    if (!c || c->closed) return false;
                    if (c->notifications_in_transit >= limit) {
                      log.warn("dropping a channel subscriber that reads too slowly");
                      return false;
                    }
                    ++c->notifications_in_transit;
                    std::string message = notification("xrpc.ch.val", Json::array({chan_id, std::move(value)})).dump();
                    asio::post(io, [c, message = std::move(message)]() mutable { c->send(std::move(message), true); });
                    return true;
                  },
                  [this, weak, chan_id, request_id] {
                    asio::post(io, [weak, chan_id, request_id] {
                      if (auto c = weak.lock()) {
                        c->channel_cancels.erase(request_id);
                        c->send(notification("xrpc.ch.close", Json::array({chan_id})).dump());
                      }
                    });
                  });
              continue;
            }
            if (outcome.channel) outcome.channel->cancel();
            if (outcome.response) batch.push_back(std::move(*outcome.response));
          }
          if (batch.empty()) co_return;
          conn->send(parsed.is_array() ? batch.dump() : batch[0].dump());
        },
        asio::detached);
  }
  conn->closed = true;
  // The connection is gone: stop every channel it subscribed to.
  auto cancels = std::move(conn->channel_cancels);
  for (auto& [id, cancel] : cancels) cancel();
  closers.erase(closer);
}

Server::Server(ServerOptions options, std::shared_ptr<const JwtAuth> auth)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(auth))) {}

Server::~Server() { stop(std::chrono::milliseconds(0)); }

void Server::registerHandler(std::string name, Perm perm, Handler handler) {
  impl_->dispatcher.add(std::move(name), perm, std::move(handler));
}

void Server::registerHttp(std::string prefix, Perm perm, HttpHandler handler) {
  impl_->http_routes.push_back({std::move(prefix), perm, std::move(handler)});
}

prometheus::Registry& Server::metrics() { return impl_->registry; }

std::string Server::describe() const { return impl_->dispatcher.discover().dump(); }

Result<std::string> Server::start() {
  auto& impl = *impl_;
  if (impl.started) return fail(GenericError::kAlreadyExists, "server already started");
  auto ma = cid::Multiaddr::parse(impl.options.listen);
  if (!ma) return fail(ma.error().withContext("API listen address"));
  auto host = ma->valueOf(cid::Protocol::kIp4);
  if (!host) host = ma->valueOf(cid::Protocol::kIp6);
  const auto port = ma->valueOf(cid::Protocol::kTcp);
  if (!host || !port) {
    return fail(GenericError::kInvalidArgument,
                fmt::format("API listen address {} needs /ip4 or /ip6 and /tcp", impl.options.listen));
  }
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(*host, ec);
  if (ec) return fail(GenericError::kInvalidArgument, fmt::format("bad listen host {}: {}", *host, ec.message()));
  const tcp::endpoint endpoint(address, static_cast<uint16_t>(std::stoul(*port)));
  impl.acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl.acceptor.bind(endpoint, ec);
  if (!ec) impl.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return fail(GenericError::kIo, fmt::format("listening on {}: {}", impl.options.listen, ec.message()));
  }
  const auto bound = impl.acceptor.local_endpoint();
  asio::co_spawn(impl.io, impl.acceptLoop(), asio::detached);
  impl.io_thread = std::thread([&impl] { impl.io.run(); });
  impl.started = true;
  const std::string suffix = ma->has(cid::Protocol::kWs) ? "/ws" : "/http";
  const std::string bound_text = fmt::format("/{}/{}/tcp/{}{}", address.is_v4() ? "ip4" : "ip6", address.to_string(),
                                             bound.port(), suffix);
  impl.log.info("API server listening on {}", bound_text);
  return bound_text;
}

void Server::stop(std::chrono::milliseconds grace) {
  auto& impl = *impl_;
  if (!impl.started || impl.stopping.exchange(true)) return;
  // No new connections; requests already read finish (bounded by `grace`).
  asio::post(impl.io, [&impl] {
    boost::system::error_code ignored;
    impl.acceptor.close(ignored);
  });
  {
    std::unique_lock lock(impl.flight_mutex);
    impl.flight_done.wait_for(lock, grace, [&] { return impl.in_flight == 0; });
  }
  std::promise<void> closed;
  asio::post(impl.io, [&impl, &closed] {
    for (auto& close : impl.closers) close();
    closed.set_value();
  });
  closed.get_future().wait();
  impl.work.reset();
  impl.io.stop();
  if (impl.io_thread.joinable()) impl.io_thread.join();
  impl.pool.stop();
  impl.pool.join();
  impl.log.info("API server stopped");
}

}  // namespace fil::rpc
