// Node repositories in Lotus's layout:
//
//   <repo>/config.toml   node config (commented defaults when created)
//   <repo>/keystore/     keys (0700; files 0600)
//   <repo>/datastore/    the node's RocksDB (namespaces /metadata, /chain, ...)
//   <repo>/api           the API's listen multiaddr while the node runs
//   <repo>/token         an admin token for local CLI use (0600)
//   <repo>/repo.lock     held while a process has the repo open
//   <repo>/storage.json  (miners) sector storage paths
//
//   FIL_TRY(Repo::init(path, RepoType::kStorageMiner));
//   FIL_ASSIGN_OR_RETURN(auto repo, Repo::open(path, RepoType::kStorageMiner));
//   FIL_ASSIGN_OR_RETURN(auto secret, repo->apiSecret());
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "fil/base/error.h"
#include "fil/codec/reflect.h"
#include "fil/store/datastore.h"
#include "fil/store/keystore.h"

namespace fil::repo {

enum class RepoError {
  kNotInitialized = 1,
  kAlreadyInitialized,
  kLocked,
  kInvalid,
};
std::string_view describe(RepoError e);

}  // namespace fil::repo

FIL_REGISTER_ERROR(fil::repo::RepoError, "repo");

namespace fil::repo {

enum class RepoType { kFullNode, kStorageMiner, kMarkets };

// storage.json (Lotus's StorageConfig).
struct LocalPath {
  std::string path;
  friend bool operator==(const LocalPath&, const LocalPath&) = default;
};
FIL_CBOR_MAP(LocalPath, (path, "Path"))

struct StorageConfig {
  std::vector<LocalPath> storage_paths;
  friend bool operator==(const StorageConfig&, const StorageConfig&) = default;
};
FIL_CBOR_MAP(StorageConfig, (storage_paths, "StoragePaths"))

// The key holding the API's JWT secret, as Lotus names it.
inline constexpr std::string_view kJwtSecretKeyName = "auth-jwt-private";

class Repo {
 public:
  // Creates the repo directory with a commented default config.toml and an
  // empty keystore; kAlreadyInitialized when it already holds a repo.
  [[nodiscard]] static Status init(const std::filesystem::path& path, RepoType type);
  [[nodiscard]] static Result<bool> exists(const std::filesystem::path& path);

  // Takes the repo's lock (kLocked naming the holder's pid if another
  // process has it) and opens its keystore. The datastore opens on first use.
  [[nodiscard]] static Result<std::unique_ptr<Repo>> open(const std::filesystem::path& path, RepoType type);

  ~Repo();  // releases the lock, removes the api file
  Repo(const Repo&) = delete;
  Repo& operator=(const Repo&) = delete;

  const std::filesystem::path& path() const { return path_; }
  RepoType type() const { return type_; }
  std::filesystem::path configPath() const { return path_ / "config.toml"; }

  store::Keystore& keystore() { return keystore_; }
  [[nodiscard]] Result<store::Datastore*> datastore();

  // The API secret: loaded, or created on first use (32 random bytes, key
  // type jwt-hmac-secret) together with an admin token in <repo>/token.
  [[nodiscard]] Result<Bytes> apiSecret();

  // Written when the API server starts; the api file is removed on close.
  [[nodiscard]] Status setApiEndpoint(const std::string& multiaddr);
  [[nodiscard]] Status setApiToken(const std::string& token);

  [[nodiscard]] Result<StorageConfig> storageConfig() const;
  [[nodiscard]] Status setStorageConfig(const StorageConfig& config);

 private:
  Repo(std::filesystem::path path, RepoType type, int lock_fd, store::Keystore keystore);

  std::filesystem::path path_;
  RepoType type_;
  int lock_fd_;
  store::Keystore keystore_;
  std::unique_ptr<store::Datastore> datastore_;
  bool wrote_api_ = false;
};

}  // namespace fil::repo
