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
#include "fil/net/peer_id.h"
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

struct KeyDescription {
  std::string address;     // wallet address, or peer ID for a host key
  std::string public_key;  // base64 of the raw public key
};

KeyDescription describeKey(const primitives::KeyInfo& key) {
  if (key.type == primitives::kKeyTypeLibp2pHost) {
    const auto host = check(net::HostKey::fromKeyInfo(key));
    return {host.peerId().toString(), toBase64(host.publicKey().data())};
  }
  const auto address = check(primitives::addressOf(key));
  crypto::secp256k1::PrivateKey pk;
  std::copy(key.private_key.begin(), key.private_key.end(), pk.begin());
  return {address.toString(), toBase64(check(crypto::secp256k1::derivePublicKey(pk)))};
}

}  // namespace

void registerKeyInfoCommands(CLI::App& app) {
  auto* keyinfo = app.add_subcommand("keyinfo", "work with lotus keyinfo files (wallets and libp2p host keys)");
  keyinfo->require_subcommand(1);

  auto* create = keyinfo->add_subcommand("new", "create a new keyinfo file of the provided type");
  auto type = std::make_shared<std::string>();
  auto output = std::make_shared<std::string>("<type>-<addr>.keyinfo");
  auto silent = std::make_shared<bool>(false);
  create->add_option("type", *type, "secp256k1 or libp2p-host (bls needs BLS12-381 keys, not built yet)")->required();
  create->add_option("--output", *output, "output file name; <type> and <addr> are replaced")->capture_default_str();
  create->add_flag("--silent", *silent, "do not print the address to stdout");
  create->callback([type, output, silent] {
    primitives::KeyInfo key;
    if (*type == primitives::kKeyTypeSecp256k1) {
      key = primitives::newSecp256k1Key();
    } else if (*type == primitives::kKeyTypeLibp2pHost) {
      key = net::HostKey::generate().toKeyInfo();  // Ed25519, as Lotus generates
    } else {
      failCommand("key type '" + *type + "' cannot be generated here yet; use secp256k1 or libp2p-host");
    }
    const auto address = describeKey(key).address;
    std::string filename = replaceAll(replaceAll(*output, "<addr>", address), "<type>", *type);
    writePrivateFile(filename, primitives::keyInfoToHex(key));
    if (!*silent) std::printf("%s\n", address.c_str());
  });

  auto* info = keyinfo->add_subcommand("info", "print information about a keyinfo file (hex, as lotus wallet export writes it)");
  auto file = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("{{ .Type }} {{ .Address }}");
  auto* file_arg = info->add_option("file", *file, "keyinfo file (default: standard input)");
  info->add_option("--format", *format,
                   "output template with {{ .Type }}, {{ .Address }} (the peer ID of a libp2p-host key), {{ .PublicKey }}")
      ->capture_default_str();
  info->callback([file, file_arg, format] {
    const auto key = check(primitives::keyInfoFromHex(readFileOrStdin(*file, file_arg->count() > 0)));
    const auto description = describeKey(key);
    std::string out = *format;
    out = replaceAll(out, "{{ .Type }}", key.type);
    out = replaceAll(out, "{{ .Address }}", description.address);
    out = replaceAll(out, "{{ .PublicKey }}", description.public_key);
    std::printf("%s\n", out.c_str());
  });
}

}  // namespace fil::shed
