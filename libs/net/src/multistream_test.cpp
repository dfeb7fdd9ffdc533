#include "multistream.h"

#include <gtest/gtest.h>

#include "fil/base/hex.h"

namespace fil::net::multistream {
namespace {

TEST(Multistream, EncodesAsTheSpecShows) {
  // 0x13 = 19 = "/multistream/1.0.0" (18) + newline.
  EXPECT_EQ(toHex(encodeMessage(kProtocolId)), "132f6d756c746973747265616d2f312e302e300a");
  EXPECT_EQ(toHex(encodeMessage("na")), "036e610a");
}

TEST(Multistream, DecodesWholeMessagesAndWaitsForPartialOnes) {
  Bytes wire = encodeMessage(kProtocolId);
  appendMessage(wire, "/noise");
  wire.push_back(0xAA);  // optimistic data after the negotiation stays unread

  auto first = decodeMessage(wire);
  ASSERT_TRUE(first && *first);
  EXPECT_EQ((*first)->text, kProtocolId);
  auto second = decodeMessage(BytesView(wire).subspan((*first)->size));
  ASSERT_TRUE(second && *second);
  EXPECT_EQ((*second)->text, "/noise");
  EXPECT_EQ((*first)->size + (*second)->size, wire.size() - 1);

  for (size_t cut = 0; cut < (*first)->size; ++cut) {
    auto partial = decodeMessage(BytesView(wire).first(cut));
    ASSERT_TRUE(partial) << cut;
    EXPECT_FALSE(*partial) << cut;
  }
}

TEST(Multistream, RefusesMalformedMessages) {
  EXPECT_TRUE(decodeMessage(*fromHex("00")).error().is(NetError::kMultistream));           // empty
  EXPECT_TRUE(decodeMessage(*fromHex("026e61")).error().is(NetError::kMultistream));       // no newline
  EXPECT_TRUE(decodeMessage(*fromHex("8180")).has_value());                                 // 2 bytes, need more
  EXPECT_TRUE(decodeMessage(*fromHex("818080")).error().is(NetError::kMultistream));       // varint too long
  Bytes big;
  appendMessage(big, std::string(kMaxMessageLength, 'a'));  // 1025 with the newline
  EXPECT_TRUE(decodeMessage(big).error().is(NetError::kMultistream));
  Bytes biggest;
  appendMessage(biggest, std::string(kMaxMessageLength - 1, 'a'));
  EXPECT_TRUE(decodeMessage(biggest) && *decodeMessage(biggest));
}

TEST(Multistream, ListReplyNestsMessages) {
  const Bytes list = encodeList({"/a", "/b"});
  auto outer = decodeMessage(list);
  ASSERT_TRUE(outer && *outer);
  // Body: 03 "/a\n" 03 "/b\n", then the final newline is the message's own.
  EXPECT_EQ(toHex(asBytes((*outer)->text)), "032f610a032f620a");
}

}  // namespace
}  // namespace fil::net::multistream
