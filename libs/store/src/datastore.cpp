#include "fil/store/datastore.h"

namespace fil::store {

void Batch::put(const Key& key, BytesView value) { put(key, Bytes(value.begin(), value.end())); }

void Batch::put(const Key& key, Bytes&& value) {
  bytes_ += key.str().size() + value.size();
  ops_.push_back(Op{Kind::kPut, key.str(), std::move(value)});
}

void Batch::remove(const Key& key) {
  bytes_ += key.str().size();
  ops_.push_back(Op{Kind::kRemove, key.str(), {}});
}

void Batch::clear() {
  ops_.clear();
  bytes_ = 0;
}

Status forEach(const ReadView& view, const Query& q, const Visitor& visit) {
  FIL_ASSIGN_OR_RETURN(auto it, view.query(q));
  for (; it->valid(); it->next()) {
    FIL_ASSIGN_OR_RETURN(bool more, visit(it->key(), it->value()));
    if (!more) return ok();
  }
  return it->status();
}

Result<bool> isEmpty(const ReadView& view) {
  FIL_ASSIGN_OR_RETURN(auto it, view.query(Query{Key(), true}));
  if (it->valid()) return false;
  FIL_TRY(it->status());
  return true;
}

namespace {

// Maps keys between a namespaced view and its base.
class KeyMapper {
 public:
  explicit KeyMapper(Key prefix) : prefix_(std::move(prefix)) {}
  Key toBase(const Key& key) const { return prefix_.child(key); }
  std::string_view fromBase(std::string_view base_key) const {
    if (prefix_.isRoot()) return base_key;
    return base_key.substr(prefix_.str().size());
  }
  const Key& prefix() const { return prefix_; }

 private:
  Key prefix_;
};

class NamespacedIterator final : public Iterator {
 public:
  NamespacedIterator(std::unique_ptr<Iterator> base, KeyMapper mapper)
      : base_(std::move(base)), mapper_(std::move(mapper)) {}
  bool valid() const override { return base_->valid(); }
  std::string_view key() const override { return mapper_.fromBase(base_->key()); }
  BytesView value() const override { return base_->value(); }
  void next() override { base_->next(); }
  Status status() const override { return base_->status(); }

 private:
  std::unique_ptr<Iterator> base_;
  KeyMapper mapper_;
};

Result<std::unique_ptr<Iterator>> namespacedQuery(const ReadView& base, const KeyMapper& mapper, const Query& q) {
  Query mapped{mapper.toBase(q.prefix), q.keys_only};
  FIL_ASSIGN_OR_RETURN(auto it, base.query(mapped));
  return std::unique_ptr<Iterator>(new NamespacedIterator(std::move(it), mapper));
}

class NamespacedSnapshot final : public Snapshot {
 public:
  NamespacedSnapshot(std::unique_ptr<Snapshot> base, const KeyMapper& mapper)
      : base_(std::move(base)), mapper_(mapper) {}
  Result<Bytes> get(const Key& key) const override { return base_->get(mapper_.toBase(key)); }
  Result<bool> has(const Key& key) const override { return base_->has(mapper_.toBase(key)); }
  Result<std::unique_ptr<Iterator>> query(const Query& q) const override {
    return namespacedQuery(*base_, mapper_, q);
  }

 private:
  std::unique_ptr<Snapshot> base_;
  KeyMapper mapper_;  // a copy: the snapshot may outlive the view that made it
};

class NamespacedDatastore final : public Datastore {
 public:
  NamespacedDatastore(Datastore& base, Key prefix) : base_(base), mapper_(std::move(prefix)) {}

  Result<Bytes> get(const Key& key) const override { return base_.get(mapper_.toBase(key)); }
  Result<bool> has(const Key& key) const override { return base_.has(mapper_.toBase(key)); }
  Result<std::unique_ptr<Iterator>> query(const Query& q) const override {
    return namespacedQuery(base_, mapper_, q);
  }

  Status put(const Key& key, BytesView value) override {
    if (key.isRoot()) return fail(StoreError::kInvalidKey, "the root key \"/\" cannot hold a value");
    return base_.put(mapper_.toBase(key), value);
  }
  Status remove(const Key& key) override { return base_.remove(mapper_.toBase(key)); }

  Status commit(const Batch& batch) override {
    Batch mapped;
    for (const auto& op : batch.ops()) {
      const Key key(op.key);
      if (op.kind == Batch::Kind::kPut) {
        if (key.isRoot()) return fail(StoreError::kInvalidKey, "the root key \"/\" cannot hold a value");
        mapped.put(mapper_.toBase(key), op.value);
      } else {
        mapped.remove(mapper_.toBase(key));
      }
    }
    return base_.commit(mapped);
  }

  Status sync() override { return base_.sync(); }

  Result<std::unique_ptr<Snapshot>> snapshot() const override {
    FIL_ASSIGN_OR_RETURN(auto snap, base_.snapshot());
    return std::unique_ptr<Snapshot>(new NamespacedSnapshot(std::move(snap), mapper_));
  }

  // The base belongs to whoever made this view.
  Status close() override { return ok(); }

 private:
  Datastore& base_;
  KeyMapper mapper_;
};

}  // namespace

std::unique_ptr<Datastore> namespaced(Datastore& base, const Key& prefix) {
  return std::make_unique<NamespacedDatastore>(base, prefix);
}

}  // namespace fil::store
