// The full node on a devnet as an operator runs it, with the real binaries
// on loopback in temporary directories: lotus-seed makes a 2 KiB genesis
// miner, `lotus daemon` starts from it, the block production library
// (driven by this test over the daemon's API) mines with real elections and
// winning PoSts, FIL moves between wallets, a reorg happens, the daemon is
// killed with SIGKILL mid-run and resumes, eight clients push at once, and
// a backup restores into a fresh repo with the same head and balances.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <memory>
#include <set>
#include <thread>

#include "fil/api/full_node_client.h"
#include "fil/api/full_node_json.h"
#include "fil/chain/network.h"
#include "fil/mining/block_producer.h"
#include "fil/rpc/api_info.h"
#include "fil/rpc/client.h"
#include "fil/testing/paths.h"
#include "fil/testing/process.h"

namespace fil {
namespace {

using primitives::Address;
using primitives::kFilecoinPrecision;
using testing::BackgroundProcess;
using testing::CommandRun;

// What `lotus daemon --network=test-devnet` runs.
const chain::NetworkParams& net() { return chain::fastDevnetParams(); }

uint64_t unixNow() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

// One connection to a daemon's API.
struct Connection {
  std::unique_ptr<rpc::Client> client;
  std::unique_ptr<api::FullNodeClient> api;
};

class FullNodeDevnetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(backups());
    auto pre = run("lotus-seed", "--sector-dir gs pre-seal --sector-size 2KiB --num-sectors 2 --miner-addr t01000");
    ASSERT_EQ(pre.exit_code, 0) << pre.out;
    ASSERT_EQ(run("lotus-seed", "genesis new localnet.json").exit_code, 0);
    auto added = run("lotus-seed", "genesis add-miner localnet.json gs/pre-seal-t01000.json");
    ASSERT_EQ(added.exit_code, 0) << added.out;
  }

  std::filesystem::path repo() const { return dir_.path() / "lotus"; }
  std::filesystem::path backups() const { return dir_.path() / "backups"; }

  std::string env(const std::filesystem::path& repo_path) const {
    return "cd " + dir_.path().string() + " && LOTUS_PATH=" + repo_path.string() +
           " LOTUS_BACKUP_BASE_PATH=" + backups().string() + " ";
  }
  CommandRun run(const std::string& binary, const std::string& args) const {
    return runIn(repo(), binary, args);
  }
  CommandRun runIn(const std::filesystem::path& repo_path, const std::string& binary, const std::string& args) const {
    return testing::runCommand(env(repo_path) + std::string(FIL_BIN_DIR) + "/" + binary + " " + args);
  }

  std::unique_ptr<BackgroundProcess> startDaemon(const std::filesystem::path& repo_path, const std::string& args,
                                                 const std::string& log) {
    auto daemon = std::make_unique<BackgroundProcess>(
        env(repo_path) + "exec " + std::string(FIL_BIN_DIR) + "/lotus daemon --network=test-devnet --api 0 " + args,
        dir_.path() / log);
    EXPECT_TRUE(daemon->waitFor("API on", std::chrono::seconds(60))) << daemon->output();
    return daemon;
  }

  static Connection connect(const std::filesystem::path& repo_path) {
    Connection c;
    auto info = rpc::apiInfoFromRepo(repo_path);
    EXPECT_TRUE(info) << info.error().message();
    if (!info) return c;
    auto client = rpc::Client::connect(*info);
    EXPECT_TRUE(client) << client.error().message();
    if (!client) return c;
    c.client = std::move(*client);
    c.api = std::make_unique<api::FullNodeClient>(*c.client);
    return c;
  }

  std::unique_ptr<mining::BlockProducer> producer(api::FullNodeApi& node) const {
    return std::make_unique<mining::BlockProducer>(node, mining::ProducerConfig{.miner = miner_, .network = &net()},
                                                   mining::localWinningProver(dir_.path() / "gs"));
  }

  // Runs the production loop until the head is `blocks` blocks higher.
  static void mineBlocks(api::FullNodeApi& node, mining::BlockProducer& p, int blocks) {
    const auto start = node.chainHead()->height();
    p.start();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (node.chainHead()->height() < start + blocks && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    p.stop();
    EXPECT_GE(node.chainHead()->height(), start + blocks) << p.stats().last_error;
  }

  // Submits `block` once its time has come (earlier, the node refuses it as from the future).
  static void submitWhenDue(api::FullNodeApi& node, const chain::BlockMsg& block) {
    while (unixNow() < block.header.timestamp) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto submitted = node.syncSubmitBlock(block);
    ASSERT_TRUE(submitted) << submitted.error().message();
  }

  primitives::SignedMessage send(api::FullNodeApi& node, const Address& from, const Address& to,
                                 const primitives::TokenAmount& value) {
    primitives::Message m;
    m.from = from;
    m.to = to;
    m.value = value;
    auto pushed = node.mpoolPushMessage(m, std::nullopt);
    EXPECT_TRUE(pushed) << pushed.error().message();
    return pushed ? *pushed : primitives::SignedMessage{};
  }

  testing::TempDir dir_;
  Address miner_ = Address::id(1000);
};

TEST_F(FullNodeDevnetTest, MinesSendsReorgsSurvivesSigkillAndRestoresABackup) {
  auto daemon = startDaemon(repo(), "--lotus-make-genesis=devgen.car --genesis-template=localnet.json", "d1.log");
  auto conn = connect(repo());
  ASSERT_TRUE(conn.api);
  api::FullNodeApi& node = *conn.api;

  // The worker key goes into the node's wallet, as Lotus's devnet guide says.
  auto imported = run("lotus", "wallet import --as-default gs/pre-seal-t01000.key");
  ASSERT_EQ(imported.exit_code, 0) << imported.out;
  auto worker = node.walletDefaultAddress();
  ASSERT_TRUE(worker) << worker.error().message();
  EXPECT_NE(imported.out.find(worker->toString()), std::string::npos) << imported.out;

  // ---- mining through the API ----
  auto miner = producer(node);
  mineBlocks(node, *miner, 3);
  const auto head = *node.chainHead();
  const auto block = *node.chainGetBlock(head.cids()[0]);
  EXPECT_EQ(block.miner, miner_);
  EXPECT_FALSE(block.win_post_proof.empty());
  EXPECT_GE(block.election_proof->win_count, 1);

  // ---- a wallet sends FIL; the message is executed ----
  const Address alice = *node.walletNew("secp256k1");
  const auto sent = send(node, *worker, alice, kFilecoinPrecision * 10);
  miner->start();
  auto looked = node.stateWaitMsg(sent.cid(), 1, -1, true);
  miner->stop();
  ASSERT_TRUE(looked) << looked.error().message();
  EXPECT_EQ(looked->receipt.exit_code, chain::ExitCode::kOk);
  EXPECT_EQ(*node.walletBalance(alice), kFilecoinPrecision * 10);
  // The CLI sees the same: the balance, the head, and (with Lotus's 5
  // confirmations, so the chain must advance) the execution.
  auto balance = run("lotus", "wallet balance " + alice.toString());
  EXPECT_EQ(balance.exit_code, 0) << balance.out;
  EXPECT_EQ(balance.out.rfind("10 FIL", 0), 0u) << balance.out;
  auto cli_head = run("lotus", "chain head");
  EXPECT_NE(cli_head.out.find(node.chainHead()->cids()[0].toString()), std::string::npos) << cli_head.out;
  miner->start();
  auto waited = run("lotus", "state wait-msg --timeout 2m " + sent.cid().toString());
  EXPECT_EQ(waited.exit_code, 0) << waited.out;
  EXPECT_NE(waited.out.find("Exit Code: 0"), std::string::npos) << waited.out;
  // `lotus send` from the default wallet, confirmed by `lotus state wait-msg`.
  auto cli_send = run("lotus", "send " + alice.toString() + " 0.5");
  ASSERT_EQ(cli_send.exit_code, 0) << cli_send.out;
  std::string send_cid = cli_send.out;  // the last line is the message CID
  while (!send_cid.empty() && send_cid.back() == '\n') send_cid.pop_back();
  send_cid = send_cid.substr(send_cid.find_last_of('\n') + 1);
  auto cli_waited = run("lotus", "state wait-msg --timeout 2m " + send_cid);
  miner->stop();
  EXPECT_EQ(cli_waited.exit_code, 0) << cli_waited.out;
  EXPECT_NE(cli_waited.out.find("Exit Code: 0"), std::string::npos) << cli_waited.out;
  EXPECT_EQ(cli_waited.out.find("replaced"), std::string::npos) << cli_waited.out;

  // ---- a reorg: two blocks at one height on different parents; the heavier chain wins ----
  auto notify = node.chainNotify();
  ASSERT_TRUE(notify) << notify.error().message();
  auto current = notify->next(std::chrono::seconds(10));
  ASSERT_TRUE(current && current->size() == 1 && (*current)[0].type == api::HeadChangeType::kCurrent);
  bool reorged = false;
  for (int attempt = 0; attempt < 5 && !reorged; ++attempt) {
    const auto p = *node.chainHead();
    // A1 on P at the next epoch, A2 on A1 and B on P at the same later epoch.
    auto a1 = miner->mineOne(p, p.height() + 1);
    ASSERT_TRUE(a1) << a1.error().message();
    if (!*a1) continue;
    const chain::ChainEpoch fork_epoch = p.height() + 2;
    auto b = miner->mineOne(p, fork_epoch);
    ASSERT_TRUE(b) << b.error().message();
    if (!*b) continue;
    submitWhenDue(node, **a1);
    auto a1_ts = *node.chainGetTipSet(chain::TipSetKey({(*a1)->cid()}));
    auto a2 = miner->mineOne(a1_ts, fork_epoch);
    ASSERT_TRUE(a2) << a2.error().message();
    if (!*a2) continue;
    // A1 is the head; B weighs about as much as A1 (one block on P each),
    // so B may or may not take the head (their tickets break a tie). A2,
    // on A1, then outweighs B.
    submitWhenDue(node, **b);
    const auto after_b = *node.chainHead();
    submitWhenDue(node, **a2);
    const auto final_head = *node.chainHead();
    EXPECT_EQ(final_head.cids(), std::vector<cid::Cid>{(*a2)->cid()});
    EXPECT_EQ(final_head.height(), fork_epoch);
    // The competing block B at the same height is not on the chain.
    auto at_fork = node.chainGetTipSetByHeight(fork_epoch, {});
    ASSERT_TRUE(at_fork);
    EXPECT_EQ(at_fork->cids(), std::vector<cid::Cid>{(*a2)->cid()});
    // Head-change events: A1 applied; if B took the head, it was reverted for A1 and A2.
    std::vector<api::HeadChange> events;
    while (auto batch = notify->next(std::chrono::milliseconds(500))) events.insert(events.end(), batch->begin(), batch->end());
    auto saw = [&](api::HeadChangeType type, const cid::Cid& c) {
      return std::any_of(events.begin(), events.end(), [&](const api::HeadChange& e) {
        return e.type == type && e.val.cids() == std::vector<cid::Cid>{c};
      });
    };
    EXPECT_TRUE(saw(api::HeadChangeType::kApply, (*a1)->cid()));
    EXPECT_TRUE(saw(api::HeadChangeType::kApply, (*a2)->cid()));
    if (after_b.cids() == std::vector<cid::Cid>{(*b)->cid()}) {
      EXPECT_TRUE(saw(api::HeadChangeType::kApply, (*b)->cid()));
      EXPECT_TRUE(saw(api::HeadChangeType::kRevert, (*b)->cid()));
      EXPECT_TRUE(saw(api::HeadChangeType::kRevert, (*a1)->cid()));
    }
    reorged = true;
  }
  ASSERT_TRUE(reorged) << "the miner lost too many elections in a row to build the fork";

  // ---- SIGKILL mid-run: nothing executed or pending is lost ----
  miner->start();
  const auto paid = send(node, *worker, alice, kFilecoinPrecision * 2);
  ASSERT_TRUE(node.stateWaitMsg(paid.cid(), 1, -1, true));
  miner->stop();
  const auto pending = send(node, *worker, alice, kFilecoinPrecision * 3);  // not mined yet
  const auto before_kill = *node.chainHead();
  const auto alice_before = *node.walletBalance(alice);
  miner->start();  // killed while producing
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  daemon->signal(SIGKILL);
  daemon->wait();
  miner->stop();
  miner.reset();
  conn = {};

  daemon = startDaemon(repo(), "", "d2.log");
  conn = connect(repo());
  ASSERT_TRUE(conn.api);
  api::FullNodeApi& node2 = *conn.api;
  const auto after = *node2.chainHead();
  EXPECT_GE(after.height(), before_kill.height());
  EXPECT_GE(*node2.walletBalance(alice), alice_before);
  auto found = node2.stateSearchMsg({}, paid.cid(), -1, true);
  ASSERT_TRUE(found && found->has_value());
  miner = producer(node2);
  miner->start();
  auto pending_done = node2.stateWaitMsg(pending.cid(), 1, -1, true);  // the pool kept it
  miner->stop();
  ASSERT_TRUE(pending_done) << pending_done.error().message();
  EXPECT_EQ(*node2.walletBalance(alice), kFilecoinPrecision * 15 + kFilecoinPrecision / 2);

  // ---- a backup, refused outside LOTUS_BACKUP_BASE_PATH, restored into a fresh repo ----
  std::filesystem::create_directories(dir_.path() / "elsewhere");
  std::filesystem::create_directory_symlink(dir_.path() / "elsewhere", backups() / "link");
  for (const std::string escape : {backups().string() + "/../outside.cbor", backups().string() + "/link/x.cbor"}) {
    auto refused = run("lotus", "backup " + escape);
    EXPECT_NE(refused.exit_code, 0) << refused.out;
    EXPECT_NE(refused.out.find("must be inside base path"), std::string::npos) << refused.out;
  }
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "outside.cbor"));
  EXPECT_TRUE(std::filesystem::is_empty(dir_.path() / "elsewhere"));
  const auto backup_file = backups() / "lotus.cbor";
  auto backed_up = run("lotus", "backup " + backup_file.string());
  ASSERT_EQ(backed_up.exit_code, 0) << backed_up.out;
  EXPECT_NE(backed_up.out.find("Success"), std::string::npos);
  auto again = run("lotus", "backup " + backup_file.string());
  EXPECT_NE(again.exit_code, 0) << "a backup never overwrites";

  const auto backup_head = *node2.chainHead();
  const auto worker_balance = *node2.walletBalance(*worker);
  const auto alice_balance = *node2.walletBalance(alice);
  conn = {};
  ASSERT_EQ(run("lotus", "daemon stop").exit_code, 0);
  EXPECT_EQ(daemon->wait(), 0) << daemon->output();

  const auto restored_repo = dir_.path() / "restored";
  auto restored = startDaemon(restored_repo, "--restore " + backup_file.string(), "d3.log");
  EXPECT_NE(restored->output().find("restored"), std::string::npos) << restored->output();
  auto conn3 = connect(restored_repo);
  ASSERT_TRUE(conn3.api);
  EXPECT_EQ(conn3.api->chainHead()->key(), backup_head.key());
  EXPECT_EQ(*conn3.api->walletBalance(*worker), worker_balance);
  EXPECT_EQ(*conn3.api->walletBalance(alice), alice_balance);
  conn3 = {};
  ASSERT_EQ(runIn(restored_repo, "lotus", "daemon stop").exit_code, 0);
  EXPECT_EQ(restored->wait(), 0) << restored->output();
}

// Eight API clients push 500 messages each, from their own sender and a
// shared one, while blocks are being mined: every message lands, in nonce
// order, none lost or duplicated.
TEST_F(FullNodeDevnetTest, EightClientsPushConcurrentlyAndEveryMessageLands) {
  auto daemon = startDaemon(repo(), "--lotus-make-genesis=devgen.car --genesis-template=localnet.json", "d1.log");
  auto conn = connect(repo());
  ASSERT_TRUE(conn.api);
  api::FullNodeApi& node = *conn.api;
  ASSERT_EQ(run("lotus", "wallet import --as-default gs/pre-seal-t01000.key").exit_code, 0);
  const Address worker = *node.walletDefaultAddress();

  constexpr int kClients = 8;
  constexpr int kOwn = 400;     // from the client's own sender
  constexpr int kShared = 100;  // from the shared one: 800 pending at most, under the 1000 per sender
  std::vector<Address> senders;
  std::vector<primitives::SignedMessage> funding;
  for (int i = 0; i <= kClients; ++i) {
    senders.push_back(*node.walletNew("secp256k1"));
    funding.push_back(send(node, worker, senders.back(), kFilecoinPrecision * 100));
  }
  const Address shared = senders.back();
  auto miner = producer(node);
  miner->start();
  for (const auto& f : funding) ASSERT_TRUE(node.stateWaitMsg(f.cid(), 0, -1, true));

  std::mutex mutex;
  std::vector<primitives::SignedMessage> pushed;
  std::atomic<int> failures{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      auto c = connect(repo());
      if (!c.api) {
        failures += kOwn + kShared;
        return;
      }
      for (int k = 0; k < kOwn + kShared; ++k) {
        primitives::Message m;
        m.from = k % 5 == 4 ? shared : senders[i];
        m.to = worker;
        m.value = 1;
        auto r = c.api->mpoolPushMessage(m, std::nullopt);
        if (!r) {
          ++failures;
          continue;
        }
        std::lock_guard lock(mutex);
        pushed.push_back(std::move(*r));
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_EQ(pushed.size(), static_cast<size_t>(kClients * (kOwn + kShared)));

  // Nonces per sender are exactly 0..n-1.
  std::map<Address, std::set<uint64_t>> nonces;
  for (const auto& m : pushed) EXPECT_TRUE(nonces[m.message.from].insert(m.message.nonce).second);
  for (int i = 0; i < kClients; ++i) {
    ASSERT_EQ(nonces[senders[i]].size(), static_cast<size_t>(kOwn));
    EXPECT_EQ(*nonces[senders[i]].rbegin(), static_cast<uint64_t>(kOwn - 1));
  }
  ASSERT_EQ(nonces[shared].size(), static_cast<size_t>(kClients * kShared));
  EXPECT_EQ(*nonces[shared].rbegin(), static_cast<uint64_t>(kClients * kShared - 1));

  // All of them are executed on chain.
  for (const auto& m : pushed) {
    auto r = node.stateWaitMsg(m.cid(), 0, -1, true);
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->receipt.exit_code, chain::ExitCode::kOk);
  }
  miner->stop();
  EXPECT_EQ(node.stateGetActor(shared, {})->nonce, static_cast<uint64_t>(kClients * kShared));
}

}  // namespace
}  // namespace fil
