// Where one CBOR item ends, without decoding it: Filecoin's request/response
// protocols send a single item with no length prefix, so a reader must know
// from the item's structure when it has all of it. The scanner takes the
// bytes in pieces as they arrive, so a reader can hand them on (and grant
// flow-control window) before the item is complete.
#pragma once

#include <optional>
#include <vector>

#include "fil/base/bytes.h"
#include "fil/base/error.h"

namespace fil::net {

class CborItemScanner {
 public:
  explicit CborItemScanner(size_t max_depth = 64) : max_depth_(max_depth) {}

  // Scans the next bytes; returns how many of them belong to the item (all
  // of them until it is complete). Refuses reserved encodings, indefinite
  // lengths (which DAG-CBOR forbids) and nesting deeper than max_depth.
  [[nodiscard]] Result<size_t> feed(BytesView in);
  bool done() const { return done_; }

 private:
  void settle();
  size_t max_depth_;
  std::vector<uint64_t> due_{1};  // items still due at each open nesting level
  uint8_t head_[9] = {};
  size_t head_have_ = 0;
  uint64_t skip_ = 0;  // string bytes still to pass over
  bool done_ = false;
};

// The size of the CBOR item at the front of `in`; nullopt while `in` holds
// only part of it.
[[nodiscard]] Result<std::optional<size_t>> cborItemSize(BytesView in, size_t max_depth = 64);

}  // namespace fil::net
