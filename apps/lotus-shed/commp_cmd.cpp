// lotus-shed commp FILE: the piece CID (commP) of a file, its payload size
// and padded piece size, with a progress bar on stderr for big files.
#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

#include "command.h"
#include "fil/proofs/commp.h"

namespace fil::shed {

void registerCommPCommands(CLI::App& app) {
  auto* cmd = app.add_subcommand("commp", "compute the piece CID (commP) of a file");
  auto path = std::make_shared<std::string>();
  cmd->add_option("file", *path, "the file")->required();
  cmd->callback([path] {
    constexpr uint64_t kBarAbove = uint64_t{64} << 20;
    const bool tty = isatty(STDERR_FILENO) != 0;
    bool drew = false;
    int shown = -1;
    auto progress = [&](uint64_t done, uint64_t total) {
      if (total < kBarAbove) return true;
      const int percent = static_cast<int>(done * 100 / total);
      // Redraw on a terminal at each percent; in a log every tenth.
      if (percent == shown || (!tty && percent / 10 == shown / 10 && percent != 100)) return true;
      shown = percent;
      const int filled = percent / 4;
      fmt::print(stderr, "{}[{:<25}] {:3}% {} / {} MiB{}", tty ? "\r" : "", std::string(filled, '='), percent,
                 done >> 20, total >> 20, tty ? "" : "\n");
      drew = true;
      return true;
    };
    const auto p = check(proofs::commPOfFile(*path, progress));
    if (drew && tty) fmt::print(stderr, "\n");
    fmt::print("CommP CID:    {}\n", proofs::pieceCid(p.commitment).toString());
    fmt::print("Payload size: {}\n", p.payload_size);
    fmt::print("Piece size:   {}\n", p.padded_size);
  });
}

}  // namespace fil::shed
