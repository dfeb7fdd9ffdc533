#include "fil/repo/repo.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>

#include "fil/codec/json.h"
#include "fil/config/loader.h"
#include "fil/config/node_config.h"
#include "fil/crypto/random.h"
#include "fil/primitives/key_info.h"
#include "fil/rpc/jwt.h"
#include "fil/store/rocksdb_datastore.h"

namespace fil::repo {

std::string_view describe(RepoError e) {
  switch (e) {
    case RepoError::kNotInitialized: return "repo not initialized";
    case RepoError::kAlreadyInitialized: return "repo already initialized";
    case RepoError::kLocked: return "repo is locked by another process";
    case RepoError::kInvalid: return "invalid repo";
  }
  return "unknown repo error";
}

namespace {

store::FileSystem& fs() { return store::defaultFileSystem(); }

std::string defaultConfig(RepoType type) {
  if (type == RepoType::kFullNode) return config::render(config::FullNodeConfig{}, config::RenderMode::kCommented) + "\n";
  return config::render(config::MinerConfig{}, config::RenderMode::kCommented) + "\n";
}

}  // namespace

Result<bool> Repo::exists(const std::filesystem::path& path) {
  return store::exists(fs(), (path / "keystore").string());
}

Status Repo::init(const std::filesystem::path& path, RepoType type) {
  FIL_ASSIGN_OR_RETURN(bool present, exists(path));
  if (present) {
    return fail(RepoError::kAlreadyInitialized, fmt::format("repo at '{}' is already initialized", path.string()));
  }
  FIL_TRY(store::createDirectories(fs(), path.string(), 0755));
  const std::string config = (path / "config.toml").string();
  FIL_ASSIGN_OR_RETURN(bool has_config, store::exists(fs(), config));
  if (!has_config) FIL_TRY(store::writeFileAtomic(fs(), config, asBytes(defaultConfig(type)), 0644));
  FIL_TRY(store::createDirectories(fs(), (path / "datastore").string(), 0755));
  // The keystore last: its presence marks an initialised repo.
  FIL_TRY(store::Keystore::open(fs(), (path / "keystore").string(), true));
  return ok();
}

Result<std::unique_ptr<Repo>> Repo::open(const std::filesystem::path& path, RepoType type) {
  FIL_ASSIGN_OR_RETURN(bool present, exists(path));
  if (!present) {
    return fail(RepoError::kNotInitialized, fmt::format("repo at '{}' is not initialized", path.string()));
  }
  const std::string lock_path = (path / "repo.lock").string();
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return fail(errnoError("opening " + lock_path, errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char pid[32] = {};
    const ssize_t n = ::pread(fd, pid, sizeof pid - 1, 0);
    ::close(fd);
    std::string holder = n > 0 ? std::string(pid, static_cast<size_t>(n)) : "unknown";
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    return fail(RepoError::kLocked, fmt::format("repo at '{}' is locked by process {} (is the node already running?)",
                                                path.string(), holder));
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    const int e = errno;
    ::close(fd);
    return fail(errnoError("writing " + lock_path, e));
  }
  auto keystore = store::Keystore::open(fs(), (path / "keystore").string(), false);
  if (!keystore) {
    ::close(fd);
    return fail(std::move(keystore).error());
  }
  return std::unique_ptr<Repo>(new Repo(path, type, fd, std::move(*keystore)));
}

Repo::Repo(std::filesystem::path path, RepoType type, int lock_fd, store::Keystore keystore)
    : path_(std::move(path)), type_(type), lock_fd_(lock_fd), keystore_(std::move(keystore)) {}

Repo::~Repo() {
  if (datastore_) (void)datastore_->close();
  if (wrote_api_) (void)fs().removeFile((path_ / "api").string());
  ::ftruncate(lock_fd_, 0);
  ::flock(lock_fd_, LOCK_UN);
  ::close(lock_fd_);
}

Result<store::Datastore*> Repo::datastore() {
  if (!datastore_) {
    FIL_ASSIGN_OR_RETURN(datastore_, store::openRocksDatastore((path_ / "datastore").string()));
  }
  return datastore_.get();
}

Result<Bytes> Repo::apiSecret() {
  auto existing = keystore_.get(kJwtSecretKeyName);
  if (existing) return existing->private_key;
  if (!existing.error().is(store::StoreError::kNotFound)) return fail(std::move(existing).error());
  const Bytes secret = crypto::randomBytes(rpc::kJwtSecretSize);
  FIL_TRY(keystore_.put(kJwtSecretKeyName, {std::string(primitives::kKeyTypeJwtHmacSecret), secret}));
  // As Lotus does when it creates the secret: an admin token for the local CLI.
  const rpc::JwtAuth auth(secret);
  FIL_TRY(setApiToken(auth.create({rpc::allPermissions(), std::nullopt, std::nullopt})));
  return secret;
}

Status Repo::setApiEndpoint(const std::string& multiaddr) {
  FIL_TRY(store::writeFileAtomic(fs(), (path_ / "api").string(), asBytes(multiaddr), 0644));
  wrote_api_ = true;
  return ok();
}

Status Repo::setApiToken(const std::string& token) {
  return store::writeFileAtomic(fs(), (path_ / "token").string(), asBytes(token), 0600);
}

Result<StorageConfig> Repo::storageConfig() const {
  const std::string file = (path_ / "storage.json").string();
  FIL_ASSIGN_OR_RETURN(bool present, store::exists(fs(), file));
  if (!present) return StorageConfig{};
  FIL_ASSIGN_OR_RETURN(auto bytes, store::readFile(fs(), file));
  const auto json = codec::Json::parse(asString(bytes), nullptr, false);
  if (json.is_discarded()) return fail(RepoError::kInvalid, fmt::format("{} is not valid JSON", file));
  StorageConfig out;
  FIL_TRY(codec::fromJson(json, out).map_error([&](Error e) { return std::move(e).withContext(file); }));
  return out;
}

Status Repo::setStorageConfig(const StorageConfig& config) {
  codec::Json json = codec::toJson(config);
  if (json["StoragePaths"].is_null()) json["StoragePaths"] = codec::Json::array();
  return store::writeFileAtomic(fs(), (path_ / "storage.json").string(), asBytes(json.dump(2) + "\n"), 0644);
}

}  // namespace fil::repo
