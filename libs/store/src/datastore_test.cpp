#include "fil/store/datastore.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "fil/store/fault_filesystem.h"
#include "fil/store/memory_datastore.h"
#include "fil/store/rocksdb_datastore.h"
#include "fil/testing/paths.h"

namespace fil::store {
namespace {

Bytes b(std::string_view s) { return toBytes(s); }

std::vector<std::string> keysOf(const ReadView& view, const Query& q) {
  std::vector<std::string> keys;
  auto status = forEach(view, q, [&](std::string_view key, BytesView) -> Result<bool> {
    keys.emplace_back(key);
    return true;
  });
  EXPECT_TRUE(status) << status.error().message();
  return keys;
}

enum class Backend { kMemory, kRocks };

class DatastoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { ds_ = open(); }

  std::unique_ptr<Datastore> open() {
    if (GetParam() == Backend::kMemory) return makeMemoryDatastore();
    auto ds = openRocksDatastore((dir_.path() / "db").string());
    EXPECT_TRUE(ds) << ds.error().message();
    return std::move(*ds);
  }

  fil::testing::TempDir dir_;
  std::unique_ptr<Datastore> ds_;
};

TEST_P(DatastoreTest, PutGetHasRemove) {
  const Key k("/metadata/miner-address");
  auto missing = ds_->get(k);
  ASSERT_FALSE(missing);
  EXPECT_TRUE(missing.error().is(StoreError::kNotFound));
  EXPECT_EQ(*ds_->has(k), false);

  ASSERT_TRUE(ds_->put(k, b("f01000")));
  EXPECT_EQ(*ds_->get(k), b("f01000"));
  EXPECT_EQ(*ds_->has(k), true);
  ASSERT_TRUE(ds_->put(k, b("f01001")));
  EXPECT_EQ(*ds_->get(k), b("f01001"));
  ASSERT_TRUE(ds_->put(Key("/empty"), {}));
  EXPECT_EQ(*ds_->get(Key("/empty")), Bytes{});

  ASSERT_TRUE(ds_->remove(k));
  EXPECT_FALSE(*ds_->has(k));
  EXPECT_TRUE(ds_->remove(k));  // absent is fine
}

TEST_P(DatastoreTest, RootKeyHoldsNothing) {
  auto put = ds_->put(Key("/"), b("x"));
  ASSERT_FALSE(put);
  EXPECT_TRUE(put.error().is(StoreError::kInvalidKey));
  Batch batch;
  batch.put(Key("/a"), b("1"));
  batch.put(Key(""), b("x"));
  EXPECT_FALSE(ds_->commit(batch));
  EXPECT_FALSE(*ds_->has(Key("/a")));  // nothing of a refused batch is applied
}

TEST_P(DatastoreTest, QueryWalksDescendantsInByteOrder) {
  for (const char* k : {"/a/b", "/a", "/a/c/d", "/a-b", "/ab", "/a/b/e", "/b"}) ASSERT_TRUE(ds_->put(Key(k), b(k)));
  EXPECT_EQ(keysOf(*ds_, Query{Key("/a")}), (std::vector<std::string>{"/a/b", "/a/b/e", "/a/c/d"}));
  EXPECT_EQ(keysOf(*ds_, Query{Key("/a/b")}), (std::vector<std::string>{"/a/b/e"}));
  EXPECT_EQ(keysOf(*ds_, Query{Key()}),
            (std::vector<std::string>{"/a", "/a-b", "/a/b", "/a/b/e", "/a/c/d", "/ab", "/b"}));
  EXPECT_TRUE(keysOf(*ds_, Query{Key("/zzz")}).empty());

  size_t values = 0;
  ASSERT_TRUE(forEach(*ds_, Query{Key("/a")}, [&](std::string_view key, BytesView value) -> Result<bool> {
    EXPECT_EQ(asString(value), key);
    return ++values < 2;  // stop after two
  }));
  EXPECT_EQ(values, 2u);
  ASSERT_TRUE(forEach(*ds_, Query{Key("/a"), true}, [&](std::string_view, BytesView value) -> Result<bool> {
    EXPECT_TRUE(value.empty());
    return true;
  }));
}

TEST_P(DatastoreTest, QueryDoesNotSeeLaterWrites) {
  ASSERT_TRUE(ds_->put(Key("/q/1"), b("1")));
  auto it = ds_->query(Query{Key("/q")});
  ASSERT_TRUE(it);
  ASSERT_TRUE(ds_->put(Key("/q/2"), b("2")));
  ASSERT_TRUE(ds_->put(Key("/q/1"), b("changed")));
  std::vector<std::string> seen;
  for (auto& i = *it; i->valid(); i->next()) seen.push_back(std::string(i->key()) + "=" + std::string(asString(i->value())));
  EXPECT_EQ(seen, (std::vector<std::string>{"/q/1=1"}));
}

TEST_P(DatastoreTest, SnapshotIsFrozen) {
  ASSERT_TRUE(ds_->put(Key("/s/1"), b("old")));
  auto snap = ds_->snapshot();
  ASSERT_TRUE(snap);
  ASSERT_TRUE(ds_->put(Key("/s/1"), b("new")));
  ASSERT_TRUE(ds_->put(Key("/s/2"), b("2")));
  ASSERT_TRUE(ds_->remove(Key("/s/1")));
  EXPECT_EQ(*(*snap)->get(Key("/s/1")), b("old"));
  EXPECT_FALSE(*(*snap)->has(Key("/s/2")));
  EXPECT_EQ(keysOf(**snap, Query{Key("/s")}), (std::vector<std::string>{"/s/1"}));
  EXPECT_EQ(keysOf(*ds_, Query{Key("/s")}), (std::vector<std::string>{"/s/2"}));
}

TEST_P(DatastoreTest, BatchAppliesInOrder) {
  ASSERT_TRUE(ds_->put(Key("/queue/1"), b("task")));
  Batch batch;
  batch.put(Key("/sectors/1"), b("sealed"));
  batch.remove(Key("/queue/1"));
  batch.put(Key("/sectors/2"), b("first"));
  batch.put(Key("/sectors/2"), b("second"));
  EXPECT_EQ(batch.size(), 4u);
  ASSERT_TRUE(ds_->commit(batch));
  EXPECT_FALSE(*ds_->has(Key("/queue/1")));
  EXPECT_EQ(*ds_->get(Key("/sectors/1")), b("sealed"));
  EXPECT_EQ(*ds_->get(Key("/sectors/2")), b("second"));
}

TEST_P(DatastoreTest, NamespacedView) {
  auto deals = namespaced(*ds_, Key("/deals"));
  ASSERT_TRUE(deals->put(Key("/1"), b("a")));
  ASSERT_TRUE(deals->put(Key("/2/x"), b("b")));
  ASSERT_TRUE(ds_->put(Key("/dealsX/1"), b("not mine")));
  EXPECT_EQ(*ds_->get(Key("/deals/1")), b("a"));
  EXPECT_EQ(keysOf(*deals, Query{Key()}), (std::vector<std::string>{"/1", "/2/x"}));
  EXPECT_EQ(keysOf(*deals, Query{Key("/2")}), (std::vector<std::string>{"/2/x"}));
  Batch batch;
  batch.remove(Key("/1"));
  batch.put(Key("/3"), b("c"));
  ASSERT_TRUE(deals->commit(batch));
  EXPECT_FALSE(*ds_->has(Key("/deals/1")));
  auto snap = deals->snapshot();
  ASSERT_TRUE(snap);
  ASSERT_TRUE(deals->put(Key("/4"), b("d")));
  EXPECT_EQ(keysOf(**snap, Query{Key()}), (std::vector<std::string>{"/2/x", "/3"}));
  EXPECT_FALSE(deals->put(Key("/"), b("x")));
}

TEST_P(DatastoreTest, IsEmpty) {
  EXPECT_TRUE(*isEmpty(*ds_));
  ASSERT_TRUE(ds_->put(Key("/x"), b("1")));
  EXPECT_FALSE(*isEmpty(*ds_));
}

TEST_P(DatastoreTest, CloseEndsUse) {
  ASSERT_TRUE(ds_->put(Key("/x"), b("1")));
  auto synced = ds_->sync();
  ASSERT_TRUE(synced) << synced.error().message();
  ASSERT_TRUE(ds_->close());
  EXPECT_TRUE(ds_->get(Key("/x")).error().is(StoreError::kClosed));
  EXPECT_TRUE(ds_->put(Key("/x"), b("2")).error().is(StoreError::kClosed));
  EXPECT_TRUE(ds_->close());  // twice is fine
}

TEST_P(DatastoreTest, SnapshotsAndIteratorsOutliveClose) {
  ASSERT_TRUE(ds_->put(Key("/x/1"), b("1")));
  auto snap = ds_->snapshot();
  ASSERT_TRUE(snap);
  auto it = ds_->query(Query{Key("/x")});
  ASSERT_TRUE(it);
  ASSERT_TRUE(ds_->close());
  EXPECT_EQ(*(*snap)->get(Key("/x/1")), b("1"));
  ASSERT_TRUE((*it)->valid());
  EXPECT_EQ((*it)->key(), "/x/1");
  ds_.reset();  // even the datastore object may go first
  EXPECT_EQ(keysOf(**snap, Query{}), std::vector<std::string>{"/x/1"});
}

TEST_P(DatastoreTest, ConcurrentWritersAndReaders) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 500;
  std::atomic<bool> failed{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const Key k(fmt::format("/t{}/{:04}", t, i));
        if (!ds_->put(k, b(k.str()))) failed = true;
        auto got = ds_->get(k);
        if (!got || *got != b(k.str())) failed = true;
        if (i % 100 == 0) {
          auto snap = ds_->snapshot();
          if (!snap) failed = true;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_FALSE(failed);
  EXPECT_EQ(keysOf(*ds_, Query{}).size(), size_t{kThreads * kPerThread});
}

INSTANTIATE_TEST_SUITE_P(Backends, DatastoreTest, ::testing::Values(Backend::kMemory, Backend::kRocks),
                         [](const auto& param) { return param.param == Backend::kMemory ? "Memory" : "Rocks"; });

// ---- RocksDB on disk ----------------------------------------------------------

class RocksTest : public ::testing::Test {
 protected:
  std::string path() const { return (dir_.path() / "repo" / "datastore").string(); }

  std::unique_ptr<Datastore> open(FileSystem& fs = defaultFileSystem(), RocksDatastoreOptions options = {}) {
    auto ds = openRocksDatastore(path(), options, fs);
    EXPECT_TRUE(ds) << ds.error().message();
    return ds ? std::move(*ds) : nullptr;
  }

  fil::testing::TempDir dir_;
};

TEST_F(RocksTest, KeepsDataAcrossReopen) {
  {
    auto ds = open();
    ASSERT_TRUE(ds->put(Key("/metadata/a"), b("1")));
    Batch batch;
    batch.put(Key("/metadata/b"), b("2"));
    ASSERT_TRUE(ds->commit(batch));
  }
  auto ds = open();
  EXPECT_EQ(*ds->get(Key("/metadata/a")), b("1"));
  EXPECT_EQ(*ds->get(Key("/metadata/b")), b("2"));
}

TEST_F(RocksTest, SecondOpenIsRefused) {
  auto first = open();
  auto second = openRocksDatastore(path());
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message().find("LOCK"), std::string::npos) << second.error().message();
}

TEST_F(RocksTest, MissingDatabaseWithoutCreateIsAnError) {
  RocksDatastoreOptions options;
  options.create_if_missing = false;
  auto ds = openRocksDatastore(path(), options);
  ASSERT_FALSE(ds);
  EXPECT_NE(ds.error().message().find(path()), std::string::npos);
}

TEST_F(RocksTest, DiskFullSurfacesOnPutAndLosesNothing) {
  FaultInjectingFileSystem fs;
  auto ds = open(fs);
  ASSERT_TRUE(ds->put(Key("/kept"), b("before")));
  ASSERT_TRUE(ds->sync());
  fs.setSpaceLeft(10);
  auto put = ds->put(Key("/big"), Bytes(4096, 7));
  ASSERT_FALSE(put);
  EXPECT_TRUE(put.error().is(StoreError::kDiskFull)) << put.error().message();
  // The store keeps refusing writes rather than losing them silently.
  EXPECT_FALSE(ds->put(Key("/next"), b("x")));
  EXPECT_EQ(*ds->get(Key("/kept")), b("before"));
  ds.reset();
  ASSERT_TRUE(fs.simulateCrash());
  fs.clearFaults();
  ds = open(fs);
  EXPECT_EQ(*ds->get(Key("/kept")), b("before"));
  EXPECT_FALSE(*ds->has(Key("/big")));
  EXPECT_FALSE(*ds->has(Key("/next")));
}

TEST_F(RocksTest, FailedFsyncSurfacesOnSyncAndCommit) {
  FaultInjectingFileSystem fs;
  auto ds = open(fs);
  ASSERT_TRUE(ds->put(Key("/a"), b("1")));
  fs.setSyncFails(true);
  auto synced = ds->sync();
  ASSERT_FALSE(synced);
  EXPECT_TRUE(synced.error().is(StoreError::kIo)) << synced.error().message();
  Batch batch;
  batch.put(Key("/b"), b("2"));
  EXPECT_FALSE(ds->commit(batch));
}

TEST_F(RocksTest, SyncedPutsSurfaceFsyncFailures) {
  FaultInjectingFileSystem fs;
  RocksDatastoreOptions options;
  options.sync_writes = true;
  auto ds = open(fs, options);
  ASSERT_TRUE(ds->put(Key("/a"), b("1")));
  fs.setSyncFails(true);
  auto put = ds->put(Key("/b"), b("2"));
  ASSERT_FALSE(put);
  EXPECT_TRUE(put.error().is(StoreError::kIo)) << put.error().message();
  EXPECT_NE(put.error().message().find("fsync"), std::string::npos);
}

TEST_F(RocksTest, SyncedWritesSurviveACrash) {
  FaultInjectingFileSystem fs;
  auto ds = open(fs);
  ASSERT_TRUE(ds->put(Key("/a"), b("1")));
  ASSERT_TRUE(ds->sync());
  Batch batch;
  batch.put(Key("/b"), b("2"));
  ASSERT_TRUE(ds->commit(batch));  // commit is durable by itself
  ds.reset();
  ASSERT_TRUE(fs.simulateCrash());
  ds = open(fs);
  EXPECT_EQ(*ds->get(Key("/a")), b("1"));
  EXPECT_EQ(*ds->get(Key("/b")), b("2"));
}

TEST_F(RocksTest, BatchCutAnywhereIsAllOrNothing) {
  // The batch's log record is cut at many points by a disk that fills up
  // mid-write; after a crash and reopen the batch is either wholly there or
  // wholly absent, and the data before it is intact.
  Batch batch;
  for (int i = 0; i < 20; ++i) batch.put(Key(fmt::format("/batch/{:02}", i)), Bytes(200, static_cast<uint8_t>(i)));
  uint64_t record_size = 0;
  {
    FaultInjectingFileSystem probe;
    auto ds = open(probe);
    const uint64_t before = probe.bytesAppended();
    ASSERT_TRUE(ds->commit(batch));
    record_size = probe.bytesAppended() - before;
    ds.reset();
    std::filesystem::remove_all(path());
  }
  ASSERT_GT(record_size, 4000u);

  // A process crash leaves the torn record on disk for recovery to reject; a
  // power loss also drops whatever was not synced.
  for (const bool power_loss : {false, true}) {
    int absent = 0;
    for (uint64_t cut = 0; cut <= record_size; cut += record_size / 12) {
      std::filesystem::remove_all(path());
      FaultInjectingFileSystem fs;
      auto ds = open(fs);
      ASSERT_TRUE(ds->put(Key("/base"), b("base")));
      ASSERT_TRUE(ds->sync());
      fs.setSpaceLeft(cut);
      const bool committed = ds->commit(batch).has_value();
      ds.reset();  // the disk is still full: nothing more reaches it
      if (power_loss) {
        ASSERT_TRUE(fs.simulateCrash());
      }
      fs.clearFaults();
      ds = open(fs);
      ASSERT_TRUE(ds);
      EXPECT_EQ(*ds->get(Key("/base")), b("base")) << "cut at " << cut;
      const auto keys = keysOf(*ds, Query{Key("/batch")});
      EXPECT_TRUE(keys.empty() || keys.size() == 20) << "cut at " << cut << ": " << keys.size() << " keys";
      if (committed) {
        EXPECT_EQ(keys.size(), 20u) << "a committed batch must survive";
      }
      if (keys.empty()) ++absent;
    }
    EXPECT_GT(absent, 0);
  }
}

TEST_F(RocksTest, OpenFailsCleanlyWhenTheDiskRefusesFiles) {
  FaultInjectingFileSystem fs;
  fs.setMetadataFails(true);
  auto ds = openRocksDatastore(path(), {}, fs);
  ASSERT_FALSE(ds);
  EXPECT_TRUE(ds.error().is(StoreError::kIo)) << ds.error().message();
}

}  // namespace
}  // namespace fil::store
