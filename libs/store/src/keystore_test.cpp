#include "fil/store/keystore.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "fil/store/fault_filesystem.h"
#include "fil/testing/paths.h"

namespace fil::store {
namespace {

using primitives::KeyInfo;

class KeystoreTest : public ::testing::Test {
 protected:
  std::string dir() const { return (tmp_.path() / "repo" / "keystore").string(); }
  Keystore open() {
    auto ks = Keystore::open(fs_, dir());
    EXPECT_TRUE(ks) << ks.error().message();
    return std::move(*ks);
  }

  fil::testing::TempDir tmp_;
  FileSystem& fs_ = defaultFileSystem();
  KeyInfo key_{"secp256k1", Bytes(32, 7)};
};

TEST_F(KeystoreTest, LotusLayout) {
  Keystore ks = open();
  EXPECT_EQ(fs_.stat(dir())->mode, 0700u);
  // Lotus names files with base32.RawStdEncoding: "libp2p-host" ->
  // NRUWE4BSOAWWQ33TOQ (Python: base64.b32encode(b"libp2p-host") without "=").
  EXPECT_EQ(Keystore::fileNameFor("libp2p-host"), "NRUWE4BSOAWWQ33TOQ");
  ASSERT_TRUE(ks.put("libp2p-host", key_));
  const std::string file = dir() + "/NRUWE4BSOAWWQ33TOQ";
  EXPECT_EQ(fs_.stat(file)->mode, 0600u);
  EXPECT_EQ(asString(*readFile(fs_, file)),
            R"({"Type":"secp256k1","PrivateKey":"BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc="})");
  EXPECT_EQ(*ks.get("libp2p-host"), key_);
  EXPECT_TRUE(*ks.has("libp2p-host"));
  EXPECT_FALSE(*ks.has("wallet-f1abc"));
}

TEST_F(KeystoreTest, ListGetPutRemove) {
  Keystore ks = open();
  ASSERT_TRUE(ks.put("wallet-f1abc", key_));
  ASSERT_TRUE(ks.put("jwt-hmac-secret", KeyInfo{"jwt-hmac-secret", Bytes(32, 1)}));
  EXPECT_EQ(*ks.list(), (std::vector<std::string>{"jwt-hmac-secret", "wallet-f1abc"}));

  auto dup = ks.put("wallet-f1abc", key_);
  ASSERT_FALSE(dup);
  EXPECT_TRUE(dup.error().is(StoreError::kAlreadyExists));

  auto missing = ks.get("nope");
  ASSERT_FALSE(missing);
  EXPECT_TRUE(missing.error().is(StoreError::kNotFound));
  EXPECT_NE(missing.error().message().find("nope"), std::string::npos);

  ASSERT_TRUE(ks.remove("wallet-f1abc"));
  EXPECT_TRUE(ks.remove("wallet-f1abc").error().is(StoreError::kNotFound));
  EXPECT_EQ(*ks.list(), std::vector<std::string>{"jwt-hmac-secret"});
  EXPECT_TRUE(ks.put("", key_).error().is(StoreError::kInvalidKey));
}

TEST_F(KeystoreTest, TrashNamesGetSuffixes) {
  Keystore ks = open();
  ASSERT_TRUE(ks.put("trash-wallet-f1abc", key_));
  ASSERT_TRUE(ks.put("trash-wallet-f1abc", key_));
  ASSERT_TRUE(ks.put("trash-wallet-f1abc", key_));
  EXPECT_EQ(*ks.list(),
            (std::vector<std::string>{"trash-wallet-f1abc", "trash-wallet-f1abc-1", "trash-wallet-f1abc-2"}));
}

TEST_F(KeystoreTest, LooseModesAreRefusedWithTheFix) {
  {
    Keystore ks = open();
    ASSERT_TRUE(ks.put("default", key_));
  }
  const std::string file = dir() + "/" + Keystore::fileNameFor("default");
  ASSERT_EQ(::chmod(file.c_str(), 0644), 0);
  Keystore ks = open();
  auto got = ks.get("default");
  ASSERT_FALSE(got);
  EXPECT_TRUE(got.error().is(StoreError::kPermission));
  EXPECT_NE(got.error().message().find("chmod 600 " + file), std::string::npos) << got.error().message();
  EXPECT_TRUE(ks.list().error().is(StoreError::kPermission));
  ASSERT_EQ(::chmod(file.c_str(), 0600), 0);
  EXPECT_TRUE(ks.get("default"));

  ASSERT_EQ(::chmod(dir().c_str(), 0755), 0);
  auto reopened = Keystore::open(fs_, dir());
  ASSERT_FALSE(reopened);
  EXPECT_TRUE(reopened.error().is(StoreError::kPermission));
  EXPECT_NE(reopened.error().message().find("chmod 700 " + dir()), std::string::npos);
}

TEST_F(KeystoreTest, BadFilesAreReportedByName) {
  Keystore ks = open();
  ASSERT_TRUE(writeFileAtomic(fs_, dir() + "/" + Keystore::fileNameFor("broken"), asBytes("{not json"), 0600));
  auto got = ks.get("broken");
  ASSERT_FALSE(got);
  EXPECT_TRUE(got.error().is(StoreError::kCorrupt));
  EXPECT_NE(got.error().message().find("broken"), std::string::npos);

  ASSERT_TRUE(writeFileAtomic(fs_, dir() + "/lower-case", asBytes("{}"), 0600));
  auto listed = ks.list();
  ASSERT_FALSE(listed);
  EXPECT_NE(listed.error().message().find("lower-case"), std::string::npos);
}

TEST_F(KeystoreTest, FailedWriteLeavesNothingAndOpenCleansTemporaries) {
  Keystore ks = open();
  FaultInjectingFileSystem faulty;
  auto faulty_ks = Keystore::open(faulty, dir());
  ASSERT_TRUE(faulty_ks);
  faulty.setSyncFails(true);
  auto put = faulty_ks->put("wallet-f1xyz", key_);
  ASSERT_FALSE(put);
  EXPECT_TRUE(put.error().is(StoreError::kIo));
  EXPECT_TRUE(ks.list()->empty());
  EXPECT_TRUE(fs_.listDirectory(dir())->empty());

  // A temporary left by a crash is removed on the next open.
  ASSERT_TRUE(writeFileAtomic(fs_, dir() + "/.NRUWE4BSOAWWQ33TOQ.tmp-0123", asBytes("{}"), 0600));
  EXPECT_TRUE(ks.list()->empty());
  open();
  EXPECT_TRUE(fs_.listDirectory(dir())->empty());
}

}  // namespace
}  // namespace fil::store
