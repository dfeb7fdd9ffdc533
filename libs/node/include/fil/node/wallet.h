// The full node's local wallet, as Lotus keeps it in the keystore: one key
// per address named "wallet-<address>", the default address's key copied
// under "default", deleted keys moved to "trash-wallet-<address>".
//
// Only secp256k1 keys for now (BLS needs BLS12-381, on the roadmap).
#pragma once

#include <mutex>
#include <optional>
#include <vector>

#include "fil/base/error.h"
#include "fil/primitives/address.h"
#include "fil/primitives/key_info.h"
#include "fil/primitives/signature.h"
#include "fil/store/keystore.h"

namespace fil::node {

class Wallet {
 public:
  explicit Wallet(store::Keystore& keystore) : keystore_(keystore) {}

  // A new key of `type` ("secp256k1"); it becomes the default if there is none.
  [[nodiscard]] Result<primitives::Address> newAddress(std::string_view type);
  [[nodiscard]] Result<std::vector<primitives::Address>> list() const;
  [[nodiscard]] Result<bool> has(const primitives::Address& address) const;
  // Signs `data` (for a message, its CID bytes) with the key of `address`.
  [[nodiscard]] Result<primitives::Signature> sign(const primitives::Address& address, BytesView data) const;
  // The worker's VRF proof over `input` (tickets and election proofs: an
  // ECVRF over the secp256k1 key, chain/vrf.h).
  [[nodiscard]] Result<Bytes> computeVrf(const primitives::Address& address, BytesView input) const;
  [[nodiscard]] Result<primitives::KeyInfo> exportKey(const primitives::Address& address) const;
  [[nodiscard]] Result<primitives::Address> importKey(const primitives::KeyInfo& key);
  [[nodiscard]] Status remove(const primitives::Address& address);
  // kNotFound when no default is set.
  [[nodiscard]] Result<primitives::Address> defaultAddress() const;
  [[nodiscard]] Status setDefault(const primitives::Address& address);

 private:
  [[nodiscard]] Result<primitives::KeyInfo> find(const primitives::Address& address) const;
  store::Keystore& keystore_;
  mutable std::mutex mutex_;
};

}  // namespace fil::node
