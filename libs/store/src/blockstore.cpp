#include "fil/store/blockstore.h"

#include <fmt/format.h>

#include "fil/base/base32.h"

namespace fil::store {

namespace {

bool isIdentity(const cid::Cid& c) { return c.hash().code() == cid::HashCode::kIdentity; }

Error notFound(const cid::Cid& c) { return Error(StoreError::kNotFound, "block " + c.toString() + " not found"); }

}  // namespace

Status verifyBlock(const cid::Cid& c, BytesView data) {
  const auto& mh = c.hash();
  switch (mh.code()) {
    case cid::HashCode::kIdentity:
      if (equal(mh.digest(), data)) return ok();
      break;
    case cid::HashCode::kSha2_256:
    case cid::HashCode::kBlake2b256:
      if (mh.matches(data)) return ok();
      break;
    default:
      return fail(StoreError::kUnsupported,
                  fmt::format("block {}: cannot verify {} hashes", c.toString(), cid::hashName(mh.code())));
  }
  return fail(StoreError::kCorrupt, fmt::format("block {} ({} bytes) does not match its hash", c.toString(), data.size()));
}

Result<cid::Cid> putBlock(Blockstore& store, BytesView data, cid::Codec codec, cid::HashCode hash) {
  const cid::Cid c = cid::Cid::compute(codec, data, hash);
  FIL_TRY(store.put(c, data));
  return c;
}

// ---- memory ------------------------------------------------------------------

Result<Bytes> MemoryBlockstore::get(const cid::Cid& c) const {
  if (isIdentity(c)) return c.hash().digest();
  std::lock_guard lock(mu_);
  auto it = blocks_.find(c.hash().toBytes());
  if (it == blocks_.end()) return fail(notFound(c));
  return it->second;
}

Result<bool> MemoryBlockstore::has(const cid::Cid& c) const {
  if (isIdentity(c)) return true;
  std::lock_guard lock(mu_);
  return blocks_.contains(c.hash().toBytes());
}

Status MemoryBlockstore::put(const cid::Cid& c, BytesView data) {
  if (isIdentity(c)) return ok();
  std::lock_guard lock(mu_);
  ++puts_;
  auto [it, inserted] = blocks_.try_emplace(c.hash().toBytes());
  if (inserted) {
    it->second.assign(data.begin(), data.end());
    bytes_ += data.size();
  }
  return ok();
}

Status MemoryBlockstore::putMany(const std::vector<Block>& blocks) {
  for (const auto& block : blocks) FIL_TRY(put(block.cid, block.data));
  return ok();
}

size_t MemoryBlockstore::size() const {
  std::lock_guard lock(mu_);
  return blocks_.size();
}

uint64_t MemoryBlockstore::byteSize() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

uint64_t MemoryBlockstore::puts() const {
  std::lock_guard lock(mu_);
  return puts_;
}

// ---- datastore ---------------------------------------------------------------

Key DatastoreBlockstore::keyFor(const cid::Cid& c) {
  return Key("/blocks/" + toBase32(c.hash().toBytes(), Base32Case::kUpper));
}

Result<Bytes> DatastoreBlockstore::get(const cid::Cid& c) const {
  if (isIdentity(c)) return c.hash().digest();
  auto data = ds_.get(keyFor(c));
  if (!data) {
    if (data.error().is(StoreError::kNotFound)) return fail(notFound(c));
    return fail(std::move(data).error().withContext("reading block " + c.toString()));
  }
  if (options_.verify_on_read) FIL_TRY(verifyBlock(c, *data));
  return data;
}

Result<bool> DatastoreBlockstore::has(const cid::Cid& c) const {
  if (isIdentity(c)) return true;
  return ds_.has(keyFor(c));
}

Status DatastoreBlockstore::put(const cid::Cid& c, BytesView data) {
  if (isIdentity(c)) return ok();
  return ds_.put(keyFor(c), data);
}

Status DatastoreBlockstore::putMany(const std::vector<Block>& blocks) {
  Batch batch;
  for (const auto& block : blocks) {
    if (!isIdentity(block.cid)) batch.put(keyFor(block.cid), block.data);
  }
  if (batch.empty()) return ok();
  return ds_.commit(batch);
}

}  // namespace fil::store
