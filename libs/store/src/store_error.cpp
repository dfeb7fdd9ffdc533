#include "fil/store/store_error.h"

namespace fil::store {

std::string_view describe(StoreError e) {
  switch (e) {
    case StoreError::kNotFound: return "not found";
    case StoreError::kAlreadyExists: return "already exists";
    case StoreError::kInvalidKey: return "invalid key";
    case StoreError::kDiskFull: return "no space left on device";
    case StoreError::kIo: return "I/O error";
    case StoreError::kCorrupt: return "stored data is corrupt";
    case StoreError::kMalformed: return "malformed input";
    case StoreError::kChecksumMismatch: return "checksum mismatch";
    case StoreError::kTruncated: return "truncated input";
    case StoreError::kTooLarge: return "too large";
    case StoreError::kPermission: return "permissions too loose";
    case StoreError::kNotEmpty: return "datastore is not empty";
    case StoreError::kClosed: return "store is closed";
    case StoreError::kOutOfRange: return "out of range";
    case StoreError::kUnsupported: return "unsupported";
  }
  return "unknown store error";
}

}  // namespace fil::store
