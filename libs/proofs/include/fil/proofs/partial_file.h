// The unsealed sector file in Lotus's format (storage/sealer/partialfile):
//
//   [sector_size padded bytes][RLE+ bitfield of allocated bytes][u32 LE length]
//
// The bitfield (go-bitfield's RLE+, one bit per padded byte) says which
// byte ranges hold data: the pieces AddPiece wrote and the ranges unsealing
// recovered. Retrieval reads a range from here only when all of it is
// allocated, and unseals it from the replica otherwise. rust-fil-proofs and
// our PreCommit read the first sector_size bytes and ignore the trailer.
//
//   auto file = PartialFile::open(path, sector_size);        // checks the trailer
//   if (file->isAllocated(offset, size)) file->read(offset, buf);
//   FIL_TRY(file->write(offset, data));
//   FIL_TRY(file->markAllocated(offset, size));              // rewrites the trailer
//
// Not thread-safe; one PartialFile per open file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "fil/base/bytes.h"
#include "fil/base/error.h"

namespace fil::proofs {

// A half-open byte range [offset, offset + size).
struct ByteRange {
  uint64_t offset = 0;
  uint64_t size = 0;
  uint64_t end() const { return offset + size; }
  friend bool operator==(const ByteRange&, const ByteRange&) = default;
};

// go-bitfield's RLE+ of a set of ranges (sorted, disjoint, non-adjacent,
// non-empty), as Lotus writes the trailer: alternating runs from 0, the last
// one set, trailing zero bytes dropped (nothing allocated is no bytes).
Bytes encodeRlePlusRanges(std::span<const ByteRange> ranges);

// Decodes RLE+ as go-bitfield's DecodeRLE accepts it (a version other than
// 0, a trailing zero byte, an over-long or non-minimal varint, or runs
// summing past 2^64 are refused), into the set ranges; refuses ranges that
// end beyond `limit`.
[[nodiscard]] Result<std::vector<ByteRange>> decodeRlePlusRanges(BytesView rle, uint64_t limit);

class PartialFile {
 public:
  // Opens `path` when it exists (checking its trailer), else creates it with
  // nothing allocated and its sector_size bytes preallocated where the file
  // system allows (Lotus's CreatePartialFile).
  [[nodiscard]] static Result<PartialFile> openOrCreate(const std::filesystem::path& path, uint64_t sector_size);
  // Opens an existing file: kMissingFile when there is none, kCorruptFile
  // when its length and trailer disagree or the bitfield does not decode.
  [[nodiscard]] static Result<PartialFile> open(const std::filesystem::path& path, uint64_t sector_size);

  PartialFile(PartialFile&& o) noexcept;
  PartialFile& operator=(PartialFile&& o) noexcept;
  PartialFile(const PartialFile&) = delete;
  PartialFile& operator=(const PartialFile&) = delete;
  ~PartialFile();

  const std::filesystem::path& path() const { return path_; }
  uint64_t sectorSize() const { return sector_size_; }
  const std::vector<ByteRange>& allocated() const { return allocated_; }
  // Whether every byte of [offset, offset + size) is allocated.
  bool isAllocated(uint64_t offset, uint64_t size) const;

  // Data bytes at `offset` (inside the sector; the trailer is not data).
  [[nodiscard]] Status read(uint64_t offset, MutableBytesView out) const;
  [[nodiscard]] Status write(uint64_t offset, BytesView data);
  // Adds or removes a range and rewrites the trailer (then syncs the file).
  // free() also returns the range's disk blocks (a hole reads as zeros).
  [[nodiscard]] Status markAllocated(uint64_t offset, uint64_t size);
  [[nodiscard]] Status free(uint64_t offset, uint64_t size);

 private:
  PartialFile(std::filesystem::path path, uint64_t sector_size, int fd, std::vector<ByteRange> allocated)
      : path_(std::move(path)), sector_size_(sector_size), fd_(fd), allocated_(std::move(allocated)) {}
  Status checkRange(uint64_t offset, uint64_t size, std::string_view what) const;
  Status writeTrailer(const std::vector<ByteRange>& ranges);

  std::filesystem::path path_;
  uint64_t sector_size_ = 0;
  int fd_ = -1;
  std::vector<ByteRange> allocated_;
};

}  // namespace fil::proofs
