#include "fil/store/filesystem.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "fil/store/fault_filesystem.h"
#include "fil/testing/paths.h"

namespace fil::store {
namespace {

class FileSystemTest : public ::testing::Test {
 protected:
  std::string at(const std::string& name) const { return (dir_.path() / name).string(); }
  fil::testing::TempDir dir_;
  FileSystem& fs_ = defaultFileSystem();
};

TEST_F(FileSystemTest, WriteReadStatList) {
  auto file = fs_.openForWrite(at("a"), OpenMode::kCreateExclusive, 0600);
  ASSERT_TRUE(file);
  ASSERT_TRUE((*file)->append(asBytes("hello ")));
  ASSERT_TRUE((*file)->append(asBytes("world")));
  EXPECT_EQ((*file)->size(), 11u);
  ASSERT_TRUE((*file)->sync());
  ASSERT_TRUE((*file)->close());

  EXPECT_EQ(*readFile(fs_, at("a")), toBytes("hello world"));
  auto info = fs_.stat(at("a"));
  ASSERT_TRUE(info);
  EXPECT_EQ(info->size, 11u);
  EXPECT_EQ(info->mode, 0600u);
  EXPECT_FALSE(info->is_directory);

  auto again = fs_.openForWrite(at("a"), OpenMode::kCreateExclusive, 0600);
  ASSERT_FALSE(again);
  EXPECT_TRUE(again.error().is(StoreError::kAlreadyExists));

  auto reader = fs_.openForRead(at("a"));
  ASSERT_TRUE(reader);
  Bytes buf(5);
  EXPECT_EQ(*(*reader)->readAt(6, buf), 5u);
  EXPECT_EQ(buf, toBytes("world"));
  EXPECT_EQ(*(*reader)->readAt(9, buf), 2u);  // short read at the end

  auto names = fs_.listDirectory(dir_.path().string());
  ASSERT_TRUE(names);
  EXPECT_EQ(*names, std::vector<std::string>{"a"});

  auto missing = fs_.openForRead(at("nope"));
  ASSERT_FALSE(missing);
  EXPECT_TRUE(missing.error().is(StoreError::kNotFound));
  EXPECT_NE(missing.error().message().find(at("nope")), std::string::npos);
}

TEST_F(FileSystemTest, ReadFileLimit) {
  ASSERT_TRUE(writeFileAtomic(fs_, at("big"), Bytes(100), 0644));
  auto r = readFile(fs_, at("big"), 99);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(StoreError::kTooLarge));
}

TEST_F(FileSystemTest, AtomicWriteReplacesOrRefuses) {
  ASSERT_TRUE(writeFileAtomic(fs_, at("token"), asBytes("one"), 0600));
  ASSERT_TRUE(writeFileAtomic(fs_, at("token"), asBytes("two"), 0600));
  EXPECT_EQ(*readFile(fs_, at("token")), toBytes("two"));
  auto refused = writeFileAtomic(fs_, at("token"), asBytes("three"), 0600, /*replace=*/false);
  ASSERT_FALSE(refused);
  EXPECT_TRUE(refused.error().is(StoreError::kAlreadyExists));
  EXPECT_EQ(*readFile(fs_, at("token")), toBytes("two"));
  EXPECT_EQ(fs_.stat(at("token"))->mode, 0600u);
  // No temporary file is left behind either way.
  EXPECT_EQ(*fs_.listDirectory(dir_.path().string()), std::vector<std::string>{"token"});
}

TEST_F(FileSystemTest, CreateDirectories) {
  ASSERT_TRUE(createDirectories(fs_, at("x/y/z"), 0700));
  EXPECT_TRUE(fs_.stat(at("x/y/z"))->is_directory);
  EXPECT_TRUE(createDirectories(fs_, at("x/y/z")));  // exists: fine
  ASSERT_TRUE(writeFileAtomic(fs_, at("file"), {}, 0644));
  EXPECT_FALSE(createDirectories(fs_, at("file")));
  EXPECT_EQ(parentDirectory("/a/b"), "/a");
  EXPECT_EQ(parentDirectory("/a"), "/");
  EXPECT_EQ(parentDirectory("a"), ".");
}

TEST_F(FileSystemTest, RenameNoReplace) {
  ASSERT_TRUE(writeFileAtomic(fs_, at("a"), asBytes("a"), 0644));
  ASSERT_TRUE(writeFileAtomic(fs_, at("b"), asBytes("b"), 0644));
  auto r = fs_.renameNoReplace(at("a"), at("b"));
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(StoreError::kAlreadyExists));
  ASSERT_TRUE(fs_.renameNoReplace(at("a"), at("c")));
  EXPECT_EQ(*readFile(fs_, at("c")), toBytes("a"));
  EXPECT_FALSE(*exists(fs_, at("a")));
}

TEST_F(FileSystemTest, FaultDiskFullWritesWhatFits) {
  FaultInjectingFileSystem faulty(fs_);
  faulty.setSpaceLeft(4);
  auto file = faulty.openForWrite(at("f"), OpenMode::kTruncate, 0644);
  ASSERT_TRUE(file);
  auto r = (*file)->append(asBytes("0123456789"));
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(StoreError::kDiskFull));
  EXPECT_NE(r.error().message().find("No space left"), std::string::npos);
  ASSERT_TRUE((*file)->close());
  EXPECT_EQ(*readFile(fs_, at("f")), toBytes("0123"));
  EXPECT_EQ(faulty.bytesAppended(), 4u);

  // And the atomic writer leaves nothing behind.
  auto atomic = writeFileAtomic(faulty, at("g"), asBytes("data"), 0644);
  ASSERT_FALSE(atomic);
  EXPECT_TRUE(atomic.error().is(StoreError::kDiskFull));
  EXPECT_FALSE(*exists(fs_, at("g")));
  EXPECT_EQ(fs_.listDirectory(dir_.path().string())->size(), 1u);
}

TEST_F(FileSystemTest, FaultFailingSyncLeavesOldContent) {
  ASSERT_TRUE(writeFileAtomic(fs_, at("cfg"), asBytes("old"), 0644));
  FaultInjectingFileSystem faulty(fs_);
  faulty.setSyncFails(true);
  auto r = writeFileAtomic(faulty, at("cfg"), asBytes("new"), 0644);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(StoreError::kIo));
  EXPECT_NE(r.error().message().find("fsync"), std::string::npos);
  EXPECT_EQ(*readFile(fs_, at("cfg")), toBytes("old"));
  EXPECT_EQ(fs_.listDirectory(dir_.path().string())->size(), 1u);
}

TEST_F(FileSystemTest, FaultCrashDropsUnsyncedBytes) {
  FaultInjectingFileSystem faulty(fs_);
  auto file = faulty.openForWrite(at("log"), OpenMode::kTruncate, 0644);
  ASSERT_TRUE(file);
  ASSERT_TRUE((*file)->append(asBytes("synced;")));
  ASSERT_TRUE((*file)->sync());
  ASSERT_TRUE((*file)->append(asBytes("lost")));
  ASSERT_TRUE((*file)->close());
  ASSERT_TRUE(faulty.rename(at("log"), at("log2")));
  ASSERT_TRUE(faulty.simulateCrash());
  EXPECT_EQ(*readFile(fs_, at("log2")), toBytes("synced;"));
  EXPECT_EQ(faulty.syncs(), 1u);
}

TEST_F(FileSystemTest, FaultMetadataFailures) {
  FaultInjectingFileSystem faulty(fs_);
  faulty.setMetadataFails(true);
  EXPECT_FALSE(faulty.openForWrite(at("x"), OpenMode::kTruncate, 0644));
  EXPECT_FALSE(faulty.createDirectory(at("d"), 0755));
  faulty.clearFaults();
  EXPECT_TRUE(faulty.createDirectory(at("d"), 0755));
}

}  // namespace
}  // namespace fil::store
