#include "fil/proofs/partial_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include <fmt/format.h>

#include "fil/proofs/proofs_error.h"

namespace fil::proofs {

namespace fs = std::filesystem;

namespace {

// Trailers beyond this are refused rather than read: a real one is a few
// bytes (one run per piece), and the length comes from the file.
constexpr uint64_t kMaxTrailerBytes = 64 << 20;

// Bits least significant first, as go-bitfield's bitvec writes them.
class BitWriter {
 public:
  void put(uint64_t value, unsigned bits) {
    for (unsigned i = 0; i < bits; ++i) {
      if (used_ == 0) out_.push_back(0);
      if ((value >> i) & 1) out_.back() = static_cast<uint8_t>(out_.back() | (1u << used_));
      used_ = (used_ + 1) % 8;
    }
  }
  Bytes finish() {
    while (!out_.empty() && out_.back() == 0) out_.pop_back();  // go-bitfield: minimally encoded
    return std::move(out_);
  }

 private:
  Bytes out_;
  unsigned used_ = 0;  // bits used in the last byte
};

// Past the end the stream reads as zero bits, as go-bitfield's reader does.
class BitReader {
 public:
  explicit BitReader(BytesView in) : in_(in) {}
  uint64_t get(unsigned bits) {
    uint64_t v = 0;
    for (unsigned i = 0; i < bits; ++i, ++pos_) {
      const uint64_t byte = pos_ / 8;
      if (byte < in_.size() && ((in_[byte] >> (pos_ % 8)) & 1)) v |= uint64_t{1} << i;
    }
    return v;
  }

 private:
  BytesView in_;
  uint64_t pos_ = 0;
};

void putRunLength(BitWriter& w, uint64_t length) {
  if (length == 1) {
    w.put(1, 1);
  } else if (length < 16) {
    w.put(2, 2);
    w.put(length, 4);
  } else {
    w.put(0, 2);
    while (length >= 0x80) {
      w.put((length & 0x7f) | 0x80, 8);
      length >>= 7;
    }
    w.put(length, 8);
  }
}

Result<uint64_t> getRunLength(BitReader& r) {
  if (r.get(1) == 1) return 1;
  if (r.get(1) == 1) return r.get(4);
  // A uvarint, refused as Go's binary.Uvarint and go-bitfield refuse it.
  uint64_t x = 0;
  unsigned shift = 0;
  for (int i = 0;; ++i) {
    if (i == 10) return fail(ProofsError::kCorruptFile, "RLE+ run length is too long");
    const uint64_t b = r.get(8);
    if (b < 0x80) {
      if (i == 9 && b > 1) return fail(ProofsError::kCorruptFile, "RLE+ run length overflows 64 bits");
      if (b == 0 && shift > 0) return fail(ProofsError::kCorruptFile, "RLE+ run length is not minimally encoded");
      return x | (b << shift);
    }
    x |= (b & 0x7f) << shift;
    shift += 7;
  }
}

// a ∪ [offset, end), kept sorted and merged.
std::vector<ByteRange> unite(const std::vector<ByteRange>& a, ByteRange add) {
  std::vector<ByteRange> out;
  bool placed = false;
  for (const auto& r : a) {
    if (r.end() < add.offset) {
      out.push_back(r);
    } else if (add.end() < r.offset) {
      if (!placed) out.push_back(add);
      placed = true;
      out.push_back(r);
    } else {  // overlapping or adjacent: merge into `add`
      const uint64_t begin = std::min(r.offset, add.offset), end = std::max(r.end(), add.end());
      add = {begin, end - begin};
    }
  }
  if (!placed) out.push_back(add);
  return out;
}

std::vector<ByteRange> subtract(const std::vector<ByteRange>& a, ByteRange cut) {
  std::vector<ByteRange> out;
  for (const auto& r : a) {
    if (r.end() <= cut.offset || cut.end() <= r.offset) {
      out.push_back(r);
      continue;
    }
    if (r.offset < cut.offset) out.push_back({r.offset, cut.offset - r.offset});
    if (cut.end() < r.end()) out.push_back({cut.end(), r.end() - cut.end()});
  }
  return out;
}

Status pwriteAll(int fd, const uint8_t* data, size_t size, uint64_t offset, const fs::path& path) {
  while (size > 0) {
    const ssize_t n = ::pwrite(fd, data, size, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(errnoError("writing " + path.string(), errno));
    }
    data += n;
    size -= static_cast<size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return ok();
}

}  // namespace

Bytes encodeRlePlusRanges(std::span<const ByteRange> ranges) {
  BitWriter w;
  w.put(0, 2);  // version
  if (ranges.empty()) {
    w.put(0, 1);
    return w.finish();
  }
  uint64_t pos = 0;
  w.put(ranges.front().offset == 0 ? 1 : 0, 1);  // the value of the first run
  for (const auto& r : ranges) {
    if (r.offset > pos) putRunLength(w, r.offset - pos);
    putRunLength(w, r.size);
    pos = r.end();
  }
  return w.finish();
}

Result<std::vector<ByteRange>> decodeRlePlusRanges(BytesView rle, uint64_t limit) {
  if (!rle.empty() && rle.back() == 0) {
    return fail(ProofsError::kCorruptFile, "RLE+ bitfield ends in a zero byte (not minimally encoded)");
  }
  std::vector<ByteRange> ranges;
  if (rle.empty()) return ranges;
  BitReader r(rle);
  if (const uint64_t version = r.get(2); version != 0) {
    return fail(ProofsError::kCorruptFile, fmt::format("RLE+ bitfield has version {}, expected 0", version));
  }
  bool set = r.get(1) == 1;
  uint64_t pos = 0;
  for (;;) {
    FIL_ASSIGN_OR_RETURN(const uint64_t length, getRunLength(r));
    if (length == 0) break;  // the end (the stream reads as zeros past its bytes)
    if (length > limit - pos) {
      return fail(ProofsError::kCorruptFile,
                  fmt::format("RLE+ bitfield runs past {} (a run of {} at {})", limit, length, pos));
    }
    if (set) ranges.push_back({pos, length});
    pos += length;
    set = !set;
  }
  return ranges;
}

// ---------------------------------------------------------------------------

Result<PartialFile> PartialFile::open(const fs::path& path, uint64_t sector_size) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return fail(ProofsError::kMissingFile, fmt::format("unsealed file {} is missing", path.string()));
    return fail(errnoError("opening " + path.string(), errno));
  }
  PartialFile file(path, sector_size, fd, {});  // closes fd on every return below
  struct stat st {};
  if (fstat(fd, &st) != 0) return fail(errnoError("reading the size of " + path.string(), errno));
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  auto corrupt = [&](std::string what) {
    return fail(ProofsError::kCorruptFile, fmt::format("unsealed file {}: {}", path.string(), what));
  };
  if (size < sector_size + 4) {
    return corrupt(fmt::format("{} bytes is less than the sector ({} bytes) and a trailer length", size, sector_size));
  }
  uint8_t len_bytes[4];
  if (::pread(fd, len_bytes, 4, static_cast<off_t>(size - 4)) != 4) {
    return fail(errnoError("reading the trailer of " + path.string(), errno));
  }
  const uint64_t trailer = readU32LE(len_bytes);
  if (sector_size + trailer + 4 != size) {
    return corrupt(fmt::format("{} bytes, expected {} (sector) + {} (trailer) + 4", size, sector_size, trailer));
  }
  if (trailer > kMaxTrailerBytes) return corrupt(fmt::format("a trailer of {} bytes", trailer));
  Bytes rle(trailer);
  if (trailer > 0 && ::pread(fd, rle.data(), rle.size(), static_cast<off_t>(sector_size)) !=
                         static_cast<ssize_t>(rle.size())) {
    return fail(errnoError("reading the trailer of " + path.string(), errno));
  }
  auto ranges = decodeRlePlusRanges(rle, sector_size);
  if (!ranges) return fail(std::move(ranges).error().withContext("unsealed file " + path.string()));
  file.allocated_ = std::move(*ranges);
  return file;
}

Result<PartialFile> PartialFile::openOrCreate(const fs::path& path, uint64_t sector_size) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == EEXIST) return open(path, sector_size);
    return fail(errnoError("creating " + path.string(), errno));
  }
  PartialFile file(path, sector_size, fd, {});
  // Reserve the sector's blocks, as Lotus does, where the file system can;
  // elsewhere the file stays sparse.
  if (::fallocate(fd, 0, 0, static_cast<off_t>(sector_size)) != 0 && errno != EOPNOTSUPP && errno != ENOSYS) {
    const int e = errno;
    std::error_code ec;
    fs::remove(path, ec);
    return fail(errnoError(fmt::format("reserving {} bytes for {}", sector_size, path.string()), e));
  }
  if (auto st = file.writeTrailer({}); !st) {
    std::error_code ec;
    fs::remove(path, ec);
    return fail(std::move(st).error());
  }
  return file;
}

PartialFile::PartialFile(PartialFile&& o) noexcept { *this = std::move(o); }

PartialFile& PartialFile::operator=(PartialFile&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(o.path_);
    sector_size_ = o.sector_size_;
    fd_ = std::exchange(o.fd_, -1);
    allocated_ = std::move(o.allocated_);
  }
  return *this;
}

PartialFile::~PartialFile() {
  if (fd_ >= 0) ::close(fd_);
}

bool PartialFile::isAllocated(uint64_t offset, uint64_t size) const {
  if (size == 0) return true;
  for (const auto& r : allocated_) {
    if (r.offset <= offset && offset + size <= r.end()) return true;
  }
  return false;  // ranges are merged, so one must hold it all
}

Status PartialFile::checkRange(uint64_t offset, uint64_t size, std::string_view what) const {
  if (offset > sector_size_ || size > sector_size_ - offset) {
    return fail(ProofsError::kInvalidInput, fmt::format("{} [{}, {}) is outside the {}-byte sector of {}", what, offset,
                                                        offset + size, sector_size_, path_.string()));
  }
  return ok();
}

Status PartialFile::read(uint64_t offset, MutableBytesView out) const {
  FIL_TRY(checkRange(offset, out.size(), "read"));
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(errnoError("reading " + path_.string(), errno));
    }
    if (n == 0) return fail(ProofsError::kCorruptFile, fmt::format("{} ends inside its sector", path_.string()));
    done += static_cast<size_t>(n);
  }
  return ok();
}

Status PartialFile::write(uint64_t offset, BytesView data) {
  FIL_TRY(checkRange(offset, data.size(), "write"));
  return pwriteAll(fd_, data.data(), data.size(), offset, path_);
}

Status PartialFile::writeTrailer(const std::vector<ByteRange>& ranges) {
  const Bytes rle = encodeRlePlusRanges(ranges);
  Bytes trailer = rle;
  putU32LE(trailer, static_cast<uint32_t>(rle.size()));
  FIL_TRY(pwriteAll(fd_, trailer.data(), trailer.size(), sector_size_, path_));
  if (::ftruncate(fd_, static_cast<off_t>(sector_size_ + trailer.size())) != 0) {
    return fail(errnoError("truncating " + path_.string(), errno));
  }
  if (::fsync(fd_) != 0) return fail(errnoError("syncing " + path_.string(), errno));
  allocated_ = ranges;
  return ok();
}

Status PartialFile::markAllocated(uint64_t offset, uint64_t size) {
  FIL_TRY(checkRange(offset, size, "allocated range"));
  if (size == 0) return ok();
  return writeTrailer(unite(allocated_, {offset, size}));
}

Status PartialFile::free(uint64_t offset, uint64_t size) {
  FIL_TRY(checkRange(offset, size, "freed range"));
  if (size == 0) return ok();
  if (::fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(offset),
                  static_cast<off_t>(size)) != 0) {
    if (errno != EOPNOTSUPP && errno != ENOSYS) return fail(errnoError("freeing a range of " + path_.string(), errno));
    const Bytes zeros(std::min<uint64_t>(size, 1 << 20), 0);  // no holes here: zeros instead
    for (uint64_t done = 0; done < size;) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(zeros.size(), size - done));
      FIL_TRY(pwriteAll(fd_, zeros.data(), n, offset + done, path_));
      done += n;
    }
  }
  return writeTrailer(subtract(allocated_, {offset, size}));
}

}  // namespace fil::proofs
