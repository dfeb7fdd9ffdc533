#include "fil/store/keystore.h"

#include <algorithm>

#include <fmt/format.h>

#include "fil/base/base32.h"

namespace fil::store {

namespace {

constexpr uint64_t kMaxKeyFileBytes = 64 * 1024;

bool isTemporary(std::string_view file) { return !file.empty() && file[0] == '.'; }

}  // namespace

std::string Keystore::fileNameFor(std::string_view name) { return toBase32(asBytes(name), Base32Case::kUpper); }

std::string Keystore::pathFor(std::string_view name) const { return dir_ + "/" + fileNameFor(name); }

Status Keystore::checkFileMode(const std::string& path, uint32_t mode, std::string_view name) const {
  if ((mode & 0077) == 0) return ok();
  return fail(StoreError::kPermission,
              fmt::format("keystore file {} (key '{}') has mode {:04o}, readable by others; run: chmod 600 {}", path,
                          name, mode, path));
}

Result<Keystore> Keystore::open(FileSystem& fs, std::string dir, bool create) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  auto info = fs.stat(dir);
  if (!info && info.error().is(StoreError::kNotFound) && create) {
    const std::string parent = parentDirectory(dir);
    if (parent != "." && parent != "/") FIL_TRY(createDirectories(fs, parent, 0755));
    auto made = fs.createDirectory(dir, 0700);
    if (!made && !made.error().is(StoreError::kAlreadyExists)) return fail(std::move(made).error());
    info = fs.stat(dir);
  }
  if (!info) return fail(std::move(info).error().withContext("opening keystore"));
  if (!info->is_directory) {
    return fail(StoreError::kAlreadyExists, fmt::format("keystore {} exists and is not a directory", dir));
  }
  if ((info->mode & 0077) != 0) {
    return fail(StoreError::kPermission,
                fmt::format("keystore directory {} has mode {:04o}, open to others; run: chmod 700 {}", dir,
                            info->mode, dir));
  }
  // A crash between creating a temporary file and renaming it leaves the
  // temporary; Lotus would fail to list a name it cannot decode.
  FIL_ASSIGN_OR_RETURN(auto names, fs.listDirectory(dir));
  for (const auto& name : names) {
    if (isTemporary(name)) FIL_TRY(fs.removeFile(dir + "/" + name));
  }
  return Keystore(fs, std::move(dir));
}

Result<std::vector<std::string>> Keystore::list() const {
  FIL_ASSIGN_OR_RETURN(auto files, fs_->listDirectory(dir_));
  std::vector<std::string> names;
  for (const auto& file : files) {
    if (isTemporary(file)) continue;  // a write in progress
    const std::string path = dir_ + "/" + file;
    auto decoded = fromBase32(file, Base32Case::kUpper);
    if (!decoded) {
      return fail(StoreError::kInvalidKey,
                  fmt::format("keystore file {} is not named by a base32 key name: {}", path, decoded.error().message()));
    }
    std::string name(decoded->begin(), decoded->end());
    FIL_ASSIGN_OR_RETURN(FileInfo info, fs_->stat(path));
    FIL_TRY(checkFileMode(path, info.mode, name));
    names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<primitives::KeyInfo> Keystore::get(std::string_view name) const {
  if (name.empty()) return fail(StoreError::kInvalidKey, "empty key name");
  const std::string path = pathFor(name);
  auto info = fs_->stat(path);
  if (!info) {
    if (info.error().is(StoreError::kNotFound)) {
      return fail(StoreError::kNotFound, fmt::format("key '{}' not found in keystore {}", name, dir_));
    }
    return fail(std::move(info).error().withContext(fmt::format("opening key '{}'", name)));
  }
  FIL_TRY(checkFileMode(path, info->mode, name));
  FIL_ASSIGN_OR_RETURN(Bytes data, readFile(*fs_, path, kMaxKeyFileBytes));
  auto key = primitives::keyInfoFromJson(asString(data));
  if (!key) return fail(StoreError::kCorrupt, fmt::format("decoding key '{}' from {}: {}", name, path, key.error().message()));
  return key;
}

Result<bool> Keystore::has(std::string_view name) const {
  if (name.empty()) return false;
  return exists(*fs_, pathFor(name));
}

Status Keystore::put(std::string_view raw_name, const primitives::KeyInfo& key) {
  if (raw_name.empty()) return fail(StoreError::kInvalidKey, "empty key name");
  const std::string json = primitives::keyInfoToJson(key);
  const bool trash = raw_name.starts_with(kKeystoreTrashPrefix);
  for (int retry = 0;; ++retry) {
    const std::string name = retry == 0 ? std::string(raw_name) : fmt::format("{}-{}", raw_name, retry);
    auto written = writeFileAtomic(*fs_, pathFor(name), asBytes(json), 0600, /*replace=*/false);
    if (written) return ok();
    if (written.error().is(StoreError::kAlreadyExists)) {
      if (trash) continue;
      return fail(StoreError::kAlreadyExists, fmt::format("key '{}' already exists in keystore {}", name, dir_));
    }
    return fail(std::move(written).error().withContext(fmt::format("writing key '{}'", name)));
  }
}

Status Keystore::remove(std::string_view name) {
  if (name.empty()) return fail(StoreError::kInvalidKey, "empty key name");
  const std::string path = pathFor(name);
  auto removed = fs_->removeFile(path);
  if (!removed) {
    if (removed.error().is(StoreError::kNotFound)) {
      return fail(StoreError::kNotFound, fmt::format("key '{}' not found in keystore {}", name, dir_));
    }
    return fail(std::move(removed).error().withContext(fmt::format("deleting key '{}'", name)));
  }
  return fs_->syncDirectory(dir_);
}

}  // namespace fil::store
