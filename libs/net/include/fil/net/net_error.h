// Errors of the libp2p stack.
#pragma once

#include <string_view>

#include "fil/base/error.h"

namespace fil::net {

enum class NetError {
  kInvalidKey = 1,       // a key or peer ID that does not parse or is of an unsupported type
  kInvalidPeerId,
  kProtobuf,             // a malformed protobuf message
  kMultistream,          // multistream-select violation (bad header, oversized line)
  kProtocolNotSupported, // the peer answered "na" to every protocol offered
  kHandshake,            // Noise handshake failed (bad message, bad signature)
  kPeerIdMismatch,       // the peer is not who we dialed
  kDecrypt,              // a transport frame failed authentication
  kYamux,                // stream multiplexer protocol violation
  kWindowExceeded,       // the peer sent more than the stream's receive window
  kFrameTooLarge,
  kStreamReset,          // the stream was reset by either side
  kStreamClosed,         // writing after closeWrite, or reading a stream we closed
  kConnectionClosed,
  kGoAway,               // the peer is not accepting new streams
  kTimeout,
  kLimit,                // a connection or stream limit was reached
  kDial,                 // no address could be dialed
  kIdentify,
  kPing,
  kEndOfStream,          // the peer closed its side before a whole message arrived
  kMessageTooLarge,
  kAddress,              // an address we cannot listen on or dial
};
std::string_view describe(NetError e);

}  // namespace fil::net

FIL_REGISTER_ERROR(fil::net::NetError, "net");
