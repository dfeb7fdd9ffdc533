// The AMT (array mapped trie) Filecoin uses for arrays indexed by u64:
// go-amt-ipld v3/v4 (state: bit width 3 by default, 5 or 6 for some actor
// tables) and the legacy v0 layout of go-amt-ipld v2, which block message
// lists and receipts still use. Canonical: the same entries give the same
// root CID whatever order they were written in.
//
//   Amt receipts(blocks, {.version = AmtVersion::kV0});
//   for (size_t i = 0; i < rs.size(); ++i) FIL_TRY(receipts.setCbor(i, rs[i]));
//   FIL_ASSIGN_OR_RETURN(Cid root, receipts.flush());
//
// Layouts (DAG-CBOR): v3 root [bitWidth, height, count, node]; v0 root
// [height, count, node]; node [bmap bytes, [links], [values]] where bmap has
// one bit per slot (bit i = bmap[i/8] & (1 << i%8)), leaves (height 0) hold
// values and inner nodes links. Slot at height h: (index / width^h) % width.
// Nodes are checked on load as go-amt-ipld checks them (StoreError::kMalformed).
//
// Values are raw DAG-CBOR items (checked on set). Not thread-safe; the
// blockstore must outlive the Amt.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/cid/cid.h"
#include "fil/codec/cbor.h"
#include "fil/store/blockstore.h"

namespace fil::store {

enum class AmtVersion {
  kV0,  // go-amt-ipld v2: no bit width in the root, always 3; indexes < 2^63
  kV3,  // go-amt-ipld v3 and v4 (same bytes)
};

struct AmtOptions {
  unsigned bit_width = 3;  // 1..16; must be 3 for kV0
  AmtVersion version = AmtVersion::kV3;
};

class Amt {
 public:
  static constexpr uint64_t kMaxIndexV3 = UINT64_MAX - 1;
  static constexpr uint64_t kMaxIndexV0 = (uint64_t{1} << 63) - 1;

  explicit Amt(Blockstore& store, AmtOptions options = {});
  ~Amt();
  Amt(Amt&&) noexcept;
  Amt& operator=(Amt&&) noexcept;

  // Loads the AMT rooted at `root`; for v3 the stored bit width must equal
  // options.bit_width.
  [[nodiscard]] static Result<Amt> load(Blockstore& store, const cid::Cid& root, AmtOptions options = {});

  [[nodiscard]] Result<std::optional<Bytes>> get(uint64_t index);
  // Sets `index` to the CBOR item `value`. kOutOfRange beyond the maximum index.
  [[nodiscard]] Status set(uint64_t index, BytesView value);
  // Returns whether `index` was set.
  [[nodiscard]] Result<bool> remove(uint64_t index);

  // Visits the entries in index order, from `start`; the visitor may stop the
  // walk by returning an error, which is returned.
  using Visitor = std::function<Status(uint64_t index, BytesView value)>;
  [[nodiscard]] Status forEach(const Visitor& visit) { return forEachFrom(0, visit); }
  [[nodiscard]] Status forEachFrom(uint64_t start, const Visitor& visit);

  uint64_t count() const { return count_; }
  unsigned height() const { return height_; }

  // Writes every changed node and the root; returns the root CID.
  [[nodiscard]] Result<cid::Cid> flush();

  template <typename T>
  [[nodiscard]] Status setCbor(uint64_t index, const T& value) {
    return set(index, codec::encode(value));
  }
  template <typename T>
  [[nodiscard]] Result<std::optional<T>> getCbor(uint64_t index) {
    FIL_ASSIGN_OR_RETURN(auto raw, get(index));
    if (!raw) return std::optional<T>();
    FIL_ASSIGN_OR_RETURN(T value, codec::decode<T>(*raw));
    return std::optional<T>(std::move(value));
  }

  struct Node;

 private:
  Status checkOptions() const;
  uint64_t maxIndex() const;

  Blockstore* store_;
  AmtOptions options_;
  unsigned height_ = 0;
  uint64_t count_ = 0;
  std::unique_ptr<Node> root_;
};

// Checks that `bytes` is a well-formed AMT root for `options` (the fuzz
// target's entry point; Amt::load applies the same checks).
[[nodiscard]] Status validateAmtRoot(BytesView bytes, AmtOptions options = {});
// Checks that `bytes` is a well-formed non-root AMT node at `height`.
[[nodiscard]] Status validateAmtNode(BytesView bytes, unsigned height, AmtOptions options = {});

}  // namespace fil::store
