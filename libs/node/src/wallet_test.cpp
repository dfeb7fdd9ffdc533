#include <gtest/gtest.h>

#include "fil/crypto/blake2b.h"
#include "fil/node/wallet.h"
#include "fil/testing/paths.h"

namespace fil::node {
namespace {

class WalletTest : public ::testing::Test {
 protected:
  void SetUp() override { keystore_ = std::make_unique<store::Keystore>(*store::Keystore::open(store::defaultFileSystem(), (dir_.path() / "keystore").string())); }
  testing::TempDir dir_;
  std::unique_ptr<store::Keystore> keystore_;
};

TEST_F(WalletTest, NewListDefaultSignVerify) {
  Wallet w(*keystore_);
  auto a = w.newAddress("secp256k1");
  ASSERT_TRUE(a) << a.error().message();
  auto b = *w.newAddress("secp256k1");
  EXPECT_EQ(*w.defaultAddress(), *a);  // the first key became the default
  auto list = *w.list();
  EXPECT_EQ(list.size(), 2u);
  EXPECT_TRUE(*w.has(b));
  EXPECT_TRUE(*keystore_->has("wallet-" + a->toString()));

  const Bytes data = toBytes(std::string_view("message cid bytes"));
  auto sig = w.sign(b, data);
  ASSERT_TRUE(sig);
  EXPECT_TRUE(primitives::verifySignature(*sig, b, data));
  EXPECT_FALSE(primitives::verifySignature(*sig, *a, data));

  ASSERT_TRUE(w.setDefault(b));
  EXPECT_EQ(*w.defaultAddress(), b);
  EXPECT_TRUE(w.newAddress("bls").error().is(primitives::PrimitivesError::kUnsupportedKeyType));
}

TEST_F(WalletTest, ExportImportDelete) {
  Wallet w(*keystore_);
  const auto a = *w.newAddress("secp256k1");
  const auto key = *w.exportKey(a);
  ASSERT_TRUE(w.remove(a));
  EXPECT_FALSE(*w.has(a));
  EXPECT_TRUE(*keystore_->has("trash-wallet-" + a.toString()));  // recoverable, as in Lotus
  EXPECT_TRUE(w.defaultAddress().error().is(GenericError::kNotFound));
  EXPECT_EQ(*w.importKey(key), a);
  EXPECT_TRUE(*w.has(a));
  EXPECT_EQ(*w.importKey(key), a);  // importing twice is harmless
  EXPECT_TRUE(w.sign(primitives::Address::id(5), {}).error().is(GenericError::kNotFound));
}

}  // namespace
}  // namespace fil::node
