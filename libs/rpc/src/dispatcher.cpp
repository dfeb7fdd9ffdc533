#include "dispatcher.h"

#include <fmt/format.h>

namespace fil::rpc {

namespace {
thread_local const CallContext* t_current_call = nullptr;

// Sets the calling context for the duration of one handler call.
struct CurrentCallScope {
  explicit CurrentCallScope(const CallContext& ctx) { t_current_call = &ctx; }
  ~CurrentCallScope() { t_current_call = nullptr; }
};
}  // namespace

const CallContext* currentCall() { return t_current_call; }

namespace detail {

Json errorResponse(const Json& id, int code, std::string message) {
  Json out = Json::object();
  out["jsonrpc"] = "2.0";
  out["id"] = id;
  out["error"] = Json{{"code", code}, {"message", std::move(message)}};
  return out;
}

void Dispatcher::add(std::string name, Perm perm, Handler handler) {
  routes_[std::move(name)] = Route{perm, std::move(handler)};
}

bool Dispatcher::has(std::string_view name) const { return routes_.find(name) != routes_.end(); }

Outcome Dispatcher::call(const Json& request, const CallContext& ctx, bool channels) const {
  Outcome out;
  if (!request.is_object()) {
    out.ok = false;
    out.response = errorResponse(nullptr, kCodeInvalidRequest, "Invalid request");
    return out;
  }
  const auto id_it = request.find("id");
  const bool notification = id_it == request.end();
  const Json id = notification ? Json(nullptr) : *id_it;
  auto respond_error = [&](int code, std::string message) {
    out.ok = false;
    if (!notification) out.response = errorResponse(id, code, std::move(message));
    return out;
  };
  if (!id.is_null() && !id.is_number_integer() && !id.is_string()) {
    return respond_error(kCodeInvalidRequest, "Invalid request: id must be a number, a string or null");
  }
  const auto method_it = request.find("method");
  if (method_it == request.end() || !method_it->is_string()) {
    return respond_error(kCodeInvalidRequest, "Invalid request: no method");
  }
  const std::string method = method_it->get<std::string>();
  const Json params = request.value("params", Json(nullptr));

  if (method == "rpc.discover") {
    out.method = method;
    if (!notification) out.response = Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", discover()}};
    return out;
  }
  const auto route = routes_.find(method);
  if (route == routes_.end()) return respond_error(kCodeMethodNotFound, fmt::format("method '{}' not found", method));
  out.method = method;
  if (!ctx.claims.allows(method, route->second.perm)) {
    const bool narrowed_out = ctx.claims.hasPermission(route->second.perm);
    return respond_error(kCodeMethodError,
                         narrowed_out ? fmt::format("token does not allow '{}' (it is limited to other methods)", method)
                                      : fmt::format("missing permission to invoke '{}' (need '{}')", method,
                                                    permName(route->second.perm)));
  }

  Result<HandlerOutput> result = [&] {
    CurrentCallScope scope(ctx);
    return route->second.handler(params);
  }();
  if (!result) {
    const int code = result.error().is(RpcError::kInvalidParams) ? kCodeInvalidParams : kCodeMethodError;
    return respond_error(code, result.error().message());
  }
  if (auto* channel = std::get_if<JsonChannel>(&*result)) {
    if (!channels) {
      channel->cancel();
      return respond_error(kCodeMethodNotFound,
                           fmt::format("method '{}' not supported in this mode (no out channel support)", method));
    }
    out.channel = std::move(*channel);
    if (!notification) out.response = Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", nullptr}};
    return out;
  }
  if (!notification) {
    Json response = Json::object();
    response["jsonrpc"] = "2.0";
    response["id"] = id;
    response["result"] = std::move(std::get<Json>(*result));
    out.response = std::move(response);
  }
  return out;
}

std::string Dispatcher::handleBody(std::string_view body, const CallContext& ctx,
                                   const std::function<void(const Outcome&)>& observe) const {
  Json parsed = Json::parse(body, nullptr, false);
  if (parsed.is_discarded()) return errorResponse(nullptr, kCodeParse, "Parse error").dump();
  auto one = [&](const Json& request) {
    auto outcome = call(request, ctx, false);
    if (observe) observe(outcome);
    return outcome;
  };
  if (parsed.is_array()) {
    if (parsed.empty()) return errorResponse(nullptr, kCodeInvalidRequest, "Invalid request").dump();
    Json responses = Json::array();
    for (const auto& request : parsed) {
      auto outcome = one(request);
      if (outcome.response) responses.push_back(std::move(*outcome.response));
    }
    return responses.empty() ? std::string() : responses.dump();
  }
  auto outcome = one(parsed);
  return outcome.response ? outcome.response->dump() : std::string();
}

Json Dispatcher::discover() const {
  Json methods = Json::array();
  for (const auto& [name, route] : routes_) {
    methods.push_back(Json{{"name", name},
                           {"description", fmt::format("Requires the '{}' permission.", permName(route.perm))},
                           {"params", Json::array()},
                           {"result", Json{{"name", "result"}, {"schema", Json::object()}}}});
  }
  return Json{{"openrpc", "1.2.6"},
              {"info", Json{{"title", "Lotus RPC API"}, {"version", "1.2.1"}}},
              {"methods", std::move(methods)}};
}

}  // namespace detail
}  // namespace fil::rpc
