// Filecoin addresses: ID (f0), secp256k1 (f1), actor (f2), BLS (f3) and
// delegated (f4), in binary (protocol byte || payload) and text form
// (network prefix, protocol digit, then the ID or base32 of
// payload || blake2b-4 checksum).
//
//   auto a = Address::parse("f15ihq5ibzwki2b4ep2f46avlkrqzhpqgtga7pdrq");
//   Address id = Address::id(1000);       // "t01000" on our devnet
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/codec/cbor.h"
#include "fil/primitives/network.h"
#include "fil/primitives/primitives_error.h"

namespace fil::primitives {

enum class AddressProtocol : uint8_t {
  kId = 0,
  kSecp256k1 = 1,
  kActor = 2,
  kBls = 3,
  kDelegated = 4,
};

using ActorId = uint64_t;

class Address {
 public:
  static constexpr size_t kHashPayloadSize = 20;        // secp256k1 and actor
  static constexpr size_t kBlsPayloadSize = 48;
  static constexpr size_t kMaxSubaddressSize = 54;      // delegated
  static constexpr uint64_t kMaxId = (uint64_t{1} << 63) - 1;

  // The undefined address (Go's address.Undef): a placeholder in
  // default-constructed structs; it has no binary or text form.
  Address() = default;
  bool defined() const { return !bytes_.empty(); }

  static Address id(ActorId id);  // id must be <= kMaxId
  // From an uncompressed 65-byte secp256k1 public key.
  [[nodiscard]] static Result<Address> secp256k1(BytesView public_key);
  // An actor address from the bytes that identify its creation.
  static Address actor(BytesView seed);
  [[nodiscard]] static Result<Address> bls(BytesView public_key);
  [[nodiscard]] static Result<Address> delegated(ActorId namespace_id, BytesView subaddress);

  [[nodiscard]] static Result<Address> fromBytes(BytesView bytes);
  [[nodiscard]] static Result<Address> parse(std::string_view text);

  AddressProtocol protocol() const { return static_cast<AddressProtocol>(bytes_.at(0)); }
  // The payload after the protocol byte.
  BytesView payload() const { return BytesView(bytes_).subspan(1); }
  const Bytes& toBytes() const { return bytes_; }

  bool isId() const { return defined() && protocol() == AddressProtocol::kId; }
  // The actor ID of an ID address.
  [[nodiscard]] Result<ActorId> idValue() const;
  // For delegated addresses: the namespace actor ID and subaddress.
  [[nodiscard]] Result<std::pair<ActorId, Bytes>> delegatedParts() const;

  std::string toString() const { return toString(currentNetwork()); }
  std::string toString(Network network) const;

  // blake2b-4(protocol || payload), the checksum in the text form.
  ByteArray<4> checksum() const;

  friend bool operator==(const Address&, const Address&) = default;
  // Byte order. Written out because GCC 12 warns wrongly (stringop-overread)
  // on the defaulted comparison of the byte vectors inside std::sort.
  friend std::strong_ordering operator<=>(const Address& a, const Address& b) {
    const int c = compare(a.bytes_, b.bytes_);
    return c < 0 ? std::strong_ordering::less : c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal;
  }

 private:
  explicit Address(Bytes bytes) : bytes_(std::move(bytes)) {}
  Bytes bytes_;  // protocol byte || payload; empty when undefined
};

}  // namespace fil::primitives

template <>
struct std::hash<fil::primitives::Address> {
  size_t operator()(const fil::primitives::Address& a) const noexcept;
};

template <>
struct fil::codec::CborCodec<fil::primitives::Address> {
  static void encode(CborEncoder& e, const primitives::Address& a) { e.writeBytes(a.toBytes()); }
  static Status decode(CborDecoder& d, primitives::Address& out);
};
