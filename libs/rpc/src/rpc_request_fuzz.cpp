// Fuzz target: JSON-RPC request handling on untrusted bytes (single
// requests, batches, notifications, every kind of malformed input) never
// crashes, and every answer is JSON.
#include <cstdint>
#include <cstdlib>

#include "dispatcher.h"

namespace {

const fil::rpc::detail::Dispatcher& dispatcher() {
  static const auto d = [] {
    fil::rpc::detail::Dispatcher out;
    out.add("Filecoin.Echo", fil::rpc::Perm::kRead, [](const fil::rpc::Json& params) -> fil::Result<fil::rpc::HandlerOutput> {
      if (!params.is_array() || params.size() != 1) return fil::fail(fil::rpc::RpcError::kInvalidParams, "one param");
      return fil::rpc::HandlerOutput(params[0]);
    });
    out.add("Filecoin.Admin", fil::rpc::Perm::kAdmin, [](const fil::rpc::Json&) -> fil::Result<fil::rpc::HandlerOutput> {
      return fil::rpc::HandlerOutput(fil::rpc::Json("secret"));
    });
    return out;
  }();
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const fil::rpc::CallContext ctx{{{(data[0] & 1) ? "admin" : "read"}, std::nullopt, std::nullopt}, "fuzz"};
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string answer = dispatcher().handleBody(body, ctx);
  if (!answer.empty() && fil::rpc::Json::parse(answer, nullptr, false).is_discarded()) std::abort();
  return 0;
}
