#include "fil/cid/cid_error.h"

namespace fil::cid {

std::string_view describe(CidError e) {
  switch (e) {
    case CidError::kUnknownHash: return "unknown multihash code";
    case CidError::kBadDigestLength: return "digest length does not match the hash function";
    case CidError::kUnknownCodec: return "unknown multicodec";
    case CidError::kBadVersion: return "unsupported CID version";
    case CidError::kUnknownMultibase: return "unknown multibase prefix";
    case CidError::kBadMultiaddr: return "malformed multiaddr";
    case CidError::kUnknownProtocol: return "unknown multiaddr protocol";
    case CidError::kTrailingBytes: return "unexpected bytes after the value";
    case CidError::kTruncated: return "truncated input";
  }
  return "unknown cid error";
}

}  // namespace fil::cid
