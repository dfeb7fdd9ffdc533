// The HAMT Filecoin state uses (go-hamt-ipld v3, ref-fvm fvm_ipld_hamt):
// keys are bytes hashed with SHA-256, each level consumes `bit_width` bits of
// the hash (5 by default; 6 for balance tables), buckets hold up to 3
// entries, and the structure is canonical: the same set of entries gives the
// same root CID whatever order they were written in.
//
//   Hamt hamt(blocks);                                // empty, bit width 5
//   FIL_TRY(hamt.setCbor(addressKey, actor));
//   FIL_ASSIGN_OR_RETURN(Cid root, hamt.flush());
//   FIL_ASSIGN_OR_RETURN(Hamt loaded, Hamt::load(blocks, root));
//   FIL_ASSIGN_OR_RETURN(auto actor, loaded.getCbor<Actor>(addressKey));
//
// Node layout (DAG-CBOR): [bitfield bytes, [pointer...]]; the bitfield is a
// minimal big-endian integer with bit i set when slot i is used; a pointer is
// a CID link to a child node or a bucket [[key bytes, value], ...] sorted by
// key. Nodes read from the blockstore are checked as go-hamt-ipld checks them
// (and a non-minimal bitfield is refused), with StoreError::kMalformed.
//
// Values are raw DAG-CBOR items (checked on set). Nodes are loaded lazily and
// kept in memory; set/remove change memory only and flush() writes every
// changed node. Not thread-safe; the blockstore must outlive the Hamt.
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/cid/cid.h"
#include "fil/codec/cbor.h"
#include "fil/store/blockstore.h"

namespace fil::store {

struct HamtOptions {
  int bit_width = 5;  // 1..8
};

class Hamt {
 public:
  explicit Hamt(Blockstore& store, HamtOptions options = {});
  ~Hamt();
  Hamt(Hamt&&) noexcept;
  Hamt& operator=(Hamt&&) noexcept;

  // Loads the HAMT whose root node is `root`; `options` must be those it was
  // built with (they are not stored in it).
  [[nodiscard]] static Result<Hamt> load(Blockstore& store, const cid::Cid& root, HamtOptions options = {});

  // The raw CBOR value under `key`, or nullopt.
  [[nodiscard]] Result<std::optional<Bytes>> get(BytesView key);
  // Sets `key` to the CBOR item `value`; returns whether anything changed.
  [[nodiscard]] Result<bool> set(BytesView key, BytesView value);
  // Sets `key` only when it holds nothing; returns whether it was set.
  [[nodiscard]] Result<bool> setIfAbsent(BytesView key, BytesView value);
  // Returns whether `key` was there.
  [[nodiscard]] Result<bool> remove(BytesView key);

  // Visits every entry in the HAMT's order (by hash); `visit` may stop the
  // walk by returning an error, which forEach returns.
  using Visitor = std::function<Status(BytesView key, BytesView value)>;
  [[nodiscard]] Status forEach(const Visitor& visit);

  // Writes every changed node and returns the root CID (writing nothing when
  // nothing changed since the last load or flush).
  [[nodiscard]] Result<cid::Cid> flush();

  template <typename T>
  [[nodiscard]] Result<bool> setCbor(BytesView key, const T& value) {
    return set(key, codec::encode(value));
  }
  template <typename T>
  [[nodiscard]] Result<std::optional<T>> getCbor(BytesView key) {
    FIL_ASSIGN_OR_RETURN(auto raw, get(key));
    if (!raw) return std::optional<T>();
    FIL_ASSIGN_OR_RETURN(T value, codec::decode<T>(*raw));
    return std::optional<T>(std::move(value));
  }

  struct Node;

 private:
  Hamt(Blockstore& store, HamtOptions options, std::unique_ptr<Node> root);
  Result<bool> modify(BytesView key, Bytes* value, bool replace);

  Blockstore* store_;
  HamtOptions options_;
  std::unique_ptr<Node> root_;
  // The root CID when nothing changed since it was loaded or flushed, so a
  // flush without changes writes nothing (as ref-fvm).
  std::optional<cid::Cid> flushed_;
};

// Checks that `bytes` is a well-formed HAMT node for `options` (used by the
// fuzz target; Hamt::load and child loads apply the same checks).
[[nodiscard]] Status validateHamtNode(BytesView bytes, HamtOptions options = {}, bool is_root = true);

}  // namespace fil::store
