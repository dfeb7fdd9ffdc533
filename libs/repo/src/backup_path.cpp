#include "fil/repo/backup_path.h"

#include <cstdlib>

#include <fmt/format.h>

namespace fil::repo {
namespace {

std::filesystem::path expandHome(std::string_view p) {
  if (p == "~" || p.starts_with("~/")) {
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home != nullptr ? home : "/") / std::string(p.substr(std::min<size_t>(p.size(), 2)));
  }
  return std::filesystem::path(p);
}

bool isInside(const std::filesystem::path& child, const std::filesystem::path& base) {
  auto c = child.begin();
  for (auto b = base.begin(); b != base.end(); ++b, ++c) {
    if (b->empty()) continue;  // a trailing separator
    if (c == child.end() || *c != *b) return false;
  }
  return true;
}

}  // namespace

Result<std::filesystem::path> resolveBackupPath(std::string_view requested) {
  const char* base_env = std::getenv(std::string(kBackupBaseEnv).c_str());
  if (base_env == nullptr || std::string_view(base_env).empty()) {
    return fail(GenericError::kPermission,
                fmt::format("{} env var not set (it must be set in the environment of the node that writes the backup)",
                            kBackupBaseEnv));
  }
  std::error_code ec;
  const auto base = std::filesystem::weakly_canonical(std::filesystem::absolute(expandHome(base_env)), ec);
  if (ec) return fail(GenericError::kInvalidArgument, fmt::format("{} ({}): {}", kBackupBaseEnv, base_env, ec.message()));
  if (requested.empty()) return fail(GenericError::kInvalidArgument, "no backup file name given");

  const auto wanted = std::filesystem::absolute(expandHome(requested));
  if (!wanted.has_filename()) {
    return fail(GenericError::kInvalidArgument, fmt::format("backup file name ({}) names a directory", wanted.string()));
  }
  // Resolve the directory part through "..", "." and symlinks; keep the name.
  const auto dir = std::filesystem::weakly_canonical(wanted.parent_path(), ec);
  if (ec) return fail(GenericError::kInvalidArgument, fmt::format("backup directory {}: {}", wanted.parent_path().string(), ec.message()));
  const auto resolved = dir / wanted.filename();
  if (wanted.filename() == ".." || wanted.filename() == "." || !isInside(resolved, base) || resolved == base) {
    return fail(GenericError::kPermission,
                fmt::format("backup file name ({}) must be inside base path ({})", resolved.string(), base.string()));
  }
  if (std::filesystem::symlink_status(resolved, ec).type() != std::filesystem::file_type::not_found) {
    return fail(GenericError::kAlreadyExists, fmt::format("backup file {} already exists", resolved.string()));
  }
  if (!std::filesystem::is_directory(dir)) {
    return fail(GenericError::kNotFound, fmt::format("backup directory {} does not exist", dir.string()));
  }
  return resolved;
}

}  // namespace fil::repo
