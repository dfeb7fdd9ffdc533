#include "fil/store/filesystem.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "fil/base/hex.h"
#include "fil/crypto/random.h"

namespace fil::store {

Error fileError(std::string_view what, const std::string& path, int errno_value) {
  StoreError kind = StoreError::kIo;
  switch (errno_value) {
    case ENOSPC:
    case EDQUOT: kind = StoreError::kDiskFull; break;
    case ENOENT: kind = StoreError::kNotFound; break;
    case EEXIST: kind = StoreError::kAlreadyExists; break;
    case EACCES:
    case EPERM: kind = StoreError::kPermission; break;
    default: break;
  }
  return Error(kind, fmt::format("{} {}: {}", what, path, std::strerror(errno_value)));
}

namespace {

class PosixReadableFile final : public ReadableFile {
 public:
  PosixReadableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixReadableFile() override { ::close(fd_); }

  Result<size_t> readAt(uint64_t offset, MutableBytesView out) override {
    size_t done = 0;
    while (done < out.size()) {
      const ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
      if (n < 0) {
        if (errno == EINTR) continue;
        return fail(fileError("reading", path_, errno));
      }
      if (n == 0) break;
      done += static_cast<size_t>(n);
    }
    return done;
  }

  Result<uint64_t> size() override {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return fail(fileError("stat of", path_, errno));
    return static_cast<uint64_t>(st.st_size);
  }

 private:
  std::string path_;
  int fd_;
};

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd, uint64_t size) : path_(std::move(path)), fd_(fd), size_(size) {}
  ~PosixWritableFile() override {
    if (fd_ >= 0) ::close(fd_);
  }

  Status append(BytesView data) override {
    if (fd_ < 0) return fail(StoreError::kClosed, "writing " + path_ + " after close");
    size_t done = 0;
    while (done < data.size()) {
      const ssize_t n = ::write(fd_, data.data() + done, data.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        return fail(fileError("writing", path_, errno));
      }
      done += static_cast<size_t>(n);
      size_ += static_cast<uint64_t>(n);
    }
    return ok();
  }

  Status sync() override {
    if (fd_ < 0) return fail(StoreError::kClosed, "syncing " + path_ + " after close");
    // fdatasync: the data and the size needed to read it back, without the
    // timestamps fsync would also write.
    if (::fdatasync(fd_) != 0) return fail(fileError("fsync of", path_, errno));
    return ok();
  }

  Status truncate(uint64_t size) override {
    if (fd_ < 0) return fail(StoreError::kClosed, "truncating " + path_ + " after close");
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) return fail(fileError("truncating", path_, errno));
    if (::lseek(fd_, static_cast<off_t>(size), SEEK_SET) < 0) return fail(fileError("seeking in", path_, errno));
    size_ = size;
    return ok();
  }

  Status close() override {
    if (fd_ < 0) return ok();
    const int rc = ::close(fd_);
    fd_ = -1;
    // close() can report a deferred write error (NFS, some quota paths).
    if (rc != 0 && errno != EINTR) return fail(fileError("closing", path_, errno));
    return ok();
  }

  uint64_t size() const override { return size_; }

 private:
  std::string path_;
  int fd_;
  std::atomic<uint64_t> size_;  // read by sync() callers on other threads
};

class PosixFileSystem final : public FileSystem {
 public:
  Result<std::unique_ptr<ReadableFile>> openForRead(const std::string& path) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail(fileError("opening", path, errno));
    return std::unique_ptr<ReadableFile>(new PosixReadableFile(path, fd));
  }

  Result<std::unique_ptr<WritableFile>> openForWrite(const std::string& path, OpenMode mode,
                                                     uint32_t permissions) override {
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC;
    switch (mode) {
      case OpenMode::kCreateExclusive: flags |= O_EXCL; break;
      case OpenMode::kTruncate: flags |= O_TRUNC; break;
      case OpenMode::kAppend: flags |= O_APPEND; break;
    }
    const int fd = ::open(path.c_str(), flags, permissions);
    if (fd < 0) return fail(fileError("creating", path, errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      const int e = errno;
      ::close(fd);
      return fail(fileError("stat of", path, e));
    }
    return std::unique_ptr<WritableFile>(new PosixWritableFile(path, fd, static_cast<uint64_t>(st.st_size)));
  }

  Status createDirectory(const std::string& path, uint32_t permissions) override {
    if (::mkdir(path.c_str(), permissions) != 0) return fail(fileError("creating directory", path, errno));
    return ok();
  }

  Status syncDirectory(const std::string& path) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return fail(fileError("opening directory", path, errno));
    const int rc = ::fsync(fd);
    const int e = errno;
    ::close(fd);
    if (rc != 0) return fail(fileError("fsync of directory", path, e));
    return ok();
  }

  Status rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return fail(fileError("renaming " + from + " to", to, errno));
    return ok();
  }

  Status renameNoReplace(const std::string& from, const std::string& to) override {
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return ok();
    if (errno != EINVAL && errno != ENOSYS) return fail(fileError("renaming " + from + " to", to, errno));
    // Filesystems without RENAME_NOREPLACE: link() refuses an existing name too.
    if (::link(from.c_str(), to.c_str()) != 0) return fail(fileError("linking " + from + " to", to, errno));
    if (::unlink(from.c_str()) != 0) return fail(fileError("removing", from, errno));
    return ok();
  }

  Status removeFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return fail(fileError("removing", path, errno));
    return ok();
  }

  Status removeDirectory(const std::string& path) override {
    if (::rmdir(path.c_str()) != 0) return fail(fileError("removing directory", path, errno));
    return ok();
  }

  Result<FileInfo> stat(const std::string& path) override {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return fail(fileError("stat of", path, errno));
    return FileInfo{static_cast<uint64_t>(st.st_size), static_cast<uint32_t>(st.st_mode & 07777),
                    S_ISDIR(st.st_mode)};
  }

  Result<std::vector<std::string>> listDirectory(const std::string& path) override {
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr) return fail(fileError("listing", path, errno));
    std::vector<std::string> names;
    errno = 0;
    while (const dirent* entry = ::readdir(dir)) {
      const std::string_view name = entry->d_name;
      if (name != "." && name != "..") names.emplace_back(name);
      errno = 0;
    }
    const int e = errno;
    ::closedir(dir);
    if (e != 0) return fail(fileError("listing", path, e));
    return names;
  }
};

}  // namespace

FileSystem& defaultFileSystem() {
  static PosixFileSystem fs;
  return fs;
}

Result<Bytes> readFile(FileSystem& fs, const std::string& path, uint64_t max_size) {
  FIL_ASSIGN_OR_RETURN(auto file, fs.openForRead(path));
  FIL_ASSIGN_OR_RETURN(uint64_t size, file->size());
  if (size > max_size) {
    return fail(StoreError::kTooLarge, fmt::format("{} is {} bytes, more than the {} allowed", path, size, max_size));
  }
  Bytes data(size);
  FIL_ASSIGN_OR_RETURN(size_t n, file->readAt(0, data));
  data.resize(n);
  return data;
}

std::string parentDirectory(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string temporaryPathFor(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  return dir + "." + name + ".tmp-" + toHex(crypto::randomBytes(6));
}

Status writeFileAtomic(FileSystem& fs, const std::string& path, BytesView data, uint32_t permissions,
                       bool replace) {
  const std::string tmp = temporaryPathFor(path);
  FIL_ASSIGN_OR_RETURN(auto file, fs.openForWrite(tmp, OpenMode::kCreateExclusive, permissions));
  auto written = [&]() -> Status {
    FIL_TRY(file->append(data));
    FIL_TRY(file->sync());
    FIL_TRY(file->close());
    if (replace) return fs.rename(tmp, path);
    return fs.renameNoReplace(tmp, path);
  }();
  if (!written) {
    file.reset();
    (void)fs.removeFile(tmp);  // best effort: the error that matters is the one above
    return written;
  }
  return fs.syncDirectory(parentDirectory(path));
}

Status createDirectories(FileSystem& fs, const std::string& path, uint32_t permissions) {
  if (path.empty()) return ok();
  auto info = fs.stat(path);
  if (info) {
    if (!info->is_directory) return fail(StoreError::kAlreadyExists, path + " exists and is not a directory");
    return ok();
  }
  if (!info.error().is(StoreError::kNotFound)) return fail(std::move(info).error());
  const std::string parent = parentDirectory(path);
  if (parent != path && parent != "." && parent != "/") FIL_TRY(createDirectories(fs, parent, permissions));
  auto created = fs.createDirectory(path, permissions);
  if (!created && !created.error().is(StoreError::kAlreadyExists)) return created;
  return ok();
}

Result<bool> exists(FileSystem& fs, const std::string& path) {
  auto info = fs.stat(path);
  if (info) return true;
  if (info.error().is(StoreError::kNotFound)) return false;
  return fail(std::move(info).error());
}

}  // namespace fil::store
