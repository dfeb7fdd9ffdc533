#include "fil/unixfs/unixfs.h"

#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <unordered_set>

#include "fil/base/hex.h"
#include "fil/store/car.h"
#include "fil/unixfs/dag_pb.h"
#include "fil/unixfs/file_blockstore.h"
#include "fil/testing/paths.h"

namespace fil::unixfs {
namespace {

using cid::Cid;
using store::MemoryBlockstore;
using store::MemorySink;
using store::MemorySource;

Bytes randomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  Bytes out(n);
  for (auto& b : out) b = static_cast<uint8_t>(rng());
  return out;
}

Result<ImportResult> import(BytesView data, const ImportOptions& options, MemoryBlockstore& blocks) {
  MemorySource in(data);
  BlockstoreSink sink(blocks);
  return importFile(in, options, sink);
}

Bytes exportAll(const store::Blockstore& blocks, const Cid& root) {
  MemorySink out;
  auto n = exportFile(blocks, root, out);
  EXPECT_TRUE(n) << n.error().message();
  return std::move(out).take();
}

// `ipfs add` defaults before CIDv1: CIDv0, dag-pb leaves, 256 KiB chunks, 174 links.
ImportOptions kuboV0() {
  ImportOptions o;
  o.cid_version = 0;
  o.raw_leaves = false;
  o.hash = cid::HashCode::kSha2_256;
  o.inline_limit = 0;
  o.chunk_size = 256 * 1024;
  o.max_links = 174;
  return o;
}

TEST(ImportTest, WellKnownIpfsCids) {
  MemoryBlockstore blocks;
  // `echo "hello world" | ipfs add` and `ipfs add` of an empty file.
  EXPECT_EQ(import(asBytes("hello world\n"), kuboV0(), blocks)->root.toString(),
            "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
  EXPECT_EQ(import({}, kuboV0(), blocks)->root.toString(), "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH");
}

TEST(ImportTest, LotusDefaultsInlineSmallBlocks) {
  MemoryBlockstore blocks;
  ImportOptions lotus;
  auto small = import(asBytes("hello"), lotus, blocks);
  ASSERT_TRUE(small);
  // Five bytes fit in an identity CID: the data is the CID.
  EXPECT_EQ(small->root.hash().code(), cid::HashCode::kIdentity);
  EXPECT_EQ(small->root.codec(), cid::Codec::kRaw);
  EXPECT_EQ(small->root.toString(), "bafkqablimvwgy3y");  // "b" + base32(01 55 00 05 "hello"), from Python
  EXPECT_EQ(small->blocks, 0u);
  EXPECT_EQ(blocks.size(), 0u);
  EXPECT_EQ(exportAll(blocks, small->root), toBytes("hello"));

  auto bigger = import(Bytes(1000, 'x'), lotus, blocks);
  ASSERT_TRUE(bigger);
  EXPECT_EQ(bigger->root.hash().code(), cid::HashCode::kBlake2b256);
  EXPECT_EQ(bigger->root, Cid::compute(cid::Codec::kRaw, Bytes(1000, 'x')));
}

TEST(ImportTest, BalancedLayoutShape) {
  // 10 chunks of 4 bytes and 3 links per node: leaves l0..l9; level 1
  // nodes of 3,3,3,1 leaves; level 2 of 3,1; a root of 2 (go-unixfs's
  // balanced builder fills depth-first).
  ImportOptions o = ImportOptions::ipfsCompatible();
  o.chunk_size = 4;
  o.max_links = 3;
  const Bytes data = randomBytes(38, 1);
  MemoryBlockstore blocks;
  auto r = import(data, o, blocks);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->file_size, 38u);
  EXPECT_EQ(r->blocks, 10u + 4u + 2u + 1u);
  EXPECT_EQ(r->dag_size, blocks.byteSize());

  auto node = [&](const Cid& c) { return decodePbNode(*blocks.get(c)).value(); };
  const PbNode root = node(r->root);
  ASSERT_EQ(root.links.size(), 2u);
  const auto root_data = decodeUnixfsData(*root.data).value();
  EXPECT_EQ(root_data.filesize, 38u);
  EXPECT_EQ(root_data.blocksizes, (std::vector<uint64_t>{36, 2}));
  EXPECT_EQ(node(root.links[0].hash).links.size(), 3u);
  EXPECT_EQ(node(root.links[1].hash).links.size(), 1u);
  EXPECT_EQ(node(node(root.links[1].hash).links[0].hash).links.size(), 1u);
  EXPECT_EQ(root.links[0].name, std::string());
  EXPECT_EQ(exportAll(blocks, r->root), data);

  // Exactly one full node of leaves stays at depth 1.
  MemoryBlockstore exact;
  auto three = import(randomBytes(12, 2), o, exact);
  ASSERT_TRUE(three);
  EXPECT_EQ(three->blocks, 4u);
  // One chunk is its own root.
  MemoryBlockstore single;
  auto one = import(asBytes("abcd"), o, single);
  EXPECT_EQ(one->root, Cid::compute(cid::Codec::kRaw, asBytes("abcd"), cid::HashCode::kSha2_256));
}

TEST(ImportTest, LargerFilesRoundTripInEveryMode) {
  for (ImportOptions o : {ImportOptions{}, ImportOptions::ipfsCompatible(), kuboV0()}) {
    o.chunk_size = 1000;
    o.max_links = 8;
    for (size_t size : {0, 1, 999, 1000, 1001, 8000, 8001, 64000, 64001, 100000}) {
      MemoryBlockstore blocks;
      const Bytes data = randomBytes(size, static_cast<uint32_t>(size));
      auto r = import(data, o, blocks);
      ASSERT_TRUE(r) << r.error().message();
      EXPECT_EQ(r->file_size, size);
      EXPECT_EQ(exportAll(blocks, r->root), data) << size;
    }
  }
}

TEST(ImportTest, BadOptions) {
  MemoryBlockstore blocks;
  ImportOptions o;
  o.max_links = 1;
  EXPECT_TRUE(import(asBytes("x"), o, blocks).error().is(UnixfsError::kInvalidOption));
  o = ImportOptions{};
  o.cid_version = 0;
  EXPECT_TRUE(import(asBytes("x"), o, blocks).error().is(UnixfsError::kInvalidOption));
  o = ImportOptions{};
  o.chunk_size = 0;
  EXPECT_TRUE(import(asBytes("x"), o, blocks).error().is(UnixfsError::kInvalidOption));
}

TEST(ExportTest, RefusesBadDags) {
  MemoryBlockstore blocks;
  ImportOptions o = ImportOptions::ipfsCompatible();
  o.chunk_size = 10;
  auto r = import(randomBytes(100, 3), o, blocks);
  ASSERT_TRUE(r);
  MemorySink out;

  // A missing block.
  MemoryBlockstore partial;
  ASSERT_TRUE(partial.put(r->root, *blocks.get(r->root)));
  EXPECT_TRUE(exportFile(partial, r->root, out).error().is(store::StoreError::kNotFound));

  // A block whose bytes do not match its CID.
  const PbNode root = decodePbNode(*blocks.get(r->root)).value();
  MemoryBlockstore tampered;
  ASSERT_TRUE(tampered.put(r->root, *blocks.get(r->root)));
  for (const auto& l : root.links) ASSERT_TRUE(tampered.put(l.hash, Bytes(10, 0)));
  EXPECT_TRUE(exportFile(tampered, r->root, out).error().is(store::StoreError::kCorrupt));

  // Sizes that disagree with the children.
  UnixfsData lying = decodeUnixfsData(*root.data).value();
  lying.blocksizes[0] += 1;
  PbNode bad = root;
  bad.data = encodeUnixfsData(lying);
  auto bad_cid = store::putBlock(blocks, encodePbNode(bad), cid::Codec::kDagPb, cid::HashCode::kSha2_256);
  EXPECT_TRUE(exportFile(blocks, *bad_cid, out).error().is(UnixfsError::kSizeMismatch));

  // A directory, and a dag-cbor block.
  UnixfsData dir;
  dir.type = DataType::kDirectory;
  auto dir_cid = store::putBlock(blocks, encodePbNode(PbNode{{}, encodeUnixfsData(dir)}), cid::Codec::kDagPb);
  auto e = exportFile(blocks, *dir_cid, out);
  EXPECT_TRUE(e.error().is(UnixfsError::kUnsupported));
  EXPECT_NE(e.error().message().find("directory"), std::string::npos);
  auto cbor_cid = store::putCbor(blocks, std::string("x"));
  EXPECT_TRUE(exportFile(blocks, *cbor_cid, out).error().is(UnixfsError::kUnsupported));

  // A chain deeper than any import makes.
  Cid deep = r->root;
  for (int i = 0; i < 70; ++i) {
    UnixfsData d;
    d.filesize = 100;
    d.blocksizes = {100};
    deep = *store::putBlock(blocks, encodePbNode(PbNode{{PbLink{deep, "", 0}}, encodeUnixfsData(d)}),
                            cid::Codec::kDagPb);
  }
  EXPECT_TRUE(exportFile(blocks, deep, out).error().is(UnixfsError::kTooDeep));
}

TEST(CarDagTest, DepthFirstRootFirstEachBlockOnce) {
  // A file of repeated chunks: the leaves share one CID.
  ImportOptions o = ImportOptions::ipfsCompatible();
  o.chunk_size = 200;
  o.max_links = 4;
  Bytes data;
  for (int i = 0; i < 10; ++i) append(data, Bytes(200, 'z'));
  append(data, randomBytes(300, 4));
  MemoryBlockstore blocks;
  auto r = import(data, o, blocks);
  ASSERT_TRUE(r);
  MemorySink car;
  auto stats = writeCarDag(blocks, r->root, car);
  ASSERT_TRUE(stats) << stats.error().message();
  EXPECT_EQ(stats->blocks, blocks.size());
  EXPECT_EQ(stats->bytes, car.data().size());

  MemorySource in(car.data());
  auto reader = store::CarReader::open(in);
  ASSERT_TRUE(reader);
  EXPECT_EQ((*reader)->header().roots, std::vector<Cid>{r->root});
  std::vector<Cid> order;
  while (auto block = (*reader)->next()) {
    if (!*block) break;
    order.push_back((*block)->cid);
  }
  // Expected order: a recursive walk from the root, skipping seen blocks.
  std::vector<Cid> expected;
  std::unordered_set<Cid> seen;
  std::function<void(const Cid&)> walk = [&](const Cid& c) {
    if (!seen.insert(c).second) return;
    expected.push_back(c);
    if (c.codec() == cid::Codec::kDagPb) {
      const PbNode n = decodePbNode(*blocks.get(c)).value();
      for (const auto& l : n.links) walk(l.hash);
    }
  };
  walk(r->root);
  EXPECT_EQ(order, expected);
  EXPECT_EQ(order.front(), r->root);
}

TEST(CarDagTest, IdentityNodesAreFollowedButNotWritten) {
  // Lotus's defaults inline small nodes; a two-chunk file of 100-byte chunks
  // has a root small enough to be an identity CID, linking real leaves.
  ImportOptions o;
  o.chunk_size = 130;
  Bytes data = randomBytes(260, 5);
  MemoryBlockstore blocks;
  auto r = import(data, o, blocks);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->root.hash().code(), cid::HashCode::kIdentity);
  MemorySink car;
  auto stats = writeCarDag(blocks, r->root, car);
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->blocks, 2u);
  EXPECT_EQ(exportAll(blocks, r->root), data);
}

TEST(FileBackedBlockstoreTest, LeavesComeFromTheFileAndChangesAreCaught) {
  fil::testing::TempDir dir;
  const std::string path = (dir.path() / "data.bin").string();
  const Bytes data = randomBytes(5000, 6);
  auto& fs = store::defaultFileSystem();
  ASSERT_TRUE(store::writeFileAtomic(fs, path, data, 0644));
  auto file = fs.openForRead(path);
  ASSERT_TRUE(file);
  FileBackedBlockstore blocks(**file);
  auto source = store::FileSource::open(fs, path);
  ASSERT_TRUE(source);
  ImportOptions o = ImportOptions::ipfsCompatible();
  o.chunk_size = 1000;
  auto r = importFile(**source, o, blocks);
  ASSERT_TRUE(r);
  EXPECT_EQ(exportAll(blocks, r->root), data);

  // Change a byte of the file after the import.
  Bytes changed = data;
  changed[2500] ^= 0xff;
  {
    auto w = fs.openForWrite(path, store::OpenMode::kTruncate, 0644);
    ASSERT_TRUE(w);
    ASSERT_TRUE((*w)->append(changed));
  }
  MemorySink out;
  auto e = exportFile(blocks, r->root, out);
  ASSERT_FALSE(e);
  EXPECT_TRUE(e.error().is(store::StoreError::kCorrupt));
  EXPECT_NE(e.error().message().find("offset 2000"), std::string::npos) << e.error().message();
}

TEST(BlockLinksTest, FollowsDagPbAndDagCbor) {
  const Cid a = Cid::compute(cid::Codec::kRaw, asBytes("a"));
  const Cid b = Cid::compute(cid::Codec::kRaw, asBytes("b"));
  codec::CborEncoder e;
  e.writeArrayHeader(2);
  e.writeCid(a);
  e.writeMapHeader(1);
  e.writeText("x");
  e.writeCid(b);
  const Bytes cbor = std::move(e).take();
  EXPECT_EQ(*blockLinks(Cid::compute(cid::Codec::kDagCbor, cbor), cbor), (std::vector<Cid>{a, b}));
  EXPECT_TRUE(blockLinks(a, asBytes("a"))->empty());
  EXPECT_FALSE(blockLinks(Cid::compute(cid::Codec::kDagJson, asBytes("{}")), asBytes("{}")));
}

}  // namespace
}  // namespace fil::unixfs
