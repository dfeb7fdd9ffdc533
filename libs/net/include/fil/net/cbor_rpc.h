// Filecoin's request/response protocols over libp2p, as Boost frames them
// (storage deals, deal status, ask, retrieval query): the client writes one
// DAG-CBOR item, the provider writes one back and closes the stream. There
// is no length prefix; the item's structure says where it ends.
//
//   const AskRequest request{miner};
//   auto ask = co_await cborRequest<AskResponse>(host, provider, protocols, request);
//   serveCbor<AskRequest, AskResponse>(host, "/fil/storage/ask/1.1.0",
//       [](const PeerId& from, AskRequest r) -> boost::asio::awaitable<Result<AskResponse>> { ... });
//
// With g++ 12, keep braced temporaries (`AskRequest{miner}`, `{"/a", "/b"}`)
// out of co_await expressions: the compiler destroys them twice or refuses
// them. Name them first, as above.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "fil/codec/cbor.h"
#include "fil/net/host.h"
#include "fil/net/stream.h"

namespace fil::net {

// Boost's deadlines: a client waits a minute for its answer, a provider
// gives a client ten seconds to send its request and read the reply.
inline constexpr std::chrono::seconds kClientDeadline{60};
inline constexpr std::chrono::seconds kProviderDeadline{10};
inline constexpr size_t kMaxCborMessage = 4 * 1024 * 1024;

// Reads exactly one CBOR item; bytes after it stay in the stream.
// kEndOfStream if the stream ends inside it, kMessageTooLarge past max_size.
boost::asio::awaitable<Result<Bytes>> readCborItem(Stream& stream, size_t max_size = kMaxCborMessage);

namespace detail {
boost::asio::awaitable<Result<Bytes>> cborRoundTrip(Host& host, PeerId peer, std::vector<std::string> protocols,
                                                    Bytes request, std::chrono::steady_clock::duration deadline,
                                                    size_t max_size);
using CborBytesHandler = std::function<boost::asio::awaitable<Result<Bytes>>(const PeerId& from, Bytes request)>;
void serveCborBytes(Host& host, std::string protocol, CborBytesHandler handler,
                    std::chrono::steady_clock::duration deadline, size_t max_size);
}  // namespace detail

template <typename Response, typename Request>
boost::asio::awaitable<Result<Response>> cborRequest(Host& host, PeerId peer, std::vector<std::string> protocols,
                                                     const Request& request,
                                                     std::chrono::steady_clock::duration deadline = kClientDeadline,
                                                     size_t max_size = kMaxCborMessage) {
  auto bytes = co_await detail::cborRoundTrip(host, std::move(peer), std::move(protocols), codec::encode(request),
                                              deadline, max_size);
  if (!bytes) co_return tl::unexpected<Error>(std::move(bytes).error());
  co_return codec::decode<Response>(*bytes);
}

// Serves `protocol`: each request is decoded and answered by `handler`. A
// request that does not decode, or a handler error, closes the stream
// without a reply (as Boost does); the error is logged.
template <typename Request, typename Response>
void serveCbor(Host& host, std::string protocol,
               std::function<boost::asio::awaitable<Result<Response>>(const PeerId& from, Request request)> handler,
               std::chrono::steady_clock::duration deadline = kProviderDeadline, size_t max_size = kMaxCborMessage) {
  detail::serveCborBytes(
      host, std::move(protocol),
      [handler = std::move(handler)](const PeerId& from, Bytes bytes) -> boost::asio::awaitable<Result<Bytes>> {
        auto request = codec::decode<Request>(bytes);
        if (!request) co_return tl::unexpected<Error>(std::move(request).error().withContext("decoding the request"));
        auto response = co_await handler(from, std::move(*request));
        if (!response) co_return tl::unexpected<Error>(std::move(response).error());
        co_return codec::encode(*response);
      },
      deadline, max_size);
}

}  // namespace fil::net
