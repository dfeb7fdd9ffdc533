#include "fil/store/amt.h"

#include <algorithm>
#include <bit>

#include <fmt/format.h>

#include "fil/codec/cbor_decoder.h"
#include "fil/codec/cbor_encoder.h"

namespace fil::store {

// Named by Amt::Node, so not in an anonymous namespace.
namespace amt_internal {
struct Link {
  cid::Cid cid;                          // the stored child, when defined
  std::unique_ptr<Amt::Node> cached;     // the child in memory
  bool dirty = false;                    // cached differs from cid
};
}  // namespace amt_internal

// A node in its expanded form: `width` slots of links (inner nodes) or
// values (leaves); both vectors are empty for an empty node.
struct Amt::Node {
  std::vector<std::unique_ptr<amt_internal::Link>> links;
  std::vector<std::optional<Bytes>> values;

  bool empty() const {
    return std::none_of(links.begin(), links.end(), [](const auto& l) { return l != nullptr; }) &&
           std::none_of(values.begin(), values.end(), [](const auto& v) { return v.has_value(); });
  }
};

namespace {

using Link = amt_internal::Link;
using Node = Amt::Node;

constexpr unsigned kMaxBitWidth = 16;
constexpr unsigned kV0MaxHeight = 20;  // go-amt-ipld v2: 63 index bits / 3 - 1

size_t bmapBytes(unsigned bit_width) { return bit_width <= 3 ? 1 : size_t{1} << (bit_width - 3); }

// How many indexes a subtree of `height` levels below a node covers: width^height, saturating.
uint64_t nodesForHeight(unsigned bit_width, uint64_t height) {
  const uint64_t bits = uint64_t{bit_width} * height;
  if (bits >= 64) return UINT64_MAX;
  return uint64_t{1} << bits;
}

Error malformed(const Error& e) { return Error(StoreError::kMalformed, "AMT node: " + e.message()); }

Result<std::unique_ptr<Node>> decodeNodeBody(codec::CborDecoder& d, unsigned bit_width, bool allow_empty,
                                             bool expect_leaf) {
  const size_t width = size_t{1} << bit_width;
  auto fields = d.readArrayHeader();
  if (!fields) return fail(malformed(fields.error()));
  if (*fields != 3) return fail(StoreError::kMalformed, fmt::format("AMT node has {} fields, not 3", *fields));
  auto bmap = d.readBytes();
  if (!bmap) return fail(malformed(bmap.error()));
  if (bmap->size() != bmapBytes(bit_width)) {
    return fail(StoreError::kMalformed, fmt::format("AMT bitmap is {} bytes; bit width {} needs {}", bmap->size(),
                                                    bit_width, bmapBytes(bit_width)));
  }
  size_t set_bits = 0;
  for (size_t i = 0; i < bmap->size() * 8; ++i) {
    if (((*bmap)[i / 8] >> (i % 8)) & 1) {
      if (i >= width) {
        return fail(StoreError::kMalformed, fmt::format("AMT bitmap marks slot {} of a {}-slot node", i, width));
      }
      ++set_bits;
    }
  }
  auto bit = [&](size_t i) { return ((*bmap)[i / 8] >> (i % 8)) & 1; };

  auto node = std::make_unique<Node>();
  auto nlinks = d.readArrayHeader();
  if (!nlinks) return fail(malformed(nlinks.error()));
  if (*nlinks > width) return fail(StoreError::kMalformed, fmt::format("AMT node has {} links", *nlinks));
  std::vector<cid::Cid> links;
  for (uint64_t i = 0; i < *nlinks; ++i) {
    auto c = d.readCid();
    if (!c) return fail(malformed(c.error()));
    if (c->codec() != cid::Codec::kDagCbor) {
      return fail(StoreError::kMalformed, "AMT link " + c->toString() + " is not dag-cbor");
    }
    links.push_back(std::move(*c));
  }
  auto nvalues = d.readArrayHeader();
  if (!nvalues) return fail(malformed(nvalues.error()));
  if (*nvalues > width) return fail(StoreError::kMalformed, fmt::format("AMT node has {} values", *nvalues));
  std::vector<Bytes> values;
  for (uint64_t i = 0; i < *nvalues; ++i) {
    auto v = d.readRaw();
    if (!v) return fail(malformed(v.error()));
    values.emplace_back(v->begin(), v->end());
  }

  if (!links.empty() && !values.empty()) return fail(StoreError::kMalformed, "AMT node has both links and values");
  if (!values.empty()) {
    if (!expect_leaf) return fail(StoreError::kMalformed, "AMT node above height 0 holds values");
    if (values.size() != set_bits) {
      return fail(StoreError::kMalformed,
                  fmt::format("AMT bitmap marks {} slots but the node has {} values", set_bits, values.size()));
    }
    node->values.resize(width);
    for (size_t i = 0, next = 0; i < width; ++i) {
      if (bit(i)) node->values[i] = std::move(values[next++]);
    }
  } else if (!links.empty()) {
    if (expect_leaf) return fail(StoreError::kMalformed, "AMT leaf (height 0) holds links");
    if (links.size() != set_bits) {
      return fail(StoreError::kMalformed,
                  fmt::format("AMT bitmap marks {} slots but the node has {} links", set_bits, links.size()));
    }
    node->links.resize(width);
    for (size_t i = 0, next = 0; i < width; ++i) {
      if (bit(i)) {
        node->links[i] = std::make_unique<Link>();
        node->links[i]->cid = std::move(links[next++]);
      }
    }
  } else {
    if (!allow_empty) return fail(StoreError::kMalformed, "AMT node below the root is empty");
    if (set_bits != 0) return fail(StoreError::kMalformed, "AMT bitmap marks slots of an empty node");
  }
  return node;
}

Status checkBitWidth(const AmtOptions& options) {
  if (options.bit_width < 1 || options.bit_width > kMaxBitWidth) {
    return fail(StoreError::kUnsupported,
                fmt::format("AMT bit width {} is outside 1..{}", options.bit_width, kMaxBitWidth));
  }
  if (options.version == AmtVersion::kV0 && options.bit_width != 3) {
    return fail(StoreError::kUnsupported, "legacy AMT v0 always has bit width 3");
  }
  return ok();
}

struct DecodedRoot {
  unsigned height;
  uint64_t count;
  std::unique_ptr<Node> node;
};

Result<DecodedRoot> decodeRoot(BytesView bytes, const AmtOptions& options) {
  FIL_TRY(checkBitWidth(options));
  codec::CborDecoder d(bytes);
  auto fields = d.readArrayHeader();
  if (!fields) return fail(malformed(fields.error()));
  const bool v0 = options.version == AmtVersion::kV0;
  if (*fields != (v0 ? 3u : 4u)) {
    return fail(StoreError::kMalformed, fmt::format("AMT {} root has {} fields, not {}", v0 ? "v0" : "v3", *fields,
                                                    v0 ? 3 : 4));
  }
  if (!v0) {
    auto bw = d.readUint();
    if (!bw) return fail(malformed(bw.error()));
    if (*bw != options.bit_width) {
      return fail(StoreError::kMalformed,
                  fmt::format("expected an AMT of bit width {}, found bit width {}", options.bit_width, *bw));
    }
  }
  auto height = d.readUint();
  if (!height) return fail(malformed(height.error()));
  auto count = d.readUint();
  if (!count) return fail(malformed(count.error()));
  if (v0) {
    if (*height > kV0MaxHeight) return fail(StoreError::kMalformed, fmt::format("AMT v0 height {} > 20", *height));
  } else {
    // Heights beyond what 64-bit indexes need would overflow the arithmetic.
    if (*height > 64 || (nodesForHeight(options.bit_width, *height + 1) == UINT64_MAX &&
                         nodesForHeight(options.bit_width, *height) == UINT64_MAX)) {
      return fail(StoreError::kMalformed, fmt::format("AMT height {} is out of bounds", *height));
    }
  }
  if (*count > nodesForHeight(options.bit_width, *height + 1)) {
    return fail(StoreError::kMalformed, fmt::format("AMT of height {} cannot hold {} entries", *height, *count));
  }
  FIL_ASSIGN_OR_RETURN(auto node, decodeNodeBody(d, options.bit_width, v0 || *height == 0, *height == 0));
  if (auto end = d.expectEnd(); !end) return fail(malformed(end.error()));
  return DecodedRoot{static_cast<unsigned>(*height), *count, std::move(node)};
}

void encodeNodeBody(codec::CborEncoder& e, const Node& n, unsigned bit_width) {
  Bytes bmap(bmapBytes(bit_width));
  size_t links = 0, values = 0;
  for (size_t i = 0; i < n.links.size(); ++i) {
    if (n.links[i]) {
      bmap[i / 8] |= static_cast<uint8_t>(1u << (i % 8));
      ++links;
    }
  }
  for (size_t i = 0; i < n.values.size(); ++i) {
    if (n.values[i]) {
      bmap[i / 8] |= static_cast<uint8_t>(1u << (i % 8));
      ++values;
    }
  }
  e.writeArrayHeader(3);
  e.writeBytes(bmap);
  e.writeArrayHeader(links);
  for (const auto& l : n.links) {
    if (l) e.writeCid(l->cid);
  }
  e.writeArrayHeader(values);
  for (const auto& v : n.values) {
    if (v) e.writeRaw(*v);
  }
}

class Ops {
 public:
  Ops(Blockstore& store, const AmtOptions& options) : store_(store), bw_(options.bit_width) {}

  Result<Node*> load(Link& l, unsigned height) {
    if (!l.cached) {
      FIL_ASSIGN_OR_RETURN(Bytes bytes, store_.get(l.cid));
      codec::CborDecoder d(bytes);
      auto node = decodeNodeBody(d, bw_, false, height == 0);
      if (node) {
        if (auto end = d.expectEnd(); !end) node = fail(malformed(end.error()));
      }
      if (!node) return fail(std::move(node).error().withContext("loading AMT node " + l.cid.toString()));
      l.cached = std::move(*node);
    }
    return l.cached.get();
  }

  Result<std::optional<Bytes>> get(Node& n, unsigned height, uint64_t i) {
    if (height == 0) {
      if (n.values.empty() || !n.values[i]) return std::optional<Bytes>();
      return n.values[i];
    }
    const uint64_t nfh = nodesForHeight(bw_, height);
    Link* l = link(n, i / nfh);
    if (!l) return std::optional<Bytes>();
    FIL_ASSIGN_OR_RETURN(Node * sub, load(*l, height - 1));
    return get(*sub, height - 1, i % nfh);
  }

  // Returns whether a new index was added (not an overwrite).
  Result<bool> set(Node& n, unsigned height, uint64_t i, const Bytes& value) {
    if (height == 0) {
      if (n.values.empty()) n.values.resize(width());
      const bool added = !n.values[i].has_value();
      n.values[i] = value;
      return added;
    }
    const uint64_t nfh = nodesForHeight(bw_, height);
    const uint64_t slot = i / nfh;
    std::unique_ptr<Link> fresh;
    Link* l = link(n, slot);
    if (!l) {
      fresh = std::make_unique<Link>();
      fresh->cached = std::make_unique<Node>();
      l = fresh.get();
    }
    FIL_ASSIGN_OR_RETURN(Node * sub, load(*l, height - 1));
    FIL_ASSIGN_OR_RETURN(bool added, set(*sub, height - 1, i % nfh, value));
    // New intermediate nodes are linked in only once the set succeeded.
    l->dirty = true;
    if (fresh) {
      if (n.links.empty()) n.links.resize(width());
      n.links[slot] = std::move(fresh);
    }
    return added;
  }

  Result<bool> remove(Node& n, unsigned height, uint64_t i) {
    if (height == 0) {
      if (n.values.empty() || !n.values[i]) return false;
      n.values[i].reset();
      return true;
    }
    const uint64_t nfh = nodesForHeight(bw_, height);
    const uint64_t slot = i / nfh;
    Link* l = link(n, slot);
    if (!l) return false;
    FIL_ASSIGN_OR_RETURN(Node * sub, load(*l, height - 1));
    FIL_ASSIGN_OR_RETURN(bool removed, remove(*sub, height - 1, i % nfh));
    if (!removed) return false;
    if (sub->empty()) {
      n.links[slot].reset();
    } else {
      l->dirty = true;
    }
    return true;
  }

  Status forEach(Node& n, unsigned height, uint64_t start, uint64_t offset, const Amt::Visitor& visit) {
    if (height == 0) {
      for (size_t i = 0; i < n.values.size(); ++i) {
        if (!n.values[i]) continue;
        const uint64_t index = offset + i;
        if (index < start) continue;
        FIL_TRY(visit(index, *n.values[i]));
      }
      return ok();
    }
    const uint64_t sub_count = nodesForHeight(bw_, height);
    for (size_t i = 0; i < n.links.size(); ++i) {
      if (!n.links[i]) continue;
      const uint64_t offs = offset + i * sub_count;
      const uint64_t next = offs + sub_count;
      if (next >= offs && start >= next) continue;  // the whole subtree is before `start` (no wrap at MaxIndex)
      FIL_ASSIGN_OR_RETURN(Node * sub, load(*n.links[i], height - 1));
      FIL_TRY(forEach(*sub, height - 1, start, offs, visit));
    }
    return ok();
  }

  // Writes changed children below `n` (not `n` itself).
  Status flushChildren(Node& n, unsigned height) {
    if (height == 0) return ok();
    for (auto& l : n.links) {
      if (!l || !l->dirty) continue;
      FIL_TRY(flushChildren(*l->cached, height - 1));
      codec::CborEncoder e;
      encodeNodeBody(e, *l->cached, bw_);
      FIL_ASSIGN_OR_RETURN(l->cid, putBlock(store_, e.bytes(), cid::Codec::kDagCbor));
      l->dirty = false;
    }
    return ok();
  }

 private:
  size_t width() const { return size_t{1} << bw_; }
  static Link* link(Node& n, uint64_t slot) { return n.links.empty() ? nullptr : n.links[slot].get(); }

  Blockstore& store_;
  unsigned bw_;
};

}  // namespace

Amt::Amt(Blockstore& store, AmtOptions options)
    : store_(&store), options_(options), root_(std::make_unique<Node>()) {}
Amt::~Amt() = default;
Amt::Amt(Amt&&) noexcept = default;
Amt& Amt::operator=(Amt&&) noexcept = default;

Status Amt::checkOptions() const { return checkBitWidth(options_); }

uint64_t Amt::maxIndex() const { return options_.version == AmtVersion::kV0 ? kMaxIndexV0 : kMaxIndexV3; }

Result<Amt> Amt::load(Blockstore& store, const cid::Cid& root, AmtOptions options) {
  FIL_ASSIGN_OR_RETURN(Bytes bytes, store.get(root));
  auto decoded = decodeRoot(bytes, options);
  if (!decoded) return fail(std::move(decoded).error().withContext("loading AMT root " + root.toString()));
  Amt amt(store, options);
  amt.height_ = decoded->height;
  amt.count_ = decoded->count;
  amt.root_ = std::move(decoded->node);
  return amt;
}

Status validateAmtRoot(BytesView bytes, AmtOptions options) {
  FIL_TRY(decodeRoot(bytes, options));
  return ok();
}

Status validateAmtNode(BytesView bytes, unsigned height, AmtOptions options) {
  FIL_TRY(checkBitWidth(options));
  codec::CborDecoder d(bytes);
  FIL_TRY(decodeNodeBody(d, options.bit_width, false, height == 0));
  if (auto end = d.expectEnd(); !end) return fail(malformed(end.error()));
  return ok();
}

Result<std::optional<Bytes>> Amt::get(uint64_t index) {
  FIL_TRY(checkOptions());
  if (index > maxIndex()) {
    return fail(StoreError::kOutOfRange, fmt::format("AMT index {} is beyond the maximum {}", index, maxIndex()));
  }
  if (index >= nodesForHeight(options_.bit_width, height_ + 1)) return std::optional<Bytes>();
  return Ops(*store_, options_).get(*root_, height_, index);
}

Status Amt::set(uint64_t index, BytesView value) {
  FIL_TRY(checkOptions());
  if (index > maxIndex()) {
    return fail(StoreError::kOutOfRange, fmt::format("AMT index {} is beyond the maximum {}", index, maxIndex()));
  }
  {
    codec::CborDecoder d(value);
    auto raw = d.readRaw();
    if (!raw || !d.atEnd()) return fail(StoreError::kMalformed, "an AMT value must be exactly one DAG-CBOR item");
  }
  // Grow until the index fits: the old root moves under slot 0 of a new one.
  while (index >= nodesForHeight(options_.bit_width, height_ + 1)) {
    if (!root_->empty()) {
      auto grown = std::make_unique<Node>();
      grown->links.resize(size_t{1} << options_.bit_width);
      grown->links[0] = std::make_unique<amt_internal::Link>();
      grown->links[0]->cached = std::move(root_);
      grown->links[0]->dirty = true;
      root_ = std::move(grown);
    }
    ++height_;
  }
  FIL_ASSIGN_OR_RETURN(bool added, Ops(*store_, options_).set(*root_, height_, index, Bytes(value.begin(), value.end())));
  if (added) ++count_;
  return ok();
}

Result<bool> Amt::remove(uint64_t index) {
  FIL_TRY(checkOptions());
  if (index > maxIndex()) {
    return fail(StoreError::kOutOfRange, fmt::format("AMT index {} is beyond the maximum {}", index, maxIndex()));
  }
  if (index >= nodesForHeight(options_.bit_width, height_ + 1)) return false;
  Ops ops(*store_, options_);
  FIL_ASSIGN_OR_RETURN(bool removed, ops.remove(*root_, height_, index));
  if (!removed) return false;
  if (count_ > 0) --count_;

  // Canonical form: a root whose only child is slot 0 is replaced by that
  // child, repeatedly.
  const auto only_first_link = [](const Node& n) {
    return !n.links.empty() && n.links[0] &&
           std::none_of(n.links.begin() + 1, n.links.end(), [](const auto& l) { return l != nullptr; });
  };
  if (options_.version == AmtVersion::kV3 && std::all_of(root_->links.begin(), root_->links.end(),
                                                         [](const auto& l) { return l == nullptr; })) {
    // Everything is gone (or the root is a leaf): v3 drops to height 0.
    if (!root_->links.empty() || height_ > 0) {
      root_ = std::make_unique<Node>();
      height_ = 0;
    }
    return true;
  }
  while (height_ > 0 && only_first_link(*root_)) {
    FIL_TRY(ops.load(*root_->links[0], height_ - 1));
    root_ = std::move(root_->links[0]->cached);
    --height_;
  }
  return true;
}

Status Amt::forEachFrom(uint64_t start, const Visitor& visit) {
  FIL_TRY(checkOptions());
  return Ops(*store_, options_).forEach(*root_, height_, start, 0, visit);
}

Result<cid::Cid> Amt::flush() {
  FIL_TRY(checkOptions());
  Ops ops(*store_, options_);
  FIL_TRY(ops.flushChildren(*root_, height_));
  codec::CborEncoder e;
  if (options_.version == AmtVersion::kV0) {
    e.writeArrayHeader(3);
  } else {
    e.writeArrayHeader(4);
    e.writeUint(options_.bit_width);
  }
  e.writeUint(height_);
  e.writeUint(count_);
  encodeNodeBody(e, *root_, options_.bit_width);
  return putBlock(*store_, e.bytes(), cid::Codec::kDagCbor);
}

}  // namespace fil::store
