// lotus-shed cid <cid>: the parts of a CID.
#include <cstdio>

#include <fmt/format.h>

#include "command.h"
#include "fil/base/hex.h"
#include "fil/cid/cid.h"

namespace fil::shed {

void registerCidCommands(CLI::App& app) {
  auto* cmd = app.add_subcommand("cid", "decode a CID (any multibase, or CIDv0)");
  auto input = std::make_shared<std::string>();
  cmd->add_option("cid", *input, "the CID")->required();
  cmd->callback([input] {
    auto parsed = cid::Cid::parse(*input);
    if (!parsed) {
      if (auto bytes = fromHex(*input)) parsed = cid::Cid::fromBytes(*bytes);
    }
    const auto c = check(std::move(parsed));
    fmt::print("CID:       {}\n", c.toString());
    fmt::print("Version:   {}\n", c.version());
    fmt::print("Codec:     {} (0x{:x})\n", cid::codecName(c.codec()), static_cast<uint64_t>(c.codec()));
    fmt::print("Multihash: {} (0x{:x})\n", cid::hashName(c.hash().code()), static_cast<uint64_t>(c.hash().code()));
    fmt::print("Length:    {}\n", c.hash().digest().size());
    fmt::print("Digest:    {}\n", toHex(c.hash().digest()));
    fmt::print("Bytes:     {}\n", toHex(c.toBytes()));
  });
}

}  // namespace fil::shed
