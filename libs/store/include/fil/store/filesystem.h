// The filesystem seam: every file the storage layer reads or writes (RocksDB's
// own files included, through an adapter) goes through this interface, so
// tests can inject a full disk, a failing fsync or a crash that drops what was
// never synced (see fault_filesystem.h), as leveldb's Env does.
//
//   FileSystem& fs = defaultFileSystem();
//   FIL_TRY(writeFileAtomic(fs, "/repo/token", asBytes(token), 0600));
//   FIL_ASSIGN_OR_RETURN(Bytes data, readFile(fs, "/repo/token"));
//
// Errors: StoreError::kNotFound for a missing path, kAlreadyExists for an
// exclusive create or rename onto an existing name, kDiskFull for ENOSPC and
// EDQUOT, kPermission for EACCES/EPERM, kIo otherwise; messages name the path.
//
// Thread-safety: a FileSystem may be used from several threads at once. An
// open file is used by one thread at a time, except ReadableFile::readAt and
// WritableFile::sync, which may be called concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/store/store_error.h"

namespace fil::store {

struct FileInfo {
  uint64_t size = 0;
  uint32_t mode = 0;  // permission bits only (st_mode & 07777)
  bool is_directory = false;
};

class ReadableFile {
 public:
  virtual ~ReadableFile() = default;
  // Reads up to out.size() bytes at `offset`; fewer only at the end of the file.
  [[nodiscard]] virtual Result<size_t> readAt(uint64_t offset, MutableBytesView out) = 0;
  [[nodiscard]] virtual Result<uint64_t> size() = 0;
};

class WritableFile {
 public:
  // Closes the file if close() was not called; data not synced may be lost.
  virtual ~WritableFile() = default;
  // Appends all of `data` or fails; on failure a prefix may have been written.
  [[nodiscard]] virtual Status append(BytesView data) = 0;
  // Makes everything appended so far durable (fsync). Unlike the other
  // methods it may run on another thread while append() runs.
  [[nodiscard]] virtual Status sync() = 0;
  [[nodiscard]] virtual Status truncate(uint64_t size) = 0;
  [[nodiscard]] virtual Status close() = 0;
  virtual uint64_t size() const = 0;
};

enum class OpenMode {
  kCreateExclusive,  // a new file; kAlreadyExists if the name is taken
  kTruncate,         // create or empty an existing file
  kAppend,           // create or continue an existing file at its end
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  [[nodiscard]] virtual Result<std::unique_ptr<ReadableFile>> openForRead(const std::string& path) = 0;
  [[nodiscard]] virtual Result<std::unique_ptr<WritableFile>> openForWrite(const std::string& path, OpenMode mode,
                                                                           uint32_t permissions = 0644) = 0;
  // Creates one directory; kAlreadyExists if something has that name.
  [[nodiscard]] virtual Status createDirectory(const std::string& path, uint32_t permissions = 0755) = 0;
  // Makes the directory's entries (creates, renames, removals) durable.
  [[nodiscard]] virtual Status syncDirectory(const std::string& path) = 0;
  // Atomically replaces `to` if it exists.
  [[nodiscard]] virtual Status rename(const std::string& from, const std::string& to) = 0;
  // Atomically moves `from` to `to`, failing with kAlreadyExists if `to` exists.
  [[nodiscard]] virtual Status renameNoReplace(const std::string& from, const std::string& to) = 0;
  [[nodiscard]] virtual Status removeFile(const std::string& path) = 0;
  [[nodiscard]] virtual Status removeDirectory(const std::string& path) = 0;
  [[nodiscard]] virtual Result<FileInfo> stat(const std::string& path) = 0;
  // Entry names (not paths), without "." and "..", in no particular order.
  [[nodiscard]] virtual Result<std::vector<std::string>> listDirectory(const std::string& path) = 0;
};

// The operating system's filesystem (POSIX calls). Lives for the whole program.
FileSystem& defaultFileSystem();

// The error for a failed system call on `path`: ENOSPC/EDQUOT become
// kDiskFull, ENOENT kNotFound, EEXIST kAlreadyExists, EACCES/EPERM
// kPermission, anything else kIo.
Error fileError(std::string_view what, const std::string& path, int errno_value);

// ---- helpers over any FileSystem ---------------------------------------------

// Reads a whole file; kTooLarge if it is larger than `max_size`.
[[nodiscard]] Result<Bytes> readFile(FileSystem& fs, const std::string& path, uint64_t max_size = 64ull << 20);

// Writes `data` under `path` so that a crash leaves either the old content or
// the new, never a mix: a temporary file beside it, fsync, rename, fsync of the
// directory. With `replace` false an existing `path` is kAlreadyExists and is
// left alone.
[[nodiscard]] Status writeFileAtomic(FileSystem& fs, const std::string& path, BytesView data,
                                     uint32_t permissions, bool replace = true);

// Creates `path` and any missing parents (as mkdir -p).
[[nodiscard]] Status createDirectories(FileSystem& fs, const std::string& path, uint32_t permissions = 0755);

// Whether something exists at `path` (errors other than kNotFound propagate).
[[nodiscard]] Result<bool> exists(FileSystem& fs, const std::string& path);

// The directory part of a path ("." for a bare name).
std::string parentDirectory(const std::string& path);

// A name for a temporary file beside `path`: "<dir>/.<name>.tmp-<random>".
// The leading dot keeps it out of listings that skip hidden files.
std::string temporaryPathFor(const std::string& path);

}  // namespace fil::store
