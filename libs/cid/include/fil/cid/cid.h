// Content identifiers, version 0 and 1.
//
//   Cid c = Cid::compute(Codec::kDagCbor, bytes);   // blake2b-256, as Filecoin
//   std::string s = c.toString();                   // "bafy2bzace..."
//   FIL_ASSIGN_OR_RETURN(Cid back, Cid::parse(s));
//
// Binary form: CIDv0 is a bare sha2-256 multihash; CIDv1 is
// <varint 1><varint codec><multihash>. Text: v0 base58btc, v1 multibase
// (base32 lower by default).
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/cid/multibase.h"
#include "fil/cid/multihash.h"

namespace fil::cid {

// Content codecs (multicodec table).
enum class Codec : uint64_t {
  kRaw = 0x55,
  kDagPb = 0x70,
  kDagCbor = 0x71,
  kLibp2pKey = 0x72,
  kDagJson = 0x0129,
  kFilCommitmentUnsealed = 0xf101,
  kFilCommitmentSealed = 0xf102,
};

std::string_view codecName(Codec codec);

class Cid {
 public:
  // The undefined CID (Go's cid.Undef): a placeholder in default-constructed
  // structs before decoding fills them. It has no valid binary or text form.
  Cid() : version_(-1), codec_(Codec::kRaw) {}
  bool defined() const { return version_ >= 0; }

  // CIDv0: dag-pb content with a sha2-256 multihash (checked).
  [[nodiscard]] static Result<Cid> v0(Multihash hash);
  static Cid v1(Codec codec, Multihash hash);

  // The CIDv1 of `data` under `codec` hashed with blake2b-256 (Filecoin's
  // default) or sha2-256.
  static Cid compute(Codec codec, BytesView data, HashCode hash = HashCode::kBlake2b256);

  [[nodiscard]] static Result<Cid> fromBytes(BytesView bytes);
  [[nodiscard]] static Result<Cid> read(BytesView& in);  // advances `in`
  // Any multibase for v1, base58btc "Qm..." for v0.
  [[nodiscard]] static Result<Cid> parse(std::string_view text);

  int version() const { return version_; }
  Codec codec() const { return codec_; }
  const Multihash& hash() const { return hash_; }

  Bytes toBytes() const;
  void appendTo(Bytes& out) const;
  std::string toString() const;  // base58btc for v0, base32 lower for v1
  [[nodiscard]] Result<std::string> toString(Multibase base) const;  // v1 only

  friend bool operator==(const Cid&, const Cid&) = default;
  // Orders by binary form, as Go's CID keys and cbor-gen map keys compare.
  friend std::strong_ordering operator<=>(const Cid& a, const Cid& b);

 private:
  Cid(int version, Codec codec, Multihash hash)
      : version_(version), codec_(codec), hash_(std::move(hash)) {}
  int version_;
  Codec codec_;
  Multihash hash_;
};

}  // namespace fil::cid

template <>
struct std::hash<fil::cid::Cid> {
  size_t operator()(const fil::cid::Cid& c) const noexcept;
};
