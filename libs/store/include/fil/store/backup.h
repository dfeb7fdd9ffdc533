// Lotus backup files (lotus/lib/backupds), what `lotus-miner backup` writes
// and `lotus-miner init restore` / `lotus daemon --restore` read:
//
//   0x82                                  array of 2
//     0x9f                                indefinite array of entries
//       0x82 [key bytes] [value bytes]    one per datastore key
//     0xff                                break
//     [32 bytes]                          SHA-256 of everything from 0x9f to 0xff
//   [key bytes, value bytes, ts int64]*   optional log entries (kvlog files)
//
// Writing takes a snapshot of the datastore, so the datastore keeps serving:
// writes made during the backup go to the next one, nothing waits and
// nothing is half in. Restoring reads and checks the whole file first and
// then commits everything in one batch: a truncated or tampered file
// restores nothing.
//
//   FIL_ASSIGN_OR_RETURN(auto written, backupToFile(*ds, fs, "/backups/miner.cbor"));
//   FIL_ASSIGN_OR_RETURN(auto restored, restoreBackupFile(fs, path, *fresh, onProgress));
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/store/datastore.h"
#include "fil/store/filesystem.h"
#include "fil/store/io.h"

namespace fil::store {

struct BackupEntry {
  std::string key;        // as stored in the file (restore cleans it as a Key)
  Bytes value;
  bool from_log = false;  // a log entry after the checksummed part
  int64_t timestamp = 0;  // log entries only (Unix seconds)
  uint64_t end_offset = 0;  // file offset just after this entry
};

struct BackupSummary {
  uint64_t entries = 0;       // in the checksummed part
  uint64_t log_entries = 0;
  uint64_t bytes = 0;         // of the file consumed
  Bytes checksum;             // SHA-256 of the entries, as recorded and verified
  bool log_truncated = false; // a torn last log entry was skipped (allow_truncated_log)
};

struct BackupReadOptions {
  // Lotus's LOTUS_ALLOW_TRUNCATED_LOG=1: accept a file whose last log entry
  // is cut short (a crash while appending) and ignore that entry.
  bool allow_truncated_log = false;
  // Largest key or value accepted (a corrupt length fails, not allocates).
  uint64_t max_item_bytes = 1ull << 30;
};

// Reads and verifies a backup, calling `visit` for every entry in file order:
// the checksummed entries (before the checksum is known to match) and then
// the log entries. Errors: kMalformed (not a backup), kTruncated,
// kChecksumMismatch (naming both sums), kTooLarge, or the visitor's error.
// `progress`, when given, is kept up to date as reading proceeds, so that it
// tells how far a failed read got (its checksum is set once verified).
using BackupVisitor = std::function<Status(const BackupEntry&)>;
[[nodiscard]] Result<BackupSummary> readBackup(ByteSource& in, const BackupVisitor& visit,
                                               const BackupReadOptions& options = {},
                                               BackupSummary* progress = nullptr);

struct BackupWritten {
  uint64_t entries = 0;
  uint64_t bytes = 0;
  Bytes checksum;
};

// Writes every key of `view` in key order.
[[nodiscard]] Result<BackupWritten> writeBackup(const ReadView& view, ByteSink& out);

// Takes a snapshot of `ds` and writes it to `path` (mode 0600, through a
// temporary file, fsync and rename, so a failed or interrupted backup leaves
// no file). An existing `path` is refused with kAlreadyExists, as Lotus does.
[[nodiscard]] Result<BackupWritten> backupToFile(const Datastore& ds, FileSystem& fs, const std::string& path);

struct RestoreProgress {
  uint64_t entries = 0;       // read so far
  uint64_t bytes_read = 0;
  uint64_t total_bytes = 0;   // 0 when unknown
  bool committed = false;     // the final report, after the batch is durable
};
using RestoreProgressFn = std::function<void(const RestoreProgress&)>;

// Restores a backup into `dest`, which must hold no keys (kNotEmpty): reads
// and checks everything, then commits one batch. Reports progress every few
// thousand entries and once more when committed.
[[nodiscard]] Result<BackupSummary> restoreBackup(ByteSource& in, Datastore& dest,
                                                  const RestoreProgressFn& progress = {},
                                                  const BackupReadOptions& options = {}, uint64_t total_bytes = 0);
[[nodiscard]] Result<BackupSummary> restoreBackupFile(FileSystem& fs, const std::string& path, Datastore& dest,
                                                      const RestoreProgressFn& progress = {},
                                                      const BackupReadOptions& options = {});

}  // namespace fil::store
