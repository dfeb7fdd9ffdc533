#include "fil/cid/cid.h"

#include <fmt/format.h>

#include "fil/base/base58.h"
#include "fil/base/varint.h"

namespace fil::cid {

std::string_view codecName(Codec codec) {
  switch (codec) {
    case Codec::kRaw: return "raw";
    case Codec::kDagPb: return "dag-pb";
    case Codec::kDagCbor: return "dag-cbor";
    case Codec::kLibp2pKey: return "libp2p-key";
    case Codec::kDagJson: return "dag-json";
    case Codec::kFilCommitmentUnsealed: return "fil-commitment-unsealed";
    case Codec::kFilCommitmentSealed: return "fil-commitment-sealed";
  }
  return "unknown";
}

Result<Cid> Cid::v0(Multihash hash) {
  if (hash.code() != HashCode::kSha2_256) {
    return fail(CidError::kBadVersion, "a CIDv0 must use sha2-256");
  }
  return Cid(0, Codec::kDagPb, std::move(hash));
}

Cid Cid::v1(Codec codec, Multihash hash) { return Cid(1, codec, std::move(hash)); }

Cid Cid::compute(Codec codec, BytesView data, HashCode hash) {
  return v1(codec, hash == HashCode::kSha2_256 ? Multihash::sha256(data) : Multihash::blake2b256(data));
}

Result<Cid> Cid::read(BytesView& in) {
  // A CIDv0 is a bare sha2-256 multihash: it starts 0x12 0x20.
  if (in.size() >= 2 && in[0] == 0x12 && in[1] == 0x20) {
    FIL_ASSIGN_OR_RETURN(auto mh, Multihash::read(in));
    return Cid(0, Codec::kDagPb, std::move(mh));
  }
  BytesView rest = in;
  auto version = readUvarint(rest);
  if (!version) {
    if (version.error().is(EncodingError::kTruncated)) return fail(CidError::kTruncated, "truncated CID version");
    return fail(std::move(version).error().withContext("CID version"));
  }
  if (*version != 1) {
    return fail(CidError::kBadVersion, fmt::format("CID version {} is not supported (only 0 and 1)", *version));
  }
  auto codec = readUvarint(rest);
  if (!codec) {
    if (codec.error().is(EncodingError::kTruncated)) return fail(CidError::kTruncated, "truncated CID codec");
    return fail(std::move(codec).error().withContext("CID codec"));
  }
  FIL_ASSIGN_OR_RETURN(auto mh, Multihash::read(rest));
  in = rest;
  return Cid(1, static_cast<Codec>(*codec), std::move(mh));
}

Result<Cid> Cid::fromBytes(BytesView bytes) {
  FIL_ASSIGN_OR_RETURN(auto c, read(bytes));
  if (!bytes.empty()) {
    return fail(CidError::kTrailingBytes, fmt::format("{} bytes after the CID", bytes.size()));
  }
  return c;
}

Result<Cid> Cid::parse(std::string_view text) {
  if (text.size() == 46 && text.substr(0, 2) == "Qm") {
    FIL_ASSIGN_OR_RETURN(auto bytes, fromBase58(text));
    FIL_ASSIGN_OR_RETURN(auto mh, Multihash::fromBytes(bytes));
    return v0(std::move(mh));
  }
  auto decoded = multibaseDecode(text);
  if (!decoded) return fail(std::move(decoded).error().withContext(fmt::format("parsing CID '{}'", text)));
  auto c = fromBytes(decoded->bytes);
  if (!c) return fail(std::move(c).error().withContext(fmt::format("parsing CID '{}'", text)));
  if (c->version() == 0) {
    return fail(CidError::kBadVersion, "a CIDv0 must be written in base58btc without a multibase prefix");
  }
  return c;
}

void Cid::appendTo(Bytes& out) const {
  if (!defined()) return;
  if (version_ == 0) {
    hash_.appendTo(out);
    return;
  }
  putUvarint(out, 1);
  putUvarint(out, static_cast<uint64_t>(codec_));
  hash_.appendTo(out);
}

Bytes Cid::toBytes() const {
  Bytes out;
  out.reserve(4 + hash_.digest().size() + 4);
  appendTo(out);
  return out;
}

std::string Cid::toString() const {
  if (!defined()) return "<undefined CID>";
  if (version_ == 0) return toBase58(toBytes());
  return multibaseEncode(Multibase::kBase32, toBytes());
}

Result<std::string> Cid::toString(Multibase base) const {
  if (version_ == 0) {
    if (base == Multibase::kBase58Btc) return toString();
    return fail(CidError::kBadVersion, "a CIDv0 has only the base58btc text form");
  }
  return multibaseEncode(base, toBytes());
}

std::strong_ordering operator<=>(const Cid& a, const Cid& b) {
  const Bytes ab = a.toBytes();
  const Bytes bb = b.toBytes();
  const int c = compare(ab, bb);
  return c < 0 ? std::strong_ordering::less : c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal;
}

}  // namespace fil::cid

size_t std::hash<fil::cid::Cid>::operator()(const fil::cid::Cid& c) const noexcept {
  // Digests are already uniformly distributed: the first 8 bytes suffice.
  const auto& d = c.hash().digest();
  size_t h = static_cast<size_t>(c.codec()) * 0x9e3779b97f4a7c15ull;
  for (size_t i = 0; i < d.size() && i < 8; ++i) h = (h << 8) ^ d[i] ^ (h >> 56);
  return h ^ d.size();
}
