#include "fil/unixfs/unixfs_error.h"

namespace fil::unixfs {

std::string_view describe(UnixfsError e) {
  switch (e) {
    case UnixfsError::kMalformed: return "malformed dag-pb or UnixFS data";
    case UnixfsError::kUnsupported: return "unsupported UnixFS node";
    case UnixfsError::kSizeMismatch: return "UnixFS sizes do not match";
    case UnixfsError::kTooDeep: return "DAG too deep";
    case UnixfsError::kInvalidOption: return "invalid import option";
  }
  return "unknown unixfs error";
}

}  // namespace fil::unixfs
