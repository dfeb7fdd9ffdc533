// Tipsets: the blocks of one height on the same parents, in canonical
// order (ticket digest ascending, then block CID bytes), and the key that
// names them (their CIDs' bytes concatenated; CBOR one byte string).
//
//   FIL_ASSIGN_OR_RETURN(TipSet ts, TipSet::create({b1, b2}));
//   TipSetKey key = ts.key();                 // sorted block CIDs
//   FIL_ASSIGN_OR_RETURN(cid::Cid c, key.cid());
#pragma once

#include <compare>
#include <string>
#include <vector>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/chain/block.h"
#include "fil/cid/cid.h"
#include "fil/codec/cbor.h"

namespace fil::chain {

class TipSetKey {
 public:
  TipSetKey() = default;  // the empty key
  explicit TipSetKey(std::vector<cid::Cid> cids) : cids_(std::move(cids)) {}

  // Parses concatenated CID bytes.
  [[nodiscard]] static Result<TipSetKey> fromBytes(BytesView bytes);

  const std::vector<cid::Cid>& cids() const { return cids_; }
  bool empty() const { return cids_.empty(); }
  Bytes toBytes() const;
  // The CID of the key's CBOR form (a byte string), as Lotus names keys.
  cid::Cid cid() const;
  std::string toString() const;  // {c1,c2}

  friend bool operator==(const TipSetKey&, const TipSetKey&) = default;
  friend std::strong_ordering operator<=>(const TipSetKey& a, const TipSetKey& b) { return a.cids_ <=> b.cids_; }

 private:
  std::vector<cid::Cid> cids_;
};

// The digest tipsets order tickets by: blake2b-256 of the ticket's VRF
// randomness (vrf.h), which for a non-VRF ticket (genesis) is its bytes.
ByteArray<32> ticketDigest(const Ticket& ticket);

class TipSet {
 public:
  // An empty placeholder (what decoders fill); the accessors below need a
  // tipset made by create().
  TipSet() = default;
  bool empty() const { return blocks_.empty(); }

  // Sorts the blocks and checks that they can form a tipset: at least one,
  // all with tickets, the same height and parents, no block twice.
  [[nodiscard]] static Result<TipSet> create(std::vector<BlockHeader> blocks);

  const std::vector<BlockHeader>& blocks() const { return blocks_; }
  const std::vector<cid::Cid>& cids() const { return cids_; }
  TipSetKey key() const { return TipSetKey(cids_); }
  ChainEpoch height() const { return blocks_.front().height; }
  TipSetKey parents() const { return TipSetKey(blocks_.front().parents); }
  const primitives::BigInt& parentWeight() const { return blocks_.front().parent_weight; }
  const cid::Cid& parentState() const { return blocks_.front().parent_state_root; }
  const cid::Cid& parentMessageReceipts() const { return blocks_.front().parent_message_receipts; }
  const primitives::TokenAmount& parentBaseFee() const { return blocks_.front().parent_base_fee; }

  // The block with the smallest ticket digest (the first one).
  const BlockHeader& minTicketBlock() const { return blocks_.front(); }
  const Ticket& minTicket() const { return *blocks_.front().ticket; }
  uint64_t minTimestamp() const;
  bool contains(const cid::Cid& block) const;
  // This tipset names `parent` as its parents and is above it.
  bool isChildOf(const TipSet& parent) const;

  friend bool operator==(const TipSet& a, const TipSet& b) { return a.cids_ == b.cids_; }

 private:
  TipSet(std::vector<BlockHeader> blocks, std::vector<cid::Cid> cids)
      : blocks_(std::move(blocks)), cids_(std::move(cids)) {}

  std::vector<BlockHeader> blocks_;
  std::vector<cid::Cid> cids_;
};

// A tipset with its blocks' messages.
struct FullTipSet {
  std::vector<FullBlock> blocks;

  [[nodiscard]] Result<TipSet> tipset() const;
};

}  // namespace fil::chain

template <>
struct std::hash<fil::chain::TipSetKey> {
  size_t operator()(const fil::chain::TipSetKey& k) const noexcept;
};

// A byte string of the concatenated CIDs.
template <>
struct fil::codec::CborCodec<fil::chain::TipSetKey> {
  static void encode(CborEncoder& e, const chain::TipSetKey& k);
  static Status decode(CborDecoder& d, chain::TipSetKey& out);
};

// Lotus ExpTipSet: [Cids, Blocks, Height]; decoding rebuilds the tipset from
// the blocks and refuses Cids or Height that do not match them.
template <>
struct fil::codec::CborCodec<fil::chain::TipSet> {
  static void encode(CborEncoder& e, const chain::TipSet& ts);
  static Status decode(CborDecoder& d, chain::TipSet& out);
};
