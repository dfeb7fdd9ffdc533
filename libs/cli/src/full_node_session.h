// What the `lotus` client commands share: one connection to the full node
// (its API and the Common API beside it), Lotus's reading of arguments
// (addresses, CIDs, --tipset) and output through CliContext::out.
// Private to libs/cli; include from .cpp files only (JSON codecs).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "fil/api/common_client.h"
#include "fil/api/full_node_client.h"
#include "fil/api/full_node_json.h"
#include "fil/cli/context.h"
#include "fil/rpc/client.h"
#include "lotus_format.h"

namespace fil::cli {

class FullNodeSession {
 public:
  explicit FullNodeSession(const CliContext& ctx) : FullNodeSession(ctx, rpc::ClientOptions{}) {}
  FullNodeSession(const CliContext& ctx, const rpc::ClientOptions& options)
      : client_(ctx.connect(options)), api_(*client_), common_(*client_) {}

  api::FullNodeApi& api() { return api_; }
  api::CommonApi& common() { return common_; }

  // The node's block time in seconds (Version's BlockDelay), asked once.
  uint64_t blockDelay();
  // Lotus's LoadTipSet: the tipset `ref` names (see parseTipSetRef), the
  // head when empty.
  chain::TipSet loadTipSet(std::string_view ref);
  // Lotus's IsSyncDone: the head is less than one block time old.
  bool isSyncDone(TimePoint now);

 private:
  std::unique_ptr<rpc::Client> client_;
  api::FullNodeClient api_;
  api::CommonClient common_;
  uint64_t block_delay_ = 0;
};

// The value, or a CommandFailure "<context>: <error>" (context may be empty).
template <typename T>
T checkAs(Result<T> r, std::string_view context) {
  if (!r) {
    if (context.empty()) throw CommandFailure(r.error().message());
    throw CommandFailure(std::string(context) + ": " + r.error().message());
  }
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

primitives::Address parseAddress(std::string_view text);
cid::Cid parseCid(std::string_view text);
Bytes parseHex(std::string_view text, std::string_view what);
// Lotus's test for "this address has no actor" (its errors say "actor not
// found"; ours "actor f0123 not found").
bool isActorNotFound(const Error& e);

// Go's json.MarshalIndent(v, "", "  ").
template <typename T>
std::string jsonIndent(const T& value) {
  return codec::toJson(value).dump(2);
}

inline void print(const CliContext& ctx, std::string_view text) { *ctx.out << text; }
template <typename... A>
void outf(const CliContext& ctx, fmt::format_string<A...> format, A&&... args) {
  *ctx.out << fmt::format(format, std::forward<A>(args)...);
}

// Adds Lotus subcommands that are not built yet under `parent`.
void addNotBuiltList(CLI::App& parent, const std::vector<std::pair<std::string, std::string>>& commands);

}  // namespace fil::cli
