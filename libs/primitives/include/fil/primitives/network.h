// The network an address is printed for: "f" (mainnet) or "t" (testnets,
// devnets). Parsing accepts both prefixes.
#pragma once

namespace fil::primitives {

enum class Network : char { kMainnet = 'f', kTestnet = 't' };

// The prefix used when an address is printed without naming a network.
// Our chain is a devnet, so the default is kTestnet ("t"), as in Lotus's
// 2k/devnet builds. Set once at start-up, before threads start.
Network currentNetwork();
void setCurrentNetwork(Network network);

}  // namespace fil::primitives
