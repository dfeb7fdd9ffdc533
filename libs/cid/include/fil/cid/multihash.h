// Multihash: <varint hash code><varint digest length><digest>.
//
//   auto mh = Multihash::sha256(data);          // hashes data
//   auto parsed = Multihash::fromBytes(bytes);  // checks code and length
#pragma once

#include <cstdint>
#include <string>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/cid/cid_error.h"

namespace fil::cid {

// The hash functions Filecoin uses (multicodec table codes).
enum class HashCode : uint64_t {
  kIdentity = 0x00,
  kSha2_256 = 0x12,
  kBlake2b256 = 0xb220,
  kSha2_256Trunc254Padded = 0x1012,   // commP / comm_d
  kPoseidonBls12_381A1Fc1 = 0xb401,   // comm_r
};

// The multicodec name ("sha2-256"), or "unknown".
std::string_view hashName(HashCode code);

// Longest identity digest we accept; libp2p inlines keys up to 42 bytes and
// nothing legitimate is much longer, so a huge length is an attack.
inline constexpr size_t kMaxIdentityDigest = 128;

class Multihash {
 public:
  // An empty identity hash, the placeholder inside an undefined Cid.
  Multihash() : code_(HashCode::kIdentity) {}

  // Checks that `code` is known and `digest` has its length.
  [[nodiscard]] static Result<Multihash> create(HashCode code, BytesView digest);

  static Multihash sha256(BytesView data);
  static Multihash blake2b256(BytesView data);
  static Multihash identity(BytesView data);  // data must be <= kMaxIdentityDigest

  // Parses exactly one multihash; bytes after it are an error.
  [[nodiscard]] static Result<Multihash> fromBytes(BytesView bytes);
  // Parses a multihash from the front of `in` and advances past it.
  [[nodiscard]] static Result<Multihash> read(BytesView& in);

  HashCode code() const { return code_; }
  const Bytes& digest() const { return digest_; }
  Bytes toBytes() const;
  void appendTo(Bytes& out) const;

  // Re-hashes `data` with this multihash's function and compares. Identity and
  // the two Filecoin commitment hashes cannot be recomputed from block bytes;
  // for them this returns false rather than pretending.
  bool matches(BytesView data) const;

  friend bool operator==(const Multihash&, const Multihash&) = default;
  friend auto operator<=>(const Multihash& a, const Multihash& b) {
    if (auto c = a.code_ <=> b.code_; c != 0) return c;
    return a.digest_ <=> b.digest_;
  }

 private:
  Multihash(HashCode code, Bytes digest) : code_(code), digest_(std::move(digest)) {}
  HashCode code_;
  Bytes digest_;
};

}  // namespace fil::cid
