#include <fmt/format.h>

#include "fil/unixfs/dag_pb.h"
#include "fil/unixfs/unixfs.h"

namespace fil::unixfs {

std::string_view dataTypeName(DataType type) {
  switch (type) {
    case DataType::kRaw: return "raw";
    case DataType::kDirectory: return "directory";
    case DataType::kFile: return "file";
    case DataType::kMetadata: return "metadata";
    case DataType::kSymlink: return "symlink";
    case DataType::kHamtShard: return "hamt-sharded-directory";
  }
  return "unknown";
}

Bytes encodeUnixfsData(const UnixfsData& d) {
  Bytes out;
  pb::putTag(out, 1, 0);
  pb::putVarint(out, static_cast<uint64_t>(d.type));
  if (d.data) pb::putLengthDelimited(out, 2, *d.data);
  if (d.filesize) {
    pb::putTag(out, 3, 0);
    pb::putVarint(out, *d.filesize);
  }
  // proto2 repeated scalars are not packed: one tag per value (as go-unixfs
  // and ipfs-unixfs write them).
  for (uint64_t size : d.blocksizes) {
    pb::putTag(out, 4, 0);
    pb::putVarint(out, size);
  }
  if (d.hash_type) {
    pb::putTag(out, 5, 0);
    pb::putVarint(out, *d.hash_type);
  }
  if (d.fanout) {
    pb::putTag(out, 6, 0);
    pb::putVarint(out, *d.fanout);
  }
  if (d.mode) {
    pb::putTag(out, 7, 0);
    pb::putVarint(out, *d.mode);
  }
  if (d.mtime) pb::putLengthDelimited(out, 8, *d.mtime);
  return out;
}

Result<UnixfsData> decodeUnixfsData(BytesView in) {
  UnixfsData d;
  bool have_type = false;
  auto scalar = [&](uint64_t wire, std::string_view name) -> Result<uint64_t> {
    if (wire != 0) return fail(UnixfsError::kMalformed, fmt::format("UnixFS field {} has the wrong wire type", name));
    return pb::readVarint(in);
  };
  while (!in.empty()) {
    FIL_ASSIGN_OR_RETURN(uint64_t key, pb::readVarint(in));
    const uint64_t field = key >> 3;
    const uint64_t wire = key & 7;
    switch (field) {
      case 1: {
        FIL_ASSIGN_OR_RETURN(uint64_t t, scalar(wire, "Type"));
        if (t > static_cast<uint64_t>(DataType::kHamtShard)) {
          return fail(UnixfsError::kMalformed, fmt::format("unknown UnixFS type {}", t));
        }
        d.type = static_cast<DataType>(t);
        have_type = true;
        break;
      }
      case 2: {
        if (wire != 2) return fail(UnixfsError::kMalformed, "UnixFS field Data has the wrong wire type");
        FIL_ASSIGN_OR_RETURN(BytesView bytes, pb::readLengthDelimited(in));
        d.data = Bytes(bytes.begin(), bytes.end());
        break;
      }
      case 3: {
        FIL_ASSIGN_OR_RETURN(d.filesize, scalar(wire, "filesize"));
        break;
      }
      case 4: {
        if (wire == 2) {  // a packed encoding is accepted too
          FIL_ASSIGN_OR_RETURN(BytesView packed, pb::readLengthDelimited(in));
          while (!packed.empty()) {
            FIL_ASSIGN_OR_RETURN(uint64_t v, pb::readVarint(packed));
            d.blocksizes.push_back(v);
          }
        } else {
          FIL_ASSIGN_OR_RETURN(uint64_t v, scalar(wire, "blocksizes"));
          d.blocksizes.push_back(v);
        }
        break;
      }
      case 5: {
        FIL_ASSIGN_OR_RETURN(d.hash_type, scalar(wire, "hashType"));
        break;
      }
      case 6: {
        FIL_ASSIGN_OR_RETURN(d.fanout, scalar(wire, "fanout"));
        break;
      }
      case 7: {
        FIL_ASSIGN_OR_RETURN(uint64_t m, scalar(wire, "mode"));
        d.mode = static_cast<uint32_t>(m);
        break;
      }
      case 8: {
        if (wire != 2) return fail(UnixfsError::kMalformed, "UnixFS field mtime has the wrong wire type");
        FIL_ASSIGN_OR_RETURN(BytesView bytes, pb::readLengthDelimited(in));
        d.mtime = Bytes(bytes.begin(), bytes.end());
        break;
      }
      default:
        return fail(UnixfsError::kMalformed, fmt::format("UnixFS data has unknown field {}", field));
    }
  }
  if (!have_type) return fail(UnixfsError::kMalformed, "UnixFS data has no Type");
  return d;
}

}  // namespace fil::unixfs
