// Key-value datastores in the go-datastore model: keys are cleaned paths
// (key.h), values are bytes, queries walk the keys below a prefix in byte
// order. Backends: RocksDB (rocksdb_datastore.h, the embedded default) and
// memory (memory_datastore.h, for tests and scratch work).
//
//   auto ds = openRocksDatastore(repo + "/datastore/metadata");
//   FIL_TRY((*ds)->put(Key("/metadata/miner-address"), bytes));
//   Batch batch;                                  // all or nothing
//   batch.put(Key("/sectors/1"), info);
//   batch.remove(Key("/sealing/queue/1"));
//   FIL_TRY((*ds)->commit(batch));
//   FIL_ASSIGN_OR_RETURN(auto snap, (*ds)->snapshot());   // frozen view
//   FIL_TRY(forEach(*snap, Query{Key("/sectors")}, [](std::string_view key, BytesView value) -> Result<bool> {
//     ...; return true;                           // false stops
//   }));
//
// Durability: put() and remove() are atomic and survive a crash of the
// process once they return; they survive a power loss after the next sync()
// (or at once with sync_writes). commit() is atomic and durable when it
// returns. A failure of the disk (full, fsync error) is returned as an error
// (StoreError::kDiskFull, kIo) and never leaves half a batch behind.
//
// Thread-safety: every method may be called from several threads at once,
// except close(), which must not race other calls. Iterators and snapshots are
// used by one thread at a time and must not outlive their datastore.
//
// Higher layers (sector index, deal records, sealing queue) keep their state
// behind small repository interfaces over a Datastore (often a namespaced()
// view), so a PostgreSQL implementation can replace them later.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/store/key.h"
#include "fil/store/store_error.h"

namespace fil::store {

struct Query {
  Key prefix;              // keys strictly below this one; the root for every key
  bool keys_only = false;  // value() is empty (cheaper where the backend can skip values)
};

// A position in a query's results. Ends (valid() false) at the last key or at
// an error, which status() then returns.
class Iterator {
 public:
  virtual ~Iterator() = default;
  virtual bool valid() const = 0;
  // REQUIRES: valid(). Views stay good until next() or destruction.
  virtual std::string_view key() const = 0;
  virtual BytesView value() const = 0;
  virtual void next() = 0;
  [[nodiscard]] virtual Status status() const = 0;
};

// What a datastore and a snapshot both answer.
class ReadView {
 public:
  virtual ~ReadView() = default;
  // StoreError::kNotFound when the key holds nothing.
  [[nodiscard]] virtual Result<Bytes> get(const Key& key) const = 0;
  [[nodiscard]] virtual Result<bool> has(const Key& key) const = 0;
  // The keys below q.prefix in byte order, as they were when query() was
  // called: writes made later are not seen.
  [[nodiscard]] virtual Result<std::unique_ptr<Iterator>> query(const Query& q) const = 0;
};

// A consistent read-only view of a datastore at one moment; writes made after
// it was taken are not seen. Cheap to take; release it promptly (RocksDB keeps
// old versions alive for it).
class Snapshot : public ReadView {};

// Writes applied together by Datastore::commit(): all of them or none.
class Batch {
 public:
  enum class Kind { kPut, kRemove };
  struct Op {
    Kind kind;
    std::string key;  // cleaned
    Bytes value;      // empty for kRemove
  };

  void put(const Key& key, BytesView value);
  void put(const Key& key, Bytes&& value);
  void remove(const Key& key);
  void clear();

  const std::vector<Op>& ops() const { return ops_; }
  size_t size() const { return ops_.size(); }
  bool empty() const { return ops_.empty(); }
  uint64_t byteSize() const { return bytes_; }  // keys and values together

 private:
  std::vector<Op> ops_;
  uint64_t bytes_ = 0;
};

class Datastore : public ReadView {
 public:
  // The root key "/" cannot hold a value (kInvalidKey).
  [[nodiscard]] virtual Status put(const Key& key, BytesView value) = 0;
  // Removing an absent key is not an error.
  [[nodiscard]] virtual Status remove(const Key& key) = 0;
  // Applies every operation of `batch` atomically, in order, and makes them durable.
  [[nodiscard]] virtual Status commit(const Batch& batch) = 0;
  // Makes every write so far durable.
  [[nodiscard]] virtual Status sync() = 0;
  [[nodiscard]] virtual Result<std::unique_ptr<Snapshot>> snapshot() const = 0;
  // Flushes and releases the backend; later calls fail with kClosed. The
  // destructor closes too, but cannot report an error.
  [[nodiscard]] virtual Status close() = 0;
};

// Calls `visit` for each result of `q` on `view` in key order; `visit`
// returns false to stop early, or an error to stop and return it.
using Visitor = std::function<Result<bool>(std::string_view key, BytesView value)>;
[[nodiscard]] Status forEach(const ReadView& view, const Query& q, const Visitor& visit);

// A view of `base` in which every key is below `prefix` (go-datastore's
// namespace.Wrap): Key("/x") here is prefix + "/x" there. `base` must outlive it.
std::unique_ptr<Datastore> namespaced(Datastore& base, const Key& prefix);

// Whether the view holds no key at all.
[[nodiscard]] Result<bool> isEmpty(const ReadView& view);

}  // namespace fil::store
