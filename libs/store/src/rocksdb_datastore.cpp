#include "fil/store/rocksdb_datastore.h"

#include <algorithm>
#include <mutex>
#include <shared_mutex>

#include <fmt/format.h>
#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include "rocksdb_env.h"

namespace fil::store {
namespace {

Error toError(const rocksdb::Status& s, std::string_view context) {
  StoreError kind = StoreError::kIo;
  if (s.IsNotFound()) {
    kind = StoreError::kNotFound;
  } else if (s.IsNoSpace()) {
    kind = StoreError::kDiskFull;
  } else if (s.IsCorruption()) {
    kind = StoreError::kCorrupt;
  }
  return Error(kind, fmt::format("{}: {}", context, s.ToString()));
}

Status check(const rocksdb::Status& s, std::string_view context) {
  if (s.ok()) return ok();
  return fail(toError(s, context));
}

rocksdb::Slice toSlice(BytesView b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

Status checkPutKey(std::string_view key) {
  if (key == "/") return fail(StoreError::kInvalidKey, "the root key \"/\" cannot hold a value");
  return ok();
}

// The database stays open while an iterator or snapshot holds it, even
// after Datastore::close(); the last holder closes it.
using DbPtr = std::shared_ptr<rocksdb::DB>;

class RocksIterator final : public Iterator {
 public:
  RocksIterator(DbPtr db, const rocksdb::Snapshot* snapshot, const Query& q)
      : db_(std::move(db)), lower_(queryLowerBound(q.prefix)), upper_(lower_), keys_only_(q.keys_only) {
    // Every result starts with lower_ ("/a/"); the next string after that run
    // has the final '/' raised to '0'.
    upper_.back() = static_cast<char>(upper_.back() + 1);
    lower_slice_ = rocksdb::Slice(lower_);
    upper_slice_ = rocksdb::Slice(upper_);
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot;
    ro.iterate_lower_bound = &lower_slice_;
    ro.iterate_upper_bound = &upper_slice_;
    it_.reset(db_->NewIterator(ro));
    it_->Seek(lower_slice_);
  }

  bool valid() const override { return it_->Valid(); }
  std::string_view key() const override { return {it_->key().data(), it_->key().size()}; }
  BytesView value() const override {
    if (keys_only_) return {};
    const auto v = it_->value();
    return {reinterpret_cast<const uint8_t*>(v.data()), v.size()};
  }
  void next() override { it_->Next(); }
  Status status() const override { return check(it_->status(), "iterating datastore"); }

 private:
  DbPtr db_;  // declared first: destroyed after the iterator
  std::string lower_;
  std::string upper_;
  rocksdb::Slice lower_slice_;
  rocksdb::Slice upper_slice_;
  bool keys_only_;
  std::unique_ptr<rocksdb::Iterator> it_;
};

Result<Bytes> rocksGet(rocksdb::DB& db, const rocksdb::Snapshot* snapshot, const Key& key) {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  rocksdb::PinnableSlice value;
  const auto s = db.Get(ro, db.DefaultColumnFamily(), key.str(), &value);
  if (s.IsNotFound()) return fail(StoreError::kNotFound, "no value under " + key.str());
  FIL_TRY(check(s, "reading " + key.str()));
  return Bytes(value.data(), value.data() + value.size());
}

Result<bool> rocksHas(rocksdb::DB& db, const rocksdb::Snapshot* snapshot, const Key& key) {
  auto got = rocksGet(db, snapshot, key);
  if (got) return true;
  if (got.error().is(StoreError::kNotFound)) return false;
  return fail(std::move(got).error());
}

class RocksSnapshot final : public Snapshot {
 public:
  explicit RocksSnapshot(DbPtr db) : db_(std::move(db)), snapshot_(db_->GetSnapshot()) {}
  ~RocksSnapshot() override { db_->ReleaseSnapshot(snapshot_); }

  Result<Bytes> get(const Key& key) const override { return rocksGet(*db_, snapshot_, key); }
  Result<bool> has(const Key& key) const override { return rocksHas(*db_, snapshot_, key); }
  Result<std::unique_ptr<Iterator>> query(const Query& q) const override {
    return std::unique_ptr<Iterator>(new RocksIterator(db_, snapshot_, q));
  }

 private:
  DbPtr db_;
  const rocksdb::Snapshot* snapshot_;
};

class RocksDatastore final : public Datastore {
 public:
  RocksDatastore(std::string path, RocksDatastoreOptions options) : path_(std::move(path)), options_(options) {}

  ~RocksDatastore() override { (void)close(); }

  // `env` and `fs` must live as long as the database: the deleter keeps them.
  Status open(const rocksdb::Options& options, std::shared_ptr<rocksdb::Env> env,
              std::shared_ptr<rocksdb::FileSystem> fs) {
    rocksdb::DB* db = nullptr;
    FIL_TRY(check(rocksdb::DB::Open(options, path_, &db), "opening datastore " + path_));
    db_ = DbPtr(db, [env, fs](rocksdb::DB* d) {
      (void)d->Close();
      delete d;
    });
    return ok();
  }

  Result<Bytes> get(const Key& key) const override {
    std::shared_lock lock(mu_);
    FIL_TRY(checkOpen());
    return rocksGet(*db_, nullptr, key);
  }

  Result<bool> has(const Key& key) const override {
    std::shared_lock lock(mu_);
    FIL_TRY(checkOpen());
    return rocksHas(*db_, nullptr, key);
  }

  Result<std::unique_ptr<Iterator>> query(const Query& q) const override {
    std::shared_lock lock(mu_);
    FIL_TRY(checkOpen());
    // A RocksDB iterator reads from an implicit snapshot taken here.
    return std::unique_ptr<Iterator>(new RocksIterator(db_, nullptr, q));
  }

  Status put(const Key& key, BytesView value) override {
    FIL_TRY(checkPutKey(key.str()));
    std::shared_lock lock(mu_);
    FIL_TRY(checkOpen());
    rocksdb::WriteOptions wo;
    wo.sync = options_.sync_writes;
    return check(db_->Put(wo, key.str(), toSlice(value)), "writing " + key.str());
  }

  Status remove(const Key& key) override {
    std::shared_lock lock(mu_);
    FIL_TRY(checkOpen());
    rocksdb::WriteOptions wo;
    wo.sync = options_.sync_writes;
    return check(db_->Delete(wo, key.str()), "removing " + key.str());
  }

  Status commit(const Batch& batch) override {
    rocksdb::WriteBatch wb;
    for (const auto& op : batch.ops()) {
      if (op.kind == Batch::Kind::kPut) {
        FIL_TRY(checkPutKey(op.key));
        FIL_TRY(check(wb.Put(op.key, toSlice(op.value)), "adding to batch"));
      } else {
        FIL_TRY(check(wb.Delete(op.key), "adding to batch"));
      }
    }
    std::shared_lock lock(mu_);
    FIL_TRY(checkOpen());
    rocksdb::WriteOptions wo;
    wo.sync = true;
    return check(db_->Write(wo, &wb), fmt::format("committing a batch of {} writes", batch.size()));
  }

  Status sync() override {
    std::shared_lock lock(mu_);
    FIL_TRY(checkOpen());
    return check(db_->FlushWAL(/*sync=*/true), "syncing datastore " + path_);
  }

  Result<std::unique_ptr<Snapshot>> snapshot() const override {
    std::shared_lock lock(mu_);
    FIL_TRY(checkOpen());
    return std::unique_ptr<Snapshot>(new RocksSnapshot(db_));
  }

  Status close() override {
    std::unique_lock lock(mu_);
    if (!db_) return ok();
    DbPtr db = std::move(db_);
    if (db.use_count() > 1) {
      // Snapshots or iterators still read it: make what was written durable
      // now and leave the closing to the last of them.
      return check(db->FlushWAL(/*sync=*/true), "closing datastore " + path_);
    }
    const auto s = db->Close();
    db.reset();
    return check(s, "closing datastore " + path_);
  }

 private:
  Status checkOpen() const {
    if (!db_) return fail(StoreError::kClosed, "datastore " + path_ + " is closed");
    return ok();
  }

  std::string path_;
  RocksDatastoreOptions options_;
  mutable std::shared_mutex mu_;  // shared by operations, exclusive for close()
  DbPtr db_;
};

rocksdb::CompressionType bestCompression(std::initializer_list<rocksdb::CompressionType> preferred) {
  const auto supported = rocksdb::GetSupportedCompressions();
  for (auto c : preferred) {
    if (std::find(supported.begin(), supported.end(), c) != supported.end()) return c;
  }
  return rocksdb::kNoCompression;
}

}  // namespace

Result<std::unique_ptr<Datastore>> openRocksDatastore(const std::string& path, const RocksDatastoreOptions& options,
                                                      FileSystem& fs) {
  if (options.create_if_missing) FIL_TRY(createDirectories(fs, path));
  auto seam = detail::makeSeamFileSystem(fs);
  auto env = rocksdb::NewCompositeEnv(seam);

  rocksdb::Options ro;
  ro.env = env.get();
  ro.create_if_missing = options.create_if_missing;
  ro.paranoid_checks = true;
  ro.info_log = detail::makeRocksLogger();
  // A torn record at the end of the log (a crash mid-write) ends recovery
  // there: every batch before it is kept whole, the torn one is dropped.
  ro.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  ro.max_open_files = 512;
  ro.write_buffer_size = options.write_buffer_bytes;
  ro.IncreaseParallelism(2);
  ro.compression = bestCompression({rocksdb::kLZ4Compression, rocksdb::kSnappyCompression});
  ro.bottommost_compression = bestCompression({rocksdb::kZSTD, rocksdb::kLZ4Compression});

  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  ro.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));

  auto ds = std::make_unique<RocksDatastore>(path, options);
  FIL_TRY(ds->open(ro, std::shared_ptr<rocksdb::Env>(std::move(env)), std::move(seam)));
  return std::unique_ptr<Datastore>(std::move(ds));
}

}  // namespace fil::store
