#include "fil/unixfs/dag_pb.h"

#include <gtest/gtest.h>

#include "fil/base/hex.h"
#include "fil/unixfs/unixfs.h"

namespace fil::unixfs {
namespace {

using cid::Cid;

Cid v0Of(BytesView block) { return Cid::v0(cid::Multihash::sha256(block)).value(); }

TEST(DagPbTest, WellKnownIpfsNodes) {
  // The empty UnixFS directory and the empty file, as `ipfs add` makes them
  // (CIDs every IPFS implementation reproduces).
  UnixfsData dir;
  dir.type = DataType::kDirectory;
  const Bytes dir_block = encodePbNode(PbNode{{}, encodeUnixfsData(dir)});
  EXPECT_EQ(toHex(dir_block), "0a020801");
  EXPECT_EQ(v0Of(dir_block).toString(), "QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn");

  UnixfsData file;
  file.filesize = 0;
  const Bytes file_block = encodePbNode(PbNode{{}, encodeUnixfsData(file)});
  EXPECT_EQ(toHex(file_block), "0a0408021800");
  EXPECT_EQ(v0Of(file_block).toString(), "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH");
}

TEST(DagPbTest, LinksBeforeDataAndRoundTrip) {
  const Cid child = Cid::parse("QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn").value();
  PbNode node{{PbLink{child, "", 4}, PbLink{child, "name", std::nullopt}}, toBytes("data")};
  const Bytes bytes = encodePbNode(node);
  // Links (field 2, 0x12) first, then Data (field 1, 0x0a).
  EXPECT_EQ(bytes[0], 0x12);
  EXPECT_EQ(bytes[bytes.size() - 6], 0x0a);
  auto back = decodePbNode(bytes);
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(*back, node);
  // An empty byte string is a node with no links and no data.
  auto empty = decodePbNode({});
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->links.empty());
  EXPECT_FALSE(empty->data.has_value());
}

TEST(DagPbTest, DataBeforeLinksIsReadAsIpldDagPbReadsIt) {
  // @ipld/dag-pb accepts Data first as long as the links are not split.
  const std::string link = "1224" "0a22" "1220" + std::string(64, 'a');
  EXPECT_TRUE(decodePbNode(fromHex("0a0108" + link).value()));
  EXPECT_FALSE(decodePbNode(fromHex("0a0108" "1222" "0a20" + std::string(64, 'a')).value()));  // Hash not a CID
  EXPECT_FALSE(decodePbNode(fromHex(link + "0a0108" + link).value()));
}

TEST(DagPbTest, StrictDecoding) {
  const std::string hash = "0a22" "1220" + std::string(64, 'b');
  EXPECT_FALSE(decodePbNode(fromHex("0a01080a0108").value()));              // two Data fields
  EXPECT_FALSE(decodePbNode(fromHex("1a0108").value()));                    // unknown field 3
  EXPECT_FALSE(decodePbNode(fromHex("0801").value()));                      // Data as a varint
  EXPECT_FALSE(decodePbNode(fromHex("0a05").value()));                      // truncated
  EXPECT_FALSE(decodePbNode(fromHex("1202" "1800").value()));               // link without Hash
  EXPECT_FALSE(decodePbNode(fromHex("1248" + hash + hash).value()));        // two Hashes
  EXPECT_FALSE(decodePbNode(fromHex("1226" + hash + "1a00").value()));      // Tsize as bytes
  EXPECT_FALSE(decodePbNode(fromHex("1226" + hash + "2000").value()));      // unknown link field
  EXPECT_FALSE(decodePbNode(fromHex("0aff").value()));                      // varint truncated
  EXPECT_FALSE(decodePbNode(fromHex("0affffffffffffffffff02").value()));    // varint overflow
  EXPECT_TRUE(decodePbNode(fromHex("1226" + hash + "1800").value()));
}

TEST(UnixfsDataTest, RoundTripAndStrictness) {
  UnixfsData d;
  d.type = DataType::kFile;
  d.filesize = 3 << 20;
  d.blocksizes = {1 << 20, 1 << 20, 1 << 20};
  const Bytes bytes = encodeUnixfsData(d);
  EXPECT_EQ(*decodeUnixfsData(bytes), d);
  // Type 2, filesize 3 MiB, three unpacked blocksizes of 1 MiB.
  EXPECT_EQ(toHex(bytes), "0802188080c0012080804020808040208080" "40");
  // A packed blocksizes field is read too.
  auto packed = decodeUnixfsData(fromHex("08022203010203").value());
  ASSERT_TRUE(packed);
  EXPECT_EQ(packed->blocksizes, (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_FALSE(decodeUnixfsData(fromHex("1800").value()));    // no Type
  EXPECT_FALSE(decodeUnixfsData(fromHex("0809").value()));    // unknown type
  EXPECT_FALSE(decodeUnixfsData(fromHex("08024801").value()));  // unknown field 9
}

}  // namespace
}  // namespace fil::unixfs
