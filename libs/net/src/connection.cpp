#include "connection.h"

#include <cstring>

#include <boost/asio/write.hpp>
#include <fmt/format.h>

#include "fil/net/net_error.h"
#include "fil/net/stream.h"

namespace fil::net::detail {
namespace {

constexpr size_t kReadBuffer = 512 * 1024;
uint64_t next_connection_id = 1;

}  // namespace

// ---- StreamImpl ----

StreamImpl::StreamImpl(std::shared_ptr<Connection> connection, uint32_t id, bool inbound)
    : connection_(std::move(connection)), id_(id), inbound_(inbound), deadline_(connection_->socket_.get_executor()) {
  connection_->streams_[id_] = this;
}

StreamImpl::~StreamImpl() {
  release();
  connection_->streams_.erase(id_);
}

std::optional<Error> StreamImpl::failure() const {
  if (local_error_) return local_error_;
  if (released_) return Error(NetError::kStreamClosed, "stream was closed");
  const auto state = connection_->session_.stream(id_);
  if (state && state->reset) return Error(NetError::kStreamReset, "stream was reset");
  if (connection_->closed_) {
    return Error(NetError::kConnectionClosed,
                 "connection closed" + (connection_->close_reason_ ? ": " + connection_->close_reason_->message() : ""));
  }
  if (!state) return Error(NetError::kStreamClosed, "stream is gone");
  return std::nullopt;
}

Awaitable<Result<size_t>> StreamImpl::readSome(MutableBytesView out) {
  auto self = shared_from_this();
  for (;;) {
    if (local_error_ || released_) co_return fail(*failure());
    const size_t n = out.empty() ? 0 : connection_->session_.read(id_, out, Clock::now());
    if (n > 0 || out.empty()) {
      if (connection_->session_.outboxSize() > 0) connection_->wakeWriter();
      co_return n;
    }
    if (auto e = failure()) co_return fail(std::move(*e));
    if (connection_->session_.stream(id_)->remote_closed) co_return size_t{0};
    co_await changed_.wait();
  }
}

Awaitable<Status> StreamImpl::writeAll(BytesView data) {
  auto self = shared_from_this();
  while (!data.empty()) {
    if (auto e = failure()) co_return fail(std::move(*e));
    if (connection_->outboxFull()) {
      co_await connection_->waitForOutboxRoom();
      continue;
    }
    FIL_CO_ASSIGN_OR_RETURN(const size_t n, connection_->session_.write(id_, data));
    if (n == 0) {
      co_await changed_.wait();  // the peer's window is shut
      continue;
    }
    data = data.subspan(n);
    connection_->wakeWriter();
  }
  co_return ok();
}

Status StreamImpl::closeWrite() {
  if (auto e = failure()) return fail(std::move(*e));
  FIL_TRY(connection_->session_.closeWrite(id_));
  connection_->wakeWriter();
  return ok();
}

void StreamImpl::reset(std::optional<Error> reason) {
  if (reason && !local_error_) local_error_ = std::move(reason);
  connection_->session_.reset(id_);
  connection_->wakeWriter();
  wake();
}

void StreamImpl::release() {
  if (released_) return;
  released_ = true;
  deadline_.cancel();
  connection_->session_.release(id_);
  connection_->wakeWriter();
  wake();
}

void StreamImpl::setDeadline(Clock::duration timeout) {
  deadline_.start(timeout, [this, timeout] {
    reset(Error(NetError::kTimeout, fmt::format("stream deadline of {} ms passed",
                                                std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count())));
  });
}

void StreamImpl::clearDeadline() { deadline_.cancel(); }

BytesView StreamImpl::buffered() const { return connection_->session_.peek(id_); }

void StreamImpl::consume(size_t n) {
  connection_->session_.consume(id_, n, Clock::now());
  if (connection_->session_.outboxSize() > 0) connection_->wakeWriter();
}

Awaitable<Status> StreamImpl::fill() {
  auto self = shared_from_this();
  const size_t have = buffered().size();
  for (;;) {
    if (buffered().size() > have) co_return ok();
    if (auto e = failure()) co_return fail(std::move(*e));
    if (connection_->session_.stream(id_)->remote_closed) {
      co_return fail(NetError::kEndOfStream, "peer closed the stream");
    }
    co_await changed_.wait();
  }
}

// ---- Connection ----

Connection::Connection(Tcp::socket socket, SecureConnection secure, bool inbound, cid::Multiaddr local_address,
                       cid::Multiaddr remote_address, ConnectionOptions options, ConnectionEvents events)
    : socket_(std::move(socket)),
      secure_(std::move(secure)),
      session_(!inbound, options.yamux),
      inbound_(inbound),
      local_address_(std::move(local_address)),
      remote_address_(std::move(remote_address)),
      options_(options),
      events_(std::move(events)),
      opened_at_(Clock::now()),
      id_(next_connection_id++),
      write_deadline_(socket_.get_executor()),
      keepalive_timer_(socket_.get_executor()) {}

Connection::~Connection() = default;

void Connection::start() {
  auto executor = socket_.get_executor();
  // Our coroutines return errors as values; an exception here is a bug or
  // memory exhaustion, which ends this connection rather than the process.
  auto log_exception = [weak = weak_from_this()](const std::exception_ptr& e) {
    if (!e) return;
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      what = ex.what();
    } catch (...) {
    }
    if (auto c = weak.lock()) c->close(Error(GenericError::kInternal, "connection task failed: " + what));
  };
  asio::co_spawn(executor, readLoop(), log_exception);
  asio::co_spawn(executor, writeLoop(), log_exception);
  asio::co_spawn(executor, keepAlive(), log_exception);
}

Result<std::shared_ptr<StreamImpl>> Connection::openStream() {
  if (closed_ || closing_) return fail(NetError::kConnectionClosed, "connection is closing");
  FIL_ASSIGN_OR_RETURN(const uint32_t id, session_.openStream(Clock::now()));
  wakeWriter();
  return std::make_shared<StreamImpl>(shared_from_this(), id, false);
}

void Connection::dispatch() {
  for (uint32_t id : session_.takeAccepted()) {
    auto stream = std::make_shared<StreamImpl>(shared_from_this(), id, true);
    if (events_.on_stream) {
      events_.on_stream(std::move(stream));
    }
  }
  for (uint32_t id : session_.takeChanged()) {
    if (auto it = streams_.find(id); it != streams_.end()) it->second->wake();
  }
  const auto now = Clock::now();
  bool answered = false;
  for (uint32_t value : session_.takePongs()) {
    auto it = pings_.find(value);
    if (it == pings_.end()) continue;  // not ours, or given up on
    const auto rtt = now - it->second;
    pings_.erase(it);
    answered_[value] = rtt;
    rtt_ = rtt;
    session_.setRtt(rtt);
    answered = true;
  }
  if (answered) pongs_.notifyAll();
  if (session_.outboxSize() > 0) wakeWriter();
}

Awaitable<void> Connection::readLoop() {
  auto self = shared_from_this();
  std::unique_ptr<uint8_t[]> buffer(new uint8_t[kReadBuffer]);
  size_t begin = 0;
  size_t end = 0;
  RawBuffer plain;
  // What the upgrade read past its last message belongs to us now.
  Bytes early_ciphertext = std::move(secure_.ciphertext);
  if (!secure_.plaintext.empty()) {
    std::memcpy(plain.extend(secure_.plaintext.size()), secure_.plaintext.data(), secure_.plaintext.size());
    secure_.plaintext = {};
  }
  auto feed = [&]() -> bool {
    if (plain.empty()) return true;
    auto fed = session_.feed(plain.view(), Clock::now());
    plain.clear();
    dispatch();
    if (!fed) {
      // Send the GoAway the session queued (if any), then close.
      if (!close_reason_) close_reason_ = std::move(fed).error();
      closing_ = true;
      wakeWriter();
      return false;
    }
    return true;
  };
  if (!early_ciphertext.empty()) {
    auto used = noise::decryptFrames(secure_.receive, early_ciphertext, plain);
    if (!used) {
      close(used.error());
      co_return;
    }
    // A partial frame is at most 64 KiB, which the read buffer holds.
    end = early_ciphertext.size() - *used;
    std::memcpy(buffer.get(), early_ciphertext.data() + *used, end);
  }
  if (!feed()) co_return;
  for (;;) {
    if (closed_ || closing_) co_return;
    auto [ec, n] = co_await socket_.async_read_some(asio::buffer(buffer.get() + end, kReadBuffer - end), kUseTuple);
    if (closed_ || closing_) co_return;
    if (ec) {
      close(socketError(ec, "reading"));
      co_return;
    }
    end += n;
    auto used = noise::decryptFrames(secure_.receive, BytesView(buffer.get() + begin, end - begin), plain);
    if (!used) {
      close(used.error());
      co_return;
    }
    begin += *used;
    if (!feed()) co_return;
    if (begin == end) {
      begin = end = 0;
    } else if (kReadBuffer - end < noise::kMaxFrame + 2) {
      std::memmove(buffer.get(), buffer.get() + begin, end - begin);
      end -= begin;
      begin = 0;
    }
  }
}

Awaitable<void> Connection::writeLoop() {
  auto self = shared_from_this();
  Bytes plain;
  RawBuffer cipher;
  for (;;) {
    if (closed_) co_return;
    if (session_.outboxSize() == 0) {
      if (closing_) {
        close(close_reason_ ? *close_reason_ : Error(NetError::kConnectionClosed, "closed by us"));
        co_return;
      }
      co_await writer_wake_.wait();
      continue;
    }
    session_.takeOutbox(plain);
    outbox_room_.notifyAll();
    cipher.clear();
    if (auto encrypted = noise::encryptFrames(secure_.send, plain, cipher); !encrypted) {
      close(encrypted.error());
      co_return;
    }
    write_deadline_.start(options_.write_timeout, [this] {
      close(Error(NetError::kTimeout, fmt::format("peer read none of our frames for {} s",
                                                  std::chrono::duration_cast<std::chrono::seconds>(
                                                      options_.write_timeout).count())));
    });
    auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(cipher.data(), cipher.size()), kUseTuple);
    write_deadline_.cancel();
    if (closed_) co_return;
    if (ec) {
      close(socketError(ec, "writing"));
      co_return;
    }
  }
}

Awaitable<void> Connection::keepAlive() {
  auto self = shared_from_this();
  // A first ping right away measures the round trip the window tuning uses.
  Clock::duration wait = std::chrono::milliseconds(0);
  for (;;) {
    if (wait.count() > 0) {
      keepalive_timer_.expires_after(wait);
      co_await keepalive_timer_.async_wait(kUseTuple);
    }
    if (closed_ || closing_) co_return;
    auto rtt = co_await ping(options_.keepalive_timeout);
    if (closed_ || closing_) co_return;
    if (!rtt) {
      close(Error(NetError::kTimeout, "peer did not answer a keep-alive ping: " + rtt.error().message()));
      co_return;
    }
    wait = options_.keepalive_interval;
  }
}

Awaitable<Result<Clock::duration>> Connection::ping(Clock::duration timeout) {
  auto self = shared_from_this();
  if (closed_ || closing_) co_return fail(NetError::kConnectionClosed);
  const uint32_t value = session_.ping();
  pings_[value] = Clock::now();
  wakeWriter();
  bool expired = false;
  Deadline deadline(socket_.get_executor());
  deadline.start(timeout, [this, &expired] {
    expired = true;
    pongs_.notifyAll();
  });
  for (;;) {
    if (auto it = answered_.find(value); it != answered_.end()) {
      const auto rtt = it->second;
      answered_.erase(it);
      co_return rtt;
    }
    if (closed_) {
      pings_.erase(value);
      co_return fail(NetError::kConnectionClosed);
    }
    if (expired) {
      pings_.erase(value);
      co_return fail(NetError::kTimeout, fmt::format("no pong within {} ms",
                                                     std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count()));
    }
    co_await pongs_.wait();
  }
}

void Connection::close(const Error& reason) {
  if (closed_) return;
  auto self = shared_from_this();  // the host drops its reference in on_closed
  closed_ = true;
  if (!close_reason_) close_reason_ = reason;
  write_deadline_.cancel();
  keepalive_timer_.cancel();
  boost::system::error_code ignored;
  socket_.shutdown(Tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  for (auto& [id, stream] : streams_) stream->wake();
  writer_wake_.notifyAll();
  outbox_room_.notifyAll();
  pongs_.notifyAll();
  if (events_.on_closed) events_.on_closed(*this);
}

void Connection::closeGracefully() {
  if (closed_ || closing_) return;
  session_.goAway(yamux::GoAwayCode::kNormal);
  close_reason_ = Error(NetError::kConnectionClosed, "closed by us");
  closing_ = true;
  wakeWriter();
}

}  // namespace fil::net::detail
