#include "fil/net/net_error.h"

namespace fil::net {

std::string_view describe(NetError e) {
  switch (e) {
    case NetError::kInvalidKey: return "invalid or unsupported key";
    case NetError::kInvalidPeerId: return "invalid peer ID";
    case NetError::kProtobuf: return "malformed protobuf message";
    case NetError::kMultistream: return "multistream-select protocol violation";
    case NetError::kProtocolNotSupported: return "protocol not supported by the peer";
    case NetError::kHandshake: return "Noise handshake failed";
    case NetError::kPeerIdMismatch: return "peer ID does not match the one dialed";
    case NetError::kDecrypt: return "transport frame failed authentication";
    case NetError::kYamux: return "yamux protocol violation";
    case NetError::kWindowExceeded: return "peer exceeded the stream receive window";
    case NetError::kFrameTooLarge: return "frame too large";
    case NetError::kStreamReset: return "stream reset";
    case NetError::kStreamClosed: return "stream closed";
    case NetError::kConnectionClosed: return "connection closed";
    case NetError::kGoAway: return "peer is going away and accepts no new streams";
    case NetError::kTimeout: return "timed out";
    case NetError::kLimit: return "limit reached";
    case NetError::kDial: return "dial failed";
    case NetError::kIdentify: return "identify failed";
    case NetError::kPing: return "ping failed";
    case NetError::kEndOfStream: return "stream ended early";
    case NetError::kMessageTooLarge: return "message too large";
    case NetError::kAddress: return "unusable address";
  }
  return "unknown net error";
}

}  // namespace fil::net
