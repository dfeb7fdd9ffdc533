#include "fil/store/memory_datastore.h"

#include <map>
#include <mutex>
#include <shared_mutex>

namespace fil::store {
namespace {

using Map = std::map<std::string, Bytes, std::less<>>;
using MapPtr = std::shared_ptr<const Map>;

Result<Bytes> lookup(const Map& map, const Key& key) {
  auto it = map.find(key.str());
  if (it == map.end()) return fail(StoreError::kNotFound, "no value under " + key.str());
  return it->second;
}

class MapIterator final : public Iterator {
 public:
  MapIterator(MapPtr map, const Query& q)
      : map_(std::move(map)), lower_(queryLowerBound(q.prefix)), keys_only_(q.keys_only) {
    it_ = map_->lower_bound(lower_);
  }
  bool valid() const override { return it_ != map_->end() && it_->first.starts_with(lower_); }
  std::string_view key() const override { return it_->first; }
  BytesView value() const override { return keys_only_ ? BytesView() : BytesView(it_->second); }
  void next() override { ++it_; }
  Status status() const override { return ok(); }

 private:
  MapPtr map_;
  std::string lower_;  // every result starts with it
  bool keys_only_;
  Map::const_iterator it_;
};

class MemorySnapshot final : public Snapshot {
 public:
  explicit MemorySnapshot(MapPtr map) : map_(std::move(map)) {}
  Result<Bytes> get(const Key& key) const override { return lookup(*map_, key); }
  Result<bool> has(const Key& key) const override { return map_->contains(key.str()); }
  Result<std::unique_ptr<Iterator>> query(const Query& q) const override {
    return std::unique_ptr<Iterator>(new MapIterator(map_, q));
  }

 private:
  MapPtr map_;
};

class MemoryDatastore final : public Datastore {
 public:
  MemoryDatastore() : map_(std::make_shared<Map>()) {}

  Result<Bytes> get(const Key& key) const override {
    std::shared_lock lock(mu_);
    FIL_TRY(checkOpen());
    return lookup(*map_, key);
  }

  Result<bool> has(const Key& key) const override {
    std::shared_lock lock(mu_);
    FIL_TRY(checkOpen());
    return map_->contains(key.str());
  }

  Result<std::unique_ptr<Iterator>> query(const Query& q) const override {
    FIL_ASSIGN_OR_RETURN(auto map, current());
    return std::unique_ptr<Iterator>(new MapIterator(std::move(map), q));
  }

  Status put(const Key& key, BytesView value) override {
    if (key.isRoot()) return fail(StoreError::kInvalidKey, "the root key \"/\" cannot hold a value");
    std::unique_lock lock(mu_);
    FIL_TRY(checkOpen());
    writable()[key.str()] = Bytes(value.begin(), value.end());
    return ok();
  }

  Status remove(const Key& key) override {
    std::unique_lock lock(mu_);
    FIL_TRY(checkOpen());
    writable().erase(key.str());
    return ok();
  }

  Status commit(const Batch& batch) override {
    for (const auto& op : batch.ops()) {
      if (op.kind == Batch::Kind::kPut && op.key == "/") {
        return fail(StoreError::kInvalidKey, "the root key \"/\" cannot hold a value");
      }
    }
    std::unique_lock lock(mu_);
    FIL_TRY(checkOpen());
    Map& map = writable();
    for (const auto& op : batch.ops()) {
      if (op.kind == Batch::Kind::kPut) {
        map[op.key] = op.value;
      } else {
        map.erase(op.key);
      }
    }
    return ok();
  }

  Status sync() override {
    std::shared_lock lock(mu_);
    return checkOpen();
  }

  Result<std::unique_ptr<Snapshot>> snapshot() const override {
    FIL_ASSIGN_OR_RETURN(auto map, current());
    return std::unique_ptr<Snapshot>(new MemorySnapshot(std::move(map)));
  }

  Status close() override {
    std::unique_lock lock(mu_);
    closed_ = true;
    return ok();
  }

 private:
  Status checkOpen() const {
    if (closed_) return fail(StoreError::kClosed, "memory datastore is closed");
    return ok();
  }

  Result<MapPtr> current() const {
    std::shared_lock lock(mu_);
    FIL_TRY(checkOpen());
    return MapPtr(map_);
  }

  // REQUIRES: mu_ held exclusively. Copies the map first when a snapshot or
  // iterator still shares it.
  Map& writable() {
    if (map_.use_count() > 1) map_ = std::make_shared<Map>(*map_);
    return *map_;
  }

  mutable std::shared_mutex mu_;
  std::shared_ptr<Map> map_;
  bool closed_ = false;
};

}  // namespace

std::unique_ptr<Datastore> makeMemoryDatastore() { return std::make_unique<MemoryDatastore>(); }

}  // namespace fil::store
