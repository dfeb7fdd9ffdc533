// `lotus mpool ...`, `lotus sync ...`, `lotus net id` and `lotus info`
// against a served test node.
#include "command_test_support.h"

namespace fil::cli::testing {
namespace {

SignedMessage pendingMessage(Address from, Address to, uint64_t nonce, TokenAmount fee_cap, int64_t gas_limit,
                             uint64_t method = 0) {
  return {{0, to, from, nonce, 1, gas_limit, fee_cap, 1, method, {}},
          {primitives::SignatureType::kSecp256k1, Bytes(65, static_cast<uint8_t>(nonce))}};
}

class MpoolTest : public CommandTest {
 protected:
  void SetUp() override {
    CommandTest::SetUp();
    std::lock_guard lock(node_.mutex);
    node_.grow();
    node_.grow();
    node_.grow();
    local_ = node_.addKey();
    remote_ = *primitives::addressOf(primitives::newSecp256k1Key());
    node_.actors[local_] = vm::Actor{vm::codeCid(vm::ActorType::kAccount), cidOf("a"), 2, fil(1), std::nullopt};
    node_.pending = {pendingMessage(local_, Address::id(1001), 1, 101, 10),
                     pendingMessage(local_, Address::id(1002), 2, 99, 20, 5),
                     pendingMessage(local_, Address::id(1001), 3, 200, 30),
                     pendingMessage(local_, Address::id(1001), 5, 200, 40),
                     pendingMessage(remote_, Address::id(1001), 0, 200, 50)};
  }
  std::vector<SignedMessage> pending() {
    std::lock_guard lock(node_.mutex);
    return node_.pending;
  }
  Address local_;
  Address remote_;
};

TEST_F(MpoolTest, PendingPrintsEachMessageAsJson) {
  const auto messages = pending();
  ASSERT_EQ(run({"mpool", "pending"}), "");
  std::string expected;
  for (const auto& m : messages) expected += codec::toJson(m).dump(2) + "\n";
  EXPECT_EQ(output(), expected);
  EXPECT_NE(output().find("\"CID\": {"), std::string::npos);

  ASSERT_EQ(run({"mpool", "pending", "--cids", "--from", remote_.toString()}), "");
  EXPECT_EQ(output(), messages[4].cid().toString() + "\n");
  ASSERT_EQ(run({"mpool", "pending", "--cids", "--local", "--to", "t01001"}), "");
  EXPECT_EQ(output(), messages[0].cid().toString() + "\n" + messages[2].cid().toString() + "\n" +
                          messages[3].cid().toString() + "\n");
  EXPECT_NE(run({"mpool", "pending", "--to", "x"}).find("given 'to' address \"x\" was invalid"), std::string::npos);
}

TEST_F(MpoolTest, FindFiltersIntoOneJsonList) {
  const auto messages = pending();
  ASSERT_EQ(run({"mpool", "find", "--from", local_.toString(), "--method", "5"}), "");
  EXPECT_EQ(output(), codec::toJson(std::vector<SignedMessage>{messages[1]}).dump(2) + "\n");
  ASSERT_EQ(run({"mpool", "find", "--to", "t09999"}), "");
  EXPECT_EQ(output(), "null\n");  // Go's nil slice
}

TEST_F(MpoolTest, StatCountsNoncesAndLowFeeCaps) {
  // Head base fee 102, lowest over the lookback 100 (genesis); the local
  // sender's nonce is 2: nonce 1 is past, 2 and 3 current, 5 future.
  ASSERT_EQ(run({"mpool", "stat"}), "");
  EXPECT_EQ(output(), remote_.toString() + ", err: actor " + remote_.toString() + " not found\n" + local_.toString() +
                          ": Nonce past: 1, cur: 2, future: 1; FeeCap cur: 2, min-60: 1, gasLimit: 100\n"
                          "-----\n"
                          "total: Nonce past: 1, cur: 2, future: 1; FeeCap cur: 2, min-60: 1, gasLimit: 100\n");
  ASSERT_EQ(run({"mpool", "stat", "--local", "--basefee-lookback", "1"}), "");
  EXPECT_EQ(output(), local_.toString() +
                          ": Nonce past: 1, cur: 2, future: 1; FeeCap cur: 2, min-1: 1, gasLimit: 100\n"
                          "-----\n"
                          "total: Nonce past: 1, cur: 2, future: 1; FeeCap cur: 2, min-1: 1, gasLimit: 100\n");
}

class NodeTest : public CommandTest {
 protected:
  void SetUp() override {
    CommandTest::SetUp();
    std::lock_guard lock(node_.mutex);
    node_.grow();
    node_.grow();
    node_.grow();
    api::ActiveSync s;
    s.worker_id = 0;
    s.base = node_.chain[0];
    s.target = node_.chain[2];
    s.stage = api::SyncStage::kSyncComplete;
    s.height = 2;
    s.start = api::Timestamp{TimePoint(std::chrono::seconds(kGenesisTime))};
    s.end = api::Timestamp{TimePoint(std::chrono::seconds(kGenesisTime)) + std::chrono::milliseconds(1500)};
    node_.sync.active_syncs = {s};
    node_.sync.vm_applied = 40;
  }
};

TEST_F(NodeTest, SyncStatus) {
  ASSERT_EQ(run({"sync", "status"}), "");
  EXPECT_EQ(output(), "sync status:\nworker 0:\n\tBase:\t[" + node_.chain[0].cids()[0].toString() +
                          "]\n\tTarget:\t[" + node_.chain[2].cids()[0].toString() +
                          "] (2)\n\tHeight diff:\t2\n\tStage: complete\n\tHeight: 2\n\tElapsed: 1.5s\n");
}

TEST_F(NodeTest, SyncWaitWhenTheHeadIsRecent) {
  setNowAfterHead(3);
  ASSERT_EQ(run({"sync", "wait"}), "");
  EXPECT_EQ(output(), "Worker: 0; Base: 0; Target: 2 (diff: 2)\n"
                      "State: complete; Current Epoch: 2; Todo: 0, ETA: \n"
                      "\nDone!\n");
  EXPECT_EQ(sleeps_, 0);
}

TEST_F(NodeTest, SyncWaitPollsUntilTheHeadCatchesUp) {
  // Five seconds behind (more than a block time) until the node moves on
  // to height 3 at the second look at the head.
  setNowAfterHead(5);
  node_.on_head = [](TestFullNode& node) {
    if (node.head_calls == 2) {
      node.grow();
      node.sync.vm_applied = 48;
    }
  };
  ASSERT_EQ(run({"sync", "wait"}), "");
  EXPECT_EQ(output(), "Worker: 0; Base: 0; Target: 2 (diff: 2)\n"
                      "State: complete; Current Epoch: 2; Todo: 0, ETA: \n"
                      "\r\x1b[2K\x1b[A\r\x1b[2K\x1b[A"
                      "Worker: 0; Base: 0; Target: 2 (diff: 2)\n"
                      "State: complete; Current Epoch: 2; Todo: 0, ETA: \n"
                      "Validated 0 messages (0 per second)\n"
                      "\nDone!\n");
  EXPECT_EQ(sleeps_, 1);
}

TEST_F(NodeTest, SyncWaitWatchKeepsGoingWhenSynced) {
  setNowAfterHead(1);
  node_.sync.active_syncs.clear();  // a node with no sync workers
  node_.sync_fails_after = 4;
  EXPECT_EQ(run({"sync", "wait", "--watch"}), "node stopped");
  EXPECT_EQ(output().find("Done!"), std::string::npos);
  EXPECT_EQ(sleeps_, 3);
  EXPECT_EQ(output(), "Validated 0 messages (0 per second)\n\r\x1b[2K\x1b[AValidated 0 messages (0 per second)\n");
}

TEST_F(NodeTest, SyncWaitWithoutWorkersEndsOnTheHead) {
  setNowAfterHead(1);
  node_.sync.active_syncs.clear();
  ASSERT_EQ(run({"sync", "wait"}), "");
  EXPECT_EQ(output(), "\nDone!\n");
}

TEST_F(NodeTest, NetIdSaysWhatTheNodeSays) {
  EXPECT_EQ(run({"net", "id"}), "libp2p host is not running");
  EXPECT_EQ(run({"net", "peers"}),
            "'net peers' is not built yet in this version (issue 8, the full node; see docs/status.md)");
}

TEST_F(NodeTest, WaitApi) {
  ASSERT_EQ(run({"wait-api"}), "");
  EXPECT_EQ(output(), "");
  EXPECT_EQ(sleeps_, 0);

  // No node there: one attempt a second until the timeout.
  ctx_.full_node_repo = (dir_.path() / "no-repo").string();
  EXPECT_EQ(run({"wait-api", "--timeout", "3s"}), "timed out waiting for api to come online");
  const std::string line = "Not online yet... (could not determine the API endpoint";
  size_t lines = 0;
  for (size_t at = output().find(line); at != std::string::npos; at = output().find(line, at + 1)) ++lines;
  EXPECT_EQ(lines, 3u);
  EXPECT_EQ(sleeps_, 3);
  EXPECT_NE(run({"wait-api", "--timeout", "soon"}).find("--timeout"), std::string::npos);
}

TEST_F(NodeTest, Info) {
  const auto start = common_->startTime()->time;
  const auto start_s = std::chrono::ceil<std::chrono::seconds>(start.time_since_epoch());
  now_ = TimePoint(start_s + std::chrono::seconds(3725));
  const uint64_t now_s = static_cast<uint64_t>((start_s + std::chrono::seconds(3725)).count());
  Address a1;
  {
    std::lock_guard lock(node_.mutex);
    node_.chain.clear();
    node_.genesis_time = now_s - 10;  // height 2 two seconds before now
    node_.grow();
    node_.grow();
    node_.grow();
    a1 = node_.addKey();
    node_.addKey();
    node_.default_address = a1;
    node_.actors[a1] = vm::Actor{vm::codeCid(vm::ActorType::kAccount), cidOf("a"), 0, fil(3) / 2, std::nullopt};
    node_.market[a1] = api::MarketBalance{fil(2), fil(1) / 2};
  }
  const std::string head = "Network: localnet\nStartTime: 1h2m5s (started at " + goUtcTime(start) + ")\n";
  ASSERT_EQ(run({"info"}), "");
  EXPECT_EQ(output(), head +
                          "Chain: [sync ok] [basefee 102 aFIL] [epoch 2]\n"
                          "\n"
                          "Default address: \n"
                          "      " + a1.toString() + " [1.5 FIL]\n"
                          "\n"
                          "Wallet: 2 addresses\n"
                          "      Total balance: 1.5 FIL\n"
                          "      Market locked: 500 mFIL\n"
                          "      Market available: 2 FIL\n");

  // Ten seconds behind is slow; a hundred, behind.
  now_ += std::chrono::seconds(8);
  ASSERT_EQ(run({"info"}), "");
  EXPECT_NE(output().find("Chain: [sync slow (10s behind)] [basefee 102 aFIL] [epoch 2]\n"), std::string::npos);
  now_ += std::chrono::seconds(90);
  {
    std::lock_guard lock(node_.mutex);
    node_.default_address.reset();
    node_.wallet.pop_back();
  }
  ASSERT_EQ(run({"info"}), "");
  EXPECT_NE(output().find("Chain: [sync behind! (1m40s behind)] [basefee 102 aFIL] [epoch 2]\n"), std::string::npos);
  EXPECT_NE(output().find("\nDefault address: address not set\n\nWallet: 1 address\n"), std::string::npos);
}

}  // namespace
}  // namespace fil::cli::testing
