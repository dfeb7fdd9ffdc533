// A blockstore for a DAG imported from a file, as Lotus's filestore (NoCopy)
// keeps one: dag-pb nodes in memory, raw leaves as references to their bytes
// in the file, read back (and re-hashed) when asked for. Writing the CAR of a
// large file then needs memory for its nodes only (about 50 bytes per MiB).
//
//   FileBackedBlockstore blocks(*file);           // the file being imported
//   FIL_ASSIGN_OR_RETURN(auto r, importFile(*source, options, blocks));
//   FIL_TRY(writeCarDag(blocks, r.root, sink));    // re-reads the leaves
#pragma once

#include <map>
#include <mutex>

#include "fil/store/blockstore.h"
#include "fil/store/filesystem.h"
#include "fil/unixfs/unixfs.h"

namespace fil::unixfs {

class FileBackedBlockstore final : public store::Blockstore, public BlockSink {
 public:
  // `file` must outlive this object and hold the imported bytes unchanged.
  explicit FileBackedBlockstore(store::ReadableFile& file) : file_(file) {}

  // BlockSink: raw leaves with an offset are recorded by reference.
  Status put(const cid::Cid& cid, BytesView data, std::optional<uint64_t> file_offset) override;

  // Blockstore. A leaf whose bytes in the file changed since the import is
  // StoreError::kCorrupt, naming the file offset.
  Result<Bytes> get(const cid::Cid& cid) const override;
  Result<bool> has(const cid::Cid& cid) const override;
  Status put(const cid::Cid& cid, BytesView data) override { return nodes_.put(cid, data); }
  Status putMany(const std::vector<store::Block>& blocks) override { return nodes_.putMany(blocks); }

 private:
  struct Extent {
    uint64_t offset;
    uint64_t size;
  };
  store::ReadableFile& file_;
  store::MemoryBlockstore nodes_;
  mutable std::mutex mu_;
  std::map<Bytes, Extent> leaves_;  // multihash bytes -> where the leaf lies in the file
};

}  // namespace fil::unixfs
