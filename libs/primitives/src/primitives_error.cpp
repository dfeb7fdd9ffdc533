#include "fil/primitives/primitives_error.h"

#include "fil/primitives/network.h"

namespace fil::primitives {

std::string_view describe(PrimitivesError e) {
  switch (e) {
    case PrimitivesError::kInvalidAddress: return "invalid address";
    case PrimitivesError::kInvalidChecksum: return "invalid address checksum";
    case PrimitivesError::kUnknownProtocol: return "unknown address protocol";
    case PrimitivesError::kInvalidPayload: return "invalid address payload";
    case PrimitivesError::kInvalidAmount: return "invalid token amount";
    case PrimitivesError::kInvalidSignature: return "invalid signature";
    case PrimitivesError::kInvalidKeyInfo: return "invalid key info";
    case PrimitivesError::kUnsupportedKeyType: return "unsupported key type";
  }
  return "unknown primitives error";
}

namespace {
Network g_network = Network::kTestnet;
}

Network currentNetwork() { return g_network; }
void setCurrentNetwork(Network network) { g_network = network; }

}  // namespace fil::primitives
