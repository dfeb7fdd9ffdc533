// RocksDB's file access routed through our filesystem seam, and RocksDB's
// info log routed to our logger. Internal to the store library.
#pragma once

#include <memory>

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include "fil/store/filesystem.h"

namespace fil::store::detail {

// A rocksdb::FileSystem whose reads, writes, syncs, renames, removals and
// directory operations go to `fs`. File locking, absolute paths and
// modification times stay with RocksDB's default (they carry no data).
std::shared_ptr<rocksdb::FileSystem> makeSeamFileSystem(FileSystem& fs);

// Writes RocksDB's informational log to the "rocksdb" logger instead of a LOG
// file in the database directory.
std::shared_ptr<rocksdb::Logger> makeRocksLogger();

}  // namespace fil::store::detail
