// KeyInfo, the private-key record of Lotus's wallet and keystore.
//
// JSON form {"Type":"secp256k1","PrivateKey":"<base64>"}; `lotus wallet
// export` prints the hex of those JSON bytes.
#pragma once

#include <string>
#include <string_view>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/primitives/address.h"

namespace fil::primitives {

// Lotus's key type names.
inline constexpr std::string_view kKeyTypeSecp256k1 = "secp256k1";
inline constexpr std::string_view kKeyTypeBls = "bls";
inline constexpr std::string_view kKeyTypeDelegated = "delegated";
inline constexpr std::string_view kKeyTypeLibp2pHost = "libp2p-host";
inline constexpr std::string_view kKeyTypeJwtHmacSecret = "jwt-hmac-secret";

struct KeyInfo {
  std::string type;
  Bytes private_key;
  friend bool operator==(const KeyInfo&, const KeyInfo&) = default;
};

// A new random secp256k1 wallet key.
KeyInfo newSecp256k1Key();

std::string keyInfoToJson(const KeyInfo& key);
[[nodiscard]] Result<KeyInfo> keyInfoFromJson(std::string_view json);

// `lotus wallet export` form: hex of the JSON.
std::string keyInfoToHex(const KeyInfo& key);
[[nodiscard]] Result<KeyInfo> keyInfoFromHex(std::string_view hex);

// The wallet address of a key (secp256k1 only for now: BLS keys need
// BLS12-381 curve arithmetic, which is on the roadmap).
[[nodiscard]] Result<Address> addressOf(const KeyInfo& key);

}  // namespace fil::primitives
