#include "fil/chain/tipset.h"

#include <algorithm>

#include <fmt/format.h>

#include "fil/chain/chain_error.h"
#include "fil/chain/vrf.h"
#include "fil/crypto/blake2b.h"

namespace fil::chain {

Result<TipSetKey> TipSetKey::fromBytes(BytesView bytes) {
  std::vector<cid::Cid> cids;
  BytesView rest = bytes;
  while (!rest.empty()) {
    auto c = cid::Cid::read(rest);
    if (!c) {
      return fail(ChainError::kMalformed, fmt::format("tipset key: CID {} at byte {}: {}", cids.size() + 1,
                                                      bytes.size() - rest.size(), c.error().message()));
    }
    cids.push_back(std::move(*c));
  }
  return TipSetKey(std::move(cids));
}

Bytes TipSetKey::toBytes() const {
  Bytes out;
  for (const auto& c : cids_) c.appendTo(out);
  return out;
}

cid::Cid TipSetKey::cid() const { return cid::Cid::compute(cid::Codec::kDagCbor, codec::encode(*this)); }

std::string TipSetKey::toString() const {
  std::string out = "{";
  for (size_t i = 0; i < cids_.size(); ++i) {
    if (i > 0) out += ",";
    out += cids_[i].toString();
  }
  return out + "}";
}

ByteArray<32> ticketDigest(const Ticket& ticket) { return crypto::blake2b256(vrfRandomness(ticket.vrf_proof)); }

Result<TipSet> TipSet::create(std::vector<BlockHeader> blocks) {
  if (blocks.empty()) return fail(ChainError::kInvalidTipSet, "a tipset needs at least one block");
  struct Keyed {
    ByteArray<32> digest;
    Bytes cid_bytes;
    cid::Cid cid;
    size_t index;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(blocks.size());
  const BlockHeader& first = blocks.front();
  for (size_t i = 0; i < blocks.size(); ++i) {
    const BlockHeader& b = blocks[i];
    const cid::Cid c = b.cid();
    if (!b.ticket) return fail(ChainError::kInvalidTipSet, fmt::format("block {} has no ticket", c.toString()));
    if (b.height != first.height) {
      return fail(ChainError::kInvalidTipSet,
                  fmt::format("block {} is at height {}, another at {}", c.toString(), b.height, first.height));
    }
    if (b.parents != first.parents) {
      return fail(ChainError::kInvalidTipSet, fmt::format("block {} has parents {}, another {}", c.toString(),
                                                          TipSetKey(b.parents).toString(),
                                                          TipSetKey(first.parents).toString()));
    }
    keyed.push_back({ticketDigest(*b.ticket), c.toBytes(), c, i});
  }
  std::sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
    if (a.digest != b.digest) return a.digest < b.digest;
    return compare(a.cid_bytes, b.cid_bytes) < 0;
  });
  std::vector<BlockHeader> sorted;
  std::vector<cid::Cid> cids;
  sorted.reserve(blocks.size());
  cids.reserve(blocks.size());
  for (size_t i = 0; i < keyed.size(); ++i) {
    if (i > 0 && keyed[i].cid == keyed[i - 1].cid) {
      return fail(ChainError::kInvalidTipSet, fmt::format("block {} appears twice", keyed[i].cid.toString()));
    }
    sorted.push_back(std::move(blocks[keyed[i].index]));
    cids.push_back(keyed[i].cid);
  }
  return TipSet(std::move(sorted), std::move(cids));
}

uint64_t TipSet::minTimestamp() const {
  uint64_t min = blocks_.front().timestamp;
  for (const auto& b : blocks_) min = std::min(min, b.timestamp);
  return min;
}

bool TipSet::contains(const cid::Cid& block) const { return std::find(cids_.begin(), cids_.end(), block) != cids_.end(); }

bool TipSet::isChildOf(const TipSet& parent) const {
  // Lotus compares the CID sets regardless of order; a key is canonical, so equality suffices.
  return blocks_.front().parents == parent.cids_ && height() > parent.height();
}

Result<TipSet> FullTipSet::tipset() const {
  std::vector<BlockHeader> headers;
  headers.reserve(blocks.size());
  for (const auto& b : blocks) headers.push_back(b.header);
  return TipSet::create(std::move(headers));
}

}  // namespace fil::chain

size_t std::hash<fil::chain::TipSetKey>::operator()(const fil::chain::TipSetKey& k) const noexcept {
  size_t h = 0;
  for (const auto& c : k.cids()) h = h * 1099511628211ull ^ std::hash<fil::cid::Cid>{}(c);
  return h;
}

namespace fil::codec {

void CborCodec<chain::TipSetKey>::encode(CborEncoder& e, const chain::TipSetKey& k) { e.writeBytes(k.toBytes()); }

Status CborCodec<chain::TipSetKey>::decode(CborDecoder& d, chain::TipSetKey& out) {
  FIL_ASSIGN_OR_RETURN(auto bytes, d.readBytes());
  FIL_ASSIGN_OR_RETURN(out, chain::TipSetKey::fromBytes(bytes));
  return ok();
}

namespace {
// Lotus ExpTipSet.
struct ExpTipSet {
  std::vector<cid::Cid> cids;
  std::vector<chain::BlockHeader> blocks;
  chain::ChainEpoch height = 0;
};
FIL_CBOR_TUPLE(ExpTipSet, (cids, "Cids"), (blocks, "Blocks"), (height, "Height"))
}  // namespace

void CborCodec<chain::TipSet>::encode(CborEncoder& e, const chain::TipSet& ts) {
  codec::encode(e, ExpTipSet{ts.cids(), ts.blocks(), ts.empty() ? 0 : ts.height()});
}

Status CborCodec<chain::TipSet>::decode(CborDecoder& d, chain::TipSet& out) {
  ExpTipSet exp;
  FIL_TRY(codec::decode(d, exp));
  FIL_ASSIGN_OR_RETURN(out, chain::TipSet::create(std::move(exp.blocks)));
  if (exp.cids != out.cids() || exp.height != out.height()) {
    return fail(chain::ChainError::kMalformed, "tipset: Cids or Height do not match its blocks");
  }
  return ok();
}

}  // namespace fil::codec
