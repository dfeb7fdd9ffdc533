// lotus-shed address <address>: what an address is made of.
#include <cstdio>

#include "command.h"
#include "fil/base/hex.h"
#include "fil/primitives/address.h"

namespace fil::shed {
namespace {

std::string_view protocolName(primitives::AddressProtocol p) {
  switch (p) {
    case primitives::AddressProtocol::kId: return "ID";
    case primitives::AddressProtocol::kSecp256k1: return "secp256k1";
    case primitives::AddressProtocol::kActor: return "actor";
    case primitives::AddressProtocol::kBls: return "BLS";
    case primitives::AddressProtocol::kDelegated: return "delegated";
  }
  return "unknown";
}

}  // namespace

void registerAddressCommands(CLI::App& app) {
  auto* cmd = app.add_subcommand("address", "decode a Filecoin address (text, or hex of its bytes)");
  auto input = std::make_shared<std::string>();
  cmd->add_option("address", *input, "f0.../t1... or hex bytes")->required();
  cmd->callback([input] {
    auto address = primitives::Address::parse(*input);
    if (!address) {
      // Not text: perhaps the binary form in hex.
      auto bytes = fromHex(*input);
      if (!bytes) check(Status(fail(address.error())));
      address = primitives::Address::fromBytes(*bytes);
    }
    const auto& a = check(std::move(address));
    std::printf("Address:  %s\n", a.toString().c_str());
    std::printf("Mainnet:  %s\n", a.toString(primitives::Network::kMainnet).c_str());
    std::printf("Protocol: %d (%s)\n", static_cast<int>(a.protocol()), std::string(protocolName(a.protocol())).c_str());
    std::printf("Bytes:    %s\n", toHex(a.toBytes()).c_str());
    std::printf("Payload:  %s\n", toHex(a.payload()).c_str());
    if (a.isId()) {
      std::printf("ID:       %llu\n", static_cast<unsigned long long>(check(a.idValue())));
    } else {
      if (a.protocol() == primitives::AddressProtocol::kDelegated) {
        auto [ns, sub] = check(a.delegatedParts());
        std::printf("Namespace: %llu\nSubaddress: %s\n", static_cast<unsigned long long>(ns), toHex(sub).c_str());
      }
      std::printf("Checksum: %s\n", toHex(a.checksum()).c_str());
    }
  });
}

}  // namespace fil::shed
