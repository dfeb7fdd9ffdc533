#include <gtest/gtest.h>

#include "fil/base/base64.h"
#include "fil/base/hex.h"
#include "fil/primitives/key_info.h"
#include "fil/primitives/message.h"

namespace fil::primitives {
namespace {

Message transferVector() {
  Message m;
  m.to = *Address::parse("t17uoq6tp427uzv7fztkbsnn64iwotfrristwpryy");
  m.from = *Address::parse("t1d2xrzcslx7xlbbylc5c3d5lvandqw4iwl6epxba");
  m.nonce = 1;
  m.value = 100000;
  m.gas_limit = 25000;
  m.gas_fee_cap = 1;
  m.gas_premium = 1;
  return m;
}

// Zondax/filecoin-signing-tools test_vectors/txs.json.
TEST(Message, SigningToolsCborVectors) {
  const Message m = transferVector();
  EXPECT_EQ(toHex(codec::encode(m)),
            "8a005501fd1d0f4dfcd7e99afcb99a8326b7dc459d32c62855011eaf1c8a4bbfeeb0870b1745b1f57503470b711601"
            "44000186a01961a84200014200010040");
  Message exec = m;
  exec.to = Address::id(1002);
  exec.method = 7;
  exec.params = *fromBase64("hFUB/R0PTfzX6Zr8uZqDJrfcRZ0yxihAB1gtglUB/R0PTfzX6Zr8uZqDJrfcRZ0yxihVAR6vHIpLv+6whwsXRbH1dQNHC3EW");
  const std::string exec_hex =
      "8a004300ea0755011eaf1c8a4bbfeeb0870b1745b1f57503470b71160144000186a01961a8420001420001075848845501fd1d0f4d"
      "fcd7e99afcb99a8326b7dc459d32c6284007582d825501fd1d0f4dfcd7e99afcb99a8326b7dc459d32c62855011eaf1c8a4bbfeeb0"
      "870b1745b1f57503470b7116";
  EXPECT_EQ(toHex(codec::encode(exec)), exec_hex);
  EXPECT_EQ(*codec::decode<Message>(*fromHex(exec_hex)), exec);
}

// Zondax/filecoin-signing-tools test_vectors/signed_message.json: RFC 6979
// signing is deterministic, so our signature must equal theirs byte for byte.
TEST(Message, SigningToolsSignatureVector) {
  const Bytes key = *fromBase64("8VcW07ADswS4BV2cxi5rnIadVsyTDDhY1NfDH19T8Uo=");
  const KeyInfo info{"secp256k1", key};
  EXPECT_EQ(addressOf(info)->toString(Network::kTestnet), "t1d2xrzcslx7xlbbylc5c3d5lvandqw4iwl6epxba");
  auto signed_message = signMessage(transferVector(), key);
  ASSERT_TRUE(signed_message);
  EXPECT_EQ(toBase64(signed_message->signature.data),
            "nFuTI7MxEXqTQ0QmmQTmqbUsNZfHFXlNjz+susVDkAk1SrRCdJKxlVZZrM4vUtVBSYgtMIeigNfpqdKGIFhoWQA=");
  EXPECT_TRUE(signed_message->verify());
}

// Zondax/filecoin-signing-tools test_vectors/get_cid.json.
TEST(Message, SigningToolsCidVector) {
  SignedMessage sm{transferVector(), {}};
  sm.message.gas_limit = 2500000;
  sm.signature = {SignatureType::kSecp256k1,
                  *fromBase64("0wRrFJZFIVh8m0JD+f5C55YrxD6YAWtCXWYihrPTKdMfgMhYAy86MVhs43hSLXnV+47UReRIe8qFdHRJqFlreAE=")};
  EXPECT_EQ(sm.cid().toString(), "bafy2bzacebaiinljwwctblf7czp4zxwhz4747z6tpricgn5cumd4xhebftcvu");
  EXPECT_TRUE(sm.verify());
  EXPECT_EQ(*codec::decode<SignedMessage>(codec::encode(sm)), sm);
}

TEST(Message, VerificationFailures) {
  const KeyInfo key = newSecp256k1Key();
  Message m = transferVector();
  m.from = *addressOf(key);
  auto sm = *signMessage(m, key.private_key);
  EXPECT_TRUE(sm.verify());

  SignedMessage tampered = sm;
  tampered.message.value += 1;
  EXPECT_TRUE(tampered.verify().error().is(PrimitivesError::kInvalidSignature));

  SignedMessage wrong_sender = sm;
  wrong_sender.message.from = *addressOf(newSecp256k1Key());
  EXPECT_FALSE(wrong_sender.verify());

  SignedMessage id_sender = sm;
  id_sender.message.from = Address::id(5);
  EXPECT_FALSE(id_sender.verify());

  SignedMessage bls = sm;
  bls.signature.type = SignatureType::kBls;
  EXPECT_TRUE(bls.verify().error().is(PrimitivesError::kUnsupportedKeyType));
  EXPECT_EQ(bls.cid(), bls.message.cid());  // BLS messages are named by the unsigned CID
}

TEST(Message, RejectsBadSignatureBytes) {
  EXPECT_TRUE(codec::decode<Signature>(*fromHex("40")).error().is(codec::CborError::kInvalidValue));
  EXPECT_TRUE(codec::decode<Signature>(*fromHex("4100")).error().is(codec::CborError::kInvalidValue));
  EXPECT_TRUE(codec::decode<Signature>(*fromHex("4104")).error().is(codec::CborError::kInvalidValue));
}

TEST(KeyInfo, LotusJsonAndHexForms) {
  const KeyInfo key{"secp256k1", Bytes(32, 7)};
  const std::string json = keyInfoToJson(key);
  EXPECT_EQ(json, R"({"Type":"secp256k1","PrivateKey":"BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc="})");
  EXPECT_EQ(*keyInfoFromJson(json), key);
  EXPECT_EQ(*keyInfoFromHex(keyInfoToHex(key) + "\n"), key);
  EXPECT_TRUE(keyInfoFromJson("{}").error().is(PrimitivesError::kInvalidKeyInfo));
  EXPECT_TRUE(keyInfoFromJson("not json").error().is(PrimitivesError::kInvalidKeyInfo));
  EXPECT_TRUE(keyInfoFromHex("zz").error().is(PrimitivesError::kInvalidKeyInfo));
  EXPECT_TRUE(addressOf({"bls", Bytes(32)}).error().is(PrimitivesError::kUnsupportedKeyType));
  EXPECT_TRUE(addressOf({"secp256k1", Bytes(31)}).error().is(PrimitivesError::kInvalidKeyInfo));
}

}  // namespace
}  // namespace fil::primitives
