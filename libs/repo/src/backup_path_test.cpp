#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "fil/repo/backup_path.h"
#include "fil/testing/paths.h"

namespace fil::repo {
namespace {

class BackupPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.path() / "backups" / "sub");
    std::filesystem::create_directories(dir_.path() / "backups2");
    std::filesystem::create_directories(dir_.path() / "elsewhere");
    ::setenv("LOTUS_BACKUP_BASE_PATH", (dir_.path() / "backups").c_str(), 1);
  }
  void TearDown() override { ::unsetenv("LOTUS_BACKUP_BASE_PATH"); }
  std::string at(const std::string& rel) const { return (dir_.path() / rel).string(); }
  testing::TempDir dir_;
};

TEST_F(BackupPathTest, AcceptsFilesInsideTheBase) {
  auto p = resolveBackupPath(at("backups/backupfile"));
  ASSERT_TRUE(p) << p.error().message();
  EXPECT_EQ(p->filename(), "backupfile");
  EXPECT_TRUE(resolveBackupPath(at("backups/sub/../sub/x")));
  EXPECT_TRUE(resolveBackupPath(at("backups/./y")));
}

TEST_F(BackupPathTest, RefusesEscapes) {
  const auto refused = [](Result<std::filesystem::path> r) {
    return !r && r.error().message().find("must be inside base path") != std::string::npos;
  };
  EXPECT_TRUE(refused(resolveBackupPath(at("elsewhere/x"))));
  EXPECT_TRUE(refused(resolveBackupPath(at("backups/../elsewhere/x"))));
  EXPECT_TRUE(refused(resolveBackupPath(at("backups/sub/../../elsewhere/x"))));
  // Lotus's string-prefix check would let this one through.
  EXPECT_TRUE(refused(resolveBackupPath(at("backups2/x"))));
  // A symlink inside the base pointing out of it.
  std::filesystem::create_directory_symlink(dir_.path() / "elsewhere", dir_.path() / "backups" / "link");
  EXPECT_TRUE(refused(resolveBackupPath(at("backups/link/x"))));
  EXPECT_TRUE(refused(resolveBackupPath(at("backups"))));
  EXPECT_FALSE(resolveBackupPath(at("backups/")));
}

TEST_F(BackupPathTest, RefusesExistingFilesAndMissingBase) {
  std::ofstream(dir_.path() / "backups" / "old") << "x";
  EXPECT_TRUE(resolveBackupPath(at("backups/old")).error().is(GenericError::kAlreadyExists));
  // A dangling symlink with the wanted name is not followed either.
  std::filesystem::create_symlink(dir_.path() / "elsewhere" / "target", dir_.path() / "backups" / "dangling");
  EXPECT_TRUE(resolveBackupPath(at("backups/dangling")).error().is(GenericError::kAlreadyExists));
  EXPECT_TRUE(resolveBackupPath(at("backups/nodir/x")).error().is(GenericError::kNotFound));
  ::unsetenv("LOTUS_BACKUP_BASE_PATH");
  auto unset = resolveBackupPath(at("backups/x"));
  ASSERT_FALSE(unset);
  EXPECT_NE(unset.error().message().find("LOTUS_BACKUP_BASE_PATH env var not set"), std::string::npos);
}

}  // namespace
}  // namespace fil::repo
