// Content-addressed blocks: CID -> bytes.
//
//   MemoryBlockstore blocks;                               // tests, scratch
//   DatastoreBlockstore blocks(datastore, {.verify_on_read = true});
//   FIL_ASSIGN_OR_RETURN(Cid c, putCbor(blocks, header));  // dag-cbor, blake2b-256
//   FIL_ASSIGN_OR_RETURN(auto h, getCbor<BlockHeader>(blocks, c));
//
// Blocks are keyed by multihash, as go-ipfs-blockstore does, so the CIDv0 and
// CIDv1 (or dag-pb and raw) names of the same bytes find the same block.
// Identity CIDs carry their data inline: get() returns it, put() stores
// nothing. Implementations are thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/cid/cid.h"
#include "fil/codec/cbor.h"
#include "fil/store/datastore.h"
#include "fil/store/store_error.h"

namespace fil::store {

struct Block {
  cid::Cid cid;
  Bytes data;
};

class Blockstore {
 public:
  virtual ~Blockstore() = default;
  // StoreError::kNotFound when absent.
  [[nodiscard]] virtual Result<Bytes> get(const cid::Cid& cid) const = 0;
  [[nodiscard]] virtual Result<bool> has(const cid::Cid& cid) const = 0;
  // Stores `data` under `cid`; the caller vouches that they match (see
  // verifyBlock and putBlock).
  [[nodiscard]] virtual Status put(const cid::Cid& cid, BytesView data) = 0;
  // Stores all of `blocks` together (one batch where the backend has them).
  [[nodiscard]] virtual Status putMany(const std::vector<Block>& blocks) = 0;
};

// Checks that `data` hashes to `cid`'s multihash: kCorrupt when it does not,
// kUnsupported for hash functions that cannot be recomputed here.
[[nodiscard]] Status verifyBlock(const cid::Cid& cid, BytesView data);

// Hashes `data`, stores it and returns its CIDv1.
[[nodiscard]] Result<cid::Cid> putBlock(Blockstore& store, BytesView data, cid::Codec codec,
                                        cid::HashCode hash = cid::HashCode::kBlake2b256);

// Encodes `value` as DAG-CBOR and stores it (blake2b-256, as Filecoin does).
template <typename T>
[[nodiscard]] Result<cid::Cid> putCbor(Blockstore& store, const T& value) {
  return putBlock(store, codec::encode(value), cid::Codec::kDagCbor);
}

template <typename T>
[[nodiscard]] Result<T> getCbor(const Blockstore& store, const cid::Cid& cid) {
  FIL_ASSIGN_OR_RETURN(Bytes bytes, store.get(cid));
  auto value = codec::decode<T>(bytes);
  if (!value) return fail(std::move(value).error().withContext("decoding block " + cid.toString()));
  return value;
}

class MemoryBlockstore final : public Blockstore {
 public:
  Result<Bytes> get(const cid::Cid& cid) const override;
  Result<bool> has(const cid::Cid& cid) const override;
  Status put(const cid::Cid& cid, BytesView data) override;
  Status putMany(const std::vector<Block>& blocks) override;

  size_t size() const;          // blocks held
  uint64_t byteSize() const;    // their bytes
  uint64_t puts() const;        // put calls that stored a block, new or not

 private:
  mutable std::mutex mu_;
  std::map<Bytes, Bytes> blocks_;  // multihash bytes -> data
  uint64_t bytes_ = 0;
  uint64_t puts_ = 0;
};

// Blocks in a Datastore under "/blocks/<base32 upper multihash>", the layout of
// go-ipfs-blockstore. `datastore` must outlive this object.
class DatastoreBlockstore final : public Blockstore {
 public:
  struct Options {
    // Re-hash every block read and refuse one that does not match its CID.
    bool verify_on_read = false;
  };
  explicit DatastoreBlockstore(Datastore& datastore) : DatastoreBlockstore(datastore, Options{}) {}
  DatastoreBlockstore(Datastore& datastore, Options options) : ds_(datastore), options_(options) {}

  Result<Bytes> get(const cid::Cid& cid) const override;
  Result<bool> has(const cid::Cid& cid) const override;
  Status put(const cid::Cid& cid, BytesView data) override;
  Status putMany(const std::vector<Block>& blocks) override;

  // The datastore key of a block.
  static Key keyFor(const cid::Cid& cid);

 private:
  Datastore& ds_;
  Options options_;
};

}  // namespace fil::store
