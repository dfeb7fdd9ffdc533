#include "channel.h"

#include <fmt/format.h>

#include "fil/base/varint.h"
#include "fil/net/net_error.h"
#include "multistream.h"

namespace fil::net {
namespace {

Awaitable<Result<std::string>> readMultistream(ByteChannel& channel) {
  for (;;) {
    FIL_CO_ASSIGN_OR_RETURN(auto message, multistream::decodeMessage(channel.buffered()));
    if (message) {
      channel.consume(message->size);
      co_return std::move(message->text);
    }
    auto filled = co_await channel.fill();
    if (!filled) co_return fail(std::move(filled).error().withContext("reading multistream-select"));
  }
}

// Reads the multistream header, refusing as soon as the bytes differ from
// it: a peer speaking something else (HTTP, TLS) is told off at once instead
// of when its first "length" worth of bytes has arrived.
Awaitable<Status> readHeader(ByteChannel& channel) {
  const Bytes expected = multistream::encodeMessage(multistream::kProtocolId);
  for (;;) {
    const BytesView in = channel.buffered();
    const size_t n = std::min(in.size(), expected.size());
    if (!std::equal(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(n), expected.begin())) {
      const auto shown = in.first(std::min<size_t>(in.size(), 24));
      std::string printable;
      for (uint8_t c : shown) printable += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '.';
      co_return fail(NetError::kMultistream,
                     fmt::format("peer sent '{}' instead of the multistream-select header", printable));
    }
    if (n == expected.size()) {
      channel.consume(n);
      co_return ok();
    }
    auto filled = co_await channel.fill();
    if (!filled) co_return fail(std::move(filled).error().withContext("reading the multistream-select header"));
  }
}

}  // namespace

Awaitable<Result<std::string>> selectProtocol(ByteChannel& channel, const std::vector<std::string>& protocols) {
  if (protocols.empty()) co_return fail(NetError::kProtocolNotSupported, "no protocol to offer");
  Bytes out;
  multistream::appendMessage(out, multistream::kProtocolId);
  multistream::appendMessage(out, protocols[0]);
  FIL_CO_TRY(co_await channel.write(out));
  FIL_CO_TRY(co_await readHeader(channel));
  for (size_t i = 0; i < protocols.size(); ++i) {
    if (i > 0) FIL_CO_TRY(co_await channel.write(multistream::encodeMessage(protocols[i])));
    FIL_CO_ASSIGN_OR_RETURN(const std::string reply, co_await readMultistream(channel));
    if (reply == protocols[i]) co_return reply;
    if (reply != multistream::kNotAvailable) {
      co_return fail(NetError::kMultistream,
                     fmt::format("peer answered '{}' to our proposal '{}'", reply, protocols[i]));
    }
  }
  co_return fail(NetError::kProtocolNotSupported,
                 fmt::format("peer supports none of {}", fmt::join(protocols, ", ")));
}

Awaitable<Result<std::string>> acceptProtocol(ByteChannel& channel, const std::vector<std::string>& supported,
                                              size_t max_attempts) {
  FIL_CO_TRY(co_await readHeader(channel));
  FIL_CO_TRY(co_await channel.write(multistream::encodeMessage(multistream::kProtocolId)));
  for (size_t attempt = 0; attempt < max_attempts; ++attempt) {
    FIL_CO_ASSIGN_OR_RETURN(std::string proposal, co_await readMultistream(channel));
    if (std::find(supported.begin(), supported.end(), proposal) != supported.end()) {
      FIL_CO_TRY(co_await channel.write(multistream::encodeMessage(proposal)));
      co_return proposal;
    }
    if (proposal == multistream::kList) {
      FIL_CO_TRY(co_await channel.write(multistream::encodeList(supported)));
    } else if (proposal == multistream::kProtocolId) {
      FIL_CO_TRY(co_await channel.write(multistream::encodeMessage(multistream::kProtocolId)));
    } else {
      FIL_CO_TRY(co_await channel.write(multistream::encodeMessage(multistream::kNotAvailable)));
    }
  }
  co_return fail(NetError::kMultistream, fmt::format("peer proposed {} protocols we do not speak", max_attempts));
}

Awaitable<Result<std::optional<Bytes>>> readLengthPrefixedOrEnd(ByteChannel& channel, size_t max_size) {
  for (;;) {
    const BytesView in = channel.buffered();
    auto length = decodeUvarint(in);
    if (length) {
      if (length->value > max_size) {
        co_return fail(NetError::kMessageTooLarge,
                       fmt::format("message of {} bytes exceeds the {}-byte limit", length->value, max_size));
      }
      if (in.size() - length->size >= length->value) {
        Bytes message = toBytes(in.subspan(length->size, length->value));
        channel.consume(length->size + length->value);
        co_return std::optional<Bytes>(std::move(message));
      }
    } else if (!length.error().is(EncodingError::kTruncated)) {
      co_return fail(NetError::kProtobuf, "message length prefix is not a valid varint");
    }
    auto filled = co_await channel.fill();
    if (!filled) {
      if (filled.error().is(NetError::kEndOfStream) && channel.buffered().empty()) co_return std::nullopt;
      co_return fail(std::move(filled).error());
    }
  }
}

Awaitable<Result<Bytes>> readLengthPrefixed(ByteChannel& channel, size_t max_size) {
  FIL_CO_ASSIGN_OR_RETURN(auto message, co_await readLengthPrefixedOrEnd(channel, max_size));
  if (!message) co_return fail(NetError::kEndOfStream, "stream ended before a length-prefixed message");
  co_return std::move(*message);
}

void appendLengthPrefixed(Bytes& out, BytesView message) {
  putUvarint(out, message.size());
  append(out, message);
}

}  // namespace fil::net
