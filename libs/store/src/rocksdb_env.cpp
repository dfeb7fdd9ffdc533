#include "rocksdb_env.h"

#include <cstdarg>
#include <cstdio>

#include "fil/base/log.h"

namespace fil::store::detail {
namespace {

using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;
using rocksdb::Slice;
// Inside classes derived from RocksDB's, "FileSystem" names RocksDB's.
using OurFileSystem = ::fil::store::FileSystem;

IOStatus toIOStatus(const Error& e) {
  const std::string message = e.message();
  if (e.is(StoreError::kDiskFull)) return IOStatus::NoSpace(message);
  if (e.is(StoreError::kNotFound)) return IOStatus::PathNotFound(message);
  return IOStatus::IOError(message);
}

template <typename T>
IOStatus toIOStatus(const Result<T>& r) {
  return r ? IOStatus::OK() : toIOStatus(r.error());
}

class SeamSequentialFile final : public rocksdb::FSSequentialFile {
 public:
  explicit SeamSequentialFile(std::unique_ptr<ReadableFile> file) : file_(std::move(file)) {}

  IOStatus Read(size_t n, const IOOptions&, Slice* result, char* scratch, IODebugContext*) override {
    auto got = file_->readAt(offset_, MutableBytesView(reinterpret_cast<uint8_t*>(scratch), n));
    if (!got) return toIOStatus(got.error());
    offset_ += *got;
    *result = Slice(scratch, *got);
    return IOStatus::OK();
  }

  IOStatus PositionedRead(uint64_t offset, size_t n, const IOOptions&, Slice* result, char* scratch,
                          IODebugContext*) override {
    auto got = file_->readAt(offset, MutableBytesView(reinterpret_cast<uint8_t*>(scratch), n));
    if (!got) return toIOStatus(got.error());
    *result = Slice(scratch, *got);
    return IOStatus::OK();
  }

  IOStatus Skip(uint64_t n) override {
    offset_ += n;
    return IOStatus::OK();
  }

 private:
  std::unique_ptr<ReadableFile> file_;
  uint64_t offset_ = 0;
};

class SeamRandomAccessFile final : public rocksdb::FSRandomAccessFile {
 public:
  explicit SeamRandomAccessFile(std::unique_ptr<ReadableFile> file) : file_(std::move(file)) {}

  // ReadableFile::readAt is safe to call from several threads (pread).
  IOStatus Read(uint64_t offset, size_t n, const IOOptions&, Slice* result, char* scratch,
                IODebugContext*) const override {
    auto got = file_->readAt(offset, MutableBytesView(reinterpret_cast<uint8_t*>(scratch), n));
    if (!got) return toIOStatus(got.error());
    *result = Slice(scratch, *got);
    return IOStatus::OK();
  }

 private:
  std::unique_ptr<ReadableFile> file_;
};

class SeamWritableFile final : public rocksdb::FSWritableFile {
 public:
  explicit SeamWritableFile(std::unique_ptr<WritableFile> file) : file_(std::move(file)) {}

  IOStatus Append(const Slice& data, const IOOptions&, IODebugContext*) override {
    return toIOStatus(file_->append(BytesView(reinterpret_cast<const uint8_t*>(data.data()), data.size())));
  }
  IOStatus Append(const Slice& data, const IOOptions& options, const rocksdb::DataVerificationInfo&,
                  IODebugContext* dbg) override {
    return Append(data, options, dbg);
  }
  IOStatus Truncate(uint64_t size, const IOOptions&, IODebugContext*) override {
    return toIOStatus(file_->truncate(size));
  }
  IOStatus Close(const IOOptions&, IODebugContext*) override { return toIOStatus(file_->close()); }
  // Appends go straight to the kernel; there is no buffer of ours to flush.
  IOStatus Flush(const IOOptions&, IODebugContext*) override { return IOStatus::OK(); }
  IOStatus Sync(const IOOptions&, IODebugContext*) override { return toIOStatus(file_->sync()); }
  IOStatus Fsync(const IOOptions&, IODebugContext*) override { return toIOStatus(file_->sync()); }
  uint64_t GetFileSize(const IOOptions&, IODebugContext*) override { return file_->size(); }
  // fsync may run beside an append (RocksDB's SyncWAL relies on it).
  bool IsSyncThreadSafe() const override { return true; }

 private:
  std::unique_ptr<WritableFile> file_;
};

class SeamDirectory final : public rocksdb::FSDirectory {
 public:
  SeamDirectory(OurFileSystem& fs, std::string path) : fs_(fs), path_(std::move(path)) {}
  IOStatus Fsync(const IOOptions&, IODebugContext*) override { return toIOStatus(fs_.syncDirectory(path_)); }
  IOStatus Close(const IOOptions&, IODebugContext*) override { return IOStatus::OK(); }

 private:
  OurFileSystem& fs_;
  std::string path_;
};

class SeamFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  explicit SeamFileSystem(OurFileSystem& fs) : FileSystemWrapper(rocksdb::FileSystem::Default()), fs_(fs) {}

  const char* Name() const override { return "FilSeamFileSystem"; }

  IOStatus NewSequentialFile(const std::string& fname, const rocksdb::FileOptions&,
                             std::unique_ptr<rocksdb::FSSequentialFile>* result, IODebugContext*) override {
    auto file = fs_.openForRead(fname);
    if (!file) return toIOStatus(file.error());
    *result = std::make_unique<SeamSequentialFile>(std::move(*file));
    return IOStatus::OK();
  }

  IOStatus NewRandomAccessFile(const std::string& fname, const rocksdb::FileOptions&,
                               std::unique_ptr<rocksdb::FSRandomAccessFile>* result, IODebugContext*) override {
    auto file = fs_.openForRead(fname);
    if (!file) return toIOStatus(file.error());
    *result = std::make_unique<SeamRandomAccessFile>(std::move(*file));
    return IOStatus::OK();
  }

  IOStatus NewWritableFile(const std::string& fname, const rocksdb::FileOptions&,
                           std::unique_ptr<rocksdb::FSWritableFile>* result, IODebugContext*) override {
    return openWritable(fname, OpenMode::kTruncate, result);
  }

  IOStatus ReopenWritableFile(const std::string& fname, const rocksdb::FileOptions&,
                              std::unique_ptr<rocksdb::FSWritableFile>* result, IODebugContext*) override {
    return openWritable(fname, OpenMode::kAppend, result);
  }

  IOStatus ReuseWritableFile(const std::string& fname, const std::string& old_fname, const rocksdb::FileOptions&,
                             std::unique_ptr<rocksdb::FSWritableFile>* result, IODebugContext*) override {
    if (auto renamed = fs_.rename(old_fname, fname); !renamed) return toIOStatus(renamed.error());
    return openWritable(fname, OpenMode::kTruncate, result);
  }

  IOStatus NewRandomRWFile(const std::string&, const rocksdb::FileOptions&,
                           std::unique_ptr<rocksdb::FSRandomRWFile>*, IODebugContext*) override {
    return IOStatus::NotSupported("random read-write files are not used by this datastore");
  }

  IOStatus NewMemoryMappedFileBuffer(const std::string&, std::unique_ptr<rocksdb::MemoryMappedFileBuffer>*) override {
    return IOStatus::NotSupported("memory-mapped files are not used by this datastore");
  }

  IOStatus NewDirectory(const std::string& name, const IOOptions&, std::unique_ptr<rocksdb::FSDirectory>* result,
                        IODebugContext*) override {
    auto info = fs_.stat(name);
    if (!info) return toIOStatus(info.error());
    *result = std::make_unique<SeamDirectory>(fs_, name);
    return IOStatus::OK();
  }

  IOStatus FileExists(const std::string& fname, const IOOptions&, IODebugContext*) override {
    auto info = fs_.stat(fname);
    if (info) return IOStatus::OK();
    if (info.error().is(StoreError::kNotFound)) return IOStatus::NotFound(info.error().message());
    return toIOStatus(info.error());
  }

  IOStatus GetChildren(const std::string& dir, const IOOptions&, std::vector<std::string>* result,
                       IODebugContext*) override {
    auto names = fs_.listDirectory(dir);
    if (!names) return toIOStatus(names.error());
    *result = std::move(*names);
    return IOStatus::OK();
  }

  IOStatus GetChildrenFileAttributes(const std::string& dir, const IOOptions& options,
                                     std::vector<rocksdb::FileAttributes>* result, IODebugContext* dbg) override {
    // The generic version, built on GetChildren and GetFileSize above.
    return rocksdb::FileSystem::GetChildrenFileAttributes(dir, options, result, dbg);
  }

  IOStatus DeleteFile(const std::string& fname, const IOOptions&, IODebugContext*) override {
    return toIOStatus(fs_.removeFile(fname));
  }

  IOStatus Truncate(const std::string& fname, size_t size, const IOOptions&, IODebugContext*) override {
    auto file = fs_.openForWrite(fname, OpenMode::kAppend, 0644);
    if (!file) return toIOStatus(file.error());
    if (auto t = (*file)->truncate(size); !t) return toIOStatus(t.error());
    return toIOStatus((*file)->close());
  }

  IOStatus CreateDir(const std::string& dirname, const IOOptions&, IODebugContext*) override {
    return toIOStatus(fs_.createDirectory(dirname, 0755));
  }

  IOStatus CreateDirIfMissing(const std::string& dirname, const IOOptions&, IODebugContext*) override {
    auto created = fs_.createDirectory(dirname, 0755);
    if (created || !created.error().is(StoreError::kAlreadyExists)) return toIOStatus(created);
    auto info = fs_.stat(dirname);
    if (!info) return toIOStatus(info.error());
    if (!info->is_directory) return IOStatus::IOError(dirname + " exists and is not a directory");
    return IOStatus::OK();
  }

  IOStatus DeleteDir(const std::string& dirname, const IOOptions&, IODebugContext*) override {
    return toIOStatus(fs_.removeDirectory(dirname));
  }

  IOStatus GetFileSize(const std::string& fname, const IOOptions&, uint64_t* size, IODebugContext*) override {
    auto info = fs_.stat(fname);
    if (!info) return toIOStatus(info.error());
    *size = info->size;
    return IOStatus::OK();
  }

  IOStatus RenameFile(const std::string& src, const std::string& target, const IOOptions&,
                      IODebugContext*) override {
    return toIOStatus(fs_.rename(src, target));
  }

  IOStatus LinkFile(const std::string&, const std::string&, const IOOptions&, IODebugContext*) override {
    return IOStatus::NotSupported("hard links are not used by this datastore");
  }

  IOStatus IsDirectory(const std::string& path, const IOOptions&, bool* is_dir, IODebugContext*) override {
    auto info = fs_.stat(path);
    if (!info) return toIOStatus(info.error());
    *is_dir = info->is_directory;
    return IOStatus::OK();
  }

 private:
  IOStatus openWritable(const std::string& fname, OpenMode mode, std::unique_ptr<rocksdb::FSWritableFile>* result) {
    auto file = fs_.openForWrite(fname, mode, 0644);
    if (!file) return toIOStatus(file.error());
    *result = std::make_unique<SeamWritableFile>(std::move(*file));
    return IOStatus::OK();
  }

  OurFileSystem& fs_;
};

class SpdlogRocksLogger final : public rocksdb::Logger {
 public:
  SpdlogRocksLogger() : rocksdb::Logger(rocksdb::InfoLogLevel::INFO_LEVEL), log_(log::get("rocksdb")) {}

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override { Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap); }
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    char buffer[1024];
    std::vsnprintf(buffer, sizeof(buffer), format, ap);
    switch (level) {
      case rocksdb::InfoLogLevel::DEBUG_LEVEL: log_.trace("{}", buffer); break;
      // RocksDB is chatty at INFO (every flush and compaction): debug for us.
      case rocksdb::InfoLogLevel::INFO_LEVEL:
      case rocksdb::InfoLogLevel::HEADER_LEVEL: log_.debug("{}", buffer); break;
      case rocksdb::InfoLogLevel::WARN_LEVEL: log_.warn("{}", buffer); break;
      default: log_.error("{}", buffer); break;
    }
  }

 private:
  spdlog::logger& log_;
};

}  // namespace

std::shared_ptr<rocksdb::FileSystem> makeSeamFileSystem(FileSystem& fs) { return std::make_shared<SeamFileSystem>(fs); }

std::shared_ptr<rocksdb::Logger> makeRocksLogger() { return std::make_shared<SpdlogRocksLogger>(); }

}  // namespace fil::store::detail
