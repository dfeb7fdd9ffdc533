// The embedded Datastore: one RocksDB database per repository directory
// (keys carry their namespace as a prefix, "/metadata/...", "/blocks/..."),
// write-ahead log on, fsync on sync() and on every batch commit.
//
//   FIL_ASSIGN_OR_RETURN(auto ds, openRocksDatastore(repo + "/datastore"));
//
// All of RocksDB's file access goes through `fs` (filesystem.h), so tests can
// fill the disk or fail an fsync under it. RocksDB's own headers stay inside
// the implementation.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "fil/store/datastore.h"
#include "fil/store/filesystem.h"

namespace fil::store {

struct RocksDatastoreOptions {
  // fsync the log on every put/remove, not only on sync() and commit().
  bool sync_writes = false;
  bool create_if_missing = true;
  uint64_t block_cache_bytes = 64ull << 20;
  uint64_t write_buffer_bytes = 32ull << 20;
};

// Opens (creating it and its parents if asked) the database at `path`. Only
// one process may hold it open; a second gets an error naming the lock file.
// `fs` must outlive the datastore.
[[nodiscard]] Result<std::unique_ptr<Datastore>> openRocksDatastore(const std::string& path,
                                                                    const RocksDatastoreOptions& options = {},
                                                                    FileSystem& fs = defaultFileSystem());

}  // namespace fil::store
