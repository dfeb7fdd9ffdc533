#include "fil/store/backup.h"

#include <fmt/format.h>

#include "fil/base/hex.h"
#include "fil/codec/cbor_encoder.h"
#include "fil/crypto/sha256.h"

namespace fil::store {

namespace {

constexpr uint8_t kTuple2 = 0x82;
constexpr uint8_t kIndefiniteArray = 0x9f;
constexpr uint8_t kBreak = 0xff;
constexpr uint64_t kProgressEvery = 4096;

// Reads CBOR items from the stream, feeding the bytes it consumes to an
// optional hasher (the backup checksum covers the entries' raw bytes).
class BackupParser {
 public:
  BackupParser(ByteSource& in, const BackupReadOptions& options) : reader_(in), options_(options) {}

  uint64_t offset() const { return reader_.offset(); }
  void hashWith(crypto::Sha256* hasher) { hasher_ = hasher; }
  Result<bool> atEnd() { return reader_.atEnd(); }

  Result<uint8_t> byte() {
    FIL_ASSIGN_OR_RETURN(uint8_t b, reader_.readByte());
    if (hasher_) hasher_->update(BytesView(&b, 1));
    return b;
  }

  struct Head {
    uint8_t major;
    uint64_t argument;
  };

  // A CBOR head in its shortest form (as cbor-gen writes and checks it).
  Result<Head> head() {
    const uint64_t at = offset();
    FIL_ASSIGN_OR_RETURN(uint8_t initial, byte());
    const uint8_t major = initial >> 5;
    const uint8_t info = initial & 0x1f;
    if (info < 24) return Head{major, info};
    if (info > 27) return fail(StoreError::kMalformed, fmt::format("unsupported CBOR head 0x{:02x} at offset {}", initial, at));
    const size_t n = size_t{1} << (info - 24);
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) {
      FIL_ASSIGN_OR_RETURN(uint8_t b, byte());
      v = (v << 8) | b;
    }
    const uint64_t min = info == 24 ? 24 : (uint64_t{1} << (8 * (n / 2)));
    if (v < min) return fail(StoreError::kMalformed, fmt::format("non-minimal CBOR length at offset {}", at));
    return Head{major, v};
  }

  Result<Bytes> byteString(std::string_view what) {
    const uint64_t at = offset();
    FIL_ASSIGN_OR_RETURN(Head h, head());
    if (h.major != 2) {
      return fail(StoreError::kMalformed, fmt::format("{} at offset {} is not a byte string", what, at));
    }
    if (h.argument > options_.max_item_bytes) {
      return fail(StoreError::kTooLarge, fmt::format("{} at offset {} claims {} bytes, more than the {} allowed", what,
                                                     at, h.argument, options_.max_item_bytes));
    }
    FIL_ASSIGN_OR_RETURN(Bytes data, reader_.readBytes(static_cast<size_t>(h.argument)));
    if (hasher_) hasher_->update(data);
    return data;
  }

 private:
  SourceReader reader_;
  BackupReadOptions options_;
  crypto::Sha256* hasher_ = nullptr;
};

// Wraps the errors of a parse step with what was being read.
template <typename T>
Result<T> context(Result<T> r, std::string_view what) {
  if (r) return r;
  return fail(std::move(r).error().withContext(what));
}

Result<bool> readLogEntry(BackupParser& p, BackupEntry& entry) {
  const uint64_t at = p.offset();
  FIL_ASSIGN_OR_RETURN(auto h, p.head());
  if (h.major != 4 || h.argument != 3) {
    return fail(StoreError::kMalformed, fmt::format("log entry at offset {} is not a [key, value, time] array", at));
  }
  FIL_ASSIGN_OR_RETURN(entry.key, p.byteString("log entry key").map([](Bytes b) { return std::string(b.begin(), b.end()); }));
  FIL_ASSIGN_OR_RETURN(entry.value, p.byteString("log entry value"));
  FIL_ASSIGN_OR_RETURN(auto ts, p.head());
  if (ts.major == 0 && ts.argument <= uint64_t(INT64_MAX)) {
    entry.timestamp = static_cast<int64_t>(ts.argument);
  } else if (ts.major == 1 && ts.argument <= uint64_t(INT64_MAX)) {
    entry.timestamp = -1 - static_cast<int64_t>(ts.argument);
  } else {
    return fail(StoreError::kMalformed, fmt::format("log entry at offset {} has no int64 timestamp", at));
  }
  entry.from_log = true;
  return true;
}

}  // namespace

Result<BackupSummary> readBackup(ByteSource& in, const BackupVisitor& visit, const BackupReadOptions& options,
                                 BackupSummary* progress) {
  BackupParser p(in, options);
  BackupSummary local;
  BackupSummary& summary = progress != nullptr ? *progress : local;
  summary = BackupSummary{};

  {
    auto first = p.byte();
    if (!first) return fail(std::move(first).error().withContext("reading the backup header"));
    if (*first != kTuple2) {
      return fail(StoreError::kMalformed,
                  fmt::format("not a Lotus backup: expected array(2) header byte 0x82, got 0x{:02x}", *first));
    }
  }
  crypto::Sha256 hasher;
  p.hashWith(&hasher);
  {
    auto open = p.byte();
    if (!open) return fail(std::move(open).error().withContext("reading the backup header"));
    if (*open != kIndefiniteArray) {
      return fail(StoreError::kMalformed,
                  fmt::format("not a Lotus backup: expected indefinite array byte 0x9f, got 0x{:02x}", *open));
    }
  }

  while (true) {
    const uint64_t at = p.offset();
    FIL_ASSIGN_OR_RETURN(uint8_t b, context(p.byte(), fmt::format("backup entry {}", summary.entries)));
    if (b == kBreak) break;
    if (b != kTuple2) {
      return fail(StoreError::kMalformed,
                  fmt::format("backup entry {} at offset {}: expected array(2) header 0x82, got 0x{:02x}",
                              summary.entries, at, b));
    }
    BackupEntry entry;
    const std::string where = fmt::format("backup entry {} at offset {}", summary.entries, at);
    FIL_ASSIGN_OR_RETURN(Bytes key, context(p.byteString("key"), where));
    entry.key.assign(key.begin(), key.end());
    FIL_ASSIGN_OR_RETURN(entry.value, context(p.byteString("value"), where));
    entry.end_offset = p.offset();
    FIL_TRY(visit(entry));
    ++summary.entries;
  }

  // The checksum itself is not part of what it covers.
  p.hashWith(nullptr);
  const auto digest = hasher.finish();
  FIL_ASSIGN_OR_RETURN(Bytes recorded, context(p.byteString("checksum"), "reading the backup checksum"));
  if (recorded.size() != digest.size()) {
    return fail(StoreError::kMalformed, fmt::format("backup checksum is {} bytes, not 32", recorded.size()));
  }
  if (!equal(recorded, digest)) {
    return fail(StoreError::kChecksumMismatch,
                fmt::format("backup checksum does not match: the file records {}, its entries hash to {} "
                            "(the file was damaged or modified)",
                            toHex(recorded), toHex(digest)));
  }
  summary.checksum = std::move(recorded);

  // Log entries, as the kvlog files append them.
  while (true) {
    FIL_ASSIGN_OR_RETURN(bool end, p.atEnd());
    if (end) break;
    const uint64_t at = p.offset();
    BackupEntry entry;
    auto read = readLogEntry(p, entry);
    if (!read) {
      if (!read.error().is(StoreError::kTruncated)) return fail(std::move(read).error());
      if (!options.allow_truncated_log) {
        return fail(StoreError::kTruncated,
                    fmt::format("log entry {} at offset {} is truncated (set LOTUS_ALLOW_TRUNCATED_LOG=1 to "
                                "proceed without it)",
                                summary.log_entries, at));
      }
      summary.log_truncated = true;
      break;
    }
    entry.end_offset = p.offset();
    FIL_TRY(visit(entry));
    ++summary.log_entries;
  }
  summary.bytes = p.offset();
  return summary;
}

Result<BackupWritten> writeBackup(const ReadView& view, ByteSink& out) {
  crypto::Sha256 hasher;
  BackupWritten written;
  // Entries are small; gather them into chunks rather than one write each.
  Bytes chunk;
  auto flush = [&]() -> Status {
    if (chunk.empty()) return ok();
    hasher.update(chunk);
    FIL_TRY(out.write(chunk));
    written.bytes += chunk.size();
    chunk.clear();
    return ok();
  };

  const uint8_t tuple = kTuple2;
  FIL_TRY(out.write(BytesView(&tuple, 1)));
  written.bytes = 1;
  chunk.push_back(kIndefiniteArray);
  const Status walked = forEach(view, Query{}, [&](std::string_view key, BytesView value) -> Result<bool> {
    codec::CborEncoder e(std::move(chunk));
    e.writeArrayHeader(2);
    e.writeBytes(asBytes(key));
    e.writeBytes(value);
    chunk = std::move(e).take();
    ++written.entries;
    if (chunk.size() >= (1 << 20)) FIL_TRY(flush());
    return true;
  });
  FIL_TRY(walked);
  chunk.push_back(kBreak);
  FIL_TRY(flush());

  const auto digest = hasher.finish();
  codec::CborEncoder e;
  e.writeBytes(digest);
  FIL_TRY(out.write(e.bytes()));
  written.bytes += e.size();
  written.checksum.assign(digest.begin(), digest.end());
  return written;
}

Result<BackupWritten> backupToFile(const Datastore& ds, FileSystem& fs, const std::string& path) {
  FIL_ASSIGN_OR_RETURN(bool taken, exists(fs, path));
  if (taken) {
    return fail(StoreError::kAlreadyExists, fmt::format("backup file {} already exists; choose a new name", path));
  }
  FIL_ASSIGN_OR_RETURN(auto snapshot, ds.snapshot());
  const std::string tmp = temporaryPathFor(path);
  FIL_ASSIGN_OR_RETURN(auto file, fs.openForWrite(tmp, OpenMode::kCreateExclusive, 0600));
  auto written = [&]() -> Result<BackupWritten> {
    FileSink sink(*file);
    FIL_ASSIGN_OR_RETURN(BackupWritten w, writeBackup(*snapshot, sink));
    FIL_TRY(sink.finish());
    FIL_TRY(file->sync());
    FIL_TRY(file->close());
    FIL_TRY(fs.renameNoReplace(tmp, path));
    FIL_TRY(fs.syncDirectory(parentDirectory(path)));
    return w;
  }();
  if (!written) {
    file.reset();
    (void)fs.removeFile(tmp);  // best effort; the error that matters is the one returned
    return fail(std::move(written).error().withContext("writing backup " + path));
  }
  return written;
}

Result<BackupSummary> restoreBackup(ByteSource& in, Datastore& dest, const RestoreProgressFn& progress,
                                    const BackupReadOptions& options, uint64_t total_bytes) {
  FIL_ASSIGN_OR_RETURN(bool empty, isEmpty(dest));
  if (!empty) {
    return fail(StoreError::kNotEmpty, "the datastore to restore into already holds keys; restore needs a new repository");
  }
  Batch batch;
  RestoreProgress report;
  report.total_bytes = total_bytes;
  FIL_ASSIGN_OR_RETURN(BackupSummary summary, readBackup(
                                                  in,
                                                  [&](const BackupEntry& entry) -> Status {
                                                    const Key key(entry.key);
                                                    if (key.isRoot()) {
                                                      return fail(StoreError::kInvalidKey,
                                                                  "backup holds a value under the root key \"/\"");
                                                    }
                                                    report.bytes_read = entry.end_offset;
                                                    batch.put(key, entry.value);
                                                    if (++report.entries % kProgressEvery == 0 && progress) {
                                                      progress(report);
                                                    }
                                                    return ok();
                                                  },
                                                  options));
  report.bytes_read = summary.bytes;
  if (progress) progress(report);
  FIL_TRY(dest.commit(batch));
  report.committed = true;
  if (progress) progress(report);
  return summary;
}

Result<BackupSummary> restoreBackupFile(FileSystem& fs, const std::string& path, Datastore& dest,
                                        const RestoreProgressFn& progress, const BackupReadOptions& options) {
  FIL_ASSIGN_OR_RETURN(auto in, FileSource::open(fs, path));
  FIL_ASSIGN_OR_RETURN(uint64_t size, in->size());
  auto restored = restoreBackup(*in, dest, progress, options, size);
  if (!restored) return fail(std::move(restored).error().withContext("restoring " + path));
  return restored;
}

}  // namespace fil::store
