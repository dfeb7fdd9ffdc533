#include "fil/net/stream.h"

#include <fmt/format.h>

#include "connection.h"

namespace fil::net {

Stream::Stream() = default;
Stream::Stream(std::shared_ptr<detail::StreamImpl> impl) : impl_(std::move(impl)) {}
Stream::~Stream() { close(); }
Stream::Stream(Stream&&) noexcept = default;
Stream& Stream::operator=(Stream&& other) noexcept {
  if (this != &other) {
    close();
    impl_ = std::move(other.impl_);
  }
  return *this;
}

const std::string& Stream::protocol() const { return impl_->protocol(); }
const PeerId& Stream::remotePeer() const { return impl_->connection().remotePeer(); }
const cid::Multiaddr& Stream::remoteAddress() const { return impl_->connection().remoteAddress(); }

Awaitable<Result<size_t>> Stream::readSome(MutableBytesView out) {
  if (!impl_) co_return fail(NetError::kStreamClosed, "no stream");
  co_return co_await impl_->readSome(out);
}

Awaitable<Status> Stream::readExactly(MutableBytesView out) {
  if (!impl_) co_return fail(NetError::kStreamClosed, "no stream");
  size_t have = 0;
  while (have < out.size()) {
    FIL_CO_ASSIGN_OR_RETURN(const size_t n, co_await impl_->readSome(out.subspan(have)));
    if (n == 0) {
      co_return fail(NetError::kEndOfStream,
                     fmt::format("peer closed the stream after {} of {} bytes", have, out.size()));
    }
    have += n;
  }
  co_return ok();
}

Awaitable<Result<Bytes>> Stream::readToEnd(size_t max_size) {
  if (!impl_) co_return fail(NetError::kStreamClosed, "no stream");
  Bytes out;
  uint8_t chunk[16 * 1024];
  for (;;) {
    FIL_CO_ASSIGN_OR_RETURN(const size_t n, co_await impl_->readSome(chunk));
    if (n == 0) co_return out;
    if (out.size() + n > max_size) {
      impl_->reset();
      co_return fail(NetError::kMessageTooLarge, fmt::format("peer sent more than {} bytes", max_size));
    }
    out.insert(out.end(), chunk, chunk + n);
  }
}

Awaitable<Status> Stream::write(BytesView data) {
  if (!impl_) co_return fail(NetError::kStreamClosed, "no stream");
  co_return co_await impl_->writeAll(data);
}

Status Stream::closeWrite() {
  if (!impl_) return fail(NetError::kStreamClosed, "no stream");
  return impl_->closeWrite();
}

void Stream::reset() {
  if (impl_) impl_->reset();
}

void Stream::close() {
  if (impl_) impl_->release();
  impl_.reset();
}

void Stream::setDeadline(std::chrono::steady_clock::duration timeout) {
  if (impl_) impl_->setDeadline(timeout);
}

void Stream::clearDeadline() {
  if (impl_) impl_->clearDeadline();
}

}  // namespace fil::net
