// A write buffer over a blockstore, as Lotus's VM uses one: execution writes
// many intermediate state blocks that the final state never references;
// they stay in memory and flush() copies to the base store only the blocks
// reachable from the new state root (walking DAG-CBOR links, stopping at
// blocks the buffer does not hold, which the base already has).
//
//   BufferedBlockstore buffer(node_store);
//   ... run the VM over `buffer` ...
//   FIL_TRY(buffer.flush(new_root));
#pragma once

#include <map>
#include <mutex>

#include "fil/store/blockstore.h"

namespace fil::vm {

class BufferedBlockstore final : public store::Blockstore {
 public:
  explicit BufferedBlockstore(store::Blockstore& base) : base_(base) {}

  Result<Bytes> get(const cid::Cid& cid) const override;
  Result<bool> has(const cid::Cid& cid) const override;
  Status put(const cid::Cid& cid, BytesView data) override;
  Status putMany(const std::vector<store::Block>& blocks) override;

  // Copies the buffered blocks reachable from `root` to the base store in
  // one batch, then empties the buffer. Returns how many were copied.
  [[nodiscard]] Result<size_t> flush(const cid::Cid& root);
  // Empties the buffer without writing anything.
  void discard();
  size_t buffered() const;

 private:
  store::Blockstore& base_;
  mutable std::mutex mu_;
  std::map<Bytes, std::pair<cid::Cid, Bytes>> blocks_;  // multihash -> (cid, data)
};

// The CIDs that a DAG-CBOR block links to (tag 42), in order of appearance.
[[nodiscard]] Result<std::vector<cid::Cid>> cborLinks(BytesView block);

}  // namespace fil::vm
