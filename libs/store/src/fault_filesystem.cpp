#include "fil/store/fault_filesystem.h"

#include <algorithm>
#include <cerrno>

namespace fil::store {

class FaultInjectingFileSystem::File final : public WritableFile {
 public:
  File(FaultInjectingFileSystem& fs, std::string path, std::unique_ptr<WritableFile> base)
      : fs_(fs), path_(std::move(path)), base_(std::move(base)) {}

  Status append(BytesView data) override {
    size_t allowed = data.size();
    {
      std::lock_guard lock(fs_.mu_);
      if (fs_.space_left_) allowed = static_cast<size_t>(std::min<uint64_t>(*fs_.space_left_, data.size()));
    }
    if (allowed > 0) FIL_TRY(base_->append(data.first(allowed)));
    std::lock_guard lock(fs_.mu_);
    fs_.bytes_appended_ += allowed;
    if (fs_.space_left_) *fs_.space_left_ -= allowed;
    if (allowed < data.size()) return fail(fileError("writing", path_, ENOSPC));
    return ok();
  }

  Status sync() override {
    {
      std::lock_guard lock(fs_.mu_);
      if (fs_.sync_fails_) return fail(fileError("fsync of", path_, EIO));
    }
    // Only what was appended before the fsync began is sure to be durable.
    const uint64_t durable = base_->size();
    FIL_TRY(base_->sync());
    std::lock_guard lock(fs_.mu_);
    ++fs_.syncs_;
    auto& synced = fs_.synced_size_[path_];
    synced = std::max(synced, durable);
    return ok();
  }

  Status truncate(uint64_t size) override {
    FIL_TRY(base_->truncate(size));
    std::lock_guard lock(fs_.mu_);
    auto& synced = fs_.synced_size_[path_];
    synced = std::min(synced, size);
    return ok();
  }

  Status close() override { return base_->close(); }
  uint64_t size() const override { return base_->size(); }

 private:
  FaultInjectingFileSystem& fs_;
  std::string path_;
  std::unique_ptr<WritableFile> base_;
};

FaultInjectingFileSystem::FaultInjectingFileSystem(FileSystem& base) : base_(base) {}

void FaultInjectingFileSystem::setSpaceLeft(std::optional<uint64_t> bytes) {
  std::lock_guard lock(mu_);
  space_left_ = bytes;
}

void FaultInjectingFileSystem::setSyncFails(bool fails) {
  std::lock_guard lock(mu_);
  sync_fails_ = fails;
}

void FaultInjectingFileSystem::setMetadataFails(bool fails) {
  std::lock_guard lock(mu_);
  metadata_fails_ = fails;
}

void FaultInjectingFileSystem::clearFaults() {
  std::lock_guard lock(mu_);
  space_left_.reset();
  sync_fails_ = false;
  metadata_fails_ = false;
}

uint64_t FaultInjectingFileSystem::bytesAppended() const {
  std::lock_guard lock(mu_);
  return bytes_appended_;
}

uint64_t FaultInjectingFileSystem::syncs() const {
  std::lock_guard lock(mu_);
  return syncs_;
}

Status FaultInjectingFileSystem::simulateCrash() {
  std::map<std::string, uint64_t> files;
  {
    std::lock_guard lock(mu_);
    files = synced_size_;
  }
  for (const auto& [path, synced] : files) {
    auto info = base_.stat(path);
    if (!info) {
      if (info.error().is(StoreError::kNotFound)) continue;
      return fail(std::move(info).error());
    }
    if (info->size <= synced) continue;
    FIL_ASSIGN_OR_RETURN(auto file, base_.openForWrite(path, OpenMode::kAppend, 0644));
    FIL_TRY(file->truncate(synced));
    FIL_TRY(file->close());
  }
  return ok();
}

Status FaultInjectingFileSystem::checkMetadata(std::string_view what, const std::string& path) const {
  std::lock_guard lock(mu_);
  if (metadata_fails_) return fail(fileError(what, path, EIO));
  return ok();
}

Result<std::unique_ptr<ReadableFile>> FaultInjectingFileSystem::openForRead(const std::string& path) {
  return base_.openForRead(path);
}

Result<std::unique_ptr<WritableFile>> FaultInjectingFileSystem::openForWrite(const std::string& path, OpenMode mode,
                                                                             uint32_t permissions) {
  FIL_TRY(checkMetadata("creating", path));
  FIL_ASSIGN_OR_RETURN(auto file, base_.openForWrite(path, mode, permissions));
  {
    std::lock_guard lock(mu_);
    // Content found at open is taken as durable; everything appended from
    // here on survives a crash only once synced.
    auto [it, inserted] = synced_size_.try_emplace(path, file->size());
    if (mode == OpenMode::kTruncate) {
      it->second = 0;
    } else if (!inserted) {
      it->second = std::min(it->second, file->size());
    }
  }
  return std::unique_ptr<WritableFile>(new File(*this, path, std::move(file)));
}

Status FaultInjectingFileSystem::createDirectory(const std::string& path, uint32_t permissions) {
  FIL_TRY(checkMetadata("creating directory", path));
  return base_.createDirectory(path, permissions);
}

Status FaultInjectingFileSystem::syncDirectory(const std::string& path) {
  {
    std::lock_guard lock(mu_);
    if (sync_fails_) return fail(fileError("fsync of directory", path, EIO));
  }
  FIL_TRY(base_.syncDirectory(path));
  std::lock_guard lock(mu_);
  ++syncs_;
  return ok();
}

namespace {
void moveEntry(std::map<std::string, uint64_t>& sizes, const std::string& from, const std::string& to) {
  auto it = sizes.find(from);
  if (it == sizes.end()) {
    sizes.erase(to);
    return;
  }
  const uint64_t synced = it->second;
  sizes.erase(it);
  sizes[to] = synced;
}
}  // namespace

Status FaultInjectingFileSystem::rename(const std::string& from, const std::string& to) {
  FIL_TRY(checkMetadata("renaming " + from + " to", to));
  FIL_TRY(base_.rename(from, to));
  std::lock_guard lock(mu_);
  moveEntry(synced_size_, from, to);
  return ok();
}

Status FaultInjectingFileSystem::renameNoReplace(const std::string& from, const std::string& to) {
  FIL_TRY(checkMetadata("renaming " + from + " to", to));
  FIL_TRY(base_.renameNoReplace(from, to));
  std::lock_guard lock(mu_);
  moveEntry(synced_size_, from, to);
  return ok();
}

Status FaultInjectingFileSystem::removeFile(const std::string& path) {
  FIL_TRY(checkMetadata("removing", path));
  FIL_TRY(base_.removeFile(path));
  std::lock_guard lock(mu_);
  synced_size_.erase(path);
  return ok();
}

Status FaultInjectingFileSystem::removeDirectory(const std::string& path) {
  FIL_TRY(checkMetadata("removing directory", path));
  return base_.removeDirectory(path);
}

Result<FileInfo> FaultInjectingFileSystem::stat(const std::string& path) { return base_.stat(path); }

Result<std::vector<std::string>> FaultInjectingFileSystem::listDirectory(const std::string& path) {
  return base_.listDirectory(path);
}

}  // namespace fil::store
