#include <unordered_set>

#include <fmt/format.h>

#include "fil/codec/value.h"
#include "fil/store/car.h"
#include "fil/unixfs/dag_pb.h"
#include "fil/unixfs/file_blockstore.h"
#include "fil/unixfs/unixfs.h"

namespace fil::unixfs {

namespace {

void collectCids(const codec::Value& v, std::vector<cid::Cid>& out) {
  if (v.is<cid::Cid>()) {
    out.push_back(v.as<cid::Cid>());
  } else if (v.is<codec::ValueArray>()) {
    for (const auto& item : v.as<codec::ValueArray>()) collectCids(item, out);
  } else if (v.is<codec::ValueMap>()) {
    for (const auto& [key, item] : v.as<codec::ValueMap>()) collectCids(item, out);
  }
}

}  // namespace

Result<std::vector<cid::Cid>> blockLinks(const cid::Cid& c, BytesView data) {
  std::vector<cid::Cid> links;
  switch (c.codec()) {
    case cid::Codec::kRaw:
      return links;
    case cid::Codec::kDagPb: {
      auto node = decodePbNode(data);
      if (!node) return fail(std::move(node).error().withContext(c.toString()));
      for (auto& link : node->links) links.push_back(std::move(link.hash));
      return links;
    }
    case cid::Codec::kDagCbor: {
      auto value = codec::decode<codec::Value>(data);
      if (!value) return fail(std::move(value).error().withContext(c.toString()));
      collectCids(*value, links);
      return links;
    }
    default:
      return fail(UnixfsError::kUnsupported,
                  fmt::format("cannot follow links of {} ({})", c.toString(), cid::codecName(c.codec())));
  }
}

Result<CarDagStats> writeCarDag(const store::Blockstore& blocks, const cid::Cid& root, store::ByteSink& out) {
  FIL_ASSIGN_OR_RETURN(auto writer, store::CarWriter::create(out, {root}));
  std::unordered_set<cid::Cid> seen;
  std::vector<cid::Cid> todo{root};
  while (!todo.empty()) {
    cid::Cid c = std::move(todo.back());
    todo.pop_back();
    if (!seen.insert(c).second) continue;
    FIL_ASSIGN_OR_RETURN(Bytes data, blocks.get(c));
    // Identity blocks live in their CID; their links still lead to real blocks.
    if (c.hash().code() != cid::HashCode::kIdentity) FIL_TRY(writer.put(c, data));
    FIL_ASSIGN_OR_RETURN(auto links, blockLinks(c, data));
    for (auto it = links.rbegin(); it != links.rend(); ++it) {
      if (!seen.contains(*it)) todo.push_back(std::move(*it));
    }
  }
  return CarDagStats{writer.blocksWritten(), writer.bytesWritten()};
}

Status FileBackedBlockstore::put(const cid::Cid& c, BytesView data, std::optional<uint64_t> file_offset) {
  if (!file_offset) return nodes_.put(c, data);
  std::lock_guard lock(mu_);
  leaves_.try_emplace(c.hash().toBytes(), Extent{*file_offset, data.size()});
  return ok();
}

Result<Bytes> FileBackedBlockstore::get(const cid::Cid& c) const {
  std::optional<Extent> extent;
  {
    std::lock_guard lock(mu_);
    auto it = leaves_.find(c.hash().toBytes());
    if (it != leaves_.end()) extent = it->second;
  }
  if (!extent) return nodes_.get(c);
  Bytes data(extent->size);
  FIL_ASSIGN_OR_RETURN(size_t n, file_.readAt(extent->offset, data));
  data.resize(n);
  if (auto verified = store::verifyBlock(c, data); !verified) {
    return fail(store::StoreError::kCorrupt,
                fmt::format("the {} bytes at offset {} of the imported file changed since the import ({})",
                            extent->size, extent->offset, c.toString()));
  }
  return data;
}

Result<bool> FileBackedBlockstore::has(const cid::Cid& c) const {
  {
    std::lock_guard lock(mu_);
    if (leaves_.contains(c.hash().toBytes())) return true;
  }
  return nodes_.has(c);
}

}  // namespace fil::unixfs
