#include "fil/node/wallet.h"

#include <algorithm>

#include <fmt/format.h>

#include "fil/chain/vrf.h"

namespace fil::node {
namespace {

constexpr std::string_view kNamePrefix = "wallet-";
constexpr std::string_view kDefault = "default";

// Keys are named by the address as Lotus prints it; accept either network
// prefix when looking up, as Lotus's tryFind does for "t"/"f".
std::string keyName(const primitives::Address& a, primitives::Network n) {
  return std::string(kNamePrefix) + a.toString(n);
}

}  // namespace

Result<primitives::KeyInfo> Wallet::find(const primitives::Address& address) const {
  for (auto network : {primitives::currentNetwork(), primitives::Network::kMainnet, primitives::Network::kTestnet}) {
    auto key = keystore_.get(keyName(address, network));
    if (key) return key;
    if (!key.error().is(store::StoreError::kNotFound)) return fail(std::move(key).error());
  }
  return fail(GenericError::kNotFound, fmt::format("key not found for {}", address.toString()));
}

Result<primitives::Address> Wallet::newAddress(std::string_view type) {
  if (type != primitives::kKeyTypeSecp256k1) {
    return fail(primitives::PrimitivesError::kUnsupportedKeyType,
                fmt::format("key type '{}' is not supported (use secp256k1; BLS is on the roadmap)", type));
  }
  std::lock_guard lock(mutex_);
  const auto key = primitives::newSecp256k1Key();
  FIL_ASSIGN_OR_RETURN(auto address, primitives::addressOf(key));
  FIL_TRY(keystore_.put(keyName(address, primitives::currentNetwork()), key));
  FIL_ASSIGN_OR_RETURN(bool has_default, keystore_.has(kDefault));
  if (!has_default) FIL_TRY(keystore_.put(kDefault, key));
  return address;
}

Result<std::vector<primitives::Address>> Wallet::list() const {
  FIL_ASSIGN_OR_RETURN(auto names, keystore_.list());
  std::vector<primitives::Address> out;
  for (const auto& name : names) {
    if (!name.starts_with(kNamePrefix)) continue;
    auto address = primitives::Address::parse(std::string_view(name).substr(kNamePrefix.size()));
    if (!address) continue;  // not a wallet key after all
    if (std::find(out.begin(), out.end(), *address) == out.end()) out.push_back(*address);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<bool> Wallet::has(const primitives::Address& address) const {
  auto key = find(address);
  if (key) return true;
  if (key.error().is(GenericError::kNotFound)) return false;
  return fail(std::move(key).error());
}

Result<primitives::Signature> Wallet::sign(const primitives::Address& address, BytesView data) const {
  FIL_ASSIGN_OR_RETURN(auto key, find(address));
  if (key.type != primitives::kKeyTypeSecp256k1) {
    return fail(primitives::PrimitivesError::kUnsupportedKeyType, fmt::format("cannot sign with a {} key", key.type));
  }
  return primitives::signSecp256k1(key.private_key, data);
}

Result<Bytes> Wallet::computeVrf(const primitives::Address& address, BytesView input) const {
  FIL_ASSIGN_OR_RETURN(auto key, find(address));
  crypto::secp256k1::PrivateKey k{};
  if (key.type != primitives::kKeyTypeSecp256k1 || key.private_key.size() != k.size()) {
    return fail(primitives::PrimitivesError::kUnsupportedKeyType,
                fmt::format("cannot compute a VRF with a {} key", key.type));
  }
  std::copy(key.private_key.begin(), key.private_key.end(), k.begin());
  return chain::computeVrf(k, input);
}

Result<primitives::KeyInfo> Wallet::exportKey(const primitives::Address& address) const { return find(address); }

Result<primitives::Address> Wallet::importKey(const primitives::KeyInfo& key) {
  FIL_ASSIGN_OR_RETURN(auto address, primitives::addressOf(key));
  std::lock_guard lock(mutex_);
  auto put = keystore_.put(keyName(address, primitives::currentNetwork()), key);
  if (!put && !put.error().is(store::StoreError::kAlreadyExists)) {
    return fail(std::move(put).error());
  }
  return address;
}

Status Wallet::remove(const primitives::Address& address) {
  std::lock_guard lock(mutex_);
  FIL_ASSIGN_OR_RETURN(auto key, find(address));
  // As Lotus: keep the key under trash-<name> so a mistake can be undone.
  const std::string name = keyName(address, primitives::currentNetwork());
  FIL_TRY(keystore_.put("trash-" + name, key));
  FIL_TRY(keystore_.remove(name));
  auto current = keystore_.get(kDefault);
  if (current && current->private_key == key.private_key) FIL_TRY(keystore_.remove(kDefault));
  return ok();
}

Result<primitives::Address> Wallet::defaultAddress() const {
  auto key = keystore_.get(kDefault);
  if (!key) {
    if (key.error().is(store::StoreError::kNotFound)) return fail(GenericError::kNotFound, "no default wallet address set");
    return fail(std::move(key).error());
  }
  return primitives::addressOf(*key);
}

Status Wallet::setDefault(const primitives::Address& address) {
  std::lock_guard lock(mutex_);
  FIL_ASSIGN_OR_RETURN(auto key, find(address));
  FIL_ASSIGN_OR_RETURN(bool had, keystore_.has(kDefault));
  if (had) FIL_TRY(keystore_.remove(kDefault));
  return keystore_.put(kDefault, key);
}

}  // namespace fil::node
