#include "fil/chain/block.h"

#include <fmt/format.h>

#include "fil/chain/chain_error.h"

namespace fil::chain {

Bytes BlockHeader::serialize() const { return codec::encode(*this); }

cid::Cid BlockHeader::cid() const { return cid::Cid::compute(cid::Codec::kDagCbor, serialize()); }

Bytes BlockHeader::signingBytes() const {
  BlockHeader unsigned_copy = *this;
  unsigned_copy.block_sig.reset();
  return unsigned_copy.serialize();
}

Result<BlockHeader> BlockHeader::decode(BytesView bytes) {
  auto h = codec::decode<BlockHeader>(bytes);
  if (!h) return fail(ChainError::kMalformed, "block header: " + h.error().message());
  return h;
}

primitives::Signature emptyBlsAggregate() {
  primitives::Signature s;
  s.type = primitives::SignatureType::kBls;
  s.data.assign(96, 0);
  s.data[0] = 0xc0;  // compressed, infinity
  return s;
}

uint64_t expectedTimestamp(uint64_t parent_min_timestamp, ChainEpoch parent_height, ChainEpoch height,
                           const NetworkParams& params) {
  const auto epochs = static_cast<uint64_t>(height - parent_height);
  return parent_min_timestamp + params.block_delay_seconds * epochs;
}

}  // namespace fil::chain
