// A FileSystem that passes calls to another one and injects the failures a
// real disk produces, for crash-safety tests:
//
//   FaultInjectingFileSystem fs;                 // over defaultFileSystem()
//   auto db = openRocksDatastore(dir, {}, fs);
//   fs.setSpaceLeft(100);                        // the disk fills up
//   EXPECT_TRUE(db->put(key, big).error().is(StoreError::kDiskFull));
//   db.reset();
//   fs.simulateCrash();                          // power loss: unsynced bytes vanish
//
// The object must outlive every file opened through it. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "fil/store/filesystem.h"

namespace fil::store {

class FaultInjectingFileSystem final : public FileSystem {
 public:
  explicit FaultInjectingFileSystem(FileSystem& base = defaultFileSystem());

  // After `bytes` more bytes have been appended (all files together), an
  // append writes what still fits and fails with ENOSPC. nullopt: no limit.
  void setSpaceLeft(std::optional<uint64_t> bytes);
  // While set, every fsync of a file or directory fails with EIO.
  void setSyncFails(bool fails);
  // While set, every open for writing, rename, create and remove fails with EIO.
  void setMetadataFails(bool fails);
  void clearFaults();

  // Power loss: every file written through this object loses the bytes
  // appended after its last successful sync. Call when writers have stopped.
  [[nodiscard]] Status simulateCrash();

  uint64_t bytesAppended() const;
  uint64_t syncs() const;

  Result<std::unique_ptr<ReadableFile>> openForRead(const std::string& path) override;
  Result<std::unique_ptr<WritableFile>> openForWrite(const std::string& path, OpenMode mode,
                                                     uint32_t permissions) override;
  Status createDirectory(const std::string& path, uint32_t permissions) override;
  Status syncDirectory(const std::string& path) override;
  Status rename(const std::string& from, const std::string& to) override;
  Status renameNoReplace(const std::string& from, const std::string& to) override;
  Status removeFile(const std::string& path) override;
  Status removeDirectory(const std::string& path) override;
  Result<FileInfo> stat(const std::string& path) override;
  Result<std::vector<std::string>> listDirectory(const std::string& path) override;

 private:
  class File;
  friend class File;

  Status checkMetadata(std::string_view what, const std::string& path) const;

  FileSystem& base_;
  mutable std::mutex mu_;
  std::optional<uint64_t> space_left_;
  bool sync_fails_ = false;
  bool metadata_fails_ = false;
  uint64_t bytes_appended_ = 0;
  uint64_t syncs_ = 0;
  std::map<std::string, uint64_t> synced_size_;  // path -> bytes that survive a crash
};

}  // namespace fil::store
