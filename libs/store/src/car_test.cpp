#include "fil/store/car.h"

#include <gtest/gtest.h>

#include "fil/base/hex.h"
#include "fil/base/varint.h"
#include "fil/store/blockstore.h"
#include "fil/testing/paths.h"

namespace fil::store {
namespace {

using cid::Cid;
using cid::Codec;
using cid::HashCode;

std::vector<Block> sampleBlocks() {
  std::vector<Block> blocks;
  const Bytes raw = toBytes("raw leaf data");
  blocks.push_back({Cid::compute(Codec::kRaw, raw, HashCode::kSha2_256), raw});
  const Bytes cbor = codec::encode(std::string("a dag-cbor block"));
  blocks.push_back({Cid::compute(Codec::kDagCbor, cbor), cbor});
  const Bytes pb = fromHex("0a0208012a0774657374696e67").value();  // arbitrary bytes under a CIDv0
  blocks.push_back({Cid::v0(cid::Multihash::sha256(pb)).value(), pb});
  return blocks;
}

Bytes writeCar(const std::vector<Cid>& roots, const std::vector<Block>& blocks) {
  MemorySink sink;
  auto writer = CarWriter::create(sink, roots);
  EXPECT_TRUE(writer);
  for (const auto& b : blocks) EXPECT_TRUE(writer->put(b.cid, b.data));
  EXPECT_EQ(writer->blocksWritten(), blocks.size());
  EXPECT_EQ(writer->bytesWritten(), sink.data().size());
  return std::move(sink).take();
}

Result<std::vector<CarBlock>> readAll(BytesView car, CarReadOptions options = {}, CarHeader* header = nullptr) {
  MemorySource source(car);
  FIL_ASSIGN_OR_RETURN(auto reader, CarReader::open(source, options));
  if (header) *header = reader->header();
  std::vector<CarBlock> out;
  while (true) {
    FIL_ASSIGN_OR_RETURN(auto block, reader->next());
    if (!block) return out;
    out.push_back(std::move(*block));
  }
}

TEST(CarTest, HeaderIsCanonicalDagCbor) {
  const Cid root = sampleBlocks()[1].cid;
  const Bytes header = encodeCarHeader({root});
  // varint length, then {"roots": [root], "version": 1} with keys in
  // DAG-CBOR order (go-car and @ipld/car write exactly this).
  Bytes body = fromHex("a265726f6f747381d82a5827").value();
  body.push_back(0x00);
  append(body, root.toBytes());
  append(body, fromHex("6776657273696f6e01").value());
  Bytes expected = encodeUvarint(body.size());
  append(expected, body);
  EXPECT_EQ(toHex(header), toHex(expected));
}

TEST(CarTest, RoundTripVerifiesEveryBlock) {
  const auto blocks = sampleBlocks();
  const Bytes car = writeCar({blocks[1].cid, blocks[0].cid}, blocks);
  CarHeader header;
  auto read = readAll(car, {}, &header);
  ASSERT_TRUE(read) << read.error().message();
  EXPECT_EQ(header.version, 1u);
  EXPECT_EQ(header.roots, (std::vector<Cid>{blocks[1].cid, blocks[0].cid}));
  ASSERT_EQ(read->size(), blocks.size());
  for (size_t i = 0; i < blocks.size(); ++i) {
    EXPECT_EQ((*read)[i].cid, blocks[i].cid);
    EXPECT_EQ((*read)[i].data, blocks[i].data);
    EXPECT_TRUE((*read)[i].verified);
  }
  EXPECT_EQ((*read)[2].cid.version(), 0);
  EXPECT_EQ((*read)[0].offset, encodeCarHeader({blocks[1].cid, blocks[0].cid}).size());
}

TEST(CarTest, TamperedBlockIsRefusedWithItsOffset) {
  const auto blocks = sampleBlocks();
  Bytes car = writeCar({blocks[0].cid}, blocks);
  car[car.size() - 1] ^= 1;  // last byte of the last block
  auto read = readAll(car);
  ASSERT_FALSE(read);
  EXPECT_TRUE(read.error().is(StoreError::kCorrupt));
  EXPECT_NE(read.error().message().find("offset"), std::string::npos);
  CarReadOptions trusting;
  trusting.verify = false;
  auto unverified = readAll(car, trusting);
  ASSERT_TRUE(unverified);
  EXPECT_FALSE(unverified->back().verified);
}

TEST(CarTest, EveryTruncationIsAnErrorOrAShorterCar) {
  const auto blocks = sampleBlocks();
  const Bytes car = writeCar({blocks[0].cid}, blocks);
  const size_t header = encodeCarHeader({blocks[0].cid}).size();
  for (size_t cut = 0; cut < car.size(); ++cut) {
    auto read = readAll(BytesView(car).first(cut));
    if (read) {
      // Only a cut between sections gives a valid (shorter) CAR.
      EXPECT_GE(cut, header);
      EXPECT_LT(read->size(), blocks.size());
    } else {
      EXPECT_TRUE(read.error().is(StoreError::kTruncated) || read.error().is(StoreError::kMalformed))
          << cut << ": " << read.error().message();
    }
  }
}

TEST(CarTest, BadSectionsAndHeaders) {
  const auto blocks = sampleBlocks();
  const Bytes header = encodeCarHeader({blocks[0].cid});
  auto with = [&](std::string_view hex) {
    Bytes car = header;
    append(car, fromHex(hex).value());
    return car;
  };
  EXPECT_TRUE(readAll(with("00")).error().is(StoreError::kMalformed));                  // zero-length section
  EXPECT_TRUE(readAll(with("ffffffff0f")).error().is(StoreError::kTooLarge));           // 4 GiB section
  EXPECT_TRUE(readAll(with("0401020304")).error().is(StoreError::kMalformed));          // not a CID
  EXPECT_TRUE(readAll(Bytes{}).error().is(StoreError::kTruncated));                     // empty file
  EXPECT_TRUE(readAll(fromHex("0aa16776657273696f6e03").value()).error().is(StoreError::kUnsupported));
  EXPECT_TRUE(readAll(fromHex("0aa16776657273696f6e01").value()).error().is(StoreError::kMalformed));  // no roots
  EXPECT_TRUE(readAll(fromHex("02a0ff").value()).error().is(StoreError::kMalformed));
  EXPECT_TRUE(readAll(fromHex("ffffffffff01").value()).error().is(StoreError::kTooLarge));
}

TEST(CarTest, UnverifiableHashesAreReportedNotGuessed) {
  // sha2-512 (0x13): this build cannot recompute it.
  const Bytes data = toBytes("x");
  const Cid c = Cid::v1(Codec::kRaw, cid::Multihash::create(static_cast<HashCode>(0x13), Bytes(64, 1)).value());
  const Bytes car = writeCar({c}, {{c, data}});
  EXPECT_TRUE(readAll(car).error().is(StoreError::kUnsupported));
  CarReadOptions lenient;
  lenient.allow_unverifiable = true;
  auto read = readAll(car, lenient);
  ASSERT_TRUE(read);
  EXPECT_FALSE((*read)[0].verified);
}

TEST(CarTest, ReadsCarV2Payload) {
  const auto blocks = sampleBlocks();
  const Bytes v1 = writeCar({blocks[0].cid}, blocks);
  Bytes v2 = fromHex("0aa16776657273696f6e02").value();  // pragma
  const uint64_t data_offset = 11 + 40 + 5;               // some padding before the payload
  Bytes header(16, 0);
  putU64LE(header, data_offset);
  putU64LE(header, v1.size());
  putU64LE(header, data_offset + v1.size());
  append(v2, header);
  append(v2, Bytes(5, 0));
  append(v2, v1);
  append(v2, fromHex("8108000000").value());  // an index the reader must not take for blocks
  CarHeader h;
  auto read = readAll(v2, {}, &h);
  ASSERT_TRUE(read) << read.error().message();
  EXPECT_EQ(h.version, 2u);
  EXPECT_EQ(h.data_offset, data_offset);
  EXPECT_EQ(h.data_size, v1.size());
  EXPECT_EQ(h.roots, std::vector<Cid>{blocks[0].cid});
  EXPECT_EQ(read->size(), blocks.size());

  // A data size that ends inside a section is refused.
  Bytes bad = v2;
  bad[11 + 16 + 8] = static_cast<uint8_t>(v1.size() - 3);
  EXPECT_TRUE(readAll(bad).error().is(StoreError::kMalformed));
}

}  // namespace
}  // namespace fil::store

namespace fil::store {
namespace {

TEST(CarFileBlockstoreTest, IndexesAndReadsFromTheFile) {
  fil::testing::TempDir dir;
  const std::string path = (dir.path() / "x.car").string();
  const auto blocks = sampleBlocks();
  ASSERT_TRUE(writeFileAtomic(defaultFileSystem(), path, writeCar({blocks[0].cid}, blocks), 0644));
  auto store = CarFileBlockstore::open(defaultFileSystem(), path);
  ASSERT_TRUE(store) << store.error().message();
  EXPECT_EQ((*store)->size(), blocks.size());
  EXPECT_EQ((*store)->header().roots, std::vector<cid::Cid>{blocks[0].cid});
  for (const auto& b : blocks) EXPECT_EQ(*(*store)->get(b.cid), b.data);
  EXPECT_TRUE((*store)->get(cid::Cid::compute(cid::Codec::kRaw, asBytes("nope"))).error().is(StoreError::kNotFound));
  EXPECT_TRUE((*store)->put(blocks[0].cid, blocks[0].data).error().is(StoreError::kUnsupported));

  // A damaged file fails to open, naming the file.
  Bytes damaged = writeCar({blocks[0].cid}, blocks);
  damaged.back() ^= 1;
  const std::string bad = (dir.path() / "bad.car").string();
  ASSERT_TRUE(writeFileAtomic(defaultFileSystem(), bad, damaged, 0644));
  auto refused = CarFileBlockstore::open(defaultFileSystem(), bad);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find(bad), std::string::npos);
}

}  // namespace
}  // namespace fil::store
