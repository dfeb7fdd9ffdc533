// `lotus state ...` against a served test node.
#include "command_test_support.h"
#include "fil/cid/multiaddr.h"

namespace fil::cli::testing {
namespace {

const Address kMiner = Address::id(1000);

class StateTest : public CommandTest {
 protected:
  void SetUp() override {
    CommandTest::SetUp();
    std::lock_guard lock(node_.mutex);
    node_.grow();
    node_.grow();
    node_.grow();
    node_.actors[kMiner] = vm::Actor{vm::codeCid(vm::ActorType::kMiner), cidOf("miner head"), 0, fil(10), std::nullopt};
    node_.actors[Address::id(100)] =
        vm::Actor{vm::codeCid(vm::ActorType::kAccount), cidOf("owner head"), 7, fil(1) / 4, Address::id(555)};
    api::MinerInfo info;
    info.owner = Address::id(100);
    info.worker = Address::id(101);
    info.control_addresses = {Address::id(102), Address::id(103)};
    info.beneficiary = info.owner;
    ByteArray<32> seed{};
    seed.fill(3);
    peer_ = net::HostKey::fromEd25519Seed(seed).peerId();
    info.peer_id = peer_;
    info.multiaddrs = {cid::Multiaddr::parse("/ip4/127.0.0.1/tcp/1234")->toBytes()};
    info.sector_size = 2048;
    info.consensus_fault_elapsed = -1;
    node_.miner_infos[kMiner] = info;
    node_.powers[kMiner] = api::MinerPower{{4096, 4096}, {8192, 8192}, true};
    node_.powers[Address()] = api::MinerPower{{0, 0}, {8192, 3 << 29}, false};
    api::DeadlineInfo d;
    d.current_epoch = 2;
    d.period_start = 0;
    d.index = 1;
    d.open = 10;
    d.close = 20;
    d.challenge = 5;
    d.fault_cutoff = 8;
    node_.deadlines[kMiner] = d;
    node_.miners = {kMiner, Address::id(1001)};
  }
  net::PeerId peer_;
};

TEST_F(StateTest, MinerInfo) {
  ASSERT_EQ(run({"state", "miner-info", "t01000"}), "");
  EXPECT_EQ(output(),
            "Available Balance: 5 FIL\n"
            "Owner:\tt0100\n"
            "Worker:\tt0101\n"
            "Control 0: \tt0102\n"
            "Control 1: \tt0103\n"
            "Beneficiary:\tt0100\n"
            "PeerID:\t" + peer_.toString() + "\n"
            "Multiaddrs:\t/ip4/127.0.0.1/tcp/1234 \n"
            "Consensus Fault End:\t-1\n"
            "SectorSize:\t2 KiB (2048)\n"
            "Byte Power:   4 KiB / 8 KiB (50.0000%)\n"
            "Actual Power: 4 Ki / 8 Ki (50.0000%)\n"
            "\n"
            "Proving Period Start:\t0 (8 seconds ago)\n");

  {
    std::lock_guard lock(node_.mutex);
    auto& info = node_.miner_infos[kMiner];
    info.beneficiary = Address::id(200);
    info.beneficiary_term = vm::miner::BeneficiaryTerm{fil(5), fil(1), 900};
    info.pending_beneficiary_term = vm::miner::PendingBeneficiaryChange{Address::id(300), fil(2), 1000, true, false};
    info.peer_id.reset();
    info.multiaddrs.clear();
    info.control_addresses.clear();
  }
  ASSERT_EQ(run({"state", "miner-info", "t01000"}), "");
  EXPECT_EQ(output(),
            "Available Balance: 5 FIL\n"
            "Owner:\tt0100\n"
            "Worker:\tt0101\n"
            "Beneficiary:\tt0200\n"
            "Beneficiary Quota:\t5000000000000000000\n"
            "Beneficiary Used Quota:\t1000000000000000000\n"
            "Beneficiary Expiration:\t900\n"
            "Pending Beneficiary Term:\n"
            "New Beneficiary:\tt0300\n"
            "New Quota:\t2000000000000000000\n"
            "New Expiration:\t1000\n"
            "Approved By Beneficiary:\ttrue\n"
            "Approved By Nominee:\tfalse\n"
            "PeerID:\t<nil>\n"
            "Multiaddrs:\t\n"
            "Consensus Fault End:\t-1\n"
            "SectorSize:\t2 KiB (2048)\n"
            "Byte Power:   4 KiB / 8 KiB (50.0000%)\n"
            "Actual Power: 4 Ki / 8 Ki (50.0000%)\n"
            "\n"
            "Proving Period Start:\t0 (8 seconds ago)\n");
  EXPECT_EQ(run({"state", "miner-info", "t09999"}), "actor t09999 not found");
}

TEST_F(StateTest, Power) {
  ASSERT_EQ(run({"state", "power"}), "");
  EXPECT_EQ(output(), "1610612736(1.5 GiB)\n");
  ASSERT_EQ(run({"state", "power", "t01000"}), "");
  EXPECT_EQ(output(), "4096(4 KiB) / 8192(8 KiB) ~= 50.0000%\n");
  EXPECT_EQ(run({"state", "power", "t0100"}), "provided address does not correspond to a miner actor");
}

TEST_F(StateTest, ListMiners) {
  ASSERT_EQ(run({"state", "list-miners"}), "");
  EXPECT_EQ(output(), "t01000\nt01001\n");
  const auto deal = [](Address provider, int64_t sector_start) {
    api::MarketDeal d;
    d.proposal.provider = provider;
    d.proposal.piece_cid = cidOf("piece");
    d.state.sector_start_epoch = sector_start;
    return d;
  };
  {
    std::lock_guard lock(node_.mutex);
    node_.deals = {{1, deal(kMiner, -1)}, {2, deal(Address::id(1001), 5)}, {3, deal(Address::id(1001), 6)}};
  }
  ASSERT_EQ(run({"state", "list-miners", "--sort-by", "num-deals"}), "");
  EXPECT_EQ(output(), "t01001 2\nt01000 0\n");
  EXPECT_EQ(run({"state", "list-miners", "--sort-by", "power"}), "unrecognized sorting order");
}

TEST_F(StateTest, GetActorLookupAndSectorSize) {
  ASSERT_EQ(run({"state", "get-actor", "t0100"}), "");
  EXPECT_EQ(output(), "Address:\tt0100\n"
                      "Balance:\t0.25 FIL\n"
                      "Nonce:\t\t7\n"
                      "Code:\t\t" + vm::codeCid(vm::ActorType::kAccount).toString() + " (fil/12/account)\n"
                      "Head:\t\t" + cidOf("owner head").toString() + "\n"
                      "Delegated address:\t\tt0555\n");
  ASSERT_EQ(run({"state", "get-actor", "t01000"}), "");
  EXPECT_NE(output().find(" (fil/12/storageminer)\n"), std::string::npos);

  const auto key = primitives::newSecp256k1Key();
  const Address account = *primitives::addressOf(key);
  {
    std::lock_guard lock(node_.mutex);
    node_.id_addresses[account] = Address::id(100);
    node_.account_keys[Address::id(100)] = account;
  }
  ASSERT_EQ(run({"state", "lookup", account.toString()}), "");
  EXPECT_EQ(output(), "t0100\n");
  ASSERT_EQ(run({"state", "lookup", "-r", "t0100"}), "");
  EXPECT_EQ(output(), account.toString() + "\n");
  ASSERT_EQ(run({"state", "lookup", "--reverse", "t0100"}), "");
  EXPECT_EQ(output(), account.toString() + "\n");

  ASSERT_EQ(run({"state", "sector-size", "t01000"}), "");
  EXPECT_EQ(output(), "2 KiB (2048)\n");
}

TEST_F(StateTest, TipsetFlagPicksTheState) {
  ASSERT_EQ(run({"state", "network-version"}), "");
  EXPECT_EQ(output(), "Network Version: 21\n");
  EXPECT_EQ(node_.last_key, node_.chain[2].key());
  ASSERT_EQ(run({"state", "--tipset", "@1", "network-version"}), "");
  EXPECT_EQ(node_.last_key, node_.chain[1].key());
  ASSERT_EQ(run({"state", "--tipset", node_.chain[0].cids()[0].toString(), "sector-size", "t01000"}), "");
  EXPECT_EQ(node_.last_key, node_.chain[0].key());
  ASSERT_EQ(run({"state", "network-version", "--tipset", "@0"}), "");  // after the subcommand too
  EXPECT_EQ(node_.last_key, node_.chain[0].key());
  ASSERT_EQ(run({"state", "--tipset", "@head", "network-version"}), "");
  EXPECT_EQ(node_.last_key, node_.chain[2].key());
  EXPECT_NE(run({"state", "--tipset", "@9", "network-version"}).find("greater than start point"), std::string::npos);
  EXPECT_NE(run({"state", "--tipset", "@x", "network-version"}).find("parsing height tipset ref"), std::string::npos);
  EXPECT_NE(run({"state", "--tipset", cidOf("nope").toString(), "network-version"}).find("not found"),
            std::string::npos);
}

TEST_F(StateTest, GetDealAndMarketBalance) {
  api::MarketDeal deal;
  deal.proposal.piece_cid = cidOf("piece");
  deal.proposal.piece_size = 2048;
  deal.proposal.client = Address::id(100);
  deal.proposal.provider = kMiner;
  deal.proposal.label = vm::market::DealLabel{"hello", true};
  deal.proposal.start_epoch = 10;
  deal.proposal.end_epoch = 100;
  deal.state.sector_start_epoch = 12;
  {
    std::lock_guard lock(node_.mutex);
    node_.deals[7] = deal;
    node_.market[Address::id(100)] = api::MarketBalance{fil(2), fil(1) / 2};
  }
  ASSERT_EQ(run({"state", "get-deal", "7"}), "");
  EXPECT_EQ(output(), codec::toJson(deal).dump(2) + "\n");
  const auto j = codec::Json::parse(output());
  EXPECT_EQ(j["Proposal"]["Label"], "hello");
  EXPECT_EQ(j["State"]["SectorStartEpoch"], 12);
  EXPECT_EQ(run({"state", "get-deal", "8"}), "deal 8 not found");
  EXPECT_EQ(run({"state", "get-deal", "x8"}), "parsing deal ID: 'x8' is not a deal number");

  ASSERT_EQ(run({"state", "market", "balance", "t0100"}), "");
  EXPECT_EQ(output(), "Escrow: 2 FIL\nLocked: 0.5 FIL\n");
}

TEST_F(StateTest, ProvingDeadline) {
  ASSERT_EQ(run({"state", "miner-proving-deadline", "t01000"}), "");
  EXPECT_EQ(output(), "Period Start:\t0\nIndex:\t\t1\nOpen:\t\t10\nClose:\t\t20\nChallenge:\t5\nFaultCutoff:\t8\n");
}

TEST_F(StateTest, WaitAndSearchMessages) {
  const auto asked = cidOf("message");
  api::MsgLookup lookup;
  lookup.message = asked;
  lookup.receipt = chain::MessageReceipt{chain::ExitCode::kOk, {0x81, 0x00}, 12345, std::nullopt, false};
  lookup.tipset = node_.chain[1].key();
  lookup.height = 1;
  {
    std::lock_guard lock(node_.mutex);
    node_.executed[asked] = lookup;
  }
  const std::string expected = "Executed in tipset: [" + node_.chain[1].cids()[0].toString() +
                               "]\nExit Code: 0\nGas Used: 12345\nReturn: 8100\n";
  ASSERT_EQ(run({"state", "wait-msg", asked.toString()}), "");
  EXPECT_EQ(output(), expected);
  // Lotus's MessageConfidence, no lookback limit, replacements allowed.
  EXPECT_EQ(node_.wait_args, std::make_tuple(uint64_t{5}, ChainEpoch{-1}, true));
  ASSERT_EQ(run({"state", "search-msg", asked.toString()}), "");
  EXPECT_EQ(output(), expected);

  // A replaced message, a failed one with events and no return value.
  const auto replacing = cidOf("replacing");
  lookup.message = replacing;
  lookup.receipt = chain::MessageReceipt{chain::ExitCode::kErrInsufficientFunds, {}, 99, cidOf("events"), true};
  {
    std::lock_guard lock(node_.mutex);
    node_.executed[asked] = lookup;
  }
  ASSERT_EQ(run({"state", "search-message", asked.toString()}), "");
  EXPECT_EQ(output(), "Message was replaced: " + replacing.toString() + "\nExecuted in tipset: [" +
                          node_.chain[1].cids()[0].toString() + "]\nExit Code: 19\nGas Used: 99\nReturn: \nEvents Root: " +
                          cidOf("events").toString() + "\n");

  EXPECT_EQ(run({"state", "search-msg", cidOf("unknown").toString()}),
            "failed to find message: " + cidOf("unknown").toString());
}

TEST_F(StateTest, WaitMsgGivesUpAfterTheTimeout) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(run({"state", "wait-msg", "--timeout", "300ms", cidOf("never").toString()}),
            "timed out after 300ms waiting for message " + cidOf("never").toString());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_NE(run({"state", "wait-msg", "--timeout", "soon", cidOf("never").toString()}).find("--timeout"),
            std::string::npos);
}

}  // namespace
}  // namespace fil::cli::testing
