#include "fil/unixfs/dag_pb.h"

#include <fmt/format.h>

namespace fil::unixfs {

namespace pb {

void putVarint(Bytes& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<uint8_t>(v) | 0x80);
    v >>= 7;
  }
  out.push_back(static_cast<uint8_t>(v));
}

void putTag(Bytes& out, uint32_t field, uint32_t wire_type) { putVarint(out, (uint64_t{field} << 3) | wire_type); }

void putLengthDelimited(Bytes& out, uint32_t field, BytesView data) {
  putTag(out, field, 2);
  putVarint(out, data.size());
  append(out, data);
}

Result<uint64_t> readVarint(BytesView& in) {
  uint64_t v = 0;
  for (size_t i = 0; i < 10; ++i) {
    if (i >= in.size()) return fail(UnixfsError::kMalformed, "protobuf varint is truncated");
    const uint8_t b = in[i];
    if (i == 9 && b > 1) return fail(UnixfsError::kMalformed, "protobuf varint overflows 64 bits");
    v |= uint64_t{b & 0x7fu} << (7 * i);
    if ((b & 0x80) == 0) {
      in = in.subspan(i + 1);
      return v;
    }
  }
  return fail(UnixfsError::kMalformed, "protobuf varint is longer than 10 bytes");
}

Result<BytesView> readLengthDelimited(BytesView& in) {
  FIL_ASSIGN_OR_RETURN(uint64_t n, readVarint(in));
  if (n > in.size()) {
    return fail(UnixfsError::kMalformed, fmt::format("protobuf field claims {} bytes but {} remain", n, in.size()));
  }
  BytesView out = in.first(static_cast<size_t>(n));
  in = in.subspan(static_cast<size_t>(n));
  return out;
}

}  // namespace pb

namespace {

Result<PbLink> decodeLink(BytesView in) {
  PbLink link;
  bool have_hash = false;
  while (!in.empty()) {
    FIL_ASSIGN_OR_RETURN(uint64_t key, pb::readVarint(in));
    const uint64_t field = key >> 3;
    const uint64_t wire = key & 7;
    if (field == 1) {
      if (have_hash) return fail(UnixfsError::kMalformed, "dag-pb link has two Hash fields");
      if (wire != 2) return fail(UnixfsError::kMalformed, "dag-pb link Hash has the wrong wire type");
      FIL_ASSIGN_OR_RETURN(BytesView bytes, pb::readLengthDelimited(in));
      auto c = cid::Cid::fromBytes(bytes);
      if (!c) return fail(UnixfsError::kMalformed, "dag-pb link Hash is not a CID: " + c.error().message());
      link.hash = std::move(*c);
      have_hash = true;
    } else if (field == 2) {
      if (link.name) return fail(UnixfsError::kMalformed, "dag-pb link has two Name fields");
      if (wire != 2) return fail(UnixfsError::kMalformed, "dag-pb link Name has the wrong wire type");
      FIL_ASSIGN_OR_RETURN(BytesView bytes, pb::readLengthDelimited(in));
      link.name = std::string(asString(bytes));
    } else if (field == 3) {
      if (link.tsize) return fail(UnixfsError::kMalformed, "dag-pb link has two Tsize fields");
      if (wire != 0) return fail(UnixfsError::kMalformed, "dag-pb link Tsize has the wrong wire type");
      FIL_ASSIGN_OR_RETURN(link.tsize, pb::readVarint(in));
    } else {
      return fail(UnixfsError::kMalformed, fmt::format("dag-pb link has unknown field {}", field));
    }
  }
  if (!have_hash) return fail(UnixfsError::kMalformed, "dag-pb link has no Hash");
  return link;
}

}  // namespace

Bytes encodePbNode(const PbNode& node) {
  Bytes out;
  for (const auto& link : node.links) {
    Bytes inner;
    pb::putLengthDelimited(inner, 1, link.hash.toBytes());
    if (link.name) pb::putLengthDelimited(inner, 2, asBytes(*link.name));
    if (link.tsize) {
      pb::putTag(inner, 3, 0);
      pb::putVarint(inner, *link.tsize);
    }
    pb::putLengthDelimited(out, 2, inner);
  }
  if (node.data) pb::putLengthDelimited(out, 1, *node.data);
  return out;
}

Result<PbNode> decodePbNode(BytesView in) {
  PbNode node;
  bool links_then_data = false;
  while (!in.empty()) {
    FIL_ASSIGN_OR_RETURN(uint64_t key, pb::readVarint(in));
    const uint64_t field = key >> 3;
    if ((key & 7) != 2) return fail(UnixfsError::kMalformed, fmt::format("dag-pb node field {} is not length-delimited", field));
    FIL_ASSIGN_OR_RETURN(BytesView bytes, pb::readLengthDelimited(in));
    if (field == 1) {
      if (node.data) return fail(UnixfsError::kMalformed, "dag-pb node has two Data fields");
      node.data = Bytes(bytes.begin(), bytes.end());
      links_then_data = !node.links.empty();
    } else if (field == 2) {
      // Links may not be split around the Data field (as @ipld/dag-pb).
      if (links_then_data) return fail(UnixfsError::kMalformed, "dag-pb node has links after its Data");
      auto link = decodeLink(bytes);
      if (!link) return fail(std::move(link).error().withContext(fmt::format("link {}", node.links.size())));
      node.links.push_back(std::move(*link));
    } else {
      return fail(UnixfsError::kMalformed, fmt::format("dag-pb node has unknown field {}", field));
    }
  }
  return node;
}

}  // namespace fil::unixfs
