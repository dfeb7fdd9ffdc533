#include <fmt/format.h>

#include "fil/unixfs/dag_pb.h"
#include "fil/unixfs/unixfs.h"

namespace fil::unixfs {

namespace {

// File DAGs are a few levels deep (1024 links per level reach exabytes in
// seven); a deeper chain is hostile input and would exhaust the stack.
constexpr int kMaxDepth = 64;

Result<Bytes> fetch(const store::Blockstore& blocks, const cid::Cid& c) {
  FIL_ASSIGN_OR_RETURN(Bytes data, blocks.get(c));
  FIL_TRY(store::verifyBlock(c, data));
  return data;
}

Result<uint64_t> exportNode(const store::Blockstore& blocks, const cid::Cid& c, store::ByteSink& out, int depth) {
  if (depth > kMaxDepth) {
    return fail(UnixfsError::kTooDeep, fmt::format("DAG is deeper than {} levels at {}", kMaxDepth, c.toString()));
  }
  FIL_ASSIGN_OR_RETURN(Bytes block, fetch(blocks, c));
  if (c.codec() == cid::Codec::kRaw) {
    FIL_TRY(out.write(block));
    return block.size();
  }
  if (c.codec() != cid::Codec::kDagPb) {
    return fail(UnixfsError::kUnsupported,
                fmt::format("{} is {}, not a UnixFS (dag-pb or raw) block", c.toString(), cid::codecName(c.codec())));
  }
  auto node = decodePbNode(block);
  if (!node) return fail(std::move(node).error().withContext(c.toString()));
  if (!node->data) return fail(UnixfsError::kMalformed, fmt::format("dag-pb node {} has no UnixFS data", c.toString()));
  auto data = decodeUnixfsData(*node->data);
  if (!data) return fail(std::move(data).error().withContext(c.toString()));
  if (data->type != DataType::kFile && data->type != DataType::kRaw) {
    return fail(UnixfsError::kUnsupported,
                fmt::format("{} is a UnixFS {}, not a file; export the CID of a file", c.toString(),
                            dataTypeName(data->type)));
  }
  if (!node->links.empty() && data->blocksizes.size() != node->links.size()) {
    return fail(UnixfsError::kSizeMismatch, fmt::format("{} has {} links but {} block sizes", c.toString(),
                                                        node->links.size(), data->blocksizes.size()));
  }
  uint64_t written = 0;
  if (data->data) {
    FIL_TRY(out.write(*data->data));
    written += data->data->size();
  }
  for (size_t i = 0; i < node->links.size(); ++i) {
    FIL_ASSIGN_OR_RETURN(uint64_t n, exportNode(blocks, node->links[i].hash, out, depth + 1));
    if (n != data->blocksizes[i]) {
      return fail(UnixfsError::kSizeMismatch, fmt::format("{} says child {} holds {} bytes; it holds {}", c.toString(),
                                                          i, data->blocksizes[i], n));
    }
    written += n;
  }
  if (data->filesize && *data->filesize != written) {
    return fail(UnixfsError::kSizeMismatch,
                fmt::format("{} says the file has {} bytes; its blocks hold {}", c.toString(), *data->filesize, written));
  }
  return written;
}

}  // namespace

Result<uint64_t> exportFile(const store::Blockstore& blocks, const cid::Cid& root, store::ByteSink& out) {
  return exportNode(blocks, root, out, 0);
}

}  // namespace fil::unixfs
