#include "fil/chain/messages.h"

#include <fmt/format.h>

#include "fil/chain/chain_error.h"
#include "fil/store/amt.h"

namespace fil::chain {
namespace {

constexpr store::AmtOptions kV0{.bit_width = 3, .version = store::AmtVersion::kV0};

}  // namespace

cid::Cid MsgMeta::cid() const { return cid::Cid::compute(cid::Codec::kDagCbor, codec::encode(*this)); }

const cid::Cid& emptyAmtV0Root() {
  // [height 0, count 0, [bmap 00, [], []]]
  static const cid::Cid root = cid::Cid::compute(cid::Codec::kDagCbor, Bytes{0x83, 0x00, 0x00, 0x83, 0x41, 0x00, 0x80, 0x80});
  return root;
}

Result<cid::Cid> storeCidArray(store::Blockstore& store, std::span<const cid::Cid> cids) {
  store::Amt array(store, kV0);
  for (size_t i = 0; i < cids.size(); ++i) FIL_TRY(array.setCbor(i, cids[i]));
  return array.flush();
}

Result<std::vector<cid::Cid>> loadCidArray(store::Blockstore& store, const cid::Cid& root) {
  FIL_ASSIGN_OR_RETURN(auto array, store::Amt::load(store, root, kV0));
  std::vector<cid::Cid> out;
  out.reserve(array.count());
  FIL_TRY(array.forEach([&](uint64_t index, BytesView value) -> Status {
    if (index != out.size()) {
      return fail(ChainError::kMalformed,
                  fmt::format("message array {} has no entry at index {} (next is {})", root.toString(), out.size(), index));
    }
    FIL_ASSIGN_OR_RETURN(auto c, codec::decode<cid::Cid>(value));
    out.push_back(std::move(c));
    return ok();
  }));
  return out;
}

Result<cid::Cid> storeMsgMeta(store::Blockstore& store, std::span<const cid::Cid> bls, std::span<const cid::Cid> secpk) {
  MsgMeta meta;
  FIL_ASSIGN_OR_RETURN(meta.bls_messages, storeCidArray(store, bls));
  FIL_ASSIGN_OR_RETURN(meta.secpk_messages, storeCidArray(store, secpk));
  return store::putCbor(store, meta);
}

Result<cid::Cid> storeBlockMessages(store::Blockstore& store, std::span<const primitives::Message> bls,
                                    std::span<const primitives::SignedMessage> secpk) {
  std::vector<cid::Cid> bls_cids;
  std::vector<cid::Cid> secpk_cids;
  std::vector<store::Block> blocks;
  for (const auto& m : bls) {
    blocks.push_back({m.cid(), codec::encode(m)});
    bls_cids.push_back(blocks.back().cid);
  }
  for (const auto& m : secpk) {
    blocks.push_back({m.cid(), codec::encode(m)});
    secpk_cids.push_back(blocks.back().cid);
  }
  FIL_TRY(store.putMany(blocks));
  return storeMsgMeta(store, bls_cids, secpk_cids);
}

Result<MessageCids> loadMsgMeta(store::Blockstore& store, const cid::Cid& root) {
  FIL_ASSIGN_OR_RETURN(auto meta, store::getCbor<MsgMeta>(store, root));
  MessageCids out;
  FIL_ASSIGN_OR_RETURN(out.bls, loadCidArray(store, meta.bls_messages));
  FIL_ASSIGN_OR_RETURN(out.secpk, loadCidArray(store, meta.secpk_messages));
  return out;
}

Result<FullBlock> loadFullBlock(store::Blockstore& store, const BlockHeader& header) {
  FIL_ASSIGN_OR_RETURN(auto cids, loadMsgMeta(store, header.messages));
  FullBlock block{header, {}, {}};
  for (const auto& c : cids.bls) {
    FIL_ASSIGN_OR_RETURN(auto m, store::getCbor<primitives::Message>(store, c));
    block.bls_messages.push_back(std::move(m));
  }
  for (const auto& c : cids.secpk) {
    FIL_ASSIGN_OR_RETURN(auto m, store::getCbor<primitives::SignedMessage>(store, c));
    block.secpk_messages.push_back(std::move(m));
  }
  return block;
}

}  // namespace fil::chain
