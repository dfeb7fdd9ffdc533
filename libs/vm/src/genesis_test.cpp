#include "fil/vm/genesis.h"

#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "fil/base/base58.h"
#include "fil/proofs/commp.h"
#include "fil/proofs/porep.h"
#include "fil/testing/paths.h"
#include "fil/vm/preseal.h"
#include "fil/vm/state_view.h"
#include "vm_testing.h"

namespace fil::vm::genesis {
namespace {

using vm::testing::fil;
using vm::testing::testKey;

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class PreSealTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fil::testing::TempDir();
    PreSealOptions o;
    o.miner = Address::id(1000);
    o.sectors = 2;
    o.root = dir_->path() / "genesis-sectors";
    o.parent_cache_dir = dir_->path() / "parents";
    o.key = testKey(1).info;
    o.data_seed = 7;
    auto r = preSeal(o);
    ASSERT_TRUE(r) << r.error().message();
    result_ = new PreSealResult(std::move(*r));
    auto written = writePreSealFiles(o.root, o.miner, *result_);
    ASSERT_TRUE(written) << written.error().message();
  }
  static void TearDownTestSuite() {
    delete result_;
    delete dir_;
  }
  static std::filesystem::path root() { return dir_->path() / "genesis-sectors"; }

  static fil::testing::TempDir* dir_;
  static PreSealResult* result_;
};
fil::testing::TempDir* PreSealTest::dir_ = nullptr;
PreSealResult* PreSealTest::result_ = nullptr;

TEST_F(PreSealTest, SectorsAreSealedInLotusLayout) {
  const Miner& m = result_->miner;
  ASSERT_EQ(m.sectors.size(), 2u);
  EXPECT_EQ(m.owner, testKey(1).address);
  EXPECT_EQ(m.worker, testKey(1).address);
  EXPECT_EQ(m.sector_size, 2048u);
  for (uint64_t n = 0; n < 2; ++n) {
    const auto files = proofs::lotusSectorFiles(root(), 1000, n);
    EXPECT_EQ(files.sealed.filename(), "s-t01000-" + std::to_string(n));
    EXPECT_EQ(std::filesystem::file_size(files.sealed), 2048u);
    EXPECT_TRUE(std::filesystem::exists(proofs::pAuxPath(files)));
    const PreSeal& ps = m.sectors[n];
    EXPECT_EQ(ps.sector_id, n);
    EXPECT_TRUE(proofs::commitmentFromSealedCid(ps.comm_r));
    EXPECT_EQ(ps.deal.piece_cid, ps.comm_d);
    EXPECT_EQ(ps.deal.piece_size, 2048u);
    EXPECT_EQ(ps.deal.provider, Address::id(1000));
    EXPECT_EQ(ps.deal.label.data, std::to_string(n));
  }
  // Different data in each sector.
  EXPECT_NE(m.sectors[0].comm_d, m.sectors[1].comm_d);
  // A libp2p Ed25519 peer ID: identity multihash of 36 protobuf bytes.
  auto peer = fromBase58(m.peer_id);
  ASSERT_TRUE(peer);
  EXPECT_EQ(peer->size(), 38u);
  EXPECT_EQ(m.peer_id.substr(0, 2), "12");
}

TEST_F(PreSealTest, ManifestAndKeyFilesInLotusFormat) {
  const std::string json = slurp(root() / "pre-seal-t01000.json");
  auto j = nlohmann::json::parse(json);
  ASSERT_TRUE(j.contains("t01000"));
  const auto& m = j["t01000"];
  for (const char* key : {"ID", "Owner", "Worker", "PeerId", "MarketBalance", "PowerBalance", "SectorSize", "Sectors"}) {
    EXPECT_TRUE(m.contains(key)) << key;
  }
  EXPECT_EQ(m["SectorSize"], 2048);
  EXPECT_EQ(m["MarketBalance"], "0");
  const auto& s = m["Sectors"][0];
  EXPECT_TRUE(s["CommR"]["/"].get<std::string>().starts_with("bagboea4b5abc"));
  EXPECT_TRUE(s["CommD"]["/"].get<std::string>().starts_with("baga6ea4seaq"));
  EXPECT_EQ(s["Deal"]["Label"], "0");
  EXPECT_EQ(s["Deal"]["EndEpoch"], 9001);
  EXPECT_EQ(s["DealClientKey"]["Type"], "secp256k1");
  EXPECT_EQ(s["ProofType"], 5);  // RegisteredSealProof_StackedDrg2KiBV1_1

  auto back = minersFromJson(json);
  ASSERT_TRUE(back) << back.error().message();
  ASSERT_EQ(back->size(), 1u);
  const Miner& parsed = back->at("t01000");
  EXPECT_EQ(parsed.owner, result_->miner.owner);
  EXPECT_EQ(parsed.sectors.size(), 2u);
  EXPECT_EQ(parsed.sectors[1].comm_r, result_->miner.sectors[1].comm_r);
  EXPECT_EQ(parsed.sectors[1].deal, result_->miner.sectors[1].deal);
  EXPECT_EQ(parsed.sectors[1].deal_client_key, result_->key);

  auto key = primitives::keyInfoFromHex(slurp(root() / "pre-seal-t01000.key"));
  ASSERT_TRUE(key);
  EXPECT_EQ(*key, result_->key);
  EXPECT_EQ(std::filesystem::status(root() / "pre-seal-t01000.key").permissions() & std::filesystem::perms::others_read,
            std::filesystem::perms::none);
  EXPECT_TRUE(std::filesystem::exists(root() / "sectorstore.json"));
}

TEST_F(PreSealTest, GenesisStateHasTheMinerWithPowerSectorsAndDeals) {
  Template t = newTemplate("localnet");
  const auto client = testKey(9);
  t.accounts.push_back(accountEntry(client.address, fil(50)));
  ASSERT_TRUE(addMiners(t, {{"t01000", result_->miner}}, 50'000'000));
  auto json = templateToJson(t);
  ASSERT_TRUE(json);
  auto parsed = templateFromJson(*json);
  ASSERT_TRUE(parsed) << parsed.error().message();
  ASSERT_EQ(parsed->miners.size(), 1u);
  EXPECT_EQ(parsed->accounts.size(), 2u);

  vm::testing::TestChain chain(chain::devnetParams());
  chain.genesisFrom(*parsed);
  ASSERT_EQ(chain.genesis_state.miners, std::vector<Address>{Address::id(1000)});
  auto view = StateView::load(chain.blocks, chain.root);
  ASSERT_TRUE(view);

  auto info = view->minerInfo(Address::id(1000));
  ASSERT_TRUE(info) << info.error().message();
  auto worker_id = view->lookupId(result_->miner.worker);
  ASSERT_TRUE(worker_id && worker_id->has_value());
  EXPECT_EQ(info->worker, Address::id(**worker_id));
  EXPECT_EQ(info->owner, info->worker);
  EXPECT_EQ(info->sector_size, 2048u);
  auto peer = fromBase58(result_->miner.peer_id);
  EXPECT_EQ(info->peer_id, *peer);

  auto sectors = view->minerSectors(Address::id(1000));
  ASSERT_TRUE(sectors);
  ASSERT_EQ(sectors->size(), 2u);
  EXPECT_EQ((*sectors)[0].sealed_cid, result_->miner.sectors[0].comm_r);
  EXPECT_EQ((*sectors)[1].deal_ids.size(), 1u);

  auto power = view->minerPower(Address::id(1000), chain::devnetParams());
  ASSERT_TRUE(power) << power.error().message();
  EXPECT_EQ(power->miner.raw_byte_power, 2 * 2048);
  EXPECT_EQ(power->total.raw_byte_power, 2 * 2048);
  EXPECT_TRUE(power->has_min_power);

  auto deals = view->marketDeals();
  ASSERT_TRUE(deals);
  ASSERT_EQ(deals->size(), 2u);
  for (const auto& d : *deals) {
    EXPECT_EQ(d.proposal.provider, Address::id(1000));
    EXPECT_EQ(d.state.sector_start_epoch, 0);  // active from genesis
  }
  // The 2 billion FIL are all accounted for.
  EXPECT_EQ(vm::testing::totalBalance(chain.blocks, chain.root), kTotalFilecoin);
}

TEST_F(PreSealTest, GenesisIsDeterministic) {
  Template t = newTemplate("localnet", 1700000000);
  ASSERT_TRUE(addMiners(t, {{"t01000", result_->miner}}, 1000));
  store::MemoryBlockstore a, b;
  auto ga = buildGenesisState(a, t, chain::devnetParams());
  auto gb = buildGenesisState(b, t, chain::devnetParams());
  ASSERT_TRUE(ga && gb);
  EXPECT_EQ(ga->state_root, gb->state_root);
  EXPECT_EQ(ga->timestamp, 1700000000u);
  // The CAR holds every block of the state.
  store::MemorySink sink;
  auto car = writeCar(a, {ga->state_root}, sink);
  ASSERT_TRUE(car) << car.error().message();
  EXPECT_GT(sink.data().size(), 1000u);
}

TEST_F(PreSealTest, MinerIdsMustFollowTheTemplate) {
  Template t = newTemplate("localnet");
  auto wrong = addMiners(t, {{"t01001", result_->miner}}, 10);
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message().find("t01001"), std::string::npos);
}

TEST(GenesisTemplate, NewTemplateMatchesLotus) {
  auto json = templateToJson(newTemplate("localnet"));
  ASSERT_TRUE(json);
  auto j = nlohmann::json::parse(*json);
  EXPECT_EQ(j["NetworkName"], "localnet");
  EXPECT_TRUE(j["Accounts"].is_array());
  EXPECT_TRUE(j["Miners"].is_array());
  EXPECT_EQ(j["RemainderAccount"]["Meta"]["Owner"], std::string(kDefaultRemainderKey));
  EXPECT_EQ(j["VerifregRootKey"]["Type"], "account");
  EXPECT_FALSE(j.contains("Timestamp"));
}

TEST(GenesisTemplate, ReadsATemplateWrittenByLotus) {
  // tests/vectors/lotus_genesis_template.json: the genesis.json that Lotus
  // v1.17.0-rc3's `lotus-seed genesis new` + `add-miner` wrote, as printed in
  // the Delegated Consensus README of consensus-shipyard's Forest (deleg_cns).
  auto t = templateFromJson(fil::testing::readSourceFile("tests/vectors/lotus_genesis_template.json"));
  ASSERT_TRUE(t) << t.error().message();
  EXPECT_EQ(t->network_version, 16u);
  EXPECT_EQ(t->network_name, "localnet-d39f7d65-d9c6-4e2e-8129-6f13dc096ea9");
  ASSERT_EQ(t->accounts.size(), 1u);
  EXPECT_EQ(t->accounts[0].balance, fil(50'000'000));
  ASSERT_EQ(t->miners.size(), 1u);
  const Miner& m = t->miners[0];
  EXPECT_EQ(m.id, Address::id(1000));
  EXPECT_EQ(m.owner.protocol(), primitives::AddressProtocol::kBls);
  EXPECT_EQ(m.peer_id, "12D3KooWNuDNyfRb4iLvnwFqNifFgJT8XSGBVAjduKQYD9LhhrkL");
  ASSERT_EQ(m.sectors.size(), 1u);
  EXPECT_EQ(m.sectors[0].comm_d.toString(), "baga6ea4seaqemcrx5m3n7udmoz7x53aae5wnapqsxkk5n5ysvled3hwnoqm7wda");
  EXPECT_EQ(m.sectors[0].deal.end_epoch, 9001);
  EXPECT_EQ(m.sectors[0].deal.label.data, "0");
  EXPECT_EQ(m.sectors[0].deal_client_key.type, "bls");
  EXPECT_EQ(m.sectors[0].proof_type, 5);
  EXPECT_EQ(t->verifreg_root_key.type, "multisig");

  // Written back and read again, nothing is lost.
  auto again = templateFromJson(*templateToJson(*t));
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->miners[0].sectors[0].deal, m.sectors[0].deal);
  EXPECT_EQ(again->accounts[0].meta_json, t->accounts[0].meta_json);

  // Its multisig root key cannot be built here (docs/actors.md); the error says so.
  store::MemoryBlockstore blocks;
  auto g = buildGenesisState(blocks, *t, chain::devnetParams());
  ASSERT_FALSE(g);
  EXPECT_NE(g.error().message().find("multisig"), std::string::npos) << g.error().message();
}

TEST(GenesisTemplate, BadTemplatesNameTheProblem) {
  auto not_json = templateFromJson("{");
  ASSERT_FALSE(not_json);
  EXPECT_NE(not_json.error().message().find("not valid JSON"), std::string::npos);

  auto no_root = templateFromJson(R"({"NetworkName":"x","Accounts":[],"Miners":[]})");
  ASSERT_FALSE(no_root);
  EXPECT_NE(no_root.error().message().find("VerifregRootKey"), std::string::npos);

  auto bad_balance = templateFromJson(
      R"({"Accounts":[{"Type":"account","Balance":"lots","Meta":{}}],"VerifregRootKey":{},"RemainderAccount":{}})");
  ASSERT_FALSE(bad_balance);
  EXPECT_NE(bad_balance.error().message().find("Accounts[0]"), std::string::npos);

  auto bad_miner = minersFromJson(R"({"t01000":{"Owner":"t1xyz","Worker":"t1xyz","SectorSize":2048}})");
  ASSERT_FALSE(bad_miner);
  EXPECT_NE(bad_miner.error().message().find("t01000"), std::string::npos);

  auto sectors_not_array = minersFromJson(
      R"({"t01000":{"Owner":"t01","Worker":"t01","SectorSize":2048,"Sectors":{}}})");
  ASSERT_FALSE(sectors_not_array);
  EXPECT_NE(sectors_not_array.error().message().find("Sectors"), std::string::npos);
}

TEST(GenesisTemplate, MultisigAndOverAllocationAreRefused) {
  store::MemoryBlockstore blocks;
  Template t = newTemplate("localnet");
  t.accounts.push_back(ActorEntry{"multisig", fil(1), R"({"Signers":[],"Threshold":1})"});
  auto r = buildGenesisState(blocks, t, chain::testDevnetParams());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("multisig"), std::string::npos);

  Template rich = newTemplate("localnet");
  rich.accounts.push_back(accountEntry(testKey(1).address, kTotalFilecoin));
  auto over = buildGenesisState(blocks, rich, chain::testDevnetParams());
  ASSERT_FALSE(over);
  EXPECT_NE(over.error().message().find("more than"), std::string::npos);

  Template twice = newTemplate("localnet");
  twice.accounts.push_back(accountEntry(testKey(1).address, fil(1)));
  twice.accounts.push_back(accountEntry(testKey(1).address, fil(1)));
  auto dup = buildGenesisState(blocks, twice, chain::testDevnetParams());
  ASSERT_FALSE(dup);
  EXPECT_NE(dup.error().message().find("twice"), std::string::npos);
}

}  // namespace
}  // namespace fil::vm::genesis
