#include "fil/rpc/api_info.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "fil/cid/multiaddr.h"

namespace fil::rpc {
namespace {

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1));
}

Result<std::string> readTrimmed(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return fail(errnoError("reading " + path.string(), errno));
  std::stringstream s;
  s << in.rdbuf();
  return trim(s.str());
}

struct EnvNames {
  std::string_view primary;
  std::vector<std::string_view> deprecated;
  std::vector<std::string_view> fallbacks;
};

EnvNames envNames(NodeType type) {
  switch (type) {
    case NodeType::kFullNode: return {"FULLNODE_API_INFO", {}, {}};
    case NodeType::kStorageMiner: return {"MINER_API_INFO", {"STORAGE_API_INFO"}, {}};
    case NodeType::kMarkets: return {"MARKETS_API_INFO", {}, {"MINER_API_INFO"}};
  }
  return {"FULLNODE_API_INFO", {}, {}};
}

Result<ApiInfo> first(Result<std::vector<ApiInfo>> infos) {
  FIL_ASSIGN_OR_RETURN(auto list, std::move(infos));
  if (list.empty()) return fail(RpcError::kBadApiInfo, "empty API info");
  return list.front();
}

}  // namespace

std::string ApiInfo::toString() const { return token.empty() ? addr : token + ":" + addr; }

bool ApiInfo::tls() const {
  if (addr.starts_with("/")) {
    auto ma = cid::Multiaddr::parse(addr);
    return ma && (ma->has(cid::Protocol::kWss) || ma->has(cid::Protocol::kHttps));
  }
  return addr.starts_with("https://") || addr.starts_with("wss://");
}

Result<std::pair<std::string, uint16_t>> ApiInfo::hostPort() const {
  if (addr.starts_with("/")) {
    auto ma = cid::Multiaddr::parse(addr);
    if (!ma) return fail(RpcError::kBadApiInfo, fmt::format("API address '{}': {}", addr, ma.error().message()));
    std::optional<std::string> host;
    for (auto p : {cid::Protocol::kIp4, cid::Protocol::kIp6, cid::Protocol::kDns, cid::Protocol::kDns4, cid::Protocol::kDns6}) {
      if ((host = ma->valueOf(p))) break;
    }
    const auto port = ma->valueOf(cid::Protocol::kTcp);
    if (!host || !port) {
      return fail(RpcError::kBadApiInfo, fmt::format("API address '{}' needs a host (ip4/ip6/dns) and a tcp port", addr));
    }
    return std::make_pair(*host, static_cast<uint16_t>(std::stoul(*port)));
  }
  // URL: scheme://host:port[/path]
  const auto scheme_end = addr.find("://");
  if (scheme_end == std::string::npos) {
    return fail(RpcError::kBadApiInfo, fmt::format("API address '{}' is neither a multiaddr nor a URL", addr));
  }
  std::string_view rest = std::string_view(addr).substr(scheme_end + 3);
  rest = rest.substr(0, rest.find('/'));
  std::string host;
  std::string port_text;
  if (rest.starts_with("[")) {  // [ipv6]:port
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return fail(RpcError::kBadApiInfo, fmt::format("bad IPv6 host in '{}'", addr));
    host = std::string(rest.substr(1, close - 1));
    if (close + 1 < rest.size() && rest[close + 1] == ':') port_text = std::string(rest.substr(close + 2));
  } else {
    const auto colon = rest.rfind(':');
    host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) port_text = std::string(rest.substr(colon + 1));
  }
  uint16_t port = tls() ? 443 : 80;
  if (!port_text.empty()) {
    char* end = nullptr;
    const unsigned long p = std::strtoul(port_text.c_str(), &end, 10);
    if (*end != '\0' || p == 0 || p > 65535) return fail(RpcError::kBadApiInfo, fmt::format("bad port in '{}'", addr));
    port = static_cast<uint16_t>(p);
  }
  if (host.empty()) return fail(RpcError::kBadApiInfo, fmt::format("no host in '{}'", addr));
  return std::make_pair(host, port);
}

Result<std::string> ApiInfo::dialUrl(std::string_view version, bool http) const {
  if (addr.starts_with("/")) {
    FIL_ASSIGN_OR_RETURN(auto hp, hostPort());
    const std::string host = hp.first.find(':') != std::string::npos ? "[" + hp.first + "]" : hp.first;
    const std::string scheme = http ? (tls() ? "https" : "http") : (tls() ? "wss" : "ws");
    return fmt::format("{}://{}:{}/rpc/{}", scheme, host, hp.second, version);
  }
  FIL_TRY(hostPort());
  std::string base = addr;
  while (base.ends_with("/")) base.pop_back();
  return fmt::format("{}/rpc/{}", base, version);
}

namespace {
bool isEnvName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}
}  // namespace

Result<ApiInfo> parseApiInfo(std::string_view text) {
  std::string s = trim(text);
  // `auth api-info` prints NAME=TOKEN:ADDR; accept it pasted whole.
  // Only an environment variable's name counts as the NAME part, so an
  // address that merely contains "_API_INFO=" is left whole.
  if (const auto eq = s.find('='); eq != std::string::npos && s.substr(0, eq).ends_with("_API_INFO") &&
                                    isEnvName(std::string_view(s).substr(0, eq))) {
    s = s.substr(eq + 1);
  }
  if (s.empty()) return fail(RpcError::kBadApiInfo, "empty API info");
  ApiInfo info;
  if (!s.starts_with("/")) {
    const auto colon = s.find(':');
    if (colon != std::string::npos && colon > 0 && s.compare(colon + 1, 2, "//") != 0) {
      info.token = s.substr(0, colon);
      s = s.substr(colon + 1);
      // Tokens are JWTs: base64url parts joined by dots.
      const bool jwt_chars = std::all_of(info.token.begin(), info.token.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c == '.';
      });
      if (!jwt_chars) {
        return fail(RpcError::kBadApiInfo, "API info token has characters a JWT cannot have (expected TOKEN:ADDRESS)");
      }
    }
  }
  info.addr = s;
  const bool url = s.starts_with("http://") || s.starts_with("https://") || s.starts_with("ws://") ||
                   s.starts_with("wss://");
  if (!s.starts_with("/") && !url) {
    return fail(RpcError::kBadApiInfo,
                fmt::format("API address '{}' is neither a multiaddr nor an http(s)/ws(s) URL", s));
  }
  if (auto hp = info.hostPort(); !hp) return fail(std::move(hp).error());
  return info;
}

Result<std::vector<ApiInfo>> parseApiInfoMulti(std::string_view text) {
  std::vector<ApiInfo> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const auto item = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    FIL_ASSIGN_OR_RETURN(auto info, parseApiInfo(item));
    out.push_back(std::move(info));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string_view apiInfoEnvName(NodeType type) { return envNames(type).primary; }

Result<ApiInfo> apiInfoFromRepo(const std::filesystem::path& repo) {
  if (!std::filesystem::exists(repo)) {
    return fail(RpcError::kBadApiInfo, fmt::format("repo directory {} does not exist", repo.string()));
  }
  auto addr = readTrimmed(repo / "api");
  if (!addr) {
    return fail(RpcError::kBadApiInfo,
                fmt::format("no API endpoint in {} (is the node running?)", (repo / "api").string()));
  }
  ApiInfo info;
  info.addr = *addr;
  if (auto token = readTrimmed(repo / "token")) info.token = *token;  // absent: read-only access
  return info;
}

Result<ApiInfo> findApiInfo(const ApiLookup& lookup) {
  if (lookup.api_flag) return parseApiInfo(*lookup.api_flag);
  const EnvNames names = envNames(lookup.type);
  auto fromEnv = [](std::string_view name) -> std::optional<Result<ApiInfo>> {
    if (const char* v = std::getenv(std::string(name).c_str())) {
      return first(parseApiInfoMulti(v)).map_error([&](Error e) { return std::move(e).withContext(name); });
    }
    return std::nullopt;
  };
  if (auto r = fromEnv(names.primary)) return std::move(*r);
  for (auto name : names.deprecated) {
    if (auto r = fromEnv(name)) return std::move(*r);
  }
  std::string repo_problem;
  if (lookup.repo) {
    auto r = apiInfoFromRepo(*lookup.repo);
    if (r) return r;
    repo_problem = " (" + r.error().message() + ")";
  }
  for (auto name : names.fallbacks) {
    if (auto r = fromEnv(name)) return std::move(*r);
  }
  return fail(RpcError::kBadApiInfo,
              fmt::format("could not determine the API endpoint; set {} or start the node{}", names.primary, repo_problem));
}

}  // namespace fil::rpc
