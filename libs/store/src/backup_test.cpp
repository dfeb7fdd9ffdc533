#include "fil/store/backup.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "fil/base/hex.h"
#include "fil/codec/cbor.h"
#include "fil/store/fault_filesystem.h"
#include "fil/store/memory_datastore.h"
#include "fil/store/rocksdb_datastore.h"
#include "fil/testing/paths.h"

namespace fil::store {
namespace {

// {"/a": "1", "/b/c": "xyz"} in Lotus's format; the checksum was computed
// independently (Python hashlib over the bytes 0x9f..0xff).
constexpr std::string_view kSmallBackup =
    "829f82422f61413182442f622f634378797aff58209991cf8c781c08a671530fb4e93f36c6809d21a6d693e3df1a1aa589b3ec7b65";
// A log entry ["/a", "2", 1700000000].
constexpr std::string_view kLogEntry = "83422f6141321a6553f100";

Bytes b(std::string_view s) { return toBytes(s); }

Result<std::vector<BackupEntry>> readAll(BytesView data, BackupReadOptions options = {},
                                         BackupSummary* summary = nullptr) {
  MemorySource in(data);
  std::vector<BackupEntry> entries;
  FIL_ASSIGN_OR_RETURN(auto s, readBackup(in, [&](const BackupEntry& e) {
                         entries.push_back(e);
                         return ok();
                       }, options));
  if (summary) *summary = s;
  return entries;
}

TEST(BackupTest, WritesLotusFormatByteForByte) {
  auto ds = makeMemoryDatastore();
  ASSERT_TRUE(ds->put(Key("/b/c"), b("xyz")));
  ASSERT_TRUE(ds->put(Key("/a"), b("1")));
  MemorySink out;
  auto written = writeBackup(*ds, out);
  ASSERT_TRUE(written);
  EXPECT_EQ(toHex(out.data()), kSmallBackup);
  EXPECT_EQ(written->entries, 2u);
  EXPECT_EQ(written->bytes, out.data().size());
}

TEST(BackupTest, ReadsEntriesAndLog) {
  Bytes file = fromHex(kSmallBackup).value();
  append(file, fromHex(kLogEntry).value());
  BackupSummary summary;
  auto entries = readAll(file, {}, &summary);
  ASSERT_TRUE(entries) << entries.error().message();
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].key, "/a");
  EXPECT_EQ((*entries)[1].value, b("xyz"));
  EXPECT_FALSE((*entries)[1].from_log);
  EXPECT_TRUE((*entries)[2].from_log);
  EXPECT_EQ((*entries)[2].timestamp, 1700000000);
  EXPECT_EQ(summary.entries, 2u);
  EXPECT_EQ(summary.log_entries, 1u);
  EXPECT_EQ(summary.bytes, file.size());
  EXPECT_EQ(toHex(summary.checksum), "9991cf8c781c08a671530fb4e93f36c6809d21a6d693e3df1a1aa589b3ec7b65");
}

TEST(BackupTest, TamperedFileIsRefusedAndRestoresNothing) {
  // Change one value byte: the checksum no longer matches.
  Bytes file = fromHex(kSmallBackup).value();
  file[17] ^= 0x01;  // 'x' of "xyz"
  auto read = readAll(file);
  ASSERT_FALSE(read);
  EXPECT_TRUE(read.error().is(StoreError::kChecksumMismatch));
  EXPECT_NE(read.error().message().find("9991cf8c"), std::string::npos) << read.error().message();

  auto dest = makeMemoryDatastore();
  MemorySource in(file);
  auto restored = restoreBackup(in, *dest);
  ASSERT_FALSE(restored);
  EXPECT_TRUE(*isEmpty(*dest));
}

TEST(BackupTest, EveryTruncationIsRefusedAndRestoresNothing) {
  const Bytes file = fromHex(kSmallBackup).value();
  for (size_t cut = 0; cut < file.size(); ++cut) {
    auto dest = makeMemoryDatastore();
    MemorySource in(BytesView(file).first(cut));
    auto restored = restoreBackup(in, *dest);
    ASSERT_FALSE(restored) << "cut at " << cut;
    EXPECT_TRUE(restored.error().is(StoreError::kTruncated)) << cut << ": " << restored.error().message();
    EXPECT_TRUE(*isEmpty(*dest));
  }
}

TEST(BackupTest, TruncatedLogNeedsConsent) {
  Bytes file = fromHex(kSmallBackup).value();
  append(file, fromHex(kLogEntry).value());
  append(file, fromHex(kLogEntry).value());
  file.resize(file.size() - 3);  // the second log entry is torn
  auto strict = readAll(file);
  ASSERT_FALSE(strict);
  EXPECT_TRUE(strict.error().is(StoreError::kTruncated));
  EXPECT_NE(strict.error().message().find("LOTUS_ALLOW_TRUNCATED_LOG"), std::string::npos);

  BackupSummary summary;
  auto lenient = readAll(file, {.allow_truncated_log = true}, &summary);
  ASSERT_TRUE(lenient);
  EXPECT_EQ(lenient->size(), 3u);
  EXPECT_TRUE(summary.log_truncated);
}

TEST(BackupTest, MalformedInputs) {
  EXPECT_TRUE(readAll(fromHex("a0").value()).error().is(StoreError::kMalformed));
  EXPECT_TRUE(readAll(fromHex("8280").value()).error().is(StoreError::kMalformed));
  EXPECT_TRUE(readAll(fromHex("829f8341614162ff").value()).error().is(StoreError::kMalformed));
  EXPECT_TRUE(readAll(fromHex("829f82616141").value()).error().is(StoreError::kMalformed));  // text key
  // A length of 2^40 on a short input: refused, not allocated.
  EXPECT_TRUE(readAll(fromHex("829f825b000001000000000041").value()).error().is(StoreError::kTooLarge));
  EXPECT_TRUE(readAll(fromHex("829f825a3fffffff41").value()).error().is(StoreError::kTruncated));
  // Non-minimal length.
  EXPECT_TRUE(readAll(fromHex("829f82580141").value()).error().is(StoreError::kMalformed));
}

TEST(BackupTest, RestoreIsOneBatchWithProgress) {
  auto src = makeMemoryDatastore();
  for (int i = 0; i < 10000; ++i) ASSERT_TRUE(src->put(Key(fmt::format("/k/{:05}", i)), b(std::to_string(i))));
  MemorySink out;
  ASSERT_TRUE(writeBackup(*src, out));
  Bytes file = std::move(out).take();
  append(file, fromHex(kLogEntry).value());  // "/a" = "2" from the log

  auto dest = makeMemoryDatastore();
  std::vector<RestoreProgress> reports;
  MemorySource in(file);
  auto restored = restoreBackup(in, *dest, [&](const RestoreProgress& p) { reports.push_back(p); }, {}, file.size());
  ASSERT_TRUE(restored) << restored.error().message();
  EXPECT_EQ(restored->entries, 10000u);
  EXPECT_EQ(restored->log_entries, 1u);
  ASSERT_GE(reports.size(), 3u);
  EXPECT_FALSE(reports.front().committed);
  EXPECT_LT(reports.front().bytes_read, file.size());
  EXPECT_TRUE(reports.back().committed);
  EXPECT_EQ(reports.back().entries, 10001u);
  EXPECT_EQ(reports.back().bytes_read, file.size());
  EXPECT_EQ(reports.back().total_bytes, file.size());
  EXPECT_EQ(*dest->get(Key("/k/04242")), b("4242"));
  EXPECT_EQ(*dest->get(Key("/a")), b("2"));

  // Restoring over existing data is refused.
  MemorySource again(file);
  auto refused = restoreBackup(again, *dest);
  ASSERT_FALSE(refused);
  EXPECT_TRUE(refused.error().is(StoreError::kNotEmpty));
}

TEST(BackupTest, BackupUnderConcurrentWritesIsConsistent) {
  // Writers move value between pairs of keys in batches, keeping every
  // pair's sum at 1000; a backup taken meanwhile must restore pairs that
  // still sum to 1000 (one moment in time, not a mix).
  fil::testing::TempDir dir;
  auto opened = openRocksDatastore((dir.path() / "src").string());
  ASSERT_TRUE(opened);
  auto& ds = **opened;
  constexpr int kPairs = 200;
  for (int i = 0; i < kPairs; ++i) {
    Batch batch;
    batch.put(Key(fmt::format("/acct/{:03}/x", i)), codec::encode(uint64_t{1000}));
    batch.put(Key(fmt::format("/acct/{:03}/y", i)), codec::encode(uint64_t{0}));
    ASSERT_TRUE(ds.commit(batch));
  }
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> moves{0};
  std::thread writer([&] {
    for (uint64_t n = 0; !stop; ++n) {
      const int i = static_cast<int>(n % kPairs);
      const uint64_t x = n % 1000;
      Batch batch;
      batch.put(Key(fmt::format("/acct/{:03}/x", i)), codec::encode(x));
      batch.put(Key(fmt::format("/acct/{:03}/y", i)), codec::encode(1000 - x));
      if (!ds.commit(batch)) return;
      ++moves;
    }
  });
  while (moves < 50) std::this_thread::yield();
  const std::string path = (dir.path() / "backup.cbor").string();
  auto written = backupToFile(ds, defaultFileSystem(), path);
  const uint64_t moves_during = moves;
  stop = true;
  writer.join();
  ASSERT_TRUE(written) << written.error().message();
  EXPECT_EQ(written->entries, 2u * kPairs);
  EXPECT_GT(moves_during, 50u);
  EXPECT_EQ(defaultFileSystem().stat(path)->mode, 0600u);

  auto dest = makeMemoryDatastore();
  auto restored = restoreBackupFile(defaultFileSystem(), path, *dest);
  ASSERT_TRUE(restored) << restored.error().message();
  for (int i = 0; i < kPairs; ++i) {
    const auto x = codec::decode<uint64_t>(*dest->get(Key(fmt::format("/acct/{:03}/x", i))));
    const auto y = codec::decode<uint64_t>(*dest->get(Key(fmt::format("/acct/{:03}/y", i))));
    ASSERT_EQ(*x + *y, 1000u) << "pair " << i;
  }

  // A second backup to the same name is refused and leaves the first alone.
  auto again = backupToFile(ds, defaultFileSystem(), path);
  ASSERT_FALSE(again);
  EXPECT_TRUE(again.error().is(StoreError::kAlreadyExists));
  EXPECT_EQ(defaultFileSystem().stat(path)->size, written->bytes);
}

TEST(BackupTest, FailedBackupWriteLeavesNoFile) {
  fil::testing::TempDir dir;
  auto ds = makeMemoryDatastore();
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(ds->put(Key(fmt::format("/k/{}", i)), Bytes(1000, 1)));
  const std::string path = (dir.path() / "backup.cbor").string();
  {
    FaultInjectingFileSystem fs;
    fs.setSpaceLeft(5000);
    auto r = backupToFile(*ds, fs, path);
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().is(StoreError::kDiskFull)) << r.error().message();
    EXPECT_NE(r.error().message().find(path), std::string::npos);
  }
  {
    FaultInjectingFileSystem fs;
    fs.setSyncFails(true);
    auto r = backupToFile(*ds, fs, path);
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().is(StoreError::kIo));
  }
  EXPECT_TRUE(defaultFileSystem().listDirectory(dir.path().string())->empty());
  EXPECT_TRUE(backupToFile(*ds, defaultFileSystem(), path));
}

TEST(BackupTest, RestoreCommitFailureRestoresNothing) {
  fil::testing::TempDir dir;
  auto src = makeMemoryDatastore();
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(src->put(Key(fmt::format("/k/{}", i)), Bytes(100, 2)));
  MemorySink out;
  ASSERT_TRUE(writeBackup(*src, out));

  FaultInjectingFileSystem fs;
  auto dest = openRocksDatastore((dir.path() / "dest").string(), {}, fs);
  ASSERT_TRUE(dest);
  fs.setSpaceLeft(10000);
  MemorySource in(out.data());
  auto restored = restoreBackup(in, **dest);
  ASSERT_FALSE(restored);
  EXPECT_TRUE(restored.error().is(StoreError::kDiskFull)) << restored.error().message();
  dest->reset();
  ASSERT_TRUE(fs.simulateCrash());
  fs.clearFaults();
  auto reopened = openRocksDatastore((dir.path() / "dest").string(), {}, fs);
  ASSERT_TRUE(reopened);
  EXPECT_TRUE(*isEmpty(**reopened));
}

}  // namespace
}  // namespace fil::store
