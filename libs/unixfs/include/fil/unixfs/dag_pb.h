// dag-pb, the protobuf codec of UnixFS DAGs (multicodec 0x70), encoded in
// the canonical form the IPLD dag-pb specification requires: a node's links
// (field 2) before its data (field 1), a link's Hash, Name, Tsize in that
// order. The decoder is strict in the same way @ipld/dag-pb is: fields out of
// order, repeated, unknown or of the wrong wire type are refused.
//
//   PbNode node{.links = {{child, "", 1048576}}, .data = unixfsBytes};
//   Bytes block = encodePbNode(node);
//   FIL_ASSIGN_OR_RETURN(PbNode back, decodePbNode(block));
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/cid/cid.h"
#include "fil/unixfs/unixfs_error.h"

namespace fil::unixfs {

struct PbLink {
  cid::Cid hash;
  std::optional<std::string> name;
  std::optional<uint64_t> tsize;  // bytes of the whole subtree (blocks included)
  friend bool operator==(const PbLink&, const PbLink&) = default;
};

struct PbNode {
  std::vector<PbLink> links;
  std::optional<Bytes> data;
  friend bool operator==(const PbNode&, const PbNode&) = default;
};

Bytes encodePbNode(const PbNode& node);
[[nodiscard]] Result<PbNode> decodePbNode(BytesView bytes);

// Protobuf wire helpers shared with the UnixFS message codec.
namespace pb {
void putVarint(Bytes& out, uint64_t v);
void putTag(Bytes& out, uint32_t field, uint32_t wire_type);
void putLengthDelimited(Bytes& out, uint32_t field, BytesView data);
// Reads a protobuf varint (up to 10 bytes, 64 bits) and advances `in`.
[[nodiscard]] Result<uint64_t> readVarint(BytesView& in);
// Reads a length-delimited payload and advances `in`.
[[nodiscard]] Result<BytesView> readLengthDelimited(BytesView& in);
}  // namespace pb

}  // namespace fil::unixfs
