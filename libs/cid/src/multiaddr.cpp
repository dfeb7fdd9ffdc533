#include "fil/cid/multiaddr.h"

#include <arpa/inet.h>

#include <charconv>

#include <fmt/format.h>

#include "fil/base/base58.h"
#include "fil/base/varint.h"
#include "fil/cid/cid.h"

namespace fil::cid {
namespace {

enum class ValueKind { kNone, kFixed, kLengthPrefixed };

struct ProtocolInfo {
  Protocol protocol;
  std::string_view name;
  ValueKind kind;
  size_t size;  // bytes, for kFixed
};

constexpr ProtocolInfo kProtocols[] = {
    {Protocol::kIp4, "ip4", ValueKind::kFixed, 4},
    {Protocol::kTcp, "tcp", ValueKind::kFixed, 2},
    {Protocol::kDns, "dns", ValueKind::kLengthPrefixed, 0},
    {Protocol::kDns4, "dns4", ValueKind::kLengthPrefixed, 0},
    {Protocol::kDns6, "dns6", ValueKind::kLengthPrefixed, 0},
    {Protocol::kDnsaddr, "dnsaddr", ValueKind::kLengthPrefixed, 0},
    {Protocol::kUdp, "udp", ValueKind::kFixed, 2},
    {Protocol::kIp6, "ip6", ValueKind::kFixed, 16},
    {Protocol::kP2p, "p2p", ValueKind::kLengthPrefixed, 0},
    {Protocol::kHttps, "https", ValueKind::kNone, 0},
    {Protocol::kQuicV1, "quic-v1", ValueKind::kNone, 0},
    {Protocol::kWs, "ws", ValueKind::kNone, 0},
    {Protocol::kWss, "wss", ValueKind::kNone, 0},
    {Protocol::kHttp, "http", ValueKind::kNone, 0},
};

// Multiaddrs are small; a bound keeps a hostile length field harmless.
constexpr size_t kMaxValueLength = 1024;

const ProtocolInfo* byCode(uint64_t code) {
  for (const auto& p : kProtocols) {
    if (static_cast<uint64_t>(p.protocol) == code) return &p;
  }
  return nullptr;
}

const ProtocolInfo* byName(std::string_view name) {
  for (const auto& p : kProtocols) {
    if (p.name == name) return &p;
  }
  // go-multiaddr accepts the old name of p2p.
  if (name == "ipfs") return byCode(static_cast<uint64_t>(Protocol::kP2p));
  return nullptr;
}

Error bad(std::string message) { return Error(CidError::kBadMultiaddr, std::move(message)); }

Result<Bytes> valueFromText(const ProtocolInfo& info, std::string_view text) {
  switch (info.protocol) {
    case Protocol::kIp4: {
      Bytes out(4);
      if (inet_pton(AF_INET, std::string(text).c_str(), out.data()) != 1) {
        return fail(bad(fmt::format("'{}' is not an IPv4 address", text)));
      }
      return out;
    }
    case Protocol::kIp6: {
      Bytes out(16);
      if (inet_pton(AF_INET6, std::string(text).c_str(), out.data()) != 1) {
        return fail(bad(fmt::format("'{}' is not an IPv6 address", text)));
      }
      return out;
    }
    case Protocol::kTcp:
    case Protocol::kUdp: {
      unsigned port = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
      if (ec != std::errc() || end != text.data() + text.size() || port > 65535 || text.empty() ||
          (text.size() > 1 && text[0] == '0')) {
        return fail(bad(fmt::format("'{}' is not a port number (0-65535)", text)));
      }
      return Bytes{static_cast<uint8_t>(port >> 8), static_cast<uint8_t>(port)};
    }
    case Protocol::kDns:
    case Protocol::kDns4:
    case Protocol::kDns6:
    case Protocol::kDnsaddr:
      if (text.empty()) return fail(bad(fmt::format("/{} needs a host name", info.name)));
      // The binary form refuses longer values; the text form must too, or
      // what parses here would not read back (found by fuzzing).
      if (text.size() > kMaxValueLength) {
        return fail(bad(fmt::format("/{} host name of {} bytes is too long", info.name, text.size())));
      }
      return fil::toBytes(text);
    case Protocol::kP2p: {
      // base58btc multihash ("12D3KooW...", "Qm..."), or a CIDv1 libp2p-key.
      if (!text.empty() && (text[0] == '1' || text[0] == 'Q')) {
        auto bytes = fromBase58(text);
        if (!bytes) return fail(bad(fmt::format("peer ID '{}': {}", text, bytes.error().message())));
        auto mh = Multihash::fromBytes(*bytes);
        if (!mh) return fail(bad(fmt::format("peer ID '{}': {}", text, mh.error().message())));
        return std::move(*bytes);
      }
      auto c = Cid::parse(text);
      if (!c) return fail(bad(fmt::format("peer ID '{}': {}", text, c.error().message())));
      if (c->codec() != Codec::kLibp2pKey) {
        return fail(bad(fmt::format("peer ID '{}' is a CID with codec {}, not libp2p-key", text,
                                    codecName(c->codec()))));
      }
      return c->hash().toBytes();
    }
    default: return fail(bad("protocol takes no value"));
  }
}

std::string valueToText(Protocol protocol, BytesView value) {
  switch (protocol) {
    case Protocol::kIp4:
    case Protocol::kIp6: {
      char buf[INET6_ADDRSTRLEN] = {};
      inet_ntop(protocol == Protocol::kIp4 ? AF_INET : AF_INET6, value.data(), buf, sizeof buf);
      return buf;
    }
    case Protocol::kTcp:
    case Protocol::kUdp: return std::to_string((unsigned{value[0]} << 8) | value[1]);
    case Protocol::kP2p: return toBase58(value);
    default: return std::string(asString(value));
  }
}

// Checks a binary value and returns the next component, advancing `in`.
Result<MultiaddrComponent> readComponent(BytesView& in) {
  auto code = readUvarint(in);
  if (!code) return fail(bad(fmt::format("protocol code: {}", code.error().message())));
  const ProtocolInfo* info = byCode(*code);
  if (info == nullptr) {
    return fail(CidError::kUnknownProtocol, fmt::format("unknown multiaddr protocol code {}", *code));
  }
  size_t size = 0;
  switch (info->kind) {
    case ValueKind::kNone: break;
    case ValueKind::kFixed: size = info->size; break;
    case ValueKind::kLengthPrefixed: {
      auto length = readUvarint(in);
      if (!length) return fail(bad(fmt::format("/{} value length: {}", info->name, length.error().message())));
      if (*length > kMaxValueLength) {
        return fail(bad(fmt::format("/{} value of {} bytes is too long", info->name, *length)));
      }
      size = *length;
      break;
    }
  }
  if (size > in.size()) {
    return fail(CidError::kTruncated, fmt::format("/{} value needs {} bytes, {} left", info->name, size, in.size()));
  }
  MultiaddrComponent component{info->protocol, fil::toBytes(in.first(size))};
  in = in.subspan(size);
  if (info->protocol == Protocol::kP2p && !Multihash::fromBytes(component.value)) {
    return fail(bad("/p2p value is not a multihash"));
  }
  if (info->kind == ValueKind::kLengthPrefixed && info->protocol != Protocol::kP2p) {
    for (uint8_t c : component.value) {
      if (c == '/') return fail(bad(fmt::format("/{} value contains '/'", info->name)));
    }
    if (component.value.empty()) return fail(bad(fmt::format("/{} value is empty", info->name)));
  }
  return component;
}

}  // namespace

std::string_view protocolName(Protocol p) {
  const ProtocolInfo* info = byCode(static_cast<uint64_t>(p));
  return info != nullptr ? info->name : "unknown";
}

std::string MultiaddrComponent::valueText() const { return valueToText(protocol, value); }

Result<Multiaddr> Multiaddr::parse(std::string_view text) {
  if (text.empty() || text[0] != '/') {
    return fail(bad(fmt::format("multiaddr '{}' must start with '/'", text)));
  }
  Bytes out;
  std::string_view rest = text.substr(1);
  if (rest.empty()) return fail(bad("multiaddr '/' has no protocols"));
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view name = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (name.empty()) {
      if (rest.empty()) break;  // a trailing slash is tolerated, as go-multiaddr does
      return fail(bad(fmt::format("empty protocol name in '{}'", text)));
    }
    const ProtocolInfo* info = byName(name);
    if (info == nullptr) {
      return fail(CidError::kUnknownProtocol, fmt::format("unknown multiaddr protocol '{}' in '{}'", name, text));
    }
    putUvarint(out, static_cast<uint64_t>(info->protocol));
    if (info->kind == ValueKind::kNone) continue;
    const size_t next = rest.find('/');
    const std::string_view value = rest.substr(0, next);
    rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);
    if (value.empty()) return fail(bad(fmt::format("/{} needs a value in '{}'", name, text)));
    FIL_ASSIGN_OR_RETURN(auto bytes, valueFromText(*info, value));
    if (info->kind == ValueKind::kLengthPrefixed) putUvarint(out, bytes.size());
    append(out, bytes);
  }
  if (out.empty()) return fail(bad(fmt::format("multiaddr '{}' has no protocols", text)));
  return Multiaddr(std::move(out));
}

Result<Multiaddr> Multiaddr::fromBytes(BytesView bytes) {
  if (bytes.empty()) return fail(bad("empty binary multiaddr"));
  BytesView rest = bytes;
  while (!rest.empty()) {
    FIL_TRY(readComponent(rest));
  }
  return Multiaddr(fil::toBytes(bytes));
}

std::vector<MultiaddrComponent> Multiaddr::components() const {
  std::vector<MultiaddrComponent> out;
  BytesView rest = bytes_;
  while (!rest.empty()) {
    auto c = readComponent(rest);
    if (!c) break;  // unreachable: bytes_ were validated on construction
    out.push_back(std::move(*c));
  }
  return out;
}

std::string Multiaddr::toString() const {
  std::string out;
  for (const auto& c : components()) {
    out += '/';
    out += protocolName(c.protocol);
    if (byCode(static_cast<uint64_t>(c.protocol))->kind != ValueKind::kNone) {
      out += '/';
      out += c.valueText();
    }
  }
  return out;
}

std::optional<std::string> Multiaddr::valueOf(Protocol p) const {
  for (const auto& c : components()) {
    if (c.protocol == p) return c.valueText();
  }
  return std::nullopt;
}

Multiaddr Multiaddr::encapsulate(const Multiaddr& other) const {
  Bytes out = bytes_;
  append(out, other.bytes_);
  return Multiaddr(std::move(out));
}

Multiaddr Multiaddr::decapsulate(Protocol p) const {
  BytesView rest = bytes_;
  size_t cut = bytes_.size();
  while (!rest.empty()) {
    const size_t offset = bytes_.size() - rest.size();
    auto c = readComponent(rest);
    if (!c) break;
    if (c->protocol == p) cut = offset;
  }
  if (cut == 0) return *this;  // an empty multiaddr is not valid; keep the whole
  return Multiaddr(Bytes(bytes_.begin(), bytes_.begin() + static_cast<ptrdiff_t>(cut)));
}

}  // namespace fil::cid
