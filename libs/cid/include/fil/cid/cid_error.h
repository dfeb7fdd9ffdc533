// Errors of the cid library (multihash, CID, multibase, multiaddr).
#pragma once

#include <string_view>

#include "fil/base/error.h"

namespace fil::cid {

enum class CidError {
  kUnknownHash = 1,
  kBadDigestLength,
  kUnknownCodec,
  kBadVersion,
  kUnknownMultibase,
  kBadMultiaddr,
  kUnknownProtocol,
  kTrailingBytes,
  kTruncated,
};
std::string_view describe(CidError e);

}  // namespace fil::cid

FIL_REGISTER_ERROR(fil::cid::CidError, "cid");
