// lotus-shed backup inspect FILE: validates a Lotus backup (lotus-miner
// backup, lotus backup, kvlog files) and prints what it holds, as Lotus's
// `lotus-shed datastore backup stat` does, with the checksum status and a
// count of keys per top-level namespace.
#include <cstdio>
#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "command.h"
#include "fil/base/hex.h"
#include "fil/store/backup.h"

namespace fil::shed {

namespace {

std::string topLevel(std::string_view key) {
  const store::Key k(key);
  const auto parts = k.namespaces();
  return parts.empty() ? "/" : "/" + std::string(parts[0]);
}

}  // namespace

void registerBackupCommands(CLI::App& app) {
  auto* backup = app.add_subcommand("backup", "work with Lotus datastore backup files");
  backup->require_subcommand(1);

  auto* inspect = backup->add_subcommand("inspect", "validate a backup file and print its entries and checksum status");
  auto file = std::make_shared<std::string>();
  auto allow_truncated = std::make_shared<bool>(false);
  inspect->add_option("file", *file, "backup file")->required();
  inspect->add_flag("--allow-truncated-log", *allow_truncated,
                    "accept a torn last log entry (also LOTUS_ALLOW_TRUNCATED_LOG=1)");
  inspect->callback([file, allow_truncated] {
    store::BackupReadOptions options;
    const char* env = std::getenv("LOTUS_ALLOW_TRUNCATED_LOG");
    options.allow_truncated_log = *allow_truncated || (env != nullptr && std::string_view(env) == "1");

    auto in = check(store::FileSource::open(store::defaultFileSystem(), *file));
    const uint64_t size = check(in->size());
    uint64_t key_bytes = 0, value_bytes = 0;
    std::map<std::string, uint64_t> namespaces;
    store::BackupSummary progress;
    auto summary = store::readBackup(
        *in,
        [&](const store::BackupEntry& e) {
          key_bytes += e.key.size();
          value_bytes += e.value.size();
          ++namespaces[topLevel(e.key)];
          return ok();
        },
        options, &progress);

    fmt::print("File:          {}\n", *file);
    fmt::print("Size:          {} bytes\n", size);
    fmt::print("Keys:          {}\n", progress.entries);
    fmt::print("Log values:    {}\n", progress.log_entries);
    fmt::print("Key bytes:     {}\n", key_bytes);
    fmt::print("Value bytes:   {}\n", value_bytes);
    if (!summary) {
      if (!progress.checksum.empty()) {
        fmt::print("Checksum:      ok (sha256 {}); the log after it is damaged\n", toHex(progress.checksum));
      } else if (summary.error().is(store::StoreError::kChecksumMismatch)) {
        fmt::print("Checksum:      MISMATCH\n");
      } else {
        fmt::print("Checksum:      not reached (the file ends or breaks before it)\n");
      }
      std::fflush(stdout);
      failCommand(summary.error().message());
    }
    fmt::print("Checksum:      ok (sha256 {})\n", toHex(summary->checksum));
    fmt::print("Truncated log: {}\n", summary->log_truncated ? "yes (last entry ignored)" : "no");
    fmt::print("Namespaces:\n");
    for (const auto& [ns, count] : namespaces) fmt::print("  {:<30} {}\n", ns, count);
  });
}

}  // namespace fil::shed
