// Lotus's text forms, against Lotus's own tests where it has them
// (chain/types/bigint_test.go, cli/sync_test.go) and Go's formatting
// rules elsewhere.
#include "lotus_format.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

namespace fil::cli {
namespace {

using namespace std::chrono_literals;

TimePoint at(int64_t unix_seconds) { return TimePoint(std::chrono::seconds(unix_seconds)); }

chain::TipSet tipSet(chain::ChainEpoch height, std::vector<cid::Cid> parents, uint8_t ticket = 1) {
  chain::BlockHeader h;
  h.miner = primitives::Address::id(1000);
  h.ticket = chain::Ticket{Bytes(32, ticket)};
  h.parents = std::move(parents);
  h.parent_weight = 42 + height;
  h.height = height;
  h.parent_state_root = cid::Cid::compute(cid::Codec::kDagCbor, asBytes("state"));
  h.parent_message_receipts = h.parent_state_root;
  h.messages = h.parent_state_root;
  h.timestamp = 1700000000 + static_cast<uint64_t>(height) * 4;
  h.parent_base_fee = 100;
  return *chain::TipSet::create({h});
}

class LocalTimeIsUtc : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("TZ", "UTC", 1);
    tzset();
  }
};

TEST(LotusFormat, SizeStrAsLotusTests) {
  // chain/types/bigint_test.go TestSizeStr and TestSizeStrBig.
  EXPECT_EQ(sizeStr(0), "0 B");
  EXPECT_EQ(sizeStr(1), "1 B");
  EXPECT_EQ(sizeStr(1016), "1016 B");
  EXPECT_EQ(sizeStr(1024), "1 KiB");
  EXPECT_EQ(sizeStr(1000 * 1024), "1000 KiB");
  EXPECT_EQ(sizeStr(2000), "1.953 KiB");
  EXPECT_EQ(sizeStr(BigInt(5) << 20), "5 MiB");
  EXPECT_EQ(sizeStr(BigInt(11) << 60), "11 EiB");
  EXPECT_EQ(sizeStr(BigInt(50000) << 70), "5e+04 ZiB");
}

TEST(LotusFormat, DeciStrAndPercent) {
  EXPECT_EQ(deciStr(0), "0 B");
  EXPECT_EQ(deciStr(2048), "2 Ki");
  EXPECT_EQ(deciStr(BigInt(3) << 29), "1.5 Gi");
  // Go's %.3g switches to an exponent from 1000 on, and the unitless step
  // leaves the trailing space: Lotus prints this too.
  EXPECT_EQ(deciStr(1000), "1e+03 ");
  EXPECT_DOUBLE_EQ(percentOf(1, 4), 25.0);
  EXPECT_DOUBLE_EQ(percentOf(5, 0), 0.0);
}

TEST(LotusFormat, GoDurations) {
  EXPECT_EQ(goDuration(0s), "0s");
  EXPECT_EQ(goDuration(1500ms), "1.5s");
  EXPECT_EQ(goDuration(60s), "1m0s");
  EXPECT_EQ(goDuration(3725s), "1h2m5s");
}

TEST(LotusFormat, Durafmt) {
  EXPECT_EQ(durafmt(1s), "1 second");
  EXPECT_EQ(durafmt(40s), "40 seconds");
  EXPECT_EQ(durafmt(0s), "0 seconds");
  EXPECT_EQ(durafmt(90061s), "1 day 1 hour 1 minute 1 second");
  EXPECT_EQ(durafmt(90061s, 2), "1 day 1 hour");
  EXPECT_EQ(durafmt(std::chrono::hours(24 * 8 + 1), 2), "1 week 1 day");
  EXPECT_EQ(durafmt(std::chrono::hours(24 * 366), 2), "1 year 1 day");
  EXPECT_EQ(durafmt(1500us), "1 millisecond 500 microseconds");
}

TEST(LotusFormat, EpochTime) {
  EXPECT_EQ(epochTime(100, 100, 4), "100 (now)");
  EXPECT_EQ(epochTime(110, 100, 4), "100 (40 seconds ago)");
  EXPECT_EQ(epochTime(100, 130, 4), "130 (in 2 minutes)");
  EXPECT_EQ(epochTime(100, 1000, 30), "1000 (in 7 hours 30 minutes)");
  EXPECT_EQ(epochTime(100, 1001, 30), "1001 (in 7 hours 30 minutes)");  // LimitFirstN(2) drops the 30 seconds
}

TEST_F(LocalTimeIsUtc, GoTimes) {
  EXPECT_EQ(goStamp(1700000000), "Nov 14 22:13:20");
  EXPECT_EQ(goStamp(1699000000), "Nov  3 08:26:40");  // Go's _2: a space-padded day
  EXPECT_EQ(goUtcTime(at(1700000000) + 700ms), "2023-11-14 22:13:20 +0000 UTC");
}

TEST(LotusFormat, CidList) {
  const auto a = cid::Cid::compute(cid::Codec::kDagCbor, asBytes("a"));
  const auto b = cid::Cid::compute(cid::Codec::kDagCbor, asBytes("b"));
  EXPECT_EQ(cidList({}), "[]");
  EXPECT_EQ(cidList({a, b}), "[" + a.toString() + " " + b.toString() + "]");
}

TEST(LotusFormat, TableWriterPadsEveryColumnAndSkipsUnusedOnes) {
  TableWriter table({TableWriter::col("Address"), TableWriter::col("ID"), TableWriter::col("Balance"),
                     TableWriter::col("Nonce"), TableWriter::col("Default"), TableWriter::newLineCol("Error")});
  table.write({{"Address", "f01234"}, {"Balance", "1 FIL"}, {"Nonce", "0"}, {"Default", "X"}});
  table.write({{"Address", "f1abcdefghij"}, {"Balance", "0.5 FIL"}, {"Nonce", "12"}});
  table.write({{"Address", "f0999"}, {"Error", "boom"}});
  table.write({{"Extra", "μ"}});  // an undeclared column is appended; widths count runes
  EXPECT_EQ(table.flush(),
            "Address       Balance  Nonce  Default  Extra  \n"
            "f01234        1 FIL    0      X               \n"
            "f1abcdefghij  0.5 FIL  12                     \n"
            "f0999                                         \n"
            "  Error: boom\n"
            "                                       μ      \n");
}

TEST(LotusFormat, EtaFromTheFallOfRemainingWork) {
  Eta eta(10);
  EXPECT_EQ(eta.update(100, at(0)), "");
  EXPECT_EQ(eta.update(90, at(1)), "00h:00m:09s");  // 10 items a second, 90 left
  EXPECT_EQ(eta.update(90, at(2)), "00h:00m:09s");  // unchanged: the last estimate
  EXPECT_EQ(eta.update(0, at(10)), "00h:00m:00s");
  Eta slow(10);
  EXPECT_EQ(slow.update(7200, at(0)), "");
  EXPECT_EQ(slow.update(7199, at(1)), "01h:59m:59s");
}

TEST(LotusFormat, SyncStatusAsLotusTest) {
  // cli/sync_test.go TestSyncStatus, checked in full.
  const auto ts1 = tipSet(0, {cid::Cid::compute(cid::Codec::kDagCbor, asBytes("genesis parent"))});
  const auto ts2 = tipSet(1, ts1.cids());
  api::SyncState state;
  api::ActiveSync s;
  s.worker_id = 1;
  s.base = ts1;
  s.target = ts2;
  s.stage = api::SyncStage::kMessages;
  s.height = 0;
  s.start = api::Timestamp{at(1000)};
  s.end = api::Timestamp{at(1060)};
  s.message = "whatever";
  state.active_syncs.push_back(s);
  EXPECT_EQ(syncStatusText(state, at(5000)), "sync status:\n"
                                             "worker 1:\n"
                                             "\tBase:\t[" + ts1.cids()[0].toString() + "]\n"
                                             "\tTarget:\t[" + ts2.cids()[0].toString() + "] (1)\n"
                                             "\tHeight diff:\t1\n"
                                             "\tStage: message sync\n"
                                             "\tHeight: 0\n"
                                             "\tElapsed: 1m0s\n");

  // Still running: elapsed up to now. Errored: the message. No base or
  // target: empty lists and no difference.
  api::ActiveSync running;
  running.worker_id = 2;
  running.stage = api::SyncStage::kSyncErrored;
  running.height = 7;
  running.start = api::Timestamp{at(1000)};
  running.message = "bad block";
  state.active_syncs = {running};
  EXPECT_EQ(syncStatusText(state, at(1002) + 500ms), "sync status:\n"
                                                     "worker 2:\n"
                                                     "\tBase:\t[]\n"
                                                     "\tTarget:\t[] (0)\n"
                                                     "\tHeight diff:\t0\n"
                                                     "\tStage: error\n"
                                                     "\tHeight: 7\n"
                                                     "\tElapsed: 2.5s\n"
                                                     "\tError: bad block\n");
}

TEST_F(LocalTimeIsUtc, ChainListLine) {
  const auto ts = tipSet(3, {cid::Cid::compute(cid::Codec::kDagCbor, asBytes("p"))});
  const std::string block = ts.cids()[0].toString();
  const std::string miner = primitives::Address::id(1000).toString();
  EXPECT_EQ(formatTipSet("<epoch>: (<time>) <blocks>", ts), "3: (Nov 14 22:13:32) [ " + block + ": " + miner + ", ]");
  EXPECT_EQ(formatTipSet("<height> <tipset> <weight>", ts), "3 " + block + " 45");
  EXPECT_EQ(formatTipSet("<json_tipset>", ts).substr(0, 9), "{\"Cids\":[");
}

TEST(LotusFormat, TipSetRefs) {
  EXPECT_EQ(parseTipSetRef("")->kind, TipSetRef::Kind::kHead);
  EXPECT_EQ(parseTipSetRef("@head")->kind, TipSetRef::Kind::kHead);
  const auto at_height = parseTipSetRef("@120");
  ASSERT_TRUE(at_height);
  EXPECT_EQ(at_height->kind, TipSetRef::Kind::kHeight);
  EXPECT_EQ(at_height->height, 120);
  const auto a = cid::Cid::compute(cid::Codec::kDagCbor, asBytes("a"));
  const auto b = cid::Cid::compute(cid::Codec::kDagCbor, asBytes("b"));
  const auto key = parseTipSetRef(a.toString() + ", " + b.toString());
  ASSERT_TRUE(key) << key.error().message();
  EXPECT_EQ(key->kind, TipSetRef::Kind::kKey);
  EXPECT_EQ(key->key, chain::TipSetKey({a, b}));
  EXPECT_FALSE(parseTipSetRef("@"));
  EXPECT_FALSE(parseTipSetRef("@-1"));
  EXPECT_FALSE(parseTipSetRef("@12x"));
  EXPECT_FALSE(parseTipSetRef("notacid"));
  EXPECT_FALSE(parseTipSetRef(a.toString() + ","));
  EXPECT_NE(parseTipSetRef("@x").error().message().find("@x"), std::string::npos);
}

}  // namespace
}  // namespace fil::cli
