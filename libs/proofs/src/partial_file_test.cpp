#include "fil/proofs/partial_file.h"

#include <gtest/gtest.h>

#include <fstream>

#include "fil/base/hex.h"
#include "fil/proofs/proofs_error.h"
#include "fil/testing/paths.h"

namespace fil::proofs {
namespace {

namespace fs = std::filesystem;

Bytes fileBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

void writeBytes(const fs::path& path, const Bytes& b) {
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

// go-bitfield rle/rleplus_test.go, TestDecode: the set {0, 2, 4, 5, 6,
// 11..27} (the Rust reference's encoding with the version bits added).
TEST(RlePlus, GoBitfieldReferenceVector) {
  const std::vector<ByteRange> ranges = {{0, 1}, {2, 1}, {4, 3}, {11, 17}};
  const Bytes expected = {124, 71, 34, 2};
  EXPECT_EQ(encodeRlePlusRanges(ranges), expected);
  auto back = decodeRlePlusRanges(expected, 1 << 20);
  ASSERT_TRUE(back.has_value()) << back.error().message();
  EXPECT_EQ(*back, ranges);
}

TEST(RlePlus, LotusTrailerForms) {
  // Nothing allocated: no bytes (a fresh Lotus partial file's trailer).
  EXPECT_TRUE(encodeRlePlusRanges({}).empty());
  EXPECT_TRUE(decodeRlePlusRanges({}, 2048)->empty());
  // A whole 2 KiB sector: "00" version, first run set, "00" + uvarint 2048
  // (0x80 0x10), least significant bit first.
  const std::vector<ByteRange> whole = {{0, 2048}};
  EXPECT_EQ(toHex(encodeRlePlusRanges(whole)), "041002");
  // A piece after a gap starts with an unset run; short runs use 4 bits.
  const std::vector<ByteRange> later = {{1024, 1024}, {2048 + 5, 7}};
  const Bytes enc = encodeRlePlusRanges(later);
  EXPECT_EQ(*decodeRlePlusRanges(enc, 1 << 20), later);
}

TEST(RlePlus, RefusesWhatGoBitfieldRefuses) {
  EXPECT_TRUE(decodeRlePlusRanges(Bytes{0x04, 0x10, 0x02, 0x00}, 4096).error().is(ProofsError::kCorruptFile));
  EXPECT_TRUE(decodeRlePlusRanges(Bytes{0x01}, 4096).error().is(ProofsError::kCorruptFile));  // version 1
  // A run past the limit, and runs summing past it.
  EXPECT_TRUE(decodeRlePlusRanges(Bytes{0x04, 0x10, 0x02}, 2047).error().is(ProofsError::kCorruptFile));
  // Version 00, first run set, "00", then the uvarint bytes 0x80 0x00 (a
  // zero continuation: not minimal), then a set bit so the buffer does not
  // end in a zero byte.
  EXPECT_TRUE(decodeRlePlusRanges(Bytes{0x04, 0x10, 0x00, 0x01}, 1ULL << 40).error().is(ProofsError::kCorruptFile));
  // Eleven 0xff continuation bytes: longer than any uint64.
  Bytes too_long = {0x04};
  for (int i = 0; i < 11; ++i) too_long.push_back(0xff);
  too_long.push_back(0x01);
  EXPECT_TRUE(decodeRlePlusRanges(too_long, ~0ULL).error().is(ProofsError::kCorruptFile));
}

TEST(PartialFile, LifecycleAndOnDiskLayout) {
  testing::TempDir dir;
  const auto path = dir.path() / "s-t01000-1";
  constexpr uint64_t kSector = 2048;
  {
    auto f = PartialFile::openOrCreate(path, kSector);
    ASSERT_TRUE(f.has_value()) << f.error().message();
    EXPECT_TRUE(f->allocated().empty());
    EXPECT_FALSE(f->isAllocated(0, 128));
  }
  // Sector bytes, an empty bitfield, its length 0.
  EXPECT_EQ(fs::file_size(path), kSector + 4);
  {
    auto f = PartialFile::openOrCreate(path, kSector);  // opens the existing file
    ASSERT_TRUE(f.has_value());
    Bytes piece(1024);
    for (size_t i = 0; i < piece.size(); ++i) piece[i] = static_cast<uint8_t>(i * 7);
    ASSERT_TRUE(f->write(1024, piece).has_value());
    ASSERT_TRUE(f->markAllocated(1024, 1024).has_value());
    ASSERT_TRUE(f->markAllocated(0, 128).has_value());
    EXPECT_TRUE(f->isAllocated(1024, 1024));
    EXPECT_TRUE(f->isAllocated(0, 128));
    EXPECT_FALSE(f->isAllocated(0, 256));
    EXPECT_TRUE(f->write(2000, piece).error().is(ProofsError::kInvalidInput));  // past the sector
  }
  {
    const Bytes disk = fileBytes(path);
    const std::vector<ByteRange> expect = {{0, 128}, {1024, 1024}};
    const Bytes rle = encodeRlePlusRanges(expect);
    ASSERT_EQ(disk.size(), kSector + rle.size() + 4);
    EXPECT_TRUE(std::equal(rle.begin(), rle.end(), disk.begin() + kSector));
    EXPECT_EQ(readU32LE(disk.data() + disk.size() - 4), rle.size());
    EXPECT_EQ(disk[1024 + 3], 21);
  }
  {
    auto f = PartialFile::open(path, kSector);
    ASSERT_TRUE(f.has_value()) << f.error().message();
    EXPECT_EQ(f->allocated(), (std::vector<ByteRange>{{0, 128}, {1024, 1024}}));
    // Adjacent ranges merge; freeing returns zeros and splits a range.
    ASSERT_TRUE(f->markAllocated(128, 128).has_value());
    EXPECT_TRUE(f->isAllocated(0, 256));
    ASSERT_TRUE(f->free(1024 + 256, 256).has_value());
    EXPECT_EQ(f->allocated(), (std::vector<ByteRange>{{0, 256}, {1024, 256}, {1536, 512}}));
    Bytes back(256);
    ASSERT_TRUE(f->read(1024 + 256, back).has_value());
    EXPECT_EQ(back, Bytes(256, 0));
    ASSERT_TRUE(f->read(1024 + 512, back).has_value());
    EXPECT_EQ(back[3], static_cast<uint8_t>((512 + 3) * 7));
  }
}

TEST(PartialFile, DamagedFilesAreRefusedWithTheirProblem) {
  testing::TempDir dir;
  const auto path = dir.path() / "u";
  EXPECT_TRUE(PartialFile::open(path, 2048).error().is(ProofsError::kMissingFile));
  ASSERT_TRUE(PartialFile::openOrCreate(path, 2048).has_value());
  const Bytes good = fileBytes(path);

  // A raw sector with no trailer (the length would be read from data).
  writeBytes(path, Bytes(2048, 0x11));
  auto r = PartialFile::open(path, 2048);
  EXPECT_TRUE(r.error().is(ProofsError::kCorruptFile));
  EXPECT_NE(r.error().message().find(path.string()), std::string::npos);
  // A length that disagrees with the file size.
  Bytes bad = good;
  bad.back() = 1;
  writeBytes(path, bad);
  EXPECT_TRUE(PartialFile::open(path, 2048).error().is(ProofsError::kCorruptFile));
  // A bitfield that claims bytes beyond the sector.
  bad = Bytes(2048, 0);
  const Bytes rle = encodeRlePlusRanges(std::vector<ByteRange>{{0, 4096}});
  append(bad, rle);
  putU32LE(bad, static_cast<uint32_t>(rle.size()));
  writeBytes(path, bad);
  EXPECT_TRUE(PartialFile::open(path, 2048).error().is(ProofsError::kCorruptFile));
  // openOrCreate does not clobber a damaged file: it reports it.
  EXPECT_TRUE(PartialFile::openOrCreate(path, 2048).error().is(ProofsError::kCorruptFile));
  EXPECT_EQ(fileBytes(path), bad);
}

}  // namespace
}  // namespace fil::proofs
