#include "fil/node/full_node.h"

#include <gtest/gtest.h>

#include "fil/primitives/key_info.h"
#include "fil/repo/repo.h"
#include "fil/testing/paths.h"
#include "fil/vm/state_view.h"

namespace fil::node {
namespace {

class FullNodeTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(repo::Repo::init(path_, repo::RepoType::kFullNode)); }

  std::unique_ptr<repo::Repo> openRepo() {
    auto r = repo::Repo::open(path_, repo::RepoType::kFullNode);
    EXPECT_TRUE(r) << r.error().message();
    return std::move(*r);
  }

  vm::genesis::Template localnet(const primitives::Address& funded) {
    auto t = vm::genesis::newTemplate("localnet", 1'700'000'000);
    t.accounts.push_back(vm::genesis::accountEntry(funded, primitives::kFilecoinPrecision * 100));
    return t;
  }

  testing::TempDir dir_;
  std::filesystem::path path_ = dir_.path() / "lotus";
};

TEST_F(FullNodeTest, MakesGenesisKeepsItAndRefusesAnother) {
  const auto car = dir_.path() / "devgen.car";
  primitives::Address funded;
  cid::Cid genesis;
  {
    auto repo = openRepo();
    // Without a genesis a new repo cannot start, and says how to.
    auto none = FullNode::open(*repo, chain::testDevnetParams(), {});
    ASSERT_FALSE(none);
    EXPECT_NE(none.error().message().find("--genesis=devgen.car"), std::string::npos) << none.error().message();

    Wallet wallet(repo->keystore());
    funded = *wallet.newAddress("secp256k1");
    auto node = FullNode::open(*repo, chain::testDevnetParams(),
                               {.make_genesis = car, .genesis_template = localnet(funded)});
    ASSERT_TRUE(node) << node.error().message();
    EXPECT_TRUE(std::filesystem::exists(car));
    EXPECT_NE((*node)->beaconSigner(), nullptr);
    genesis = (*node)->chain().heaviest().cids()[0];
    auto st = (*node)->state().tipSetState((*node)->chain().heaviest());
    ASSERT_TRUE(st);
    auto actor = vm::StateView::load((*node)->blocks(), st->state_root)->getActor(funded);
    ASSERT_TRUE(actor && actor->has_value());

    // A local message waits in the pool, and in the datastore.
    primitives::Message m;
    m.from = funded;
    m.to = primitives::Address::id(99);
    m.value = 1;
    auto pushed = (*node)->pusher().push(m, {});
    ASSERT_TRUE(pushed) << pushed.error().message();
    EXPECT_EQ((*node)->mpool().size(), 1u);
  }
  {
    // A restart: the same chain, the pool restored, the beacon key kept.
    auto repo = openRepo();
    auto node = FullNode::open(*repo, chain::testDevnetParams(), {});
    ASSERT_TRUE(node) << node.error().message();
    EXPECT_EQ((*node)->chain().heaviest().cids()[0], genesis);
    EXPECT_EQ((*node)->mpool().size(), 1u);
    EXPECT_NE((*node)->beaconSigner(), nullptr);
    // The same CAR again is fine.
    node->reset();
    auto again = FullNode::open(*repo, chain::testDevnetParams(), {.genesis_car = car});
    ASSERT_TRUE(again) << again.error().message();
  }
  {
    // Another network's genesis is refused.
    testing::TempDir other_dir;
    auto other_path = other_dir.path() / "other";
    ASSERT_TRUE(repo::Repo::init(other_path, repo::RepoType::kFullNode));
    auto other_repo = *repo::Repo::open(other_path, repo::RepoType::kFullNode);
    const auto other_car = other_dir.path() / "other.car";
    ASSERT_TRUE(FullNode::open(*other_repo, chain::testDevnetParams(),
                               {.make_genesis = other_car, .genesis_template = localnet(funded)}));
    auto repo = openRepo();
    auto refused = FullNode::open(*repo, chain::testDevnetParams(), {.genesis_car = other_car});
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message().find("genesis"), std::string::npos) << refused.error().message();
  }
}

}  // namespace
}  // namespace fil::node
