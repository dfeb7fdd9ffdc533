#include "fil/net/cbor_rpc.h"

#include <fmt/format.h>

#include "async.h"
#include "cbor_item.h"
#include "connection.h"
#include "fil/base/log.h"

namespace fil::net {

Awaitable<Result<Bytes>> readCborItem(Stream& stream, size_t max_size) {
  if (!stream.valid()) co_return fail(NetError::kStreamClosed, "no stream");
  detail::StreamImpl& channel = *stream.impl();
  CborItemScanner scanner;
  Bytes item;
  for (;;) {
    // Take the item's bytes out of the stream as they come, so the window
    // reopens and an item larger than one window can arrive.
    const BytesView in = channel.buffered();
    FIL_CO_ASSIGN_OR_RETURN(const size_t n, scanner.feed(in));
    append(item, in.first(n));
    channel.consume(n);
    if (scanner.done()) co_return item;
    if (item.size() > max_size) {
      co_return fail(NetError::kMessageTooLarge, fmt::format("CBOR message exceeds {} bytes", max_size));
    }
    auto filled = co_await channel.fill();
    if (!filled) {
      if (filled.error().is(NetError::kEndOfStream)) {
        co_return fail(NetError::kEndOfStream,
                       fmt::format("stream ended inside a CBOR message after {} bytes", item.size()));
      }
      co_return fail(std::move(filled).error());
    }
  }
}

namespace detail {

Awaitable<Result<Bytes>> cborRoundTrip(Host& host, PeerId peer, std::vector<std::string> protocols, Bytes request,
                                       std::chrono::steady_clock::duration deadline, size_t max_size) {
  FIL_CO_ASSIGN_OR_RETURN(Stream stream, co_await host.newStream(peer, std::move(protocols)));
  stream.setDeadline(deadline);
  const std::string protocol = stream.protocol();
  auto written = co_await stream.write(request);
  Result<Bytes> response = fail(NetError::kStreamClosed);
  if (written) {
    response = co_await readCborItem(stream, max_size);
  } else {
    response = fail(std::move(written).error());
  }
  stream.close();
  if (!response) {
    co_return fail(std::move(response).error().withContext(fmt::format("{} with {}", protocol, peer.toString())));
  }
  co_return response;
}

void serveCborBytes(Host& host, std::string protocol, CborBytesHandler handler,
                    std::chrono::steady_clock::duration deadline, size_t max_size) {
  host.setStreamHandler(protocol, [protocol, handler = std::move(handler), deadline, max_size](Stream stream)
                                      -> Awaitable<void> {
    stream.setDeadline(deadline);
    const PeerId from = stream.remotePeer();
    auto request = co_await readCborItem(stream, max_size);
    if (!request) {
      log::get("net").debug("{} from {}: {}", protocol, from.toString(), request.error().message());
      stream.reset();
      co_return;
    }
    auto response = co_await handler(from, std::move(*request));
    if (!response) {
      log::get("net").info("{} from {}: {}", protocol, from.toString(), response.error().message());
      stream.reset();
      co_return;
    }
    if (auto written = co_await stream.write(*response); !written) {
      log::get("net").debug("{} to {}: {}", protocol, from.toString(), written.error().message());
    }
    stream.close();
  });
}

}  // namespace detail
}  // namespace fil::net
