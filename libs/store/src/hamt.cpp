#include "fil/store/hamt.h"

#include <algorithm>
#include <array>
#include <bit>

#include <fmt/format.h>

#include "fil/codec/cbor_decoder.h"
#include "fil/codec/cbor_encoder.h"
#include "fil/crypto/sha256.h"

namespace fil::store {

// Types named by Hamt::Node, so not in an anonymous namespace.
namespace hamt_internal {

struct KV {
  Bytes key;
  Bytes value;  // one raw CBOR item
};

// The slots in use, bit i for slot i (at most 2^8 = 256 slots).
class Bitfield {
 public:
  bool test(unsigned i) const { return (words_[i / 64] >> (i % 64)) & 1; }
  void set(unsigned i) { words_[i / 64] |= uint64_t{1} << (i % 64); }
  void clear(unsigned i) { words_[i / 64] &= ~(uint64_t{1} << (i % 64)); }
  // How many slots below `i` are in use: the position of slot i's pointer.
  unsigned rank(unsigned i) const {
    unsigned n = 0;
    for (unsigned w = 0; w < i / 64; ++w) n += std::popcount(words_[w]);
    if (i % 64 != 0) n += std::popcount(words_[i / 64] & ((uint64_t{1} << (i % 64)) - 1));
    return n;
  }
  unsigned count() const {
    unsigned n = 0;
    for (auto w : words_) n += std::popcount(w);
    return n;
  }

  // Minimal big-endian bytes of the integer (Go's big.Int.Bytes()).
  Bytes toBytes() const {
    int top = -1;
    for (int i = 255; i >= 0; --i) {
      if (test(static_cast<unsigned>(i))) {
        top = i;
        break;
      }
    }
    const size_t n = top < 0 ? 0 : static_cast<size_t>(top / 8 + 1);
    Bytes out(n);
    for (size_t byte = 0; byte < n; ++byte) {
      out[n - 1 - byte] = static_cast<uint8_t>(words_[byte / 8] >> ((byte % 8) * 8));
    }
    return out;
  }

  static Result<Bitfield> fromBytes(BytesView bytes, int bit_width) {
    const size_t slots = size_t{1} << bit_width;
    if (!bytes.empty() && bytes[0] == 0) {
      return fail(StoreError::kMalformed, "HAMT bitfield has a leading zero byte (not minimal)");
    }
    if (bytes.size() > (slots + 7) / 8) {
      return fail(StoreError::kMalformed,
                  fmt::format("HAMT bitfield of {} bytes is too long for bit width {}", bytes.size(), bit_width));
    }
    Bitfield b;
    for (size_t byte = 0; byte < bytes.size(); ++byte) {
      const uint8_t v = bytes[bytes.size() - 1 - byte];
      b.words_[byte / 8] |= uint64_t{v} << ((byte % 8) * 8);
    }
    for (size_t i = slots; i < 256; ++i) {
      if (b.test(static_cast<unsigned>(i))) {
        return fail(StoreError::kMalformed,
                    fmt::format("HAMT bitfield sets slot {}, beyond the {} slots of bit width {}", i, slots, bit_width));
      }
    }
    return b;
  }

 private:
  std::array<uint64_t, 4> words_{};
};

}  // namespace hamt_internal

namespace {

using hamt_internal::Bitfield;
using hamt_internal::KV;
constexpr size_t kBucketSize = 3;
constexpr int kMaxBitWidth = 8;
using Digest = crypto::Sha256Digest;

// The slot index for `depth`: bits [depth*bw, depth*bw + bw) of the digest,
// most significant first.
Result<unsigned> hashIndex(const Digest& h, int depth, int bit_width) {
  const size_t offset = static_cast<size_t>(depth) * static_cast<size_t>(bit_width);
  if (offset + static_cast<size_t>(bit_width) > h.size() * 8) {
    return fail(StoreError::kOutOfRange, "HAMT is deeper than the 256 bits of the key hash allow");
  }
  const size_t byte = offset / 8;
  const uint32_t window = (uint32_t{h[byte]} << 8) | (byte + 1 < h.size() ? h[byte + 1] : 0u);
  const unsigned shift = 16 - static_cast<unsigned>(offset % 8) - static_cast<unsigned>(bit_width);
  return (window >> shift) & ((1u << bit_width) - 1);
}

Status checkBitWidth(int bit_width) {
  if (bit_width < 1 || bit_width > kMaxBitWidth) {
    return fail(StoreError::kUnsupported, fmt::format("HAMT bit width {} is outside 1..{}", bit_width, kMaxBitWidth));
  }
  return ok();
}

Status checkValue(BytesView value) {
  codec::CborDecoder d(value);
  auto raw = d.readRaw();
  if (!raw || !d.atEnd()) return fail(StoreError::kMalformed, "a HAMT value must be exactly one DAG-CBOR item");
  return ok();
}

}  // namespace

namespace hamt_internal {

struct HamtPointer {
  cid::Cid link;                           // defined for a stored child
  std::unique_ptr<Hamt::Node> cache;       // the child in memory, if loaded or new
  bool dirty = false;                      // cache differs from link
  std::vector<KV> kvs;                     // the bucket, when not a child

  bool isShard() const { return cache != nullptr || link.defined(); }
};

}  // namespace hamt_internal

using hamt_internal::HamtPointer;

struct Hamt::Node {
  Bitfield bitfield;
  std::vector<HamtPointer> pointers;

  size_t directChildCount() const {
    return static_cast<size_t>(std::count_if(pointers.begin(), pointers.end(), [](const auto& p) { return p.isShard(); }));
  }
  size_t directKVCount() const {
    size_t n = 0;
    for (const auto& p : pointers) {
      if (!p.isShard()) n += p.kvs.size();
    }
    return n;
  }
};

namespace {

using Node = Hamt::Node;

Bytes encodeNode(const Node& n) {
  codec::CborEncoder e;
  e.writeArrayHeader(2);
  e.writeBytes(n.bitfield.toBytes());
  e.writeArrayHeader(n.pointers.size());
  for (const auto& p : n.pointers) {
    if (p.isShard()) {
      e.writeCid(p.link);
    } else {
      e.writeArrayHeader(p.kvs.size());
      for (const auto& kv : p.kvs) {
        e.writeArrayHeader(2);
        e.writeBytes(kv.key);
        e.writeRaw(kv.value);
      }
    }
  }
  return std::move(e).take();
}

Result<std::unique_ptr<Node>> decodeNode(BytesView bytes, int bit_width, bool is_root) {
  auto malformed = [](const Error& e) { return fail(StoreError::kMalformed, "HAMT node: " + e.message()); };
  codec::CborDecoder d(bytes);
  auto node = std::make_unique<Node>();

  auto fields = d.readArrayHeader();
  if (!fields) return malformed(fields.error());
  if (*fields != 2) return fail(StoreError::kMalformed, fmt::format("HAMT node has {} fields, not 2", *fields));
  auto bitfield_bytes = d.readBytes();
  if (!bitfield_bytes) return malformed(bitfield_bytes.error());
  FIL_ASSIGN_OR_RETURN(node->bitfield, Bitfield::fromBytes(*bitfield_bytes, bit_width));

  auto count = d.readArrayHeader();
  if (!count) return malformed(count.error());
  if (*count > (uint64_t{1} << bit_width)) {
    return fail(StoreError::kMalformed, fmt::format("HAMT node has {} pointers, more than 2^{}", *count, bit_width));
  }
  if (*count != node->bitfield.count()) {
    return fail(StoreError::kMalformed, fmt::format("HAMT node has {} pointers but its bitfield marks {}", *count,
                                                    node->bitfield.count()));
  }
  node->pointers.resize(*count);
  for (auto& p : node->pointers) {
    auto type = d.peekType();
    if (!type) return malformed(type.error());
    if (*type == codec::MajorType::kTag) {
      auto link = d.readCid();
      if (!link) return malformed(link.error());
      if (link->codec() != cid::Codec::kDagCbor) {
        return fail(StoreError::kMalformed, "HAMT child link " + link->toString() + " is not dag-cbor");
      }
      p.link = std::move(*link);
      continue;
    }
    if (*type != codec::MajorType::kArray) {
      return fail(StoreError::kMalformed, "HAMT pointer is neither a link nor a bucket");
    }
    auto entries = d.readArrayHeader();
    if (!entries) return malformed(entries.error());
    if (*entries == 0 || *entries > kBucketSize) {
      return fail(StoreError::kMalformed, fmt::format("HAMT bucket has {} entries, not 1..{}", *entries, kBucketSize));
    }
    p.kvs.resize(*entries);
    for (auto& kv : p.kvs) {
      auto pair = d.readArrayHeader();
      if (!pair) return malformed(pair.error());
      if (*pair != 2) return fail(StoreError::kMalformed, "HAMT bucket entry is not a [key, value] pair");
      auto key = d.readBytes();
      if (!key) return malformed(key.error());
      auto value = d.readRaw();
      if (!value) return malformed(value.error());
      kv.key.assign(key->begin(), key->end());
      kv.value.assign(value->begin(), value->end());
    }
    for (size_t i = 1; i < p.kvs.size(); ++i) {
      if (compare(p.kvs[i - 1].key, p.kvs[i].key) >= 0) {
        return fail(StoreError::kMalformed, "HAMT bucket keys are not in strictly increasing order");
      }
    }
  }
  if (auto end = d.expectEnd(); !end) return malformed(end.error());

  if (!is_root) {
    if (node->pointers.empty()) return fail(StoreError::kMalformed, "HAMT child node is empty");
    if (node->directChildCount() == 0 && node->directKVCount() <= kBucketSize) {
      return fail(StoreError::kMalformed, "HAMT child node holds few enough entries to be a bucket (not canonical)");
    }
  }
  return node;
}

Result<std::unique_ptr<Node>> loadNode(const Blockstore& store, const cid::Cid& c, int bit_width, bool is_root) {
  FIL_ASSIGN_OR_RETURN(Bytes bytes, store.get(c));
  auto node = decodeNode(bytes, bit_width, is_root);
  if (!node) return fail(std::move(node).error().withContext("loading HAMT node " + c.toString()));
  return node;
}

Result<Node*> loadChild(const Blockstore& store, HamtPointer& p, int bit_width) {
  if (!p.cache) {
    FIL_ASSIGN_OR_RETURN(p.cache, loadNode(store, p.link, bit_width, false));
  }
  return p.cache.get();
}

Result<cid::Cid> flushNode(Blockstore& store, Node& n) {
  for (auto& p : n.pointers) {
    if (p.cache && p.dirty) {
      FIL_ASSIGN_OR_RETURN(p.link, flushNode(store, *p.cache));
      p.dirty = false;
    }
  }
  return putBlock(store, encodeNode(n), cid::Codec::kDagCbor);
}

}  // namespace

Hamt::Hamt(Blockstore& store, HamtOptions options) : Hamt(store, options, std::make_unique<Node>()) {}
Hamt::Hamt(Blockstore& store, HamtOptions options, std::unique_ptr<Node> root)
    : store_(&store), options_(options), root_(std::move(root)) {}
Hamt::~Hamt() = default;
Hamt::Hamt(Hamt&&) noexcept = default;
Hamt& Hamt::operator=(Hamt&&) noexcept = default;

Result<Hamt> Hamt::load(Blockstore& store, const cid::Cid& root, HamtOptions options) {
  FIL_TRY(checkBitWidth(options.bit_width));
  FIL_ASSIGN_OR_RETURN(auto node, loadNode(store, root, options.bit_width, true));
  Hamt hamt(store, options, std::move(node));
  hamt.flushed_ = root;
  return hamt;
}

Status validateHamtNode(BytesView bytes, HamtOptions options, bool is_root) {
  FIL_TRY(checkBitWidth(options.bit_width));
  FIL_TRY(decodeNode(bytes, options.bit_width, is_root));
  return ok();
}

Result<std::optional<Bytes>> Hamt::get(BytesView key) {
  FIL_TRY(checkBitWidth(options_.bit_width));
  const Digest h = crypto::sha256(key);
  Node* n = root_.get();
  for (int depth = 0;; ++depth) {
    FIL_ASSIGN_OR_RETURN(unsigned idx, hashIndex(h, depth, options_.bit_width));
    if (!n->bitfield.test(idx)) return std::optional<Bytes>();
    HamtPointer& p = n->pointers[n->bitfield.rank(idx)];
    if (!p.isShard()) {
      for (const auto& kv : p.kvs) {
        if (equal(kv.key, key)) return std::optional<Bytes>(kv.value);
      }
      return std::optional<Bytes>();
    }
    FIL_ASSIGN_OR_RETURN(n, loadChild(*store_, p, options_.bit_width));
  }
}

Result<bool> Hamt::set(BytesView key, BytesView value) {
  FIL_TRY(checkValue(value));
  Bytes v(value.begin(), value.end());
  return modify(key, &v, true);
}

Result<bool> Hamt::setIfAbsent(BytesView key, BytesView value) {
  FIL_TRY(checkValue(value));
  Bytes v(value.begin(), value.end());
  return modify(key, &v, false);
}

Result<bool> Hamt::remove(BytesView key) { return modify(key, nullptr, true); }

namespace {

// Restores the canonical form after a delete below `n`'s pointer `cindex`
// (go-hamt-ipld cleanChild): a child that holds no links and at most a
// bucket's worth of entries is folded back into a bucket here.
void cleanChild(Node& n, unsigned cindex, unsigned idx) {
  Node& child = *n.pointers[cindex].cache;
  if (child.directChildCount() != 0 || child.directKVCount() > kBucketSize) return;
  if (child.pointers.empty()) {
    n.pointers.erase(n.pointers.begin() + cindex);
    n.bitfield.clear(idx);
    return;
  }
  HamtPointer replacement;
  if (child.pointers.size() == 1) {
    replacement.kvs = std::move(child.pointers[0].kvs);
  } else {
    for (auto& p : child.pointers) {
      for (auto& kv : p.kvs) replacement.kvs.push_back(std::move(kv));
    }
    std::sort(replacement.kvs.begin(), replacement.kvs.end(),
              [](const KV& a, const KV& b) { return compare(a.key, b.key) < 0; });
  }
  n.pointers[cindex] = std::move(replacement);
}

struct Modifier {
  const Blockstore& store;
  int bit_width;

  // `value` (null for a delete) is moved into the HAMT when it is stored.
  Result<bool> modify(Node& n, const Digest& h, int depth, BytesView key, Bytes* value, bool replace) {
    FIL_ASSIGN_OR_RETURN(unsigned idx, hashIndex(h, depth, bit_width));
    const unsigned cindex = n.bitfield.rank(idx);
    if (!n.bitfield.test(idx)) {
      if (value == nullptr) return false;
      HamtPointer p;
      p.kvs.push_back(KV{Bytes(key.begin(), key.end()), std::move(*value)});
      n.pointers.insert(n.pointers.begin() + cindex, std::move(p));
      n.bitfield.set(idx);
      return true;
    }

    HamtPointer& p = n.pointers[cindex];
    if (p.isShard()) {
      FIL_ASSIGN_OR_RETURN(Node * child, loadChild(store, p, bit_width));
      FIL_ASSIGN_OR_RETURN(bool modified, modify(*child, h, depth + 1, key, value, replace));
      if (modified) p.dirty = true;
      if (value == nullptr) cleanChild(n, cindex, idx);
      return modified;
    }

    auto& kvs = p.kvs;
    if (value == nullptr) {
      for (size_t i = 0; i < kvs.size(); ++i) {
        if (!equal(kvs[i].key, key)) continue;
        if (kvs.size() == 1) {
          n.pointers.erase(n.pointers.begin() + cindex);
          n.bitfield.clear(idx);
        } else {
          kvs.erase(kvs.begin() + static_cast<ptrdiff_t>(i));
        }
        return true;
      }
      return false;
    }

    for (auto& kv : kvs) {
      if (!equal(kv.key, key)) continue;
      if (replace && kv.value != *value) {
        kv.value = std::move(*value);
        return true;
      }
      return false;
    }

    if (kvs.size() >= kBucketSize) {
      // A full bucket becomes a child node holding its entries and the new one.
      auto sub = std::make_unique<Node>();
      FIL_TRY(modify(*sub, h, depth + 1, key, value, replace));
      for (auto& kv : kvs) {
        FIL_TRY(modify(*sub, crypto::sha256(kv.key), depth + 1, kv.key, &kv.value, replace));
      }
      HamtPointer shard;
      shard.cache = std::move(sub);
      shard.dirty = true;
      n.pointers[cindex] = std::move(shard);
      return true;
    }

    auto at = std::find_if(kvs.begin(), kvs.end(), [&](const KV& kv) { return compare(key, kv.key) < 0; });
    kvs.insert(at, KV{Bytes(key.begin(), key.end()), std::move(*value)});
    return true;
  }
};

Status forEachNode(const Blockstore& store, Node& n, int bit_width, const Hamt::Visitor& visit) {
  for (auto& p : n.pointers) {
    if (p.isShard()) {
      FIL_ASSIGN_OR_RETURN(Node * child, loadChild(store, p, bit_width));
      FIL_TRY(forEachNode(store, *child, bit_width, visit));
    } else {
      for (const auto& kv : p.kvs) FIL_TRY(visit(kv.key, kv.value));
    }
  }
  return ok();
}

}  // namespace

Result<bool> Hamt::modify(BytesView key, Bytes* value, bool replace) {
  FIL_TRY(checkBitWidth(options_.bit_width));
  Modifier m{*store_, options_.bit_width};
  FIL_ASSIGN_OR_RETURN(bool modified, m.modify(*root_, crypto::sha256(key), 0, key, value, replace));
  if (modified) flushed_.reset();
  return modified;
}

Status Hamt::forEach(const Visitor& visit) {
  FIL_TRY(checkBitWidth(options_.bit_width));
  return forEachNode(*store_, *root_, options_.bit_width, visit);
}

Result<cid::Cid> Hamt::flush() {
  FIL_TRY(checkBitWidth(options_.bit_width));
  if (flushed_) return *flushed_;
  FIL_ASSIGN_OR_RETURN(flushed_, flushNode(*store_, *root_));
  return *flushed_;
}

}  // namespace fil::store
