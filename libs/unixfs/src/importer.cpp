#include <fmt/format.h>

#include "fil/unixfs/dag_pb.h"
#include "fil/unixfs/unixfs.h"

namespace fil::unixfs {

ImportOptions ImportOptions::ipfsCompatible() {
  ImportOptions o;
  o.hash = cid::HashCode::kSha2_256;
  o.inline_limit = 0;
  return o;
}

namespace {

struct Child {
  cid::Cid cid;
  uint64_t file_size;  // bytes of the file below this node
  uint64_t tsize;      // bytes of all blocks below and including this node
};

Status checkOptions(const ImportOptions& o) {
  if (o.chunk_size == 0 || o.chunk_size > (64ull << 20)) {
    return fail(UnixfsError::kInvalidOption, fmt::format("chunk size {} is outside 1 byte .. 64 MiB", o.chunk_size));
  }
  if (o.max_links < 2) {
    return fail(UnixfsError::kInvalidOption, fmt::format("{} links per node cannot build a tree (need 2 or more)", o.max_links));
  }
  if (o.hash != cid::HashCode::kSha2_256 && o.hash != cid::HashCode::kBlake2b256) {
    return fail(UnixfsError::kInvalidOption, "the hash must be sha2-256 or blake2b-256");
  }
  if (o.cid_version == 0) {
    if (o.raw_leaves || o.hash != cid::HashCode::kSha2_256 || o.inline_limit != 0) {
      return fail(UnixfsError::kInvalidOption,
                  "CIDv0 means dag-pb leaves, sha2-256 and no identity CIDs (turn off raw leaves and inlining)");
    }
  } else if (o.cid_version != 1) {
    return fail(UnixfsError::kInvalidOption, fmt::format("CID version {} does not exist", o.cid_version));
  }
  if (o.inline_limit > cid::kMaxIdentityDigest) {
    return fail(UnixfsError::kInvalidOption,
                fmt::format("inline limit {} is above the {} bytes an identity CID may hold", o.inline_limit,
                            cid::kMaxIdentityDigest));
  }
  return ok();
}

class Importer {
 public:
  Importer(store::ByteSource& in, const ImportOptions& options, BlockSink& sink)
      : in_(in), options_(options), sink_(sink) {}

  Result<ImportResult> run() {
    FIL_TRY(checkOptions(options_));
    FIL_TRY(readAhead());
    // The first leaf is the root of a one-chunk file (an empty file is one
    // empty leaf); every further level puts the tree so far under a new root.
    FIL_ASSIGN_OR_RETURN(Child root, leaf());
    for (int depth = 1; have_next_; ++depth) {
      std::vector<Child> children{root};
      FIL_ASSIGN_OR_RETURN(root, fill(std::move(children), depth));
    }
    return ImportResult{root.cid, root.file_size, root.tsize, blocks_};
  }

 private:
  // Reads the next chunk into next_: full chunks until the last one.
  Status readAhead() {
    next_.resize(options_.chunk_size);
    size_t got = 0;
    while (got < next_.size()) {
      FIL_ASSIGN_OR_RETURN(size_t n, in_.read(MutableBytesView(next_).subspan(got)));
      if (n == 0) break;
      got += n;
    }
    next_.resize(got);
    have_next_ = got > 0;
    return ok();
  }

  cid::Cid cidFor(BytesView block, cid::Codec codec) const {
    if (options_.inline_limit > 0 && block.size() <= options_.inline_limit) {
      return cid::Cid::v1(codec, cid::Multihash::identity(block));
    }
    if (options_.cid_version == 0) return cid::Cid::v0(cid::Multihash::sha256(block)).value();  // dag-pb, checked
    return cid::Cid::compute(codec, block, options_.hash);
  }

  Result<cid::Cid> emit(BytesView block, cid::Codec codec, std::optional<uint64_t> file_offset) {
    cid::Cid c = cidFor(block, codec);
    if (c.hash().code() != cid::HashCode::kIdentity) {
      FIL_TRY(sink_.put(c, block, file_offset));
      ++blocks_;
    }
    return c;
  }

  // Consumes next_ (possibly empty, for an empty file) as a leaf.
  Result<Child> leaf() {
    Bytes chunk = std::move(next_);
    const uint64_t offset = offset_;
    offset_ += chunk.size();
    FIL_TRY(readAhead());
    if (options_.raw_leaves) {
      FIL_ASSIGN_OR_RETURN(cid::Cid c, emit(chunk, cid::Codec::kRaw, offset));
      return Child{std::move(c), chunk.size(), chunk.size()};
    }
    UnixfsData data;
    data.type = DataType::kFile;
    data.filesize = chunk.size();
    if (!chunk.empty()) data.data = chunk;
    const Bytes block = encodePbNode(PbNode{{}, encodeUnixfsData(data)});
    FIL_ASSIGN_OR_RETURN(cid::Cid c, emit(block, cid::Codec::kDagPb, std::nullopt));
    return Child{std::move(c), chunk.size(), block.size()};
  }

  // Fills a node at `depth` (1: its children are leaves) with up to
  // max_links children while data remains, then writes it.
  Result<Child> fill(std::vector<Child> children, int depth) {
    while (children.size() < options_.max_links && have_next_) {
      if (depth == 1) {
        FIL_ASSIGN_OR_RETURN(Child c, leaf());
        children.push_back(std::move(c));
      } else {
        FIL_ASSIGN_OR_RETURN(Child c, fill({}, depth - 1));
        children.push_back(std::move(c));
      }
    }
    UnixfsData data;
    data.type = DataType::kFile;
    PbNode node;
    uint64_t file_size = 0;
    uint64_t tsize = 0;
    for (auto& c : children) {
      data.blocksizes.push_back(c.file_size);
      file_size += c.file_size;
      tsize += c.tsize;
      node.links.push_back(PbLink{std::move(c.cid), std::string(), c.tsize});
    }
    data.filesize = file_size;
    node.data = encodeUnixfsData(data);
    const Bytes block = encodePbNode(node);
    FIL_ASSIGN_OR_RETURN(cid::Cid c, emit(block, cid::Codec::kDagPb, std::nullopt));
    return Child{std::move(c), file_size, tsize + block.size()};
  }

  store::ByteSource& in_;
  const ImportOptions& options_;
  BlockSink& sink_;
  Bytes next_;
  bool have_next_ = false;
  uint64_t offset_ = 0;
  uint64_t blocks_ = 0;
};

}  // namespace

Result<ImportResult> importFile(store::ByteSource& in, const ImportOptions& options, BlockSink& sink) {
  return Importer(in, options, sink).run();
}

}  // namespace fil::unixfs
