// Where an API is and how to authenticate to it, as Lotus writes it:
// "TOKEN:/ip4/127.0.0.1/tcp/2345/http", or a bare multiaddr or URL.
//
// Lookup order (Lotus cli/util GetAPIInfoMulti): the command's explicit
// API flag; the node type's environment variable (FULLNODE_API_INFO,
// MINER_API_INFO (deprecated STORAGE_API_INFO), MARKETS_API_INFO); the
// repo named by the repo flag/environment (its `api` and `token` files);
// last, fallback variables (the markets node falls back to MINER_API_INFO).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "fil/base/error.h"
#include "fil/rpc/rpc_error.h"

namespace fil::rpc {

struct ApiInfo {
  std::string token;  // may be empty: read-only access
  std::string addr;   // multiaddr ("/ip4/.../tcp/.../http") or URL ("http://host:port")

  // "TOKEN:ADDR" or just ADDR.
  std::string toString() const;

  // The WebSocket (or HTTP, with http=true) URL of the RPC endpoint of
  // `version` ("v0"/"v1"): "ws://127.0.0.1:2345/rpc/v0".
  [[nodiscard]] Result<std::string> dialUrl(std::string_view version, bool http = false) const;

  // host:port to connect to.
  [[nodiscard]] Result<std::pair<std::string, uint16_t>> hostPort() const;
  bool tls() const;
};

// Lotus's ParseApiInfo: a token prefix is split off unless the text starts
// with "/" or the colon is part of "://". Surrounding whitespace and a
// leading "NAME=" (as `auth api-info` prints it) are tolerated.
[[nodiscard]] Result<ApiInfo> parseApiInfo(std::string_view text);

// Comma-separated list (Lotus accepts several endpoints).
[[nodiscard]] Result<std::vector<ApiInfo>> parseApiInfoMulti(std::string_view text);

enum class NodeType { kFullNode, kStorageMiner, kMarkets };

struct ApiLookup {
  NodeType type;
  std::optional<std::string> api_flag;                // --api-url and friends
  std::optional<std::filesystem::path> repo;          // the repo to read when no env var is set
};

// Resolves the API endpoint as described above. The error names the
// variable to set.
[[nodiscard]] Result<ApiInfo> findApiInfo(const ApiLookup& lookup);

// Reads a repo's `api` (multiaddr) and `token` files.
[[nodiscard]] Result<ApiInfo> apiInfoFromRepo(const std::filesystem::path& repo);

std::string_view apiInfoEnvName(NodeType type);  // "FULLNODE_API_INFO", ...

}  // namespace fil::rpc
