#include "fil/net/peer_id.h"

#include <fmt/format.h>

#include "fil/base/base58.h"
#include "fil/cid/cid.h"
#include "fil/crypto/ed25519.h"
#include "fil/crypto/random.h"
#include "fil/crypto/secp256k1.h"
#include "fil/crypto/sha256.h"
#include "protobuf.h"

namespace fil::net {
namespace {

// Keys whose protobuf is at most this long are inlined in the peer ID.
constexpr size_t kMaxInlineKeyLength = 42;

struct KeyMessage {
  uint64_t type = 0;
  BytesView data;
};

// PublicKey and PrivateKey share the layout {required Type = 1; required Data = 2}.
Result<KeyMessage> parseKeyMessage(BytesView bytes, std::string_view what) {
  pb::Reader reader(bytes);
  pb::Field field;
  KeyMessage out;
  bool has_type = false;
  bool has_data = false;
  for (;;) {
    auto more = reader.next(field);
    if (!more) return fail(std::move(more).error().withContext(fmt::format("parsing a libp2p {}", what)));
    if (!*more) break;
    if (field.number == 1 && field.type == pb::WireType::kVarint) {
      out.type = field.value;
      has_type = true;
    } else if (field.number == 2 && field.type == pb::WireType::kLengthDelimited) {
      out.data = field.bytes;
      has_data = true;
    }
  }
  if (!has_type || !has_data) {
    return fail(NetError::kInvalidKey, fmt::format("libp2p {} lacks its {} field", what, has_type ? "Data" : "Type"));
  }
  return out;
}

std::string_view keyTypeName(uint64_t type) {
  switch (type) {
    case 0: return "RSA";
    case 1: return "Ed25519";
    case 2: return "Secp256k1";
    case 3: return "ECDSA";
    default: return "unknown";
  }
}

Bytes keyProtobuf(KeyType type, BytesView data) {
  pb::Writer w;
  w.varint(1, static_cast<uint64_t>(type));
  w.bytes(2, data);
  return w.take();
}

crypto::secp256k1::Digest sha256Digest(BytesView message) { return crypto::sha256(message); }

}  // namespace

// ---- PublicKey ----

Result<PublicKey> PublicKey::fromProtobuf(BytesView bytes) {
  FIL_ASSIGN_OR_RETURN(const KeyMessage msg, parseKeyMessage(bytes, "public key"));
  switch (msg.type) {
    case 1:
      if (msg.data.size() != 32) {
        return fail(NetError::kInvalidKey,
                    fmt::format("Ed25519 public key is {} bytes, must be 32", msg.data.size()));
      }
      return PublicKey(KeyType::kEd25519, toBytes(msg.data));
    case 2:
      return secp256k1(msg.data);
    default:
      return fail(NetError::kInvalidKey,
                  fmt::format("{} public keys (type {}) are not supported; peers must use Ed25519 or secp256k1",
                              keyTypeName(msg.type), msg.type));
  }
}

PublicKey PublicKey::ed25519(const ByteArray<32>& key) {
  return PublicKey(KeyType::kEd25519, Bytes(key.begin(), key.end()));
}

Result<PublicKey> PublicKey::secp256k1(BytesView key) {
  auto parsed = crypto::secp256k1::parsePublicKey(key);
  if (!parsed) {
    return fail(NetError::kInvalidKey, "secp256k1 public key: " + parsed.error().message());
  }
  const auto compressed = crypto::secp256k1::compress(*parsed);
  return PublicKey(KeyType::kSecp256k1, Bytes(compressed.begin(), compressed.end()));
}

Bytes PublicKey::toProtobuf() const { return keyProtobuf(type_, data_); }

bool PublicKey::verify(BytesView message, BytesView signature) const {
  switch (type_) {
    case KeyType::kEd25519: {
      if (signature.size() != 64) return false;
      crypto::ed25519::Signature sig;
      crypto::ed25519::PublicKey key;
      std::copy(signature.begin(), signature.end(), sig.begin());
      std::copy(data_.begin(), data_.end(), key.begin());
      return crypto::ed25519::verify(sig, message, key);
    }
    case KeyType::kSecp256k1: {
      auto key = crypto::secp256k1::parsePublicKey(data_);
      return key && crypto::secp256k1::verifyDer(signature, sha256Digest(message), *key);
    }
    default:
      return false;
  }
}

// ---- PeerId ----

PeerId PeerId::fromPublicKey(const PublicKey& key) {
  const Bytes proto = key.toProtobuf();
  if (proto.size() <= kMaxInlineKeyLength) return PeerId(cid::Multihash::identity(proto));
  return PeerId(cid::Multihash::sha256(proto));
}

Result<PeerId> PeerId::fromBytes(BytesView bytes) {
  auto hash = cid::Multihash::fromBytes(bytes);
  if (!hash) return fail(NetError::kInvalidPeerId, "peer ID is not a multihash: " + hash.error().message());
  if (hash->code() != cid::HashCode::kIdentity && hash->code() != cid::HashCode::kSha2_256) {
    return fail(NetError::kInvalidPeerId,
                fmt::format("peer ID uses hash {}, must be identity or sha2-256", cid::hashName(hash->code())));
  }
  if (hash->code() == cid::HashCode::kIdentity && hash->digest().size() > kMaxInlineKeyLength) {
    return fail(NetError::kInvalidPeerId,
                fmt::format("identity peer ID inlines {} bytes, at most {} are allowed", hash->digest().size(),
                            kMaxInlineKeyLength));
  }
  return PeerId(std::move(*hash));
}

Result<PeerId> PeerId::parse(std::string_view text) {
  if (text.empty()) return fail(NetError::kInvalidPeerId, "empty peer ID");
  // go-libp2p's rule: base58btc multihashes start with "Qm" (sha2-256) or
  // "1" (identity); everything else is read as a CID.
  if (text.starts_with("Qm") || text.starts_with("1")) {
    auto bytes = fromBase58(text);
    if (!bytes) {
      return fail(NetError::kInvalidPeerId, fmt::format("peer ID '{}' is not base58btc: {}", text, bytes.error().message()));
    }
    auto id = fromBytes(*bytes);
    if (!id) return fail(std::move(id).error().withContext(fmt::format("peer ID '{}'", text)));
    return id;
  }
  auto c = cid::Cid::parse(text);
  if (!c) {
    return fail(NetError::kInvalidPeerId,
                fmt::format("peer ID '{}' is neither a base58 multihash nor a CID: {}", text, c.error().message()));
  }
  if (c->version() != 1 || c->codec() != cid::Codec::kLibp2pKey) {
    return fail(NetError::kInvalidPeerId,
                fmt::format("peer ID '{}' is a CID with codec {}, must be libp2p-key", text, cid::codecName(c->codec())));
  }
  auto id = fromBytes(c->hash().toBytes());
  if (!id) return fail(std::move(id).error().withContext(fmt::format("peer ID '{}'", text)));
  return id;
}

std::string PeerId::toString() const { return toBase58(hash_.toBytes()); }

std::string PeerId::toCidString() const { return cid::Cid::v1(cid::Codec::kLibp2pKey, hash_).toString(); }

Result<PublicKey> PeerId::publicKey() const {
  if (hash_.code() != cid::HashCode::kIdentity) {
    return fail(NetError::kInvalidPeerId,
                fmt::format("peer ID {} is a hash; its key must come from the peer", toString()));
  }
  return PublicKey::fromProtobuf(hash_.digest());
}

// ---- HostKey ----

HostKey::HostKey(KeyType type, ByteArray<32> secret, PublicKey public_key)
    : type_(type), secret_(secret), public_key_(std::move(public_key)), peer_id_(PeerId::fromPublicKey(public_key_)) {}

HostKey HostKey::generate() { return fromEd25519Seed(crypto::ed25519::generate().seed); }

HostKey HostKey::fromEd25519Seed(const ByteArray<32>& seed) {
  const auto pair = crypto::ed25519::fromSeed(seed);
  return HostKey(KeyType::kEd25519, seed, PublicKey::ed25519(pair.public_key));
}

HostKey HostKey::generateSecp256k1() {
  const auto secret = crypto::secp256k1::generatePrivateKey();
  auto pub = crypto::secp256k1::derivePublicKey(secret);
  if (!pub) std::abort();  // generatePrivateKey returns valid scalars only
  return HostKey(KeyType::kSecp256k1, secret, *PublicKey::secp256k1(*pub));
}

Result<HostKey> HostKey::fromProtobuf(BytesView bytes) {
  FIL_ASSIGN_OR_RETURN(const KeyMessage msg, parseKeyMessage(bytes, "private key"));
  if (msg.type == 1) {
    if (msg.data.size() != 64 && msg.data.size() != 96) {
      return fail(NetError::kInvalidKey,
                  fmt::format("Ed25519 private key is {} bytes, must be 64 (seed || public key)", msg.data.size()));
    }
    if (msg.data.size() == 96 && !equal(msg.data.subspan(32, 32), msg.data.subspan(64, 32))) {
      return fail(NetError::kInvalidKey, "legacy 96-byte Ed25519 private key has two different public keys");
    }
    ByteArray<32> seed;
    std::copy_n(msg.data.begin(), 32, seed.begin());
    HostKey key = fromEd25519Seed(seed);
    if (!equal(key.public_key_.data(), msg.data.subspan(32, 32))) {
      return fail(NetError::kInvalidKey, "Ed25519 private key's public half does not belong to its seed");
    }
    return key;
  }
  if (msg.type == 2) {
    if (msg.data.size() != 32) {
      return fail(NetError::kInvalidKey,
                  fmt::format("secp256k1 private key is {} bytes, must be 32", msg.data.size()));
    }
    crypto::secp256k1::PrivateKey secret;
    std::copy(msg.data.begin(), msg.data.end(), secret.begin());
    auto pub = crypto::secp256k1::derivePublicKey(secret);
    if (!pub) return fail(NetError::kInvalidKey, "secp256k1 private key: " + pub.error().message());
    return HostKey(KeyType::kSecp256k1, secret, *PublicKey::secp256k1(*pub));
  }
  return fail(NetError::kInvalidKey, fmt::format("{} private keys (type {}) are not supported as host keys",
                                                 keyTypeName(msg.type), msg.type));
}

Result<HostKey> HostKey::fromKeyInfo(const primitives::KeyInfo& key) {
  if (key.type != primitives::kKeyTypeLibp2pHost) {
    return fail(NetError::kInvalidKey,
                fmt::format("key of type '{}' is not a libp2p host key (type '{}')", key.type, primitives::kKeyTypeLibp2pHost));
  }
  return fromProtobuf(key.private_key);
}

Bytes HostKey::toProtobuf() const {
  if (type_ == KeyType::kEd25519) {
    Bytes data(secret_.begin(), secret_.end());
    append(data, public_key_.data());
    return keyProtobuf(type_, data);
  }
  return keyProtobuf(type_, secret_);
}

primitives::KeyInfo HostKey::toKeyInfo() const {
  return primitives::KeyInfo{std::string(primitives::kKeyTypeLibp2pHost), toProtobuf()};
}

Bytes HostKey::sign(BytesView message) const {
  if (type_ == KeyType::kEd25519) {
    const auto sig = crypto::ed25519::sign(secret_, message);
    return Bytes(sig.begin(), sig.end());
  }
  auto der = crypto::secp256k1::signDer(secret_, sha256Digest(message));
  if (!der) std::abort();  // the scalar was checked when the key was made
  return std::move(*der);
}

}  // namespace fil::net

size_t std::hash<fil::net::PeerId>::operator()(const fil::net::PeerId& id) const noexcept {
  const auto& digest = id.multihash().digest();
  size_t h = 0;
  // The last bytes of a key or hash are uniformly distributed.
  for (size_t i = digest.size() >= 8 ? digest.size() - 8 : 0; i < digest.size(); ++i) h = (h << 8) | digest[i];
  return h;
}
