// `lotus wallet ...` against a served test node: exact output, and what
// reached the node.
#include "command_test_support.h"
#include "fil/base/base64.h"
#include "fil/base/hex.h"

namespace fil::cli::testing {
namespace {

class WalletTest : public CommandTest {
 protected:
  void SetUp() override {
    CommandTest::SetUp();
    std::lock_guard lock(node_.mutex);
    node_.grow();
    a1_ = node_.addKey();
    a2_ = node_.addKey();
    node_.default_address = a1_;
    node_.actors[a1_] = vm::Actor{vm::codeCid(vm::ActorType::kAccount), cidOf("head"), 3, fil(3) / 2, std::nullopt};
  }

  primitives::KeyInfo keyOf(const Address& a) {
    std::lock_guard lock(node_.mutex);
    for (const auto& [address, key] : node_.wallet) {
      if (address == a) return key;
    }
    ADD_FAILURE() << "no key for " << a.toString();
    return {};
  }

  Address a1_;
  Address a2_;
  Address broken_;
};

TEST_F(WalletTest, NewMakesAKeyOfTheNode) {
  ASSERT_EQ(run({"wallet", "new"}), "");
  const auto printed = output();
  ASSERT_EQ(node_.wallet.size(), 3u);
  EXPECT_EQ(printed, node_.wallet.back().first.toString() + "\n");
  ASSERT_EQ(run({"wallet", "new", "secp256k1"}), "");
  EXPECT_EQ(node_.wallet.size(), 4u);
  EXPECT_EQ(run({"wallet", "new", "bls"}), "unsupported key type: bls");
}

TEST_F(WalletTest, ListIsLotussTable) {
  // An address with no actor yet shows 0 FIL (Lotus matches "actor not
  // found"; this node says "actor t1... not found").
  ASSERT_EQ(run({"wallet", "list"}), "");
  const auto row = [](const std::string& a, const std::string& balance, const std::string& nonce,
                      const std::string& def) { return fmt::format("{:<43}{:<9}{:<7}{:<9}\n", a, balance, nonce, def); };
  EXPECT_EQ(output(), row("Address", "Balance", "Nonce", "Default") + row(a1_.toString(), "1.5 FIL", "3", "X") +
                          row(a2_.toString(), "0 FIL", "0", ""));

  ASSERT_EQ(run({"wallet", "list", "-a"}), "");
  EXPECT_EQ(output(), a1_.toString() + "\n" + a2_.toString() + "\n");
}

TEST_F(WalletTest, ListWithIdsMarketBalancesAndErrors) {
  {
    std::lock_guard lock(node_.mutex);
    node_.id_addresses[a1_] = Address::id(1001);
    node_.market[a1_] = api::MarketBalance{fil(2), fil(1) / 2};
    const Address broken = node_.addKey();
    node_.actor_errors[broken] = "state tree unreadable";
    broken_ = broken;
  }
  ASSERT_EQ(run({"wallet", "list", "--id", "--market"}), "");
  const auto row = [](const std::string& a, const std::string& id, const std::string& avail, const std::string& locked,
                      const std::string& balance, const std::string& nonce, const std::string& def) {
    return fmt::format("{:<43}{:<8}{:<9}{:<15}{:<16}{:<7}{:<9}\n", a, id, balance, avail, locked, nonce, def);
  };
  EXPECT_EQ(output(), row("Address", "ID", "Market(Avail)", "Market(Locked)", "Balance", "Nonce", "Default") +
                          row(a1_.toString(), "t01001", "1.5 FIL", "0.5 FIL", "1.5 FIL", "3", "X") +
                          row(a2_.toString(), "n/a", "", "", "0 FIL", "0", "") +
                          row(broken_.toString(), "", "", "", "", "", "") + "  Error: state tree unreadable\n");
}

TEST_F(WalletTest, BalanceWarnsWhenZeroAndBehind) {
  setNowAfterHead(1);
  ASSERT_EQ(run({"wallet", "balance", a1_.toString()}), "");
  EXPECT_EQ(output(), "1.5 FIL\n");
  ASSERT_EQ(run({"wallet", "balance"}), "");  // the default address
  EXPECT_EQ(output(), "1.5 FIL\n");
  ASSERT_EQ(run({"wallet", "balance", a2_.toString()}), "");
  EXPECT_EQ(output(), "0 FIL\n");
  setNowAfterHead(4);  // one block time behind: not synced
  ASSERT_EQ(run({"wallet", "balance", a2_.toString()}), "");
  EXPECT_EQ(output(), "0 FIL (warning: may display 0 if chain sync in progress)\n");
  EXPECT_NE(run({"wallet", "balance", "nonsense"}).find("invalid address 'nonsense'"), std::string::npos);
}

TEST_F(WalletTest, DefaultAndSetDefault) {
  ASSERT_EQ(run({"wallet", "default"}), "");
  EXPECT_EQ(output(), a1_.toString() + "\n");
  ASSERT_EQ(run({"wallet", "set-default", a2_.toString()}), "");
  EXPECT_EQ(output(), "Default address set to: " + a2_.toString() + "\n");
  EXPECT_EQ(node_.default_address, a2_);
  EXPECT_NE(run({"wallet", "set-default"}).find("usage:"), std::string::npos);
  EXPECT_EQ(run({"wallet", "set-default", Address::id(5).toString()}), "key not found for t05");
}

TEST_F(WalletTest, ExportDeleteImportRoundTrip) {
  const auto key = keyOf(a1_);
  ASSERT_EQ(run({"wallet", "export", a1_.toString()}), "");
  const std::string hex = output();
  EXPECT_EQ(hex, primitives::keyInfoToHex(key) + "\n");
  ASSERT_EQ(run({"wallet", "export", "--format", "json-lotus", a1_.toString()}), "");
  EXPECT_EQ(output(), "{\"Type\":\"secp256k1\",\"PrivateKey\":\"" + toBase64(key.private_key) + "\"}\n");
  ASSERT_EQ(run({"wallet", "export", "--format", "hex-eth", a1_.toString()}), "");
  EXPECT_EQ(output(), "0x" + toHex(key.private_key) + "\n");
  EXPECT_EQ(run({"wallet", "export", "--format", "pem", a1_.toString()}), "unrecognized format: pem");

  ASSERT_EQ(run({"wallet", "delete", a1_.toString()}), "");
  EXPECT_EQ(output(), "Soft deleting address: " + a1_.toString() +
                          "\nHard deletion of the address in `~/.lotus/keystore` is needed for permanent removal\n");
  EXPECT_FALSE(node_.default_address.has_value());
  EXPECT_EQ(node_.wallet.size(), 1u);

  // From a file, as Lotus writes it (with its newline).
  const auto file = dir_.path() / "key.hex";
  std::ofstream(file) << hex;
  ASSERT_EQ(run({"wallet", "import", file.string()}), "");
  EXPECT_EQ(output(), "imported key " + a1_.toString() + " successfully!\n");
  EXPECT_EQ(node_.wallet.back().second, key);
  EXPECT_FALSE(node_.default_address.has_value());
}

TEST_F(WalletTest, ImportFormatsFromStdin) {
  auto key = primitives::newSecp256k1Key();
  const Address a = *primitives::addressOf(key);
  in_.str(primitives::keyInfoToJson(key) + "\n");
  ASSERT_EQ(run({"wallet", "import", "--format", "json-lotus", "--as-default"}), "");
  EXPECT_EQ(output(), "imported key " + a.toString() + " successfully!\n");
  EXPECT_EQ(node_.default_address, a);

  key = primitives::newSecp256k1Key();
  in_.clear();
  in_.str("0x" + toHex(key.private_key) + "\n");
  ASSERT_EQ(run({"wallet", "import", "--format", "hex-eth", "--type", "secp256k1", "-"}), "");
  EXPECT_EQ(output(), "imported key " + primitives::addressOf(key)->toString() + " successfully!\n");

  key = primitives::newSecp256k1Key();
  in_.clear();
  in_.str(R"({"KeyInfo":[{"PrivateKey":")" + toBase64(key.private_key) + R"(","SigType":1}]})");
  ASSERT_EQ(run({"wallet", "import", "--format", "gfc-json"}), "");
  EXPECT_EQ(output(), "imported key " + primitives::addressOf(key)->toString() + " successfully!\n");

  in_.clear();
  in_.str("zz\n");
  EXPECT_NE(run({"wallet", "import"}).find("decoding hex-lotus key"), std::string::npos);
  in_.clear();
  in_.str("00\n");
  EXPECT_EQ(run({"wallet", "import", "--format", "hex-eth"}), "expected 32-byte private key, got 1 bytes");
  in_.clear();
  in_.str("");
  EXPECT_EQ(run({"wallet", "import"}), "reading the key from stdin: no input");
  EXPECT_EQ(node_.wallet.size(), 5u);
}

TEST_F(WalletTest, SignAndVerifyWithTheFrc0102Envelope) {
  ASSERT_EQ(run({"wallet", "sign", a1_.toString(), "68656c6c6f"}), "");
  std::string signature = output();
  ASSERT_FALSE(signature.empty());
  signature.pop_back();
  const Bytes sig_bytes = *fromHex(signature);
  ASSERT_EQ(sig_bytes.size(), 66u);
  EXPECT_EQ(sig_bytes[0], 1);  // secp256k1
  // FRC-0102: "\x19Filecoin Signed Message:\n" + decimal length + message.
  const std::string envelope = std::string("\x19") + "Filecoin Signed Message:\n5hello";
  const primitives::Signature parsed{primitives::SignatureType::kSecp256k1, Bytes(sig_bytes.begin() + 1, sig_bytes.end())};
  EXPECT_TRUE(primitives::verifySignature(parsed, a1_, asBytes(envelope)));

  ASSERT_EQ(run({"wallet", "verify", a1_.toString(), "68656c6c6f", signature}), "");
  EXPECT_EQ(output(), "valid\n");
  EXPECT_EQ(run({"wallet", "verify", "--raw", a1_.toString(), "68656c6c6f", signature}),
            "CLI Verify called with invalid signature");
  EXPECT_EQ(output(), "invalid\n");
  EXPECT_EQ(run({"wallet", "verify", a2_.toString(), "68656c6c6f", signature}),
            "CLI Verify called with invalid signature");

  ASSERT_EQ(run({"wallet", "sign", "--raw", a1_.toString(), "68656c6c6f"}), "");
  std::string raw = output();
  raw.pop_back();
  ASSERT_EQ(run({"wallet", "verify", "--raw", a1_.toString(), "68656c6c6f", raw}), "");
  EXPECT_EQ(output(), "valid\n");

  EXPECT_EQ(run({"wallet", "sign", Address::id(7).toString(), "00"}), "failed to sign message: key not found for t07");
  EXPECT_NE(run({"wallet", "sign", a1_.toString(), "xyz"}).find("message 'xyz' is not hex"), std::string::npos);
  EXPECT_EQ(run({"wallet", "verify", a1_.toString(), "00", "09aa"}), "invalid signature type 9");
}

TEST_F(WalletTest, SignWithAMultisigSaysItHasNoKeys) {
  const Address msig = Address::id(1500);
  {
    std::lock_guard lock(node_.mutex);
    node_.actors[msig] = vm::Actor{vm::codeCid(vm::ActorType::kMultisig), cidOf("msig"), 0, 0, std::nullopt};
  }
  EXPECT_NE(run({"wallet", "sign", msig.toString(), "00"}).find("specified signer address is a multisig actor"),
            std::string::npos);
}

TEST_F(WalletTest, MarketAdd) {
  ASSERT_EQ(run({"wallet", "market", "add", "1.5"}), "");
  EXPECT_EQ(output(), "Submitting Add Balance message for amount 1.5 FIL for address " + a1_.toString() +
                          "\nAddBalance message cid: " + cidOf("add balance 1").toString() + "\n");
  ASSERT_EQ(node_.market_adds.size(), 1u);
  EXPECT_EQ(node_.market_adds[0], std::make_tuple(a1_, a1_, fil(3) / 2));

  ASSERT_EQ(run({"wallet", "market", "add", "--from", a2_.toString(), "--address", "t01000", "100 attofil"}), "");
  EXPECT_EQ(node_.market_adds[1], std::make_tuple(a2_, Address::id(1000), TokenAmount(100)));
  EXPECT_NE(run({"wallet", "market", "add", "1 btc"}).find("parsing 'amount' argument"), std::string::npos);
  EXPECT_EQ(run({"wallet", "market", "withdraw"}),
            "'market withdraw' is not built yet in this version (issue 8, the full node; see docs/status.md)");
}

}  // namespace
}  // namespace fil::cli::testing
