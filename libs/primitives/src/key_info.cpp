#include "fil/primitives/key_info.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "fil/base/base64.h"
#include "fil/base/hex.h"
#include "fil/crypto/secp256k1.h"

namespace fil::primitives {

KeyInfo newSecp256k1Key() {
  const auto key = crypto::secp256k1::generatePrivateKey();
  return KeyInfo{std::string(kKeyTypeSecp256k1), Bytes(key.begin(), key.end())};
}

std::string keyInfoToJson(const KeyInfo& key) {
  // Field order as Go's encoding/json writes the struct: Type, PrivateKey.
  nlohmann::ordered_json j;
  j["Type"] = key.type;
  j["PrivateKey"] = toBase64(key.private_key);
  return j.dump();
}

Result<KeyInfo> keyInfoFromJson(std::string_view json) {
  const auto j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return fail(PrimitivesError::kInvalidKeyInfo, "key info is not a JSON object");
  }
  const auto type = j.find("Type");
  const auto pk = j.find("PrivateKey");
  if (type == j.end() || !type->is_string()) {
    return fail(PrimitivesError::kInvalidKeyInfo, "key info has no string field \"Type\"");
  }
  if (pk == j.end() || !pk->is_string()) {
    return fail(PrimitivesError::kInvalidKeyInfo, "key info has no base64 string field \"PrivateKey\"");
  }
  auto bytes = fromBase64(pk->get<std::string>());
  if (!bytes) return fail(PrimitivesError::kInvalidKeyInfo, "PrivateKey: " + bytes.error().message());
  return KeyInfo{type->get<std::string>(), std::move(*bytes)};
}

std::string keyInfoToHex(const KeyInfo& key) { return toHex(asBytes(keyInfoToJson(key))); }

Result<KeyInfo> keyInfoFromHex(std::string_view hex) {
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r' || hex.back() == ' ')) hex.remove_suffix(1);
  auto bytes = fromHex(hex);
  if (!bytes) return fail(PrimitivesError::kInvalidKeyInfo, "exported key is not hex: " + bytes.error().message());
  return keyInfoFromJson(asString(*bytes));
}

Result<Address> addressOf(const KeyInfo& key) {
  if (key.type == kKeyTypeSecp256k1) {
    if (key.private_key.size() != 32) {
      return fail(PrimitivesError::kInvalidKeyInfo,
                  fmt::format("secp256k1 private key must be 32 bytes, got {}", key.private_key.size()));
    }
    crypto::secp256k1::PrivateKey pk;
    std::copy(key.private_key.begin(), key.private_key.end(), pk.begin());
    FIL_ASSIGN_OR_RETURN(auto pub, crypto::secp256k1::derivePublicKey(pk));
    return Address::secp256k1(pub);
  }
  if (key.type == kKeyTypeBls) {
    return fail(PrimitivesError::kUnsupportedKeyType, "BLS keys are not supported yet (BLS12-381 is on the roadmap)");
  }
  return fail(PrimitivesError::kUnsupportedKeyType, fmt::format("key type '{}' has no wallet address", key.type));
}

}  // namespace fil::primitives
