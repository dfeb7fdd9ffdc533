// libp2p identities: public keys, peer IDs and the host's own key.
//
//   HostKey key = HostKey::generate();                  // Ed25519, as Lotus makes
//   primitives::KeyInfo ki = key.toKeyInfo();           // {"Type":"libp2p-host", ...}
//   PeerId id = key.peerId();                           // 12D3KooW...
//   FIL_ASSIGN_OR_RETURN(PeerId p, PeerId::parse("bafzaa..."));   // either text form
//
// Keys travel as the libp2p protobuf {Type, Data}. A peer ID is the multihash
// of that protobuf: the identity multihash when it is at most 42 bytes
// (Ed25519 and secp256k1 keys), sha2-256 otherwise.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/cid/multihash.h"
#include "fil/net/net_error.h"
#include "fil/primitives/key_info.h"

namespace fil::net {

enum class KeyType : uint8_t { kRsa = 0, kEd25519 = 1, kSecp256k1 = 2, kEcdsa = 3 };

// A peer's public key. Ed25519 and secp256k1 keys are supported, the two
// kinds Filecoin nodes use; RSA and ECDSA keys are refused when parsed.
class PublicKey {
 public:
  // Parses the libp2p PublicKey protobuf.
  [[nodiscard]] static Result<PublicKey> fromProtobuf(BytesView bytes);
  static PublicKey ed25519(const ByteArray<32>& key);
  // 33-byte compressed or 65-byte uncompressed; stored compressed, as libp2p does.
  [[nodiscard]] static Result<PublicKey> secp256k1(BytesView key);

  KeyType type() const { return type_; }
  const Bytes& data() const { return data_; }  // 32 bytes Ed25519, 33 bytes secp256k1
  Bytes toProtobuf() const;

  // Ed25519: the signature over the message. secp256k1: a DER signature over
  // sha256(message), as libp2p signs.
  bool verify(BytesView message, BytesView signature) const;

  friend bool operator==(const PublicKey&, const PublicKey&) = default;

 private:
  PublicKey(KeyType type, Bytes data) : type_(type), data_(std::move(data)) {}
  KeyType type_;
  Bytes data_;
};

class PeerId {
 public:
  // An empty placeholder (what decoders fill, as for an API result); real
  // IDs come from the factories below.
  PeerId() = default;
  static PeerId fromPublicKey(const PublicKey& key);
  // The binary form: a multihash (identity or sha2-256).
  [[nodiscard]] static Result<PeerId> fromBytes(BytesView bytes);
  // "12D3KooW..." / "Qm..." (base58btc multihash) or a CIDv1 with the
  // libp2p-key codec in any multibase ("bafz...", "k51...").
  [[nodiscard]] static Result<PeerId> parse(std::string_view text);

  const cid::Multihash& multihash() const { return hash_; }
  Bytes toBytes() const { return hash_.toBytes(); }
  std::string toString() const;     // base58btc, the canonical text form
  std::string toCidString() const;  // CIDv1 libp2p-key, base32

  // The key inlined in an identity peer ID; kInvalidPeerId for hashed IDs.
  [[nodiscard]] Result<PublicKey> publicKey() const;
  bool matches(const PublicKey& key) const { return fromPublicKey(key) == *this; }

  friend bool operator==(const PeerId&, const PeerId&) = default;
  friend auto operator<=>(const PeerId&, const PeerId&) = default;

 private:
  explicit PeerId(cid::Multihash hash) : hash_(std::move(hash)) {}
  cid::Multihash hash_;
};

// The keystore name and KeyInfo type Lotus gives the host key.
inline constexpr std::string_view kHostKeyName = "libp2p-host";

// The host's private key: Ed25519 (what Lotus generates) or secp256k1.
class HostKey {
 public:
  static HostKey generate();  // Ed25519
  static HostKey generateSecp256k1();
  static HostKey fromEd25519Seed(const ByteArray<32>& seed);

  // The libp2p PrivateKey protobuf, the bytes Lotus keeps in KeyInfo.PrivateKey.
  // Ed25519 data is seed || public key (64 bytes); the legacy 96-byte form
  // (public key repeated) is accepted when both copies agree.
  [[nodiscard]] static Result<HostKey> fromProtobuf(BytesView bytes);
  [[nodiscard]] static Result<HostKey> fromKeyInfo(const primitives::KeyInfo& key);
  Bytes toProtobuf() const;
  primitives::KeyInfo toKeyInfo() const;

  const PublicKey& publicKey() const { return public_key_; }
  const PeerId& peerId() const { return peer_id_; }
  // What PublicKey::verify accepts.
  Bytes sign(BytesView message) const;

 private:
  HostKey(KeyType type, ByteArray<32> secret, PublicKey public_key);
  KeyType type_;
  ByteArray<32> secret_;  // Ed25519 seed or secp256k1 scalar
  PublicKey public_key_;
  PeerId peer_id_;
};

}  // namespace fil::net

template <>
struct std::hash<fil::net::PeerId> {
  size_t operator()(const fil::net::PeerId& id) const noexcept;
};
