// Helpers shared by tests: where the source tree is, scratch directories.
#pragma once

#include <filesystem>
#include <string>

#include "fil/base/bytes.h"

namespace fil::testing {

// The repository root (FIL_SOURCE_DIR, set by ctest; else the compile-time path).
std::filesystem::path sourceDir();

// Reads a file under the repository root, e.g. "tests/vectors/x.txt".
std::string readSourceFile(const std::string& relative);

// A fresh directory removed with everything in it when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace fil::testing
