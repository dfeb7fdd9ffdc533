// A stream to a peer, negotiated to one protocol: what Filecoin protocols
// (storage deals, retrieval queries) read and write.
//
//   Stream s = co_await host.newStream(peer, {"/fil/storage/ask/1.1.0"});
//   co_await s.write(request);
//   auto response = co_await s.readToEnd(64 * 1024);
//
// All calls happen on the host's io_context thread. A Stream is a move-only
// handle; dropping it closes the stream (FIN, or RST when unread data
// remains). Flow control is per stream: write() waits while the peer's
// window is full, and an unread stream buffers at most its window.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/cid/multiaddr.h"
#include "fil/net/net_error.h"
#include "fil/net/peer_id.h"

namespace fil::net {

namespace detail {
class StreamImpl;
}

class Stream {
 public:
  Stream();
  explicit Stream(std::shared_ptr<detail::StreamImpl> impl);
  ~Stream();
  Stream(Stream&&) noexcept;
  Stream& operator=(Stream&&) noexcept;

  bool valid() const { return impl_ != nullptr; }
  const std::string& protocol() const;
  const PeerId& remotePeer() const;
  const cid::Multiaddr& remoteAddress() const;

  // Waits for at least one byte and returns how many were read; 0 once the
  // peer has closed its side. kStreamReset, kTimeout (deadline) or
  // kConnectionClosed when the stream cannot go on.
  boost::asio::awaitable<Result<size_t>> readSome(MutableBytesView out);
  // Fills `out`; kEndOfStream when the peer closes first.
  boost::asio::awaitable<Status> readExactly(MutableBytesView out);
  // Everything until the peer closes its side; kMessageTooLarge past max_size.
  boost::asio::awaitable<Result<Bytes>> readToEnd(size_t max_size);
  // Returns once all of `data` is queued; `data` may be released then.
  boost::asio::awaitable<Status> write(BytesView data);

  // Sends FIN: we write no more, the peer may still.
  Status closeWrite();
  void reset();
  // FIN (or RST if unread data remains) and forget the stream.
  void close();

  // Operations still pending `timeout` from now end with kTimeout and the
  // stream is reset. A new call replaces the previous deadline.
  void setDeadline(std::chrono::steady_clock::duration timeout);
  void clearDeadline();

  detail::StreamImpl* impl() const { return impl_.get(); }

 private:
  std::shared_ptr<detail::StreamImpl> impl_;
};

}  // namespace fil::net
