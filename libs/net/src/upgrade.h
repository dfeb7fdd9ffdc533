// Turning a TCP connection into a secured, multiplexed one:
//   multistream-select "/noise" -> Noise XX with libp2p payloads ->
//   "/yamux/1.0.0" (named inside the Noise payloads when both sides offer
//   it, as go- and js-libp2p do, else negotiated with multistream-select).
#pragma once

#include <optional>

#include <boost/asio/ip/tcp.hpp>

#include "async.h"
#include "byte_queue.h"
#include "channel.h"
#include "fil/net/peer_id.h"
#include "noise.h"

namespace fil::net {

using Tcp = asio::ip::tcp;

// Reads a TCP socket through a buffer.
class BufferedSocket final : public ByteChannel {
 public:
  explicit BufferedSocket(Tcp::socket& socket) : socket_(socket) {}
  BytesView buffered() const override { return buffer_.view(); }
  void consume(size_t n) override { buffer_.consume(n); }
  Awaitable<Status> fill() override;
  Awaitable<Status> write(BytesView data) override;

 private:
  Tcp::socket& socket_;
  ByteQueue buffer_;
  Bytes chunk_;
};

// Maps a socket error to ours: kEndOfStream for a clean close, kIo otherwise.
Error socketError(const boost::system::error_code& ec, std::string_view doing);

struct SecureConnection {
  noise::CipherState send;
  noise::CipherState receive;
  Bytes ciphertext;  // read from the socket and not yet decrypted
  Bytes plaintext;   // decrypted, not yet given to the muxer
  noise::RemoteIdentity remote;
};

struct UpgradeOptions {
  const HostKey* key = nullptr;
  std::optional<PeerId> expected_peer;  // dialer: the peer we mean to reach
  bool early_muxer = true;               // name yamux inside the Noise payload
};

// The caller bounds the time these take (a Deadline closing the socket).
Awaitable<Result<SecureConnection>> upgradeOutbound(Tcp::socket& socket, const UpgradeOptions& options);
Awaitable<Result<SecureConnection>> upgradeInbound(Tcp::socket& socket, const UpgradeOptions& options);

}  // namespace fil::net
