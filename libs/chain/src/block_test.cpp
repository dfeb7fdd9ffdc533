#include <gtest/gtest.h>

#include "fil/base/hex.h"
#include "fil/chain/block.h"
#include "fil/chain/chain_error.h"
#include "fil/chain/genesis_block.h"
#include "fil/chain/json.h"
#include "fil/chain/messages.h"
#include "fil/chain/tipset.h"
#include "fil/crypto/blake2b.h"
#include "fil/store/amt.h"
#include "fil/store/blockstore.h"

namespace fil::chain {
namespace {

using cid::Cid;
using primitives::Address;

Cid cidOf(std::string_view text) { return Cid::parse(text).value(); }

// lotus chain/types/blockheader_test.go TestInteropBH.
BlockHeader interopHeader() {
  const Cid mcid = cidOf("bafy2bzaceaxyj7xq27gc2747adjcirpxx52tt7owqx6z6kckun7tqivvoym4y");
  BlockHeader h;
  Bytes miner{0x01};  // secp256k1 address over the "public key" "address0"
  append(miner, crypto::blake2b(asBytes("address0"), 20));
  h.miner = Address::fromBytes(miner).value();
  h.ticket = Ticket{{0x01, 0x02, 0x03}};
  h.election_proof = ElectionProof{0, {0x0a, 0x0b}};
  h.beacon_entries = {BeaconEntry{5, {0x0c}}};
  h.win_post_proof = {proofs::PoStProof{proofs::RegisteredPoStProof::kStackedDrgWinning2KiBV1, {0x07}}};
  h.parents = {mcid};
  h.parent_weight = 1000;
  h.height = 2;
  h.parent_state_root = mcid;
  h.parent_message_receipts = mcid;
  h.messages = mcid;
  // Go's crypto.Signature{}: type 0, no data.
  h.bls_aggregate = primitives::Signature{static_cast<primitives::SignatureType>(0), {}};
  h.timestamp = 1;
  h.block_sig = primitives::Signature{primitives::SignatureType::kBls, {0x03}};
  h.fork_signaling = 3;
  h.parent_base_fee = 1000000000;
  return h;
}

constexpr std::string_view kInteropSigningBytes =
    "905501d04cb15021bf6bd003073d79e2238d4e61f1ad2281430102038200420a0b818205410c818200410781d82a5827000171a0e40220"
    "2f84fef0d7cc2d7f9f00d22445f7bf7539fdd685fd9f284aa37f3822b57619cc430003e802d82a5827000171a0e402202f84fef0d7cc2d"
    "7f9f00d22445f7bf7539fdd685fd9f284aa37f3822b57619ccd82a5827000171a0e402202f84fef0d7cc2d7f9f00d22445f7bf7539fdd6"
    "85fd9f284aa37f3822b57619ccd82a5827000171a0e402202f84fef0d7cc2d7f9f00d22445f7bf7539fdd685fd9f284aa37f3822b57619"
    "cc410001f60345003b9aca00";

// A header every decoder accepts (signature types 1 and 2).
BlockHeader sampleHeader() {
  BlockHeader h = interopHeader();
  h.miner = Address::id(1000);
  h.bls_aggregate = emptyBlsAggregate();
  h.block_sig = primitives::Signature{primitives::SignatureType::kSecp256k1, Bytes(65, 7)};
  return h;
}

TEST(BlockHeader, LotusInteropSigningBytes) {
  const BlockHeader h = interopHeader();
  EXPECT_EQ(toHex(h.signingBytes()), kInteropSigningBytes);
  // The full form differs only in BlockSig: f6 -> 42 02 03.
  std::string full(kInteropSigningBytes);
  full.replace(full.size() - 16, 2, "420203");
  EXPECT_EQ(toHex(h.serialize()), full);
  EXPECT_EQ(h.cid(), Cid::compute(cid::Codec::kDagCbor, h.serialize()));
  EXPECT_NE(h.cid(), Cid::compute(cid::Codec::kDagCbor, h.signingBytes()));
  // Go refuses to decode signature type 0, and so do we.
  auto back = BlockHeader::decode(h.serialize());
  ASSERT_FALSE(back);
  EXPECT_TRUE(back.error().is(ChainError::kMalformed));
  EXPECT_NE(back.error().message().find("BLSAggregate"), std::string::npos) << back.error().message();
}

TEST(BlockHeader, RoundTripsAndRefusesMalformedBytes) {
  const BlockHeader h = sampleHeader();
  const Bytes bytes = h.serialize();
  EXPECT_EQ(bytes[0], 0x90);  // array of 16
  auto back = BlockHeader::decode(bytes);
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(*back, h);
  EXPECT_EQ(back->cid(), h.cid());

  // Null ticket and election proof (allowed by the encoding, refused by validation).
  BlockHeader bare = h;
  bare.ticket.reset();
  bare.election_proof.reset();
  bare.block_sig.reset();
  EXPECT_EQ(*BlockHeader::decode(bare.serialize()), bare);

  // Truncated, trailing bytes, wrong field count.
  EXPECT_FALSE(BlockHeader::decode(BytesView(bytes).first(bytes.size() - 1)));
  Bytes extra = bytes;
  extra.push_back(0x00);
  EXPECT_FALSE(BlockHeader::decode(extra));
  Bytes fifteen = bytes;
  fifteen[0] = 0x8f;
  auto short_tuple = BlockHeader::decode(fifteen);
  ASSERT_FALSE(short_tuple);
  EXPECT_NE(short_tuple.error().message().find("16"), std::string::npos) << short_tuple.error().message();
}

TEST(BlockHeader, LotusJson) {
  const BlockHeader h = sampleHeader();
  const codec::Json j = codec::toJson(h);
  EXPECT_EQ(j["Miner"], "t01000");
  EXPECT_EQ(j["Ticket"]["VRFProof"], "AQID");
  EXPECT_EQ(j["ElectionProof"]["WinCount"], 0);
  EXPECT_EQ(j["BeaconEntries"][0]["Round"], 5);
  EXPECT_EQ(j["WinPoStProof"][0]["PoStProof"], 0);
  EXPECT_EQ(j["WinPoStProof"][0]["ProofBytes"], "Bw==");
  EXPECT_EQ(j["Parents"][0]["/"], "bafy2bzaceaxyj7xq27gc2747adjcirpxx52tt7owqx6z6kckun7tqivvoym4y");
  EXPECT_EQ(j["ParentWeight"], "1000");
  EXPECT_EQ(j["BLSAggregate"]["Type"], 2);
  EXPECT_EQ(j["ParentBaseFee"], "1000000000");
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"Miner", "Ticket", "ElectionProof", "BeaconEntries", "WinPoStProof",
                                            "Parents", "ParentWeight", "Height", "ParentStateRoot",
                                            "ParentMessageReceipts", "Messages", "BLSAggregate", "Timestamp",
                                            "BlockSig", "ForkSignaling", "ParentBaseFee"}));
  auto back = codec::fromJson<BlockHeader>(j);
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(*back, h);
}

TEST(BlockHeader, EmptyBlsAggregateAndTimestampRule) {
  const auto agg = emptyBlsAggregate();
  EXPECT_EQ(agg.type, primitives::SignatureType::kBls);
  ASSERT_EQ(agg.data.size(), 96u);
  EXPECT_EQ(agg.data[0], 0xc0);
  // Lotus JSON of real blocks shows this as "wAAAAAAA...".
  EXPECT_EQ(toBase64(agg.data).substr(0, 8), "wAAAAAAA");

  const NetworkParams& p = devnetParams();
  EXPECT_EQ(expectedTimestamp(1000, 10, 11, p), 1000 + p.block_delay_seconds);
  EXPECT_EQ(expectedTimestamp(1000, 10, 14, p), 1000 + 4 * p.block_delay_seconds);  // three null rounds
}

// spec/chain.md, computed: the empty AMT v0 and the empty MsgMeta.
TEST(MsgMeta, EmptyRootsAndMessageArrays) {
  EXPECT_EQ(emptyAmtV0Root().toString(), "bafy2bzacedswlcz5ddgqnyo3sak3jmhmkxashisnlpq6ujgyhe4mlobzpnhs6");
  store::MemoryBlockstore blocks;
  auto root = storeMsgMeta(blocks, {}, {});
  ASSERT_TRUE(root);
  EXPECT_EQ(root->toString(), "bafy2bzacecmda75ovposbdateg7eyhwij65zklgyijgcjwynlklmqazpwlhba");
  EXPECT_EQ(MsgMeta({emptyAmtV0Root(), emptyAmtV0Root()}).cid(), *root);

  // Messages round-trip through the store by position.
  primitives::Message m;
  m.to = Address::id(1);
  m.from = Address::id(2);
  m.gas_limit = 1000000;
  std::vector<primitives::SignedMessage> secp;
  for (uint64_t n = 0; n < 12; ++n) {
    m.nonce = n;
    secp.push_back({m, primitives::Signature{primitives::SignatureType::kSecp256k1, Bytes(65, uint8_t(n))}});
  }
  std::vector<primitives::Message> bls{m};
  auto meta = storeBlockMessages(blocks, bls, secp);
  ASSERT_TRUE(meta);
  BlockHeader h = sampleHeader();
  h.messages = *meta;
  auto full = loadFullBlock(blocks, h);
  ASSERT_TRUE(full) << full.error().message();
  EXPECT_EQ(full->bls_messages, bls);
  EXPECT_EQ(full->secpk_messages, secp);
  auto cids = loadMsgMeta(blocks, *meta);
  ASSERT_TRUE(cids);
  ASSERT_EQ(cids->secpk.size(), 12u);
  EXPECT_EQ(cids->secpk[3], secp[3].cid());
  EXPECT_EQ(cids->bls[0], m.cid());

  // An array with a gap is not a message list.
  store::Amt gappy(blocks, {.bit_width = 3, .version = store::AmtVersion::kV0});
  ASSERT_TRUE(gappy.setCbor(1, m.cid()));
  auto gap_root = gappy.flush();
  auto loaded = loadCidArray(blocks, *gap_root);
  ASSERT_FALSE(loaded);
  EXPECT_TRUE(loaded.error().is(ChainError::kMalformed));
}

TEST(Genesis, HeaderShape) {
  store::MemoryBlockstore blocks;
  EXPECT_EQ(filecoinGenesisCid().toString(), "bafyreiaqpwbbyjo4a42saasj36kkrpv4tsherf2e7bvezkert2a7dhonoi");
  const Cid state = cidOf("bafy2bzaceaxyj7xq27gc2747adjcirpxx52tt7owqx6z6kckun7tqivvoym4y");
  const BeaconEntry beacon{0, Bytes(33, 2)};
  auto g = makeGenesisHeader(blocks, state, 1700000000, Ticket{Bytes(32, 9)}, beacon, devnetParams());
  ASSERT_TRUE(g) << g.error().message();
  EXPECT_EQ(g->miner.toString(), "t00");
  EXPECT_EQ(g->parents, std::vector<Cid>{filecoinGenesisCid()});
  EXPECT_EQ(g->height, 0);
  EXPECT_EQ(g->parent_weight, 0);
  EXPECT_EQ(g->parent_message_receipts, emptyAmtV0Root());
  EXPECT_EQ(g->messages.toString(), "bafy2bzacecmda75ovposbdateg7eyhwij65zklgyijgcjwynlklmqazpwlhba");
  EXPECT_EQ(g->election_proof, ElectionProof{});
  EXPECT_FALSE(g->block_sig);
  EXPECT_FALSE(g->bls_aggregate);
  EXPECT_EQ(g->parent_base_fee, 100000000);
  EXPECT_EQ(g->beacon_entries, std::vector<BeaconEntry>{beacon});
  // ElectionProof {0, empty} encodes as 82 00 40.
  EXPECT_NE(toHex(g->serialize()).find("820040"), std::string::npos);
  EXPECT_TRUE(*blocks.has(filecoinGenesisCid()));
  EXPECT_TRUE(*blocks.has(g->messages));
  EXPECT_TRUE(TipSet::create({*g}));
}

// lotus chain/types/tipset_key_test.go.
TEST(TipSetKey, LotusGoldenKeys) {
  const Cid c1 = Cid::compute(cid::Codec::kDagCbor, asBytes("a"));
  const Cid c2 = Cid::compute(cid::Codec::kDagCbor, asBytes("b"));
  const Cid c3 = Cid::compute(cid::Codec::kDagCbor, asBytes("c"));
  EXPECT_EQ(c1.toString(), "bafy2bzacecesrkxghscnq7vatble2hqdvwat6ed23vdu4vvo3uuggsoaya7ki");
  EXPECT_EQ(TipSetKey().cid().toString(), "bafy2bzacea456askyutsf7uk4ta2q5aojrlcji4mhaqokbfalgvoq4ueeh4l2");
  EXPECT_EQ(TipSetKey({c1}).cid().toString(), "bafy2bzacealem6larzxhf7aggj3cozcefqez3jlksx2tuxehwdil27otcmy4q");
  const TipSetKey k3({c1, c2, c3});
  EXPECT_EQ(k3.cid().toString(), "bafy2bzacecbnwngwfvxuciumcfudiaoqozisp3hus5im5lg4urrwlxbueissu");

  EXPECT_EQ(*TipSetKey::fromBytes(k3.toBytes()), k3);
  EXPECT_EQ(*TipSetKey::fromBytes({}), TipSetKey());
  EXPECT_EQ(TipSetKey({c1, c1}).cids().size(), 2u);  // keys do not check duplicates
  EXPECT_NE(TipSetKey({c1, c2}), TipSetKey({c2, c1}));
  auto cut = TipSetKey::fromBytes(BytesView(TipSetKey({c1}).toBytes()).subspan(1));
  ASSERT_FALSE(cut);
  EXPECT_TRUE(cut.error().is(ChainError::kMalformed));

  EXPECT_EQ(codec::toJson(TipSetKey()).dump(), "[]");
  EXPECT_EQ(codec::toJson(k3).dump(),
            R"([{"/":"bafy2bzacecesrkxghscnq7vatble2hqdvwat6ed23vdu4vvo3uuggsoaya7ki"},)"
            R"({"/":"bafy2bzacebxfyh2fzoxrt6kcgc5dkaodpcstgwxxdizrww225vrhsizsfcg4g"},)"
            R"({"/":"bafy2bzacedwviarjtjraqakob5pslltmuo5n3xev3nt5zylezofkbbv5jclyu"}])");
  EXPECT_EQ(*codec::fromJson<TipSetKey>(codec::toJson(k3)), k3);
  EXPECT_EQ(*codec::decode<TipSetKey>(codec::encode(k3)), k3);
}

BlockHeader blockWithTicket(Bytes ticket, uint64_t miner) {
  BlockHeader h = sampleHeader();
  h.ticket = Ticket{std::move(ticket)};
  h.miner = Address::id(miner);
  return h;
}

TEST(TipSet, OrdersByTicketDigestThenCid) {
  std::vector<BlockHeader> blocks;
  for (uint8_t t = 1; t <= 5; ++t) blocks.push_back(blockWithTicket(Bytes(32, t), 1000 + t));
  // Two blocks with one ticket: the CID bytes break the tie.
  blocks.push_back(blockWithTicket(Bytes(32, 3), 2000));
  auto ts = TipSet::create(blocks);
  ASSERT_TRUE(ts) << ts.error().message();
  ASSERT_EQ(ts->blocks().size(), 6u);
  for (size_t i = 1; i < ts->blocks().size(); ++i) {
    const auto a = crypto::blake2b256(ts->blocks()[i - 1].ticket->vrf_proof);
    const auto b = crypto::blake2b256(ts->blocks()[i].ticket->vrf_proof);
    ASSERT_LE(a, b);
    if (a == b) {
      EXPECT_LT(compare(ts->cids()[i - 1].toBytes(), ts->cids()[i].toBytes()), 0);
    }
  }
  EXPECT_EQ(ts->minTicketBlock().cid(), ts->cids().front());
  EXPECT_EQ(ts->key().cids(), ts->cids());
  for (size_t i = 0; i < ts->blocks().size(); ++i) EXPECT_EQ(ts->blocks()[i].cid(), ts->cids()[i]);
  // Order of input does not matter.
  std::reverse(blocks.begin(), blocks.end());
  EXPECT_EQ(TipSet::create(blocks)->cids(), ts->cids());

  // CBOR (ExpTipSet) and JSON round trips.
  auto back = codec::decode<TipSet>(codec::encode(*ts));
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(back->cids(), ts->cids());
  const codec::Json j = codec::toJson(*ts);
  EXPECT_EQ(j["Height"], 2);
  EXPECT_EQ(j["Cids"].size(), 6u);
  auto from_json = codec::fromJson<TipSet>(j);
  ASSERT_TRUE(from_json) << from_json.error().message();
  EXPECT_EQ(from_json->cids(), ts->cids());
  codec::Json tampered = j;
  tampered["Height"] = 3;
  EXPECT_FALSE(codec::fromJson<TipSet>(tampered));
}

TEST(TipSet, RefusesBlocksThatCannotFormOne) {
  EXPECT_TRUE(TipSet::create({}).error().is(ChainError::kInvalidTipSet));
  BlockHeader a = blockWithTicket(Bytes(32, 1), 1001);
  BlockHeader b = blockWithTicket(Bytes(32, 2), 1002);
  b.height = 3;
  EXPECT_TRUE(TipSet::create({a, b}).error().is(ChainError::kInvalidTipSet));
  b = blockWithTicket(Bytes(32, 2), 1002);
  b.parents.push_back(b.messages);
  EXPECT_TRUE(TipSet::create({a, b}).error().is(ChainError::kInvalidTipSet));
  EXPECT_TRUE(TipSet::create({a, a}).error().is(ChainError::kInvalidTipSet));
  BlockHeader no_ticket = a;
  no_ticket.ticket.reset();
  EXPECT_TRUE(TipSet::create({no_ticket}).error().is(ChainError::kInvalidTipSet));
}

TEST(TipSet, MinTimestampAndChildOf) {
  BlockHeader a = blockWithTicket(Bytes(32, 1), 1001);
  BlockHeader b = blockWithTicket(Bytes(32, 2), 1002);
  a.timestamp = 20;
  b.timestamp = 10;
  auto parent = TipSet::create({a, b});
  ASSERT_TRUE(parent);
  EXPECT_EQ(parent->minTimestamp(), 10u);
  BlockHeader child = blockWithTicket(Bytes(32, 3), 1003);
  child.parents = parent->cids();
  child.height = parent->height() + 1;
  auto c = TipSet::create({child});
  EXPECT_TRUE(c->isChildOf(*parent));
  EXPECT_FALSE(parent->isChildOf(*c));
  EXPECT_EQ(c->parents(), parent->key());
  EXPECT_TRUE(parent->contains(a.cid()));
  EXPECT_FALSE(parent->contains(child.cid()));
}

}  // namespace
}  // namespace fil::chain
