// lotus-shed keyinfo new <type> | keyinfo info [file]
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "command.h"
#include "fil/base/base64.h"
#include "fil/crypto/secp256k1.h"
#include "fil/primitives/key_info.h"

namespace fil::shed {
namespace {

std::string replaceAll(std::string s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

std::string readFileOrStdin(const std::string& path, bool given) {
  if (!given) return argumentOrStdin({}, false);
  std::ifstream in(path, std::ios::binary);
  if (!in) failCommand("cannot open " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes `content` to a new file readable by the owner only.
void writePrivateFile(const std::string& path, const std::string& content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) check(Status(fail(errnoError("creating " + path, errno))));
  const ssize_t written = ::write(fd, content.data(), content.size());
  const int write_errno = errno;
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (written != static_cast<ssize_t>(content.size()) || !synced) {
    check(Status(fail(errnoError("writing " + path, write_errno))));
  }
}

}  // namespace

void registerKeyInfoCommands(CLI::App& app) {
  auto* keyinfo = app.add_subcommand("keyinfo", "work with lotus keyinfo files (wallets and libp2p host keys)");
  keyinfo->require_subcommand(1);

  auto* create = keyinfo->add_subcommand("new", "create a new keyinfo file of the provided type");
  auto type = std::make_shared<std::string>();
  auto output = std::make_shared<std::string>("<type>-<addr>.keyinfo");
  auto silent = std::make_shared<bool>(false);
  create->add_option("type", *type, "secp256k1 (bls needs BLS12-381 keys, not built yet)")->required();
  create->add_option("--output", *output, "output file name; <type> and <addr> are replaced")->capture_default_str();
  create->add_flag("--silent", *silent, "do not print the address to stdout");
  create->callback([type, output, silent] {
    if (*type != primitives::kKeyTypeSecp256k1) {
      failCommand("key type '" + *type + "' cannot be generated here yet; use secp256k1");
    }
    const auto key = primitives::newSecp256k1Key();
    const auto address = check(primitives::addressOf(key)).toString();
    std::string filename = replaceAll(replaceAll(*output, "<addr>", address), "<type>", *type);
    writePrivateFile(filename, primitives::keyInfoToHex(key));
    if (!*silent) std::printf("%s\n", address.c_str());
  });

  auto* info = keyinfo->add_subcommand("info", "print information about a keyinfo file (hex, as lotus wallet export writes it)");
  auto file = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("{{ .Type }} {{ .Address }}");
  auto* file_arg = info->add_option("file", *file, "keyinfo file (default: standard input)");
  info->add_option("--format", *format, "output template with {{ .Type }}, {{ .Address }}, {{ .PublicKey }}")
      ->capture_default_str();
  info->callback([file, file_arg, format] {
    const auto key = check(primitives::keyInfoFromHex(readFileOrStdin(*file, file_arg->count() > 0)));
    const auto address = check(primitives::addressOf(key));
    crypto::secp256k1::PrivateKey pk;
    std::copy(key.private_key.begin(), key.private_key.end(), pk.begin());
    const auto public_key = check(crypto::secp256k1::derivePublicKey(pk));
    std::string out = *format;
    out = replaceAll(out, "{{ .Type }}", key.type);
    out = replaceAll(out, "{{ .Address }}", address.toString());
    out = replaceAll(out, "{{ .PublicKey }}", toBase64(public_key));
    std::printf("%s\n", out.c_str());
  });
}

}  // namespace fil::shed
