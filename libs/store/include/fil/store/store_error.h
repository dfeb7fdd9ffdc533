// Errors of the storage layer: datastores, the filesystem seam, blockstores,
// HAMT/AMT, CAR files, backups and the keystore.
#pragma once

#include <string_view>

#include "fil/base/error.h"

namespace fil::store {

enum class StoreError {
  kNotFound = 1,       // no value under that key / CID / key name
  kAlreadyExists,      // a key name, file or backup that must not be replaced
  kInvalidKey,         // a datastore key or key name the store cannot hold
  kDiskFull,           // ENOSPC / EDQUOT from the filesystem
  kIo,                 // any other failed read, write, fsync or rename
  kCorrupt,            // stored bytes fail a hash or structure check
  kMalformed,          // input bytes (CAR, backup, HAMT/AMT node) break the format
  kChecksumMismatch,   // a backup whose SHA-256 does not match its content
  kTruncated,          // input ends early
  kTooLarge,           // a length beyond a configured limit
  kPermission,         // file modes looser than the store requires
  kNotEmpty,           // restore into a datastore that already holds data
  kClosed,             // use after close()
  kOutOfRange,         // AMT index beyond MaxIndex, HAMT deeper than the hash
  kUnsupported,        // a format version or option this build does not handle
};
std::string_view describe(StoreError e);

}  // namespace fil::store

FIL_REGISTER_ERROR(fil::store::StoreError, "store");
