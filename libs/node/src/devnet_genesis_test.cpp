#include "fil/node/devnet_genesis.h"

#include <gtest/gtest.h>

#include <fstream>

#include "fil/primitives/key_info.h"
#include "fil/testing/paths.h"
#include "fil/vm/state_view.h"

namespace fil::node {
namespace {

TEST(DevnetGenesis, MadeWrittenAndImportedBack) {
  testing::TempDir dir;
  auto& fs = store::defaultFileSystem();
  const auto& net = chain::testDevnetParams();
  const auto owner = *primitives::addressOf(primitives::newSecp256k1Key());
  auto t = vm::genesis::newTemplate(std::string(net.name), 1'700'000'000);
  t.accounts.push_back(vm::genesis::accountEntry(owner, primitives::kFilecoinPrecision * 500));
  auto signer = *chain::DevnetBeaconSigner::create(crypto::secp256k1::generatePrivateKey());
  store::MemoryBlockstore made;
  const auto car = dir.path() / "devgen.car";
  auto header = makeDevnetGenesis(made, fs, t, net, signer, car);
  ASSERT_TRUE(header) << header.error().message();
  EXPECT_EQ(header->height, 0);
  EXPECT_EQ(header->timestamp, 1'700'000'000u);
  EXPECT_EQ(header->beacon_entries.back(), signer.genesisEntry());

  // Another node loads it: the same block, and a state it can read.
  store::MemoryBlockstore loaded;
  auto imported = importGenesisCar(loaded, fs, car);
  ASSERT_TRUE(imported) << imported.error().message();
  EXPECT_EQ(*imported, *header);
  auto view = vm::StateView::load(loaded, imported->parent_state_root);
  ASSERT_TRUE(view) << view.error().message();
  auto actor = view->getActor(owner);
  ASSERT_TRUE(actor && actor->has_value());
  EXPECT_EQ((*actor)->balance, primitives::kFilecoinPrecision * 500);
  EXPECT_EQ(*view->networkName(), net.name);

  // A cut file or a missing one is refused, naming the file.
  const auto size = std::filesystem::file_size(car);
  std::filesystem::resize_file(car, size - 10);
  store::MemoryBlockstore other;
  auto cut = importGenesisCar(other, fs, car);
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.error().message().find("devgen.car"), std::string::npos) << cut.error().message();
  EXPECT_FALSE(importGenesisCar(other, fs, dir.path() / "absent.car"));
}

}  // namespace
}  // namespace fil::node
