// Multiaddr: self-describing network addresses, text and binary.
//
//   auto ma = Multiaddr::parse("/ip4/127.0.0.1/tcp/1234/http");
//   ma->toBytes();                       // 04 7f000001 06 04d2 e003
//   ma->valueOf(Protocol::kTcp);         // "1234"
//
// Binary form: a sequence of <varint protocol code><value>, where the value
// is fixed-size (ip4, tcp, ...), empty (http, ws), or varint-length-prefixed
// (dns*, p2p).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/cid/cid_error.h"

namespace fil::cid {

enum class Protocol : uint64_t {
  kIp4 = 4,
  kTcp = 6,
  kDns = 53,
  kDns4 = 54,
  kDns6 = 55,
  kDnsaddr = 56,
  kUdp = 273,
  kIp6 = 41,
  kP2p = 421,
  kHttps = 443,
  kQuicV1 = 461,
  kWs = 477,
  kWss = 478,
  kHttp = 480,
};

std::string_view protocolName(Protocol p);

struct MultiaddrComponent {
  Protocol protocol;
  Bytes value;  // binary value, empty for protocols without one
  // The value in text form ("127.0.0.1", "1234", "12D3KooW...").
  std::string valueText() const;
};

class Multiaddr {
 public:
  [[nodiscard]] static Result<Multiaddr> parse(std::string_view text);
  [[nodiscard]] static Result<Multiaddr> fromBytes(BytesView bytes);

  const Bytes& toBytes() const { return bytes_; }
  std::string toString() const;

  std::vector<MultiaddrComponent> components() const;
  // The text value of the first component with protocol `p`.
  std::optional<std::string> valueOf(Protocol p) const;
  bool has(Protocol p) const { return valueOf(p).has_value(); }

  // This address followed by `other`.
  Multiaddr encapsulate(const Multiaddr& other) const;
  // This address up to (not including) the last component with protocol `p`;
  // unchanged when there is none.
  Multiaddr decapsulate(Protocol p) const;

  friend bool operator==(const Multiaddr&, const Multiaddr&) = default;
  friend auto operator<=>(const Multiaddr&, const Multiaddr&) = default;

 private:
  explicit Multiaddr(Bytes bytes) : bytes_(std::move(bytes)) {}
  Bytes bytes_;  // always a valid binary multiaddr
};

}  // namespace fil::cid
