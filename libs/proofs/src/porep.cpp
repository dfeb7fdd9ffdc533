#include "fil/proofs/porep.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>

#include <fmt/format.h>

#include "fil/base/varint.h"
#include "fil/codec/cbor_decoder.h"
#include "fil/codec/cbor_encoder.h"
#include "fil/crypto/sha256.h"
#include "fil/proofs/fr.h"
#include "fil/proofs/poseidon.h"
#include "sha256_compress.h"

namespace fil::proofs {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------
// Identities and challenges.

ProverId proverIdFromActorId(uint64_t actor_id) {
  ProverId id{};
  Bytes v;
  putUvarint(v, actor_id);
  std::copy(v.begin(), v.end(), id.begin());
  return id;
}

Commitment replicaId(const ProverId& prover_id, SectorNumber sector, const Ticket& ticket,
                     const Commitment& comm_d, const PoRepId& porep_id) {
  crypto::Sha256 h;
  Bytes sector_be;
  putU64BE(sector_be, sector);
  h.update(prover_id).update(sector_be).update(ticket).update(comm_d).update(porep_id);
  Commitment out = h.finish();
  out[31] &= 0x3f;
  return out;
}

std::vector<uint64_t> porepChallenges(const SealProofInfo& info, const Commitment& replica_id,
                                      const InteractiveSeed& seed, size_t partition) {
  std::vector<uint64_t> out;
  const uint64_t modulus = info.nodes() - 1;
  for (size_t i = 0; i < info.challenges_per_partition; ++i) {
    const auto j = static_cast<uint32_t>(info.challenges_per_partition * partition + i);
    Bytes jb;
    putU32LE(jb, j);
    crypto::Sha256 h;
    h.update(replica_id).update(seed).update(jb);
    const auto digest = h.finish();
    // The digest as a little-endian integer, reduced from the top byte down.
    detail::u128 r = 0;
    for (int b = 31; b >= 0; --b) r = ((r << 8) | digest[static_cast<size_t>(b)]) % modulus;
    out.push_back(static_cast<uint64_t>(r) + 1);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Labels.

namespace {

constexpr size_t kLabelParents = 37;
constexpr size_t kLabelBlocks = 20;  // 64 + 37 * 32 bytes, padded

// The 20-block message of one node: header block, 37 parent labels, padding.
struct LabelMessage {
  alignas(64) uint8_t bytes[kLabelBlocks * 64];
  explicit LabelMessage(const Commitment& replica_id) {
    std::memset(bytes, 0, sizeof(bytes));
    std::memcpy(bytes, replica_id.data(), 32);
    bytes[64 + kLabelParents * 32] = 0x80;
    const uint64_t bits = (64 + kLabelParents * 32) * 8;
    for (int i = 0; i < 8; ++i) bytes[sizeof(bytes) - 1 - i] = static_cast<uint8_t>(bits >> (8 * i));
  }
  void setHeader(uint32_t layer, uint64_t node) {
    for (int i = 0; i < 4; ++i) bytes[32 + i] = static_cast<uint8_t>(layer >> (24 - 8 * i));
    for (int i = 0; i < 8; ++i) bytes[36 + i] = static_cast<uint8_t>(node >> (56 - 8 * i));
  }
  // Parents in hashing order: layer 1 repeats the 6 DRG parents six times
  // then the first once; later layers repeat all 14 twice then the first 9.
  void setParents(const uint32_t* parents, const uint8_t* cur, const uint8_t* prev) {
    uint8_t* p = bytes + 64;
    const size_t degree = prev == nullptr ? kBaseDegree : kTotalParents;
    for (size_t k = 0; k < kLabelParents; ++k) {
      const size_t i = k % degree;
      const uint8_t* src = i < kBaseDegree ? cur + size_t{parents[i]} * 32 : prev + size_t{parents[i]} * 32;
      std::memcpy(p + 32 * k, src, 32);
    }
  }
};

// A layer-sized buffer on transparent huge pages where the kernel allows
// them (THP in "madvise" mode needs the request): the random parent reads
// of labelling then miss the TLB far less.
Bytes layerBuffer(size_t size) {
  Bytes b;
  b.reserve(size);  // large: its own mapping, not yet touched
  constexpr uintptr_t kHugePage = uintptr_t{2} << 20;
  const auto start = reinterpret_cast<uintptr_t>(b.data());
  const uintptr_t begin = (start + kHugePage - 1) & ~(kHugePage - 1), end = (start + size) & ~(kHugePage - 1);
  if (end > begin) (void)madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);  // advice only
  b.resize(size);
  return b;
}

void finishLabel(const sha::State& s, uint8_t* out) {
  sha::digest(s, out);
  out[31] &= 0x3f;
}

// Node 0 has no parents: SHA-256 of the 64-byte header block alone.
void labelNodeZero(const Commitment& replica_id, uint32_t layer, uint8_t* out) {
  LabelMessage m(replica_id);
  m.setHeader(layer, 0);
  uint8_t block[128] = {};
  std::memcpy(block, m.bytes, 64);
  block[64] = 0x80;
  block[126] = 0x02;  // 512 bits
  sha::State s = sha::kInitialState;
  sha::compress(s, block, 2);
  finishLabel(s, out);
}

template <int N>
Status labelLayerLanes(const SealProofInfo& info, const Commitment* replica_ids, uint32_t layer,
                       const ParentCache& parents, uint8_t* const* cur, const uint8_t* const* prev,
                       const JobContext& ctx) {
  const uint64_t nodes = info.nodes();
  std::vector<LabelMessage> msgs;
  for (int l = 0; l < N; ++l) msgs.emplace_back(replica_ids[l]);
  for (int l = 0; l < N; ++l) labelNodeZero(replica_ids[l], layer, cur[l]);
  constexpr uint64_t kReportEvery = 1 << 16;
  // Parents are spread over the whole layer (the expander ones over the
  // previous layer): in a large sector nearly every one is a cache and TLB
  // miss, which would serialise with the hashing. Their lines are requested
  // a few nodes ahead, while the nodes before are hashed.
  constexpr uint64_t kPrefetchAhead = 8;
  const size_t degree = layer == 1 ? kBaseDegree : kTotalParents;
  for (uint64_t node = 1; node < nodes; ++node) {
    if (node + kPrefetchAhead < nodes) {
      const uint32_t* ahead = parents.parents(node + kPrefetchAhead);
      for (int l = 0; l < N; ++l) {
        for (size_t i = 0; i < degree; ++i) {
          const uint8_t* base = i < kBaseDegree ? cur[l] : prev[l];
          __builtin_prefetch(base + size_t{ahead[i]} * 32);
        }
      }
    }
    const uint32_t* p = parents.parents(node);
    sha::State states[N];
    const uint8_t* data[N];
    for (int l = 0; l < N; ++l) {
      msgs[l].setHeader(layer, node);
      msgs[l].setParents(p, cur[l], layer == 1 ? nullptr : prev[l]);
      states[l] = sha::kInitialState;
      data[l] = msgs[l].bytes;
    }
    if constexpr (N == 1) {
      sha::compress(states[0], data[0], kLabelBlocks);
    } else if constexpr (N == 2) {
      sha::compress2(states, data, kLabelBlocks);
    } else {
      sha::compress4(states, data, kLabelBlocks);
    }
    for (int l = 0; l < N; ++l) finishLabel(states[l], cur[l] + node * 32);
    if (node % kReportEvery == 0) {
      if (ctx.cancelled()) return fail(ProofsError::kCancelled, fmt::format("labelling layer {} cancelled", layer));
      ctx.report(fmt::format("layer {}", layer), node, nodes);
    }
  }
  ctx.report(fmt::format("layer {}", layer), nodes, nodes);
  return ok();
}

Status labelLayer(const SealProofInfo& info, std::span<const Commitment> replica_ids, uint32_t layer,
                  const ParentCache& parents, uint8_t* const* cur, const uint8_t* const* prev,
                  const JobContext& ctx) {
  switch (replica_ids.size()) {
    case 1: return labelLayerLanes<1>(info, replica_ids.data(), layer, parents, cur, prev, ctx);
    case 2: return labelLayerLanes<2>(info, replica_ids.data(), layer, parents, cur, prev, ctx);
    case 3: {
      FIL_TRY(labelLayerLanes<2>(info, replica_ids.data(), layer, parents, cur, prev, ctx));
      return labelLayerLanes<1>(info, replica_ids.data() + 2, layer, parents, cur + 2, prev + 2, ctx);
    }
    case 4: return labelLayerLanes<4>(info, replica_ids.data(), layer, parents, cur, prev, ctx);
    default: return fail(ProofsError::kInvalidInput, "labelling takes 1 to 4 sectors at once");
  }
}

Status checkParents(const SealProofInfo& info, const ParentCache& parents) {
  if (parents.nodes() != info.nodes()) {
    return fail(ProofsError::kInvalidInput,
                fmt::format("parent cache has {} nodes, the sector {}", parents.nodes(), info.nodes()));
  }
  return ok();
}

// Whole-file helpers.
Status writeFileAtomic(const fs::path& path, BytesView data) {
  const fs::path tmp = path.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return fail(errnoError("creating " + tmp.string(), errno));
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return fail(errnoError("writing " + tmp.string(), err));
    }
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    return fail(errnoError("syncing " + tmp.string(), err));
  }
  ::close(fd);
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return fail(errnoError("renaming " + tmp.string(), ec.value()));
  return ok();
}

Status readAt(const fs::path& path, uint64_t offset, uint8_t* out, size_t size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return fail(ProofsError::kMissingFile, fmt::format("{} is missing", path.string()));
    return fail(errnoError("opening " + path.string(), errno));
  }
  size_t done = 0;
  while (done < size) {
    const ssize_t n = pread(fd, out + done, size - done, static_cast<off_t>(offset + done));
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      if (n == 0) {
        return fail(ProofsError::kCorruptFile,
                    fmt::format("{} ends before byte {}", path.string(), offset + size));
      }
      return fail(errnoError("reading " + path.string(), err));
    }
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  return ok();
}

Status checkFileSize(const fs::path& path, uint64_t size, std::string_view what) {
  std::error_code ec;
  const auto actual = fs::file_size(path, ec);
  if (ec) return fail(ProofsError::kMissingFile, fmt::format("{} {} is missing", what, path.string()));
  if (actual != size) {
    return fail(ProofsError::kCorruptFile,
                fmt::format("{} {} has {} bytes, expected {}", what, path.string(), actual, size));
  }
  return ok();
}

// The unsealed file is the padded sector, optionally followed by Lotus's
// partial-file trailer (partial_file.h); only the sector bytes are read.
Status checkUnsealedFile(const fs::path& path, uint64_t sector_size) {
  std::error_code ec;
  const auto actual = fs::file_size(path, ec);
  if (ec) return fail(ProofsError::kMissingFile, fmt::format("unsealed file {} is missing", path.string()));
  if (actual < sector_size) {
    return fail(ProofsError::kCorruptFile, fmt::format("unsealed file {} has {} bytes, less than its {}-byte sector",
                                                       path.string(), actual, sector_size));
  }
  return ok();
}

bool fileHasSize(const fs::path& path, uint64_t size) {
  std::error_code ec;
  return fs::file_size(path, ec) == size && !ec;
}

}  // namespace

Commitment computeLabel(const Commitment& replica_id, uint32_t layer, uint64_t node,
                        std::span<const Commitment> parent_labels) {
  Commitment out;
  if (node == 0) {
    labelNodeZero(replica_id, layer, out.data());
    return out;
  }
  LabelMessage m(replica_id);
  m.setHeader(layer, node);
  const size_t degree = parent_labels.size();
  for (size_t k = 0; k < kLabelParents; ++k) std::memcpy(m.bytes + 64 + 32 * k, parent_labels[k % degree].data(), 32);
  sha::State s = sha::kInitialState;
  sha::compress(s, m.bytes, kLabelBlocks);
  finishLabel(s, out.data());
  return out;
}

Status generateLabelsBatch(const SealProofInfo& info, std::span<const Commitment> replica_ids,
                           const ParentCache& parents, std::vector<std::vector<Bytes>>& layers,
                           const JobContext& ctx) {
  FIL_TRY(checkParents(info, parents));
  const size_t n = replica_ids.size();
  layers.assign(n, std::vector<Bytes>(info.layers));
  for (size_t layer = 1; layer <= info.layers; ++layer) {
    std::vector<uint8_t*> cur(n);
    std::vector<const uint8_t*> prev(n, nullptr);
    for (size_t s = 0; s < n; ++s) {
      layers[s][layer - 1] = layerBuffer(info.sector_size);
      cur[s] = layers[s][layer - 1].data();
      if (layer > 1) prev[s] = layers[s][layer - 2].data();
    }
    FIL_TRY(labelLayer(info, replica_ids, static_cast<uint32_t>(layer), parents, cur.data(), prev.data(), ctx));
  }
  return ok();
}

Result<std::vector<Bytes>> generateLabels(const SealProofInfo& info, const Commitment& replica_id,
                                          const ParentCache& parents, const JobContext& ctx) {
  std::vector<std::vector<Bytes>> layers;
  FIL_TRY(generateLabelsBatch(info, std::span(&replica_id, 1), parents, layers, ctx));
  return std::move(layers[0]);
}

// ---------------------------------------------------------------------------
// Files.

SectorFiles lotusSectorFiles(const fs::path& root, uint64_t miner_id, SectorNumber sector) {
  const std::string name = fmt::format("s-t0{}-{}", miner_id, sector);
  return {root / "unsealed" / name, root / "sealed" / name, root / "cache" / name};
}

fs::path layerPath(const SectorFiles& files, size_t layer) {
  return files.cache / fmt::format("sc-02-data-layer-{}.dat", layer);
}
fs::path treeDPath(const SectorFiles& files) { return files.cache / "sc-02-data-tree-d.dat"; }
fs::path treeCPath(const SectorFiles& files, const TreeShape& shape, size_t i) {
  return files.cache / (shape.base_trees == 1 ? std::string("sc-02-data-tree-c.dat")
                                                : fmt::format("sc-02-data-tree-c-{}.dat", i));
}
fs::path treeRLastPath(const SectorFiles& files, const TreeShape& shape, size_t i) {
  return files.cache / (shape.base_trees == 1 ? std::string("sc-02-data-tree-r-last.dat")
                                                : fmt::format("sc-02-data-tree-r-last-{}.dat", i));
}
fs::path pAuxPath(const SectorFiles& files) { return files.cache / "p_aux"; }
fs::path tAuxPath(const SectorFiles& files) { return files.cache / "t_aux"; }



Result<Commitment> readNode(const fs::path& file, uint64_t node) {
  Commitment c;
  FIL_TRY(readAt(file, node * 32, c.data(), 32));
  return c;
}

namespace {

TreeLayout treeDLayout(const SealProofInfo& info) { return {TreeHash::kSha256, 2, info.nodes(), 0}; }
TreeLayout treeCLayout(const SealProofInfo& info) { return {TreeHash::kPoseidon, 8, info.tree.base_leaves, 0}; }
TreeLayout treeRLayout(const SealProofInfo& info) {
  return {TreeHash::kPoseidon, 8, info.tree.base_leaves, defaultRowsToDiscard(info.tree.base_leaves, 8) + 1};
}

// bincode (1.x defaults: little-endian, u64 lengths) of merkletree's
// StoreConfig { path: PathBuf, id: String, size: Option<usize>,
// rows_to_discard: usize }.
void appendStoreConfig(Bytes& out, const std::string& path, std::string_view id, uint64_t size,
                       uint64_t rows_to_discard) {
  putU64LE(out, path.size());
  append(out, BytesView(reinterpret_cast<const uint8_t*>(path.data()), path.size()));
  putU64LE(out, id.size());
  append(out, BytesView(reinterpret_cast<const uint8_t*>(id.data()), id.size()));
  out.push_back(1);  // Some
  putU64LE(out, size);
  putU64LE(out, rows_to_discard);
}


LeafReader fileLeaves(const fs::path& file, uint64_t first_node) {
  return [file, first_node](uint64_t begin, uint64_t count, uint8_t* out) {
    return readAt(file, (first_node + begin) * 32, out, count * 32);
  };
}

LeafReader noLeaves() {
  return [](uint64_t, uint64_t, uint8_t*) -> Status {
    return fail(ProofsError::kCorruptFile, "tree file should hold its leaves");
  };
}

// The compound root and the sub/top siblings of base tree `tree` from the
// base roots.
struct CompoundTop {
  Commitment root;
  std::vector<Commitment> siblings;
};

Result<CompoundTop> compoundTop(const TreeShape& shape, const std::vector<Commitment>& base_roots, size_t tree) {
  CompoundTop out;
  if (shape.base_trees == 1) {
    out.root = base_roots[0];
    return out;
  }
  std::vector<Commitment> sub_roots;
  for (size_t g = 0; g < shape.base_trees / shape.sub_arity; ++g) {
    Bytes children;
    for (size_t j = 0; j < shape.sub_arity; ++j) {
      const size_t t = g * shape.sub_arity + j;
      append(children, base_roots[t]);
      if (g == tree / shape.sub_arity && t != tree) out.siblings.push_back(base_roots[t]);
    }
    Commitment r;
    if (!hashChildren(TreeHash::kPoseidon, shape.sub_arity, children.data(), r.data())) {
      return fail(ProofsError::kCorruptFile, "a tree root is not a field element");
    }
    sub_roots.push_back(r);
  }
  if (shape.top_arity == 0) {
    out.root = sub_roots[0];
    return out;
  }
  Bytes children;
  const size_t group = tree / shape.sub_arity;
  for (size_t j = 0; j < sub_roots.size(); ++j) {
    append(children, sub_roots[j]);
    if (j != group) out.siblings.push_back(sub_roots[j]);
  }
  if (!hashChildren(TreeHash::kPoseidon, shape.top_arity, children.data(), out.root.data())) {
    return fail(ProofsError::kCorruptFile, "a tree root is not a field element");
  }
  return out;
}

using PathFile = std::function<fs::path(size_t)>;

Result<std::vector<Commitment>> compoundPath(const SealProofInfo& info, const TreeLayout& layout,
                                             const PathFile& file_of, const std::function<LeafReader(size_t)>& leaves_of,
                                             uint64_t node) {
  const size_t tree = static_cast<size_t>(node / info.tree.base_leaves);
  FIL_ASSIGN_OR_RETURN(auto path, readTreePath(layout, file_of(tree), leaves_of(tree), node % info.tree.base_leaves));
  if (info.tree.base_trees > 1) {
    std::vector<Commitment> roots;
    for (size_t t = 0; t < info.tree.base_trees; ++t) {
      FIL_ASSIGN_OR_RETURN(auto r, readTreeRoot(layout, file_of(t)));
      roots.push_back(r);
    }
    FIL_ASSIGN_OR_RETURN(auto top, compoundTop(info.tree, roots, tree));
    path.insert(path.end(), top.siblings.begin(), top.siblings.end());
  }
  return path;
}

}  // namespace

Bytes temporaryAux(const SealProofInfo& info, const fs::path& cache_dir) {
  std::error_code ec;
  fs::path abs = fs::absolute(cache_dir, ec);
  const std::string path = (ec ? cache_dir : abs).lexically_normal().string();
  const uint64_t tree_len = treeCLayout(info).fileNodes();  // tree_c and tree_r_last: one base tree
  Bytes out;
  putU64LE(out, info.layers);
  for (size_t l = 1; l <= info.layers; ++l) {
    appendStoreConfig(out, path, fmt::format("layer-{}", l), info.nodes(), 0);
  }
  appendStoreConfig(out, path, "tree-d", treeDLayout(info).fileNodes(), 0);
  appendStoreConfig(out, path, "tree-r-last", tree_len, defaultRowsToDiscard(info.tree.base_leaves, 8));
  appendStoreConfig(out, path, "tree-c", tree_len, 0);
  return out;
}

std::vector<size_t> replicaTreeArities(const TreeShape& shape) {
  std::vector<size_t> a;
  for (uint64_t n = shape.base_leaves; n > 1; n /= 8) a.push_back(8);
  if (shape.sub_arity != 0) a.push_back(shape.sub_arity);
  if (shape.top_arity != 0) a.push_back(shape.top_arity);
  return a;
}

Result<std::vector<Commitment>> replicaTreePath(const SealProofInfo& info, const SectorFiles& files, uint64_t node) {
  return compoundPath(
      info, treeRLayout(info), [&](size_t t) { return treeRLastPath(files, info.tree, t); },
      [&](size_t t) { return fileLeaves(files.sealed, t * info.tree.base_leaves); }, node);
}

// ---------------------------------------------------------------------------
// PreCommit1.

Bytes encodePreCommit1Output(const PreCommit1Output& out) {
  codec::CborEncoder e;
  e.writeArrayHeader(4).writeUint(1).writeInt(static_cast<int64_t>(out.proof));
  e.writeBytes(out.comm_d).writeBytes(out.replica_id);
  return std::move(e).take();
}

Result<PreCommit1Output> decodePreCommit1Output(BytesView bytes) {
  codec::CborDecoder d(bytes);
  auto bad = [](std::string what) { return fail(ProofsError::kMalformedProof, "PreCommit1 output: " + what); };
  FIL_ASSIGN_OR_RETURN(auto n, d.readArrayHeader());
  if (n != 4) return bad("expected 4 fields");
  FIL_ASSIGN_OR_RETURN(auto version, d.readUint());
  if (version != 1) return bad(fmt::format("unknown version {}", version));
  PreCommit1Output out;
  FIL_ASSIGN_OR_RETURN(auto proof, d.readInt());
  FIL_ASSIGN_OR_RETURN(out.proof, sealProofFromInt(proof));
  FIL_ASSIGN_OR_RETURN(auto comm_d, d.readBytes());
  FIL_ASSIGN_OR_RETURN(auto rid, d.readBytes());
  if (comm_d.size() != 32 || rid.size() != 32 || !d.atEnd()) return bad("bad commitment lengths or trailing bytes");
  std::copy(comm_d.begin(), comm_d.end(), out.comm_d.begin());
  std::copy(rid.begin(), rid.end(), out.replica_id.begin());
  return out;
}

Result<PreCommit1Output> sealPreCommit1(const SealInputs& in, const SectorFiles& files,
                                        std::span<const PieceInfo> pieces, const ParentCache& parents,
                                        const JobContext& ctx) {
  FIL_ASSIGN_OR_RETURN(const auto info, sealProofInfo(in.proof));
  FIL_TRY(checkParents(info, parents));
  FIL_TRY(checkUnsealedFile(files.unsealed, info.sector_size));
  std::error_code ec;
  fs::create_directories(files.cache, ec);
  if (ec) return fail(errnoError("creating " + files.cache.string(), ec.value()));

  // tree_d; an existing complete file is reused.
  const auto layout = treeDLayout(info);
  Commitment comm_d;
  if (fileHasSize(treeDPath(files), layout.fileNodes() * 32)) {
    FIL_ASSIGN_OR_RETURN(comm_d, readTreeRoot(layout, treeDPath(files)));
  } else {
    auto builder = makeCpuTreeBuilder();
    FIL_ASSIGN_OR_RETURN(comm_d, buildTreeFile(layout, fileLeaves(files.unsealed, 0), treeDPath(files), *builder,
                                               ctx, "tree_d"));
  }
  if (!pieces.empty()) {
    FIL_ASSIGN_OR_RETURN(const auto expected, computeCommD(info.sector_size, pieces));
    if (expected != comm_d) {
      return fail(ProofsError::kInvalidInput,
                  fmt::format("the unsealed file's comm_d {} is not the comm_d of its pieces {}",
                              pieceCid(comm_d).toString(), pieceCid(expected).toString()));
    }
  }
  PreCommit1Output out{in.proof, comm_d, replicaId(in.prover_id, in.sector, in.ticket, comm_d, porepId(in.proof))};

  // Labels, layer by layer; finished layers on disk are loaded instead.
  Bytes prev = layerBuffer(info.sector_size), cur = layerBuffer(info.sector_size);
  for (size_t layer = 1; layer <= info.layers; ++layer) {
    const auto path = layerPath(files, layer);
    if (fileHasSize(path, info.sector_size)) {
      FIL_TRY(readAt(path, 0, cur.data(), cur.size()));
    } else {
      uint8_t* cur_ptr = cur.data();
      const uint8_t* prev_ptr = prev.data();
      FIL_TRY(labelLayer(info, std::span(&out.replica_id, 1), static_cast<uint32_t>(layer), parents, &cur_ptr,
                         &prev_ptr, ctx));
      FIL_TRY(writeFileAtomic(path, cur));
    }
    std::swap(prev, cur);
  }
  return out;
}

// ---------------------------------------------------------------------------
// PreCommit2.

Result<SealedCommitments> sealPreCommit2(const PreCommit1Output& pc1, const SectorFiles& files, TreeBuilder& builder,
                                         const JobContext& ctx) {
  FIL_ASSIGN_OR_RETURN(const auto info, sealProofInfo(pc1.proof));
  FIL_TRY(checkUnsealedFile(files.unsealed, info.sector_size));
  for (size_t layer = 1; layer <= info.layers; ++layer) {
    FIL_TRY(checkFileSize(layerPath(files, layer), info.sector_size, "layer"));
  }
  const TreeShape& shape = info.tree;
  const uint64_t base = shape.base_leaves;

  // tree_c: column hashes computed as the tree builder reads its leaves.
  std::vector<Commitment> c_roots;
  const auto c_layout = treeCLayout(info);
  for (size_t t = 0; t < shape.base_trees; ++t) {
    const auto path = treeCPath(files, shape, t);
    if (fileHasSize(path, c_layout.fileNodes() * 32)) {
      FIL_ASSIGN_OR_RETURN(auto r, readTreeRoot(c_layout, path));
      c_roots.push_back(r);
      continue;
    }
    auto columns = [&, t](uint64_t begin, uint64_t count, uint8_t* out) -> Status {
      std::vector<Bytes> bufs(info.layers, Bytes(count * 32));
      std::vector<const uint8_t*> ptrs;
      for (size_t l = 0; l < info.layers; ++l) {
        FIL_TRY(readAt(layerPath(files, l + 1), (t * base + begin) * 32, bufs[l].data(), count * 32));
        ptrs.push_back(bufs[l].data());
      }
      builder.hashColumns(info.layers, ptrs.data(), count, out);
      return ok();
    };
    FIL_ASSIGN_OR_RETURN(auto r, buildTreeFile(c_layout, columns, path, builder, ctx, "tree_c"));
    c_roots.push_back(r);
  }
  FIL_ASSIGN_OR_RETURN(const auto c_top, compoundTop(shape, c_roots, 0));

  // The replica, written as tree_r_last reads its leaves: label + data.
  std::error_code ec;
  fs::create_directories(files.sealed.parent_path(), ec);
  const auto r_layout = treeRLayout(info);
  bool have_r = fileHasSize(files.sealed, info.sector_size);
  for (size_t t = 0; t < shape.base_trees && have_r; ++t) {
    have_r = fileHasSize(treeRLastPath(files, shape, t), r_layout.fileNodes() * 32);
  }
  std::vector<Commitment> r_roots;
  if (have_r) {
    for (size_t t = 0; t < shape.base_trees; ++t) {
      FIL_ASSIGN_OR_RETURN(auto r, readTreeRoot(r_layout, treeRLastPath(files, shape, t)));
      r_roots.push_back(r);
    }
  } else {
    const fs::path tmp_sealed = files.sealed.string() + ".tmp";
    const int fd = ::open(tmp_sealed.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return fail(errnoError("creating " + tmp_sealed.string(), errno));
    struct Closer {
      int fd;
      fs::path path;
      bool keep = false;
      ~Closer() {
        ::close(fd);
        std::error_code e;
        if (!keep) fs::remove(path, e);
      }
    } closer{fd, tmp_sealed};
    if (ftruncate(fd, static_cast<off_t>(info.sector_size)) != 0) {
      return fail(errnoError("sizing " + tmp_sealed.string(), errno));
    }
    const fs::path last_layer = layerPath(files, info.layers);
    for (size_t t = 0; t < shape.base_trees; ++t) {
      auto encode = [&, t](uint64_t begin, uint64_t count, uint8_t* out) -> Status {
        const uint64_t first = t * base + begin;
        Bytes data(count * 32);
        FIL_TRY(readAt(last_layer, first * 32, out, count * 32));
        FIL_TRY(readAt(files.unsealed, first * 32, data.data(), count * 32));
        for (uint64_t i = 0; i < count; ++i) {
          const Fr key = Fr::fromBytesMasked(out + 32 * i);
          const auto value = Fr::fromBytes(data.data() + 32 * i);
          if (!value) {
            return fail(ProofsError::kCorruptFile,
                        fmt::format("unsealed node {} is not FR32-padded", first + i));
          }
          (key + *value).toBytes(out + 32 * i);
        }
        size_t done = 0;
        while (done < count * 32) {
          const ssize_t n = pwrite(fd, out + done, count * 32 - done, static_cast<off_t>(first * 32 + done));
          if (n < 0) return fail(errnoError("writing " + tmp_sealed.string(), errno));
          done += static_cast<size_t>(n);
        }
        return ok();
      };
      FIL_ASSIGN_OR_RETURN(auto r, buildTreeFile(r_layout, encode, treeRLastPath(files, shape, t), builder, ctx,
                                                 "tree_r_last"));
      r_roots.push_back(r);
    }
    if (fsync(fd) != 0) return fail(errnoError("syncing " + tmp_sealed.string(), errno));
    fs::rename(tmp_sealed, files.sealed, ec);
    if (ec) return fail(errnoError("renaming " + tmp_sealed.string(), ec.value()));
    closer.keep = true;
  }
  FIL_ASSIGN_OR_RETURN(const auto r_top, compoundTop(shape, r_roots, 0));

  const Commitment comm_c = c_top.root, comm_r_last = r_top.root;
  Bytes p_aux;
  append(p_aux, comm_c);
  append(p_aux, comm_r_last);
  FIL_TRY(writeFileAtomic(pAuxPath(files), p_aux));
  FIL_TRY(writeFileAtomic(tAuxPath(files), temporaryAux(info, files.cache)));
  const Fr comm_r = poseidonHash2(*Fr::fromBytes(comm_c.data()), *Fr::fromBytes(comm_r_last.data()));
  return SealedCommitments{comm_r.toBytes(), pc1.comm_d};
}

// ---------------------------------------------------------------------------
// The vanilla proof and its encoding.
//
// [version 1, seal proof, comm_c, comm_r_last, [challenge...]] with each
// challenge [data leaf || comm_d siblings, replica leaf || comm_r_last
// siblings, 15 x (layer labels || tree_c siblings)] as three byte strings
// whose lengths the proof type fixes. The challenged nodes and parents are
// not sent: the verifier derives them.

namespace {

struct ColumnOpening {
  std::vector<Commitment> labels;
  std::vector<Commitment> path;
};

struct ChallengeProof {
  Commitment data_leaf;
  std::vector<Commitment> comm_d_path;
  Commitment replica_leaf;
  std::vector<Commitment> comm_r_last_path;
  std::vector<ColumnOpening> columns;  // challenge, 6 DRG, 8 expander
};

struct SealProof {
  RegisteredSealProof proof;
  Commitment comm_c, comm_r_last;
  std::vector<ChallengeProof> challenges;
};

size_t log2u(uint64_t v) { return static_cast<size_t>(63 - __builtin_clzll(v)); }

struct ProofSizes {
  size_t d_path, r_path, layers;
  explicit ProofSizes(const SealProofInfo& info)
      : d_path(log2u(info.nodes())), r_path(0), layers(info.layers) {
    for (size_t a : replicaTreeArities(info.tree)) r_path += a - 1;
  }
};

void appendNodes(Bytes& out, const Commitment& first, const std::vector<Commitment>& rest) {
  append(out, first);
  for (const auto& c : rest) append(out, c);
}

Bytes encodeSealProof(const SealProof& p) {
  codec::CborEncoder e;
  e.writeArrayHeader(5).writeUint(1).writeInt(static_cast<int64_t>(p.proof));
  e.writeBytes(p.comm_c).writeBytes(p.comm_r_last);
  e.writeArrayHeader(p.challenges.size());
  for (const auto& c : p.challenges) {
    Bytes d, r, cols;
    appendNodes(d, c.data_leaf, c.comm_d_path);
    appendNodes(r, c.replica_leaf, c.comm_r_last_path);
    for (const auto& col : c.columns) {
      for (const auto& l : col.labels) append(cols, l);
      for (const auto& s : col.path) append(cols, s);
    }
    e.writeArrayHeader(3).writeBytes(d).writeBytes(r).writeBytes(cols);
  }
  return std::move(e).take();
}

std::vector<Commitment> splitNodes(BytesView b) {
  std::vector<Commitment> out(b.size() / 32);
  for (size_t i = 0; i < out.size(); ++i) std::memcpy(out[i].data(), b.data() + 32 * i, 32);
  return out;
}

Result<SealProof> decodeSealProof(BytesView bytes) {
  auto bad = [](std::string what) { return fail(ProofsError::kMalformedProof, "seal proof: " + what); };
  codec::CborDecoder d(bytes);
  FIL_ASSIGN_OR_RETURN(auto fields, d.readArrayHeader());
  if (fields != 5) return bad("expected 5 fields");
  FIL_ASSIGN_OR_RETURN(auto version, d.readUint());
  if (version != 1) return bad(fmt::format("unknown version {}", version));
  SealProof p;
  FIL_ASSIGN_OR_RETURN(auto proof_num, d.readInt());
  auto proof = sealProofFromInt(proof_num);
  if (!proof) return bad(proof.error().message());
  p.proof = *proof;
  const auto info = *sealProofInfo(p.proof);
  const ProofSizes sizes(info);
  FIL_ASSIGN_OR_RETURN(auto comm_c, d.readBytes());
  FIL_ASSIGN_OR_RETURN(auto comm_r_last, d.readBytes());
  if (comm_c.size() != 32 || comm_r_last.size() != 32) return bad("commitments must be 32 bytes");
  std::memcpy(p.comm_c.data(), comm_c.data(), 32);
  std::memcpy(p.comm_r_last.data(), comm_r_last.data(), 32);
  FIL_ASSIGN_OR_RETURN(auto n, d.readArrayHeader());
  const size_t expected = info.challenges_per_partition * info.partitions;
  if (n != expected) return bad(fmt::format("{} challenge proofs, expected {}", n, expected));
  const size_t column_bytes = (sizes.layers + sizes.r_path) * 32;
  for (uint64_t i = 0; i < n; ++i) {
    FIL_ASSIGN_OR_RETURN(auto k, d.readArrayHeader());
    if (k != 3) return bad("a challenge proof has 3 fields");
    FIL_ASSIGN_OR_RETURN(auto db, d.readBytes());
    FIL_ASSIGN_OR_RETURN(auto rb, d.readBytes());
    FIL_ASSIGN_OR_RETURN(auto cb, d.readBytes());
    if (db.size() != (1 + sizes.d_path) * 32 || rb.size() != (1 + sizes.r_path) * 32 ||
        cb.size() != kTotalParents * column_bytes + column_bytes) {
      return bad(fmt::format("challenge {} has the wrong byte lengths for {}", i, sealProofName(p.proof)));
    }
    ChallengeProof c;
    auto dn = splitNodes(db);
    c.data_leaf = dn[0];
    c.comm_d_path.assign(dn.begin() + 1, dn.end());
    auto rn = splitNodes(rb);
    c.replica_leaf = rn[0];
    c.comm_r_last_path.assign(rn.begin() + 1, rn.end());
    auto cn = splitNodes(cb);
    for (size_t col = 0; col <= kTotalParents; ++col) {
      ColumnOpening o;
      auto it = cn.begin() + static_cast<long>(col * (sizes.layers + sizes.r_path));
      o.labels.assign(it, it + static_cast<long>(sizes.layers));
      o.path.assign(it + static_cast<long>(sizes.layers), it + static_cast<long>(sizes.layers + sizes.r_path));
      c.columns.push_back(std::move(o));
    }
    p.challenges.push_back(std::move(c));
  }
  if (!d.atEnd()) return bad("trailing bytes");
  return p;
}

}  // namespace

Result<Bytes> sealCommit1(const SealVerifyInfo& vi, const SectorFiles& files, const JobContext& ctx) {
  FIL_ASSIGN_OR_RETURN(const auto info, sealProofInfo(vi.proof));
  Bytes p_aux(64);
  FIL_TRY(readAt(pAuxPath(files), 0, p_aux.data(), 64));
  SealProof proof;
  proof.proof = vi.proof;
  std::memcpy(proof.comm_c.data(), p_aux.data(), 32);
  std::memcpy(proof.comm_r_last.data(), p_aux.data() + 32, 32);
  const Commitment rid = replicaId(vi.prover_id, vi.sector, vi.ticket, vi.comm_d, porepId(vi.proof));
  const StackedGraph graph(info.nodes(), porepId(vi.proof), info.api_version);
  const auto d_layout = treeDLayout(info);
  const auto c_layout = treeCLayout(info);
  auto c_path = [&](uint64_t node) {
    return compoundPath(
        info, c_layout, [&](size_t t) { return treeCPath(files, info.tree, t); }, [](size_t) { return noLeaves(); },
        node);
  };
  for (size_t k = 0; k < info.partitions; ++k) {
    for (uint64_t challenge : porepChallenges(info, rid, vi.seed, k)) {
      if (ctx.cancelled()) return fail(ProofsError::kCancelled, "Commit1 cancelled");
      ChallengeProof c;
      FIL_ASSIGN_OR_RETURN(c.data_leaf, readNode(treeDPath(files), challenge));
      FIL_ASSIGN_OR_RETURN(c.comm_d_path, readTreePath(d_layout, treeDPath(files), noLeaves(), challenge));
      FIL_ASSIGN_OR_RETURN(c.replica_leaf, readNode(files.sealed, challenge));
      FIL_ASSIGN_OR_RETURN(c.comm_r_last_path, replicaTreePath(info, files, challenge));
      uint32_t parents[kTotalParents];
      graph.parents(challenge, parents);
      std::vector<uint64_t> nodes = {challenge};
      nodes.insert(nodes.end(), parents, parents + kTotalParents);
      for (uint64_t node : nodes) {
        ColumnOpening o;
        for (size_t layer = 1; layer <= info.layers; ++layer) {
          FIL_ASSIGN_OR_RETURN(auto label, readNode(layerPath(files, layer), node));
          o.labels.push_back(label);
        }
        FIL_ASSIGN_OR_RETURN(o.path, c_path(node));
        c.columns.push_back(std::move(o));
      }
      proof.challenges.push_back(std::move(c));
    }
  }
  Bytes encoded = encodeSealProof(proof);
  // A proof that does not verify is a broken sector, reported here rather
  // than by the chain.
  if (auto st = verifySeal(vi, encoded); !st) {
    return fail(std::move(st).error().withContext("the generated seal proof does not verify (corrupt sector files?)"));
  }
  return encoded;
}

Status verifySeal(const SealVerifyInfo& vi, BytesView bytes) {
  FIL_ASSIGN_OR_RETURN(const auto info, sealProofInfo(vi.proof));
  auto decoded = decodeSealProof(bytes);
  if (!decoded) {
    if (decoded.error().is(ProofsError::kMalformedProof)) return fail(decoded.error());
    return fail(ProofsError::kMalformedProof, "seal proof: " + decoded.error().message());
  }
  const SealProof& proof = *decoded;
  auto invalid = [](std::string what) { return fail(ProofsError::kInvalidProof, what); };
  if (proof.proof != vi.proof) {
    return invalid(fmt::format("proof is for {}, expected {}", sealProofName(proof.proof), sealProofName(vi.proof)));
  }
  const auto comm_c = Fr::fromBytes(proof.comm_c.data());
  const auto comm_r_last = Fr::fromBytes(proof.comm_r_last.data());
  if (!comm_c || !comm_r_last || poseidonHash2(*comm_c, *comm_r_last).toBytes() != vi.comm_r) {
    return invalid("comm_r is not H(comm_c, comm_r_last) of the proof");
  }
  const Commitment rid = replicaId(vi.prover_id, vi.sector, vi.ticket, vi.comm_d, porepId(vi.proof));
  const StackedGraph graph(info.nodes(), porepId(vi.proof), info.api_version);
  const std::vector<size_t> d_arities(log2u(info.nodes()), 2);
  const auto r_arities = replicaTreeArities(info.tree);
  size_t index = 0;
  for (size_t k = 0; k < info.partitions; ++k) {
    for (uint64_t challenge : porepChallenges(info, rid, vi.seed, k)) {
      const auto& c = proof.challenges[index++];
      if (!verifyTreePath(TreeHash::kSha256, d_arities, challenge, c.data_leaf, c.comm_d_path, vi.comm_d)) {
        return invalid(fmt::format("comm_d inclusion proof of challenge {} fails", challenge));
      }
      if (!verifyTreePath(TreeHash::kPoseidon, r_arities, challenge, c.replica_leaf, c.comm_r_last_path,
                          proof.comm_r_last)) {
        return invalid(fmt::format("comm_r_last inclusion proof of challenge {} fails", challenge));
      }
      uint32_t parents[kTotalParents];
      graph.parents(challenge, parents);
      std::vector<uint64_t> nodes = {challenge};
      nodes.insert(nodes.end(), parents, parents + kTotalParents);
      for (size_t i = 0; i < nodes.size(); ++i) {
        const auto& col = c.columns[i];
        Fr column[11];
        for (size_t l = 0; l < info.layers; ++l) {
          auto f = Fr::fromBytes(col.labels[l].data());
          if (!f) return invalid(fmt::format("a label of node {} is not a field element", nodes[i]));
          column[l] = *f;
        }
        const Commitment leaf = poseidonHash(std::span<const Fr>(column, info.layers)).toBytes();
        if (!verifyTreePath(TreeHash::kPoseidon, r_arities, nodes[i], leaf, col.path, proof.comm_c)) {
          return invalid(fmt::format("tree_c inclusion proof of node {} (challenge {}) fails", nodes[i], challenge));
        }
      }
      // Labelling: every layer's label of the challenge from its parents'.
      for (size_t layer = 1; layer <= info.layers; ++layer) {
        std::vector<Commitment> parent_labels;
        for (size_t i = 0; i < kBaseDegree; ++i) parent_labels.push_back(c.columns[1 + i].labels[layer - 1]);
        if (layer > 1) {
          for (size_t i = kBaseDegree; i < kTotalParents; ++i) parent_labels.push_back(c.columns[1 + i].labels[layer - 2]);
        }
        if (computeLabel(rid, static_cast<uint32_t>(layer), challenge, parent_labels) != c.columns[0].labels[layer - 1]) {
          return invalid(fmt::format("label of challenge {} in layer {} does not follow from its parents", challenge, layer));
        }
      }
      // Encoding: replica = last label + data.
      const auto data = Fr::fromBytes(c.data_leaf.data());
      const auto key = Fr::fromBytes(c.columns[0].labels[info.layers - 1].data());
      if (!data || !key || (*key + *data).toBytes() != c.replica_leaf) {
        return invalid(fmt::format("replica node {} is not its last label plus its data", challenge));
      }
    }
  }
  return ok();
}

// ---------------------------------------------------------------------------

Status finalizeSector(const SealProofInfo& info, const SectorFiles& files, bool keep_unsealed) {
  std::error_code ec;
  for (size_t layer = 1; layer <= info.layers; ++layer) fs::remove(layerPath(files, layer), ec);
  fs::remove(treeDPath(files), ec);
  for (size_t t = 0; t < info.tree.base_trees; ++t) fs::remove(treeCPath(files, info.tree, t), ec);
  if (!keep_unsealed) fs::remove(files.unsealed, ec);
  FIL_TRY(checkFileSize(files.sealed, info.sector_size, "sealed file"));
  return checkFileSize(pAuxPath(files), 64, "p_aux");
}

Status unsealRange(const SealInputs& in, const Commitment& comm_d, const SectorFiles& files,
                   const ParentCache& parents, uint64_t offset, uint64_t size,
                   const std::function<Status(BytesView)>& out, const JobContext& ctx) {
  FIL_ASSIGN_OR_RETURN(const auto info, sealProofInfo(in.proof));
  if (offset % 32 != 0 || size % 32 != 0 || offset + size > info.sector_size || offset + size < offset) {
    return fail(ProofsError::kInvalidInput,
                fmt::format("range [{}, {}) is not whole nodes inside the sector", offset, offset + size));
  }
  FIL_TRY(checkFileSize(files.sealed, info.sector_size, "sealed file"));
  const Commitment rid = replicaId(in.prover_id, in.sector, in.ticket, comm_d, porepId(in.proof));
  FIL_ASSIGN_OR_RETURN(auto layers, generateLabels(info, rid, parents, ctx));
  const Bytes& key = layers.back();
  constexpr uint64_t kStep = 1 << 20;
  Bytes buf;
  for (uint64_t pos = offset; pos < offset + size; pos += kStep) {
    const uint64_t n = std::min(kStep, offset + size - pos);
    buf.resize(n);
    FIL_TRY(readAt(files.sealed, pos, buf.data(), n));
    for (uint64_t i = 0; i < n; i += 32) {
      const auto replica = Fr::fromBytes(buf.data() + i);
      if (!replica) return fail(ProofsError::kCorruptFile, fmt::format("sealed node {} is not a field element", (pos + i) / 32));
      (*replica - Fr::fromBytesMasked(key.data() + pos + i)).toBytes(buf.data() + i);
    }
    FIL_TRY(out(buf));
  }
  return ok();
}

}  // namespace fil::proofs
