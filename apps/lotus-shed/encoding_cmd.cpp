// lotus-shed base16 | base32 | base64 [--decode] [input]
#include <cstdio>

#include "command.h"
#include "fil/base/base32.h"
#include "fil/base/base64.h"
#include "fil/base/hex.h"

namespace fil::shed {
namespace {

std::string trimSpace(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

struct Codec {
  std::string name;
  std::string description;
  std::string (*encode)(BytesView);
  Result<Bytes> (*decode)(std::string_view);
};

void addCodecCommand(CLI::App& app, const Codec& codec) {
  auto* cmd = app.add_subcommand(codec.name, codec.description);
  auto decode = std::make_shared<bool>(false);
  auto input = std::make_shared<std::string>();
  cmd->add_flag("--decode", *decode, "Decode the " + codec.name + " input");
  auto* arg = cmd->add_option("input", *input, "Input (default: standard input)");
  cmd->callback([codec, decode, input, arg] {
    const std::string text = argumentOrStdin(*input, arg->count() > 0);
    if (*decode) {
      const Bytes bytes = check(codec.decode(trimSpace(text)));
      std::fwrite(bytes.data(), 1, bytes.size(), stdout);
      std::fputc('\n', stdout);
    } else {
      std::printf("%s\n", codec.encode(asBytes(text)).c_str());
    }
  });
}

}  // namespace

void registerEncodingCommands(CLI::App& app) {
  // As Lotus: base32 is Go's RawStdEncoding (upper case, no padding), base64
  // the padded standard alphabet, base16 lower-case hex.
  addCodecCommand(app, {"base16", "standard hex", [](BytesView b) { return toHex(b); },
                        [](std::string_view s) { return fromHex(s); }});
  addCodecCommand(app, {"base32", "multiformats base32 (Go RawStdEncoding)",
                        [](BytesView b) { return toBase32(b, Base32Case::kUpper); },
                        [](std::string_view s) { return fromBase32(s, Base32Case::kUpper); }});
  addCodecCommand(app, {"base64", "standard base64", [](BytesView b) { return toBase64(b); },
                        [](std::string_view s) { return fromBase64(s); }});
}

}  // namespace fil::shed
