// A secured, multiplexed connection to one peer and its streams.
//
// Three coroutines serve a connection: the reader decrypts what arrives and
// feeds the yamux session; the writer encrypts the session's outbox in
// batches; the keep-alive pings the peer and closes a connection that stops
// answering. Stream operations touch the session directly and wait on
// signals the reader and writer raise. One io_context thread runs all of it.
//
// Memory stays bounded: a stream buffers at most its receive window, the
// peer can open at most yamux::Config::max_inbound_streams streams, writers
// wait while the outbox holds more than Options::outbox_high_water, and a
// peer that does not read our frames within write_timeout is disconnected.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "async.h"
#include "channel.h"
#include "fil/cid/multiaddr.h"
#include "fil/net/peer_id.h"
#include "upgrade.h"
#include "yamux.h"

namespace fil::net::detail {

using Clock = std::chrono::steady_clock;

class Connection;

class StreamImpl final : public ByteChannel, public std::enable_shared_from_this<StreamImpl> {
 public:
  StreamImpl(std::shared_ptr<Connection> connection, uint32_t id, bool inbound);
  ~StreamImpl() override;

  Awaitable<Result<size_t>> readSome(MutableBytesView out);
  Awaitable<Status> writeAll(BytesView data);
  Status closeWrite();
  // Resets the stream; `reason` is what later operations report.
  void reset(std::optional<Error> reason = std::nullopt);
  // The owner is done: FIN (or RST with unread data); the stream is forgotten.
  void release();
  void setDeadline(Clock::duration timeout);
  void clearDeadline();

  BytesView buffered() const override;
  void consume(size_t n) override;
  Awaitable<Status> fill() override;
  Awaitable<Status> write(BytesView data) override { return writeAll(data); }

  uint32_t id() const { return id_; }
  bool inbound() const { return inbound_; }
  Connection& connection() { return *connection_; }
  const std::string& protocol() const { return protocol_; }
  void setProtocol(std::string protocol) { protocol_ = std::move(protocol); }
  void wake() { changed_.notifyAll(); }

 private:
  // The error a read or write reports now, if the stream cannot go on.
  std::optional<Error> failure() const;

  std::shared_ptr<Connection> connection_;
  uint32_t id_;
  bool inbound_;
  bool released_ = false;
  std::optional<Error> local_error_;
  std::string protocol_;
  Signal changed_;
  Deadline deadline_;
};

struct ConnectionOptions {
  yamux::Config yamux;
  Clock::duration keepalive_interval = std::chrono::seconds(30);
  Clock::duration keepalive_timeout = std::chrono::seconds(30);
  Clock::duration write_timeout = std::chrono::seconds(10);
  size_t outbox_high_water = 1024 * 1024;
};

struct ConnectionEvents {
  std::function<void(std::shared_ptr<StreamImpl>)> on_stream;  // the peer opened a stream
  std::function<void(Connection&)> on_closed;
};

class Connection final : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Tcp::socket socket, SecureConnection secure, bool inbound, cid::Multiaddr local_address,
             cid::Multiaddr remote_address, ConnectionOptions options, ConnectionEvents events);
  ~Connection();

  void start();
  [[nodiscard]] Result<std::shared_ptr<StreamImpl>> openStream();
  // Closes at once; streams fail with kConnectionClosed.
  void close(const Error& reason);
  // Tells the peer (GoAway), flushes, then closes.
  void closeGracefully();

  // A yamux ping round trip; kTimeout after `timeout`.
  Awaitable<Result<Clock::duration>> ping(Clock::duration timeout);

  bool closed() const { return closed_; }
  // Open and not going away: new streams may use it.
  bool usable() const { return !closed_ && !closing_ && !session_.remoteGoAway(); }
  const std::optional<Error>& closeReason() const { return close_reason_; }
  const PeerId& remotePeer() const { return secure_.remote.peer; }
  const PublicKey& remoteKey() const { return secure_.remote.key; }
  const cid::Multiaddr& localAddress() const { return local_address_; }
  const cid::Multiaddr& remoteAddress() const { return remote_address_; }
  bool inbound() const { return inbound_; }
  Clock::time_point openedAt() const { return opened_at_; }
  std::optional<Clock::duration> rtt() const { return rtt_; }
  size_t streamCount() const { return session_.streamCount(); }
  uint64_t id() const { return id_; }

 private:
  friend class StreamImpl;
  Awaitable<void> readLoop();
  Awaitable<void> writeLoop();
  Awaitable<void> keepAlive();
  void dispatch();
  void wakeWriter() { writer_wake_.notifyAll(); }
  Awaitable<void> waitForOutboxRoom() { co_await outbox_room_.wait(); }
  bool outboxFull() const { return session_.outboxSize() >= options_.outbox_high_water; }

  Tcp::socket socket_;
  SecureConnection secure_;
  yamux::Session session_;
  bool inbound_;
  cid::Multiaddr local_address_;
  cid::Multiaddr remote_address_;
  ConnectionOptions options_;
  ConnectionEvents events_;
  Clock::time_point opened_at_;
  uint64_t id_;

  bool closed_ = false;
  bool closing_ = false;  // flush the outbox, then close
  std::optional<Error> close_reason_;
  std::optional<Clock::duration> rtt_;
  std::unordered_map<uint32_t, StreamImpl*> streams_;  // live handles
  Signal writer_wake_;
  Signal outbox_room_;
  Signal pongs_;
  std::unordered_map<uint32_t, Clock::time_point> pings_;  // outstanding: value -> sent at
  std::unordered_map<uint32_t, Clock::duration> answered_;
  Deadline write_deadline_;
  asio::steady_timer keepalive_timer_;
};

}  // namespace fil::net::detail
