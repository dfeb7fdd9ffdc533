#include "fil/cid/multihash.h"

#include <fmt/format.h>

#include "fil/base/varint.h"
#include "fil/crypto/blake2b.h"
#include "fil/crypto/sha256.h"

namespace fil::cid {
namespace {

// Digest length of a known hash, 0 for variable (identity), -1 for unknown.
int expectedLength(HashCode code) {
  switch (code) {
    case HashCode::kIdentity: return 0;
    case HashCode::kSha2_256:
    case HashCode::kBlake2b256:
    case HashCode::kSha2_256Trunc254Padded:
    case HashCode::kPoseidonBls12_381A1Fc1: return 32;
  }
  return -1;
}

// Digests of hashes we do not know are accepted (other tools' CIDs must
// round-trip) but bounded, so a length field cannot ask for gigabytes.
constexpr size_t kMaxUnknownDigest = 128;

Error varintError(Error e, std::string_view what) {
  if (e.is(EncodingError::kTruncated)) return Error(CidError::kTruncated, fmt::format("truncated {}", what));
  return std::move(e).withContext(what);
}

}  // namespace

std::string_view hashName(HashCode code) {
  switch (code) {
    case HashCode::kIdentity: return "identity";
    case HashCode::kSha2_256: return "sha2-256";
    case HashCode::kBlake2b256: return "blake2b-256";
    case HashCode::kSha2_256Trunc254Padded: return "sha2-256-trunc254-padded";
    case HashCode::kPoseidonBls12_381A1Fc1: return "poseidon-bls12_381-a2-fc1";
  }
  return "unknown";
}

Result<Multihash> Multihash::create(HashCode code, BytesView digest) {
  const int expected = expectedLength(code);
  if (expected > 0 && digest.size() != static_cast<size_t>(expected)) {
    return fail(CidError::kBadDigestLength,
                fmt::format("{} digest must be {} bytes, got {}", hashName(code), expected, digest.size()));
  }
  const size_t limit = code == HashCode::kIdentity ? kMaxIdentityDigest : kMaxUnknownDigest;
  if (expected <= 0 && digest.size() > limit) {
    return fail(CidError::kBadDigestLength,
                fmt::format("multihash digest of {} bytes is longer than the {} allowed for code 0x{:x}",
                            digest.size(), limit, static_cast<uint64_t>(code)));
  }
  return Multihash(code, fil::toBytes(digest));
}

Multihash Multihash::sha256(BytesView data) {
  const auto d = crypto::sha256(data);
  return Multihash(HashCode::kSha2_256, Bytes(d.begin(), d.end()));
}

Multihash Multihash::blake2b256(BytesView data) {
  const auto d = crypto::blake2b256(data);
  return Multihash(HashCode::kBlake2b256, Bytes(d.begin(), d.end()));
}

Multihash Multihash::identity(BytesView data) { return Multihash(HashCode::kIdentity, fil::toBytes(data)); }

Result<Multihash> Multihash::read(BytesView& in) {
  BytesView rest = in;
  auto code = readUvarint(rest);
  if (!code) return fail(varintError(std::move(code).error(), "multihash code"));
  auto length = readUvarint(rest);
  if (!length) return fail(varintError(std::move(length).error(), "multihash length"));
  if (*length > rest.size()) {
    return fail(CidError::kTruncated,
                fmt::format("multihash says {} digest bytes, only {} follow", *length, rest.size()));
  }
  FIL_ASSIGN_OR_RETURN(auto mh, create(static_cast<HashCode>(*code), rest.first(*length)));
  in = rest.subspan(*length);
  return mh;
}

Result<Multihash> Multihash::fromBytes(BytesView bytes) {
  FIL_ASSIGN_OR_RETURN(auto mh, read(bytes));
  if (!bytes.empty()) {
    return fail(CidError::kTrailingBytes, fmt::format("{} bytes after the multihash", bytes.size()));
  }
  return mh;
}

void Multihash::appendTo(Bytes& out) const {
  putUvarint(out, static_cast<uint64_t>(code_));
  putUvarint(out, digest_.size());
  append(out, digest_);
}

Bytes Multihash::toBytes() const {
  Bytes out;
  appendTo(out);
  return out;
}

bool Multihash::matches(BytesView data) const {
  switch (code_) {
    case HashCode::kSha2_256: return *this == sha256(data);
    case HashCode::kBlake2b256: return *this == blake2b256(data);
    default: return false;
  }
}

}  // namespace fil::cid
