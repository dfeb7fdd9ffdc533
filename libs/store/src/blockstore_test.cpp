#include "fil/store/blockstore.h"

#include <gtest/gtest.h>

#include "fil/store/memory_datastore.h"

namespace fil::store {
namespace {

using cid::Cid;
using cid::Codec;
using cid::HashCode;

TEST(BlockstoreTest, DatastoreLayoutIsGoIpfsBlockstore) {
  // go-ipfs-blockstore keys a block by "/blocks/" + base32 (RawStd, upper
  // case) of its multihash; the expected key is Python's
  // base64.b32encode(0x1220 || sha256("hello")) without padding.
  const Cid c = Cid::compute(Codec::kRaw, asBytes("hello"), HashCode::kSha2_256);
  EXPECT_EQ(DatastoreBlockstore::keyFor(c).str(),
            "/blocks/CIQCZ4SNXJP3BIYOE3UDWKWFXHRJ4GYWDZOB7J2CLZZQIM3CSOFZQJA");
}

TEST(BlockstoreTest, PutGetHasAcrossCidVersions) {
  auto ds = makeMemoryDatastore();
  DatastoreBlockstore blocks(*ds);
  MemoryBlockstore memory;
  for (Blockstore* store : std::initializer_list<Blockstore*>{&blocks, &memory}) {
    const Bytes data = toBytes("some block");
    auto c = putBlock(*store, data, Codec::kRaw, HashCode::kSha2_256);
    ASSERT_TRUE(c);
    EXPECT_EQ(*store->get(*c), data);
    EXPECT_TRUE(*store->has(*c));
    // The dag-pb CIDv0 of the same multihash names the same block.
    const Cid v0 = Cid::v0(c->hash()).value();
    EXPECT_EQ(*store->get(v0), data);
    const Cid other = Cid::compute(Codec::kRaw, asBytes("other"));
    EXPECT_TRUE(store->get(other).error().is(StoreError::kNotFound));
    EXPECT_FALSE(*store->has(other));
  }
}

TEST(BlockstoreTest, IdentityCidsAreInline) {
  MemoryBlockstore store;
  const Cid c = Cid::v1(Codec::kRaw, cid::Multihash::identity(asBytes("tiny")));
  EXPECT_EQ(*store.get(c), toBytes("tiny"));
  ASSERT_TRUE(store.put(c, asBytes("tiny")));
  EXPECT_EQ(store.size(), 0u);
  EXPECT_TRUE(verifyBlock(c, asBytes("tiny")));
  EXPECT_TRUE(verifyBlock(c, asBytes("tinY")).error().is(StoreError::kCorrupt));
}

TEST(BlockstoreTest, VerifyOnRead) {
  auto ds = makeMemoryDatastore();
  const Cid c = Cid::compute(Codec::kDagCbor, codec::encode(uint64_t{7}));
  // A block whose bytes were damaged on disk.
  ASSERT_TRUE(ds->put(DatastoreBlockstore::keyFor(c), codec::encode(uint64_t{8})));
  DatastoreBlockstore trusting(*ds);
  EXPECT_TRUE(trusting.get(c));
  DatastoreBlockstore verifying(*ds, {.verify_on_read = true});
  auto got = verifying.get(c);
  ASSERT_FALSE(got);
  EXPECT_TRUE(got.error().is(StoreError::kCorrupt));
  EXPECT_NE(got.error().message().find(c.toString()), std::string::npos);
}

TEST(BlockstoreTest, TypedCborAndBatches) {
  auto ds = makeMemoryDatastore();
  DatastoreBlockstore blocks(*ds);
  auto c = putCbor(blocks, std::string("hello"));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->codec(), Codec::kDagCbor);
  EXPECT_EQ(c->hash().code(), HashCode::kBlake2b256);
  EXPECT_EQ(*getCbor<std::string>(blocks, *c), "hello");
  auto wrong = getCbor<uint64_t>(blocks, *c);
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message().find(c->toString()), std::string::npos);

  std::vector<Block> many;
  for (int i = 0; i < 10; ++i) {
    Bytes data = codec::encode(uint64_t(i));
    many.push_back(Block{Cid::compute(Codec::kDagCbor, data), data});
  }
  ASSERT_TRUE(blocks.putMany(many));
  for (const auto& b : many) EXPECT_EQ(*blocks.get(b.cid), b.data);
}

}  // namespace
}  // namespace fil::store
