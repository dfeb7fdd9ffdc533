#include "upgrade.h"

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>

#include "fil/crypto/x25519.h"
#include "fil/net/net_error.h"
#include "yamux.h"

namespace fil::net {
namespace {

constexpr size_t kReadChunk = 64 * 1024;

const std::vector<std::string>& ourMuxers() {
  static const std::vector<std::string> muxers{std::string(yamux::kProtocolId)};
  return muxers;
}

Awaitable<Status> writeNoiseMessage(ByteChannel& channel, BytesView message) {
  Bytes framed;
  framed.push_back(static_cast<uint8_t>(message.size() >> 8));
  framed.push_back(static_cast<uint8_t>(message.size()));
  append(framed, message);
  co_return co_await channel.write(framed);
}

Awaitable<Result<Bytes>> readNoiseMessage(ByteChannel& channel) {
  for (;;) {
    const BytesView in = channel.buffered();
    if (in.size() >= 2) {
      const size_t length = (size_t{in[0]} << 8) | in[1];
      if (in.size() >= 2 + length) {
        Bytes message = toBytes(in.subspan(2, length));
        channel.consume(2 + length);
        co_return message;
      }
    }
    auto filled = co_await channel.fill();
    if (!filled) co_return fail(std::move(filled).error().withContext("during the Noise handshake"));
  }
}

// The secured connection as a byte channel, for negotiating the muxer with
// multistream-select when the Noise payloads did not settle it.
class SecureChannel final : public ByteChannel {
 public:
  SecureChannel(BufferedSocket& raw, SecureConnection& secure) : raw_(raw), secure_(secure) {}
  BytesView buffered() const override { return plain_.view(); }
  void consume(size_t n) override { plain_.consume(n); }
  Awaitable<Status> fill() override {
    for (;;) {
      Bytes decrypted;
      FIL_CO_ASSIGN_OR_RETURN(const size_t used, noise::decryptFrames(secure_.receive, raw_.buffered(), decrypted));
      raw_.consume(used);
      if (!decrypted.empty()) {
        plain_.append(decrypted);
        co_return ok();
      }
      FIL_CO_TRY(co_await raw_.fill());
    }
  }
  Awaitable<Status> write(BytesView data) override {
    Bytes out;
    FIL_CO_TRY(noise::encryptFrames(secure_.send, data, out));
    co_return co_await raw_.write(out);
  }
  Bytes leftover() const { return toBytes(plain_.view()); }

 private:
  BufferedSocket& raw_;
  SecureConnection& secure_;
  ByteQueue plain_;
};

Result<noise::RemoteIdentity> checkIdentity(Result<noise::RemoteIdentity> identity, const UpgradeOptions& options) {
  if (!identity) return identity;
  if (identity->peer == options.key->peerId()) {
    return fail(NetError::kHandshake, "the peer presented our own identity");
  }
  if (options.expected_peer && identity->peer != *options.expected_peer) {
    return fail(NetError::kPeerIdMismatch, fmt::format("dialed {} but the peer is {}", options.expected_peer->toString(),
                                                       identity->peer.toString()));
  }
  return identity;
}

Error handshakeFailure(Error e) {
  if (e.is(NetError::kHandshake) || e.is(NetError::kPeerIdMismatch) || e.is(NetError::kEndOfStream)) return e;
  return Error(NetError::kHandshake, e.message());
}

}  // namespace

Error socketError(const boost::system::error_code& ec, std::string_view doing) {
  if (ec == asio::error::eof || ec == asio::error::connection_reset) {
    return Error(NetError::kEndOfStream, fmt::format("{}: peer closed the connection", doing));
  }
  return Error(GenericError::kIo, fmt::format("{}: {}", doing, ec.message()));
}

Awaitable<Status> BufferedSocket::fill() {
  chunk_.resize(kReadChunk);
  auto [ec, n] = co_await socket_.async_read_some(asio::buffer(chunk_), kUseTuple);
  if (ec) co_return fail(socketError(ec, "reading"));
  buffer_.append(BytesView(chunk_).first(n));
  co_return ok();
}

Awaitable<Status> BufferedSocket::write(BytesView data) {
  auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(data.data(), data.size()), kUseTuple);
  if (ec) co_return fail(socketError(ec, "writing"));
  co_return ok();
}

Awaitable<Result<SecureConnection>> upgradeOutbound(Tcp::socket& socket, const UpgradeOptions& options) {
  BufferedSocket raw(socket);
  // Named, not a braced temporary: g++ 12 miscompiles initializer lists
  // that live across a co_await.
  const std::vector<std::string> security{std::string(noise::kProtocolId)};
  FIL_CO_TRY(co_await selectProtocol(raw, security));

  const auto static_key = crypto::x25519::generate();
  noise::XXHandshake handshake(true, static_key, {});
  FIL_CO_ASSIGN_OR_RETURN(const Bytes m1, handshake.writeMessage({}));
  FIL_CO_TRY(co_await writeNoiseMessage(raw, m1));
  FIL_CO_ASSIGN_OR_RETURN(const Bytes m2, co_await readNoiseMessage(raw));
  auto payload = handshake.readMessage(m2);
  if (!payload) co_return fail(handshakeFailure(std::move(payload).error()));
  auto identity = checkIdentity(noise::verifyPayload(*payload, handshake.remoteStatic()), options);
  if (!identity) co_return fail(std::move(identity).error());

  const std::vector<std::string> muxers = options.early_muxer ? ourMuxers() : std::vector<std::string>{};
  FIL_CO_ASSIGN_OR_RETURN(
      const Bytes m3,
      handshake.writeMessage(noise::encodePayload(noise::makePayload(*options.key, static_key.public_key, muxers))));
  FIL_CO_TRY(co_await writeNoiseMessage(raw, m3));

  auto ciphers = handshake.split();
  SecureConnection secure{std::move(ciphers.send), std::move(ciphers.receive), {}, {}, std::move(*identity)};
  if (noise::chooseMuxer(muxers, secure.remote.stream_muxers).empty()) {
    SecureChannel channel(raw, secure);
    FIL_CO_TRY(co_await selectProtocol(channel, ourMuxers()));
    secure.plaintext = channel.leftover();
  }
  secure.ciphertext = toBytes(raw.buffered());
  co_return secure;
}

Awaitable<Result<SecureConnection>> upgradeInbound(Tcp::socket& socket, const UpgradeOptions& options) {
  BufferedSocket raw(socket);
  const std::vector<std::string> security{std::string(noise::kProtocolId)};
  FIL_CO_TRY(co_await acceptProtocol(raw, security, 4));

  const auto static_key = crypto::x25519::generate();
  noise::XXHandshake handshake(false, static_key, {});
  FIL_CO_ASSIGN_OR_RETURN(const Bytes m1, co_await readNoiseMessage(raw));
  if (auto read = handshake.readMessage(m1); !read) co_return fail(handshakeFailure(std::move(read).error()));

  const std::vector<std::string> muxers = options.early_muxer ? ourMuxers() : std::vector<std::string>{};
  FIL_CO_ASSIGN_OR_RETURN(
      const Bytes m2,
      handshake.writeMessage(noise::encodePayload(noise::makePayload(*options.key, static_key.public_key, muxers))));
  FIL_CO_TRY(co_await writeNoiseMessage(raw, m2));
  FIL_CO_ASSIGN_OR_RETURN(const Bytes m3, co_await readNoiseMessage(raw));
  auto payload = handshake.readMessage(m3);
  if (!payload) co_return fail(handshakeFailure(std::move(payload).error()));
  auto identity = checkIdentity(noise::verifyPayload(*payload, handshake.remoteStatic()), options);
  if (!identity) co_return fail(std::move(identity).error());

  auto ciphers = handshake.split();
  SecureConnection secure{std::move(ciphers.send), std::move(ciphers.receive), {}, {}, std::move(*identity)};
  if (noise::chooseMuxer(secure.remote.stream_muxers, muxers).empty()) {
    SecureChannel channel(raw, secure);
    FIL_CO_TRY(co_await acceptProtocol(channel, ourMuxers(), 4));
    secure.plaintext = channel.leftover();
  }
  secure.ciphertext = toBytes(raw.buffered());
  co_return secure;
}

}  // namespace fil::net
