// The Lotus keystore: one file per key in <repo>/keystore, named by the
// base32 (RFC 4648, upper case, unpadded: Go's RawStdEncoding) of the key
// name, holding the JSON KeyInfo {"Type": ..., "PrivateKey": "<base64>"}.
// The directory is 0700 and every key file 0600; anything looser is refused
// with an error naming the file and the chmod that fixes it, as Lotus
// refuses it. Writes are atomic (temporary file, fsync, rename).
//
//   FIL_ASSIGN_OR_RETURN(auto ks, Keystore::open(fs, repo + "/keystore"));
//   FIL_TRY(ks.put("libp2p-host", key));
//   FIL_ASSIGN_OR_RETURN(KeyInfo key, ks.get("jwt-hmac-secret"));
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fil/base/error.h"
#include "fil/primitives/key_info.h"
#include "fil/store/filesystem.h"

namespace fil::store {

class Keystore {
 public:
  // Opens `dir`, creating it (mode 0700, parents 0755) when `create` is set
  // and it is missing. Removes temporary files a crash left behind.
  [[nodiscard]] static Result<Keystore> open(FileSystem& fs, std::string dir, bool create = true);

  // Key names, sorted.
  [[nodiscard]] Result<std::vector<std::string>> list() const;
  // StoreError::kNotFound when there is no such key.
  [[nodiscard]] Result<primitives::KeyInfo> get(std::string_view name) const;
  [[nodiscard]] Result<bool> has(std::string_view name) const;
  // kAlreadyExists when the name is taken, except for names starting with
  // "trash-", which get "-1", "-2", ... appended as Lotus does.
  [[nodiscard]] Status put(std::string_view name, const primitives::KeyInfo& key);
  [[nodiscard]] Status remove(std::string_view name);

  const std::string& directory() const { return dir_; }
  // The file name of a key: base32 RawStd of its name.
  static std::string fileNameFor(std::string_view name);

 private:
  Keystore(FileSystem& fs, std::string dir) : fs_(&fs), dir_(std::move(dir)) {}
  std::string pathFor(std::string_view name) const;
  Status checkFileMode(const std::string& path, uint32_t mode, std::string_view name) const;

  FileSystem* fs_;
  std::string dir_;
};

inline constexpr std::string_view kKeystoreTrashPrefix = "trash-";

}  // namespace fil::store
