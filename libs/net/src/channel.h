// A byte channel that buffers what it reads (a raw TCP connection during
// the upgrade, a Noise-secured one before the muxer, a yamux stream), and the
// exchanges that run over any of them: multistream-select and
// length-prefixed messages. Reading through the buffer is what keeps bytes
// a peer sends optimistically after its negotiation for the next layer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "async.h"
#include "fil/base/bytes.h"
#include "fil/base/error.h"

namespace fil::net {

class ByteChannel {
 public:
  virtual ~ByteChannel() = default;
  virtual BytesView buffered() const = 0;
  virtual void consume(size_t n) = 0;
  // Waits until more bytes are buffered than now. kEndOfStream when the peer
  // has closed its side; what is buffered stays readable.
  virtual Awaitable<Status> fill() = 0;
  virtual Awaitable<Status> write(BytesView data) = 0;
};

// The dialer's side: offers `protocols` in order; returns the one accepted,
// kProtocolNotSupported when the peer refuses all.
Awaitable<Result<std::string>> selectProtocol(ByteChannel& channel, const std::vector<std::string>& protocols);

// The listener's side: answers until the dialer names one of `supported`.
// At most `max_attempts` refused proposals, so a peer cannot keep it busy.
Awaitable<Result<std::string>> acceptProtocol(ByteChannel& channel, const std::vector<std::string>& supported,
                                              size_t max_attempts = 32);

// uvarint length + message, as identify frames its protobuf.
Awaitable<Result<Bytes>> readLengthPrefixed(ByteChannel& channel, size_t max_size);
// Nullopt when the channel ends cleanly before another message begins.
Awaitable<Result<std::optional<Bytes>>> readLengthPrefixedOrEnd(ByteChannel& channel, size_t max_size);
void appendLengthPrefixed(Bytes& out, BytesView message);

}  // namespace fil::net
