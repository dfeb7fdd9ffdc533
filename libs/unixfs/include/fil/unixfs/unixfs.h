// UnixFS files: importing bytes into a balanced DAG of dag-pb nodes (as
// go-unixfs's balanced layout and ipfs-unixfs-importer build it) and
// exporting a DAG back to bytes.
//
//   ImportOptions options;                         // Lotus `client import` defaults
//   FIL_ASSIGN_OR_RETURN(auto in, store::FileSource::open(fs, path));
//   BlockstoreSink sink(blocks);
//   FIL_ASSIGN_OR_RETURN(ImportResult r, importFile(*in, options, sink));
//   FIL_TRY(exportFile(blocks, r.root, out));
//
// Layout: the file is cut into fixed-size chunks; each becomes a leaf (a raw
// block, or a dag-pb node of type File); leaves are gathered under dag-pb
// File nodes of at most `max_links` links, and those under more, until one
// root remains. A file of one chunk is that chunk's leaf. Internal nodes
// carry the UnixFS fields Type=File, filesize and one blocksize per link;
// links have an empty Name and Tsize = the bytes of the child's subtree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/cid/cid.h"
#include "fil/store/blockstore.h"
#include "fil/store/io.h"
#include "fil/unixfs/unixfs_error.h"

namespace fil::unixfs {

// ---- the UnixFS Data message (unixfs.proto) ---------------------------------

enum class DataType : uint64_t { kRaw = 0, kDirectory = 1, kFile = 2, kMetadata = 3, kSymlink = 4, kHamtShard = 5 };
std::string_view dataTypeName(DataType type);

struct UnixfsData {
  DataType type = DataType::kFile;
  std::optional<Bytes> data;
  std::optional<uint64_t> filesize;
  std::vector<uint64_t> blocksizes;
  std::optional<uint64_t> hash_type;
  std::optional<uint64_t> fanout;
  std::optional<uint32_t> mode;
  std::optional<Bytes> mtime;  // the UnixTime message, kept as bytes
  friend bool operator==(const UnixfsData&, const UnixfsData&) = default;
};

Bytes encodeUnixfsData(const UnixfsData& data);
[[nodiscard]] Result<UnixfsData> decodeUnixfsData(BytesView bytes);

// ---- import -----------------------------------------------------------------

struct ImportOptions {
  // The defaults are what Lotus's `client import` used (lotus lib/unixfs
  // CidBuilder and build.UnixfsChunkSize / UnixfsLinksPerLevel).
  uint64_t chunk_size = 1 << 20;
  size_t max_links = 1024;
  bool raw_leaves = true;
  int cid_version = 1;  // 0: CIDv0 dag-pb nodes (needs sha2-256 and non-raw leaves)
  cid::HashCode hash = cid::HashCode::kBlake2b256;
  // Blocks of at most this many bytes get an identity CID (the data inside
  // the CID, as go-cidutil's InlineBuilder); 0 turns that off.
  size_t inline_limit = 126;

  // What ipfs-unixfs-importer does with rawLeaves, cidVersion 1, 1 MiB chunks
  // and 1024 links: sha2-256, no identity CIDs.
  static ImportOptions ipfsCompatible();
};

// Receives each block as the importer makes it: leaves before the nodes that
// link them, the root last. `file_offset` is set for raw leaves (their bytes
// are the file's bytes at that offset). Identity-CID blocks are not passed on.
class BlockSink {
 public:
  virtual ~BlockSink() = default;
  [[nodiscard]] virtual Status put(const cid::Cid& cid, BytesView data, std::optional<uint64_t> file_offset) = 0;
};

// Stores every block in a blockstore.
class BlockstoreSink final : public BlockSink {
 public:
  explicit BlockstoreSink(store::Blockstore& blocks) : blocks_(blocks) {}
  Status put(const cid::Cid& cid, BytesView data, std::optional<uint64_t>) override { return blocks_.put(cid, data); }

 private:
  store::Blockstore& blocks_;
};

struct ImportResult {
  cid::Cid root;
  uint64_t file_size = 0;
  uint64_t dag_size = 0;  // bytes of all blocks (the root's Tsize)
  uint64_t blocks = 0;    // blocks passed to the sink
};

[[nodiscard]] Result<ImportResult> importFile(store::ByteSource& in, const ImportOptions& options, BlockSink& sink);

// ---- export -----------------------------------------------------------------

// Writes the bytes of the UnixFS file (or raw block) `root` to `out`,
// checking every block against its CID and every size a node records.
// Directories, symlinks and HAMT shards are kUnsupported. Returns the bytes written.
[[nodiscard]] Result<uint64_t> exportFile(const store::Blockstore& blocks, const cid::Cid& root, store::ByteSink& out);

// ---- DAGs and CARs ------------------------------------------------------------

// The CIDs a block links to, in order: dag-pb links, dag-cbor tag-42 links,
// none for raw and identity blocks. kUnsupported for other codecs.
[[nodiscard]] Result<std::vector<cid::Cid>> blockLinks(const cid::Cid& cid, BytesView data);

struct CarDagStats {
  uint64_t blocks = 0;
  uint64_t bytes = 0;  // of the CAR
};

// Writes the DAG under `root` as a CARv1 whose header names `root`, in
// depth-first pre-order of links (root first), each block once: the order of
// Lotus's and go-car's selective CARs and of trustless gateway responses.
// Identity-CID blocks are not written (their data is in the CID).
[[nodiscard]] Result<CarDagStats> writeCarDag(const store::Blockstore& blocks, const cid::Cid& root,
                                              store::ByteSink& out);

}  // namespace fil::unixfs
