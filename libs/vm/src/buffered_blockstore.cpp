#include "fil/vm/buffered_blockstore.h"

#include <set>

#include "fil/codec/value.h"
#include "fil/store/store_error.h"

namespace fil::vm {
namespace {

void collectLinks(const codec::Value& v, std::vector<cid::Cid>& out) {
  if (v.is<cid::Cid>()) {
    out.push_back(v.as<cid::Cid>());
  } else if (v.is<codec::ValueArray>()) {
    for (const auto& item : v.as<codec::ValueArray>()) collectLinks(item, out);
  } else if (v.is<codec::ValueMap>()) {
    for (const auto& [key, item] : v.as<codec::ValueMap>()) collectLinks(item, out);
  }
}

}  // namespace

Result<std::vector<cid::Cid>> cborLinks(BytesView block) {
  FIL_ASSIGN_OR_RETURN(auto value, codec::decode<codec::Value>(block));
  std::vector<cid::Cid> links;
  collectLinks(value, links);
  return links;
}

Result<Bytes> BufferedBlockstore::get(const cid::Cid& cid) const {
  {
    std::lock_guard lock(mu_);
    if (auto it = blocks_.find(cid.hash().toBytes()); it != blocks_.end()) return it->second.second;
  }
  return base_.get(cid);
}

Result<bool> BufferedBlockstore::has(const cid::Cid& cid) const {
  {
    std::lock_guard lock(mu_);
    if (blocks_.contains(cid.hash().toBytes())) return true;
  }
  return base_.has(cid);
}

Status BufferedBlockstore::put(const cid::Cid& cid, BytesView data) {
  std::lock_guard lock(mu_);
  blocks_.try_emplace(cid.hash().toBytes(), cid, toBytes(data));
  return ok();
}

Status BufferedBlockstore::putMany(const std::vector<store::Block>& blocks) {
  for (const auto& b : blocks) FIL_TRY(put(b.cid, b.data));
  return ok();
}

Result<size_t> BufferedBlockstore::flush(const cid::Cid& root) {
  std::vector<store::Block> out;
  {
    std::lock_guard lock(mu_);
    std::set<Bytes> seen;
    std::vector<cid::Cid> stack{root};
    while (!stack.empty()) {
      cid::Cid c = std::move(stack.back());
      stack.pop_back();
      Bytes key = c.hash().toBytes();
      auto it = blocks_.find(key);
      if (it == blocks_.end() || !seen.insert(std::move(key)).second) continue;
      if (c.codec() == cid::Codec::kDagCbor) {
        FIL_ASSIGN_OR_RETURN(auto links, cborLinks(it->second.second));
        for (auto& l : links) stack.push_back(std::move(l));
      }
      out.push_back({it->second.first, it->second.second});
    }
  }
  if (!out.empty()) FIL_TRY(base_.putMany(out));
  discard();
  return out.size();
}

void BufferedBlockstore::discard() {
  std::lock_guard lock(mu_);
  blocks_.clear();
}

size_t BufferedBlockstore::buffered() const {
  std::lock_guard lock(mu_);
  return blocks_.size();
}

}  // namespace fil::vm
