// Where an online backup (the CreateBackup API) may be written.
//
// As Lotus: LOTUS_BACKUP_BASE_PATH must be set in the *node's* environment,
// and "~" expands. Unlike Lotus (lotus-split.md, section 3), containment is
// real: ".." and symlinks in the parents are resolved before the check, and
// the comparison is by path components, so a base of /backup does not admit
// /backup2/x. The file must not exist yet (a backup never overwrites).
#pragma once

#include <filesystem>
#include <string_view>

#include "fil/base/error.h"

namespace fil::repo {

inline constexpr std::string_view kBackupBaseEnv = "LOTUS_BACKUP_BASE_PATH";

// `requested` should be absolute (the CLI resolves it in the caller's
// directory); a relative one resolves against the node's directory.
[[nodiscard]] Result<std::filesystem::path> resolveBackupPath(std::string_view requested);

}  // namespace fil::repo
