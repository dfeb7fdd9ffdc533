#include "fil/proofs/merkle.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include <fmt/format.h>

#include "fil/proofs/poseidon.h"
#include "sha256_compress.h"

namespace fil::proofs {

namespace {

class CpuTreeBuilder final : public TreeBuilder {
 public:
  void hashLevel(TreeHash hash, size_t arity, const uint8_t* children, uint64_t parents, uint8_t* out) override {
    if (hash == TreeHash::kSha256) {
      sha::hashNodePairs(children, out, parents);  // arity 2 by construction
      return;
    }
    const uint8_t* inputs[11];
    for (size_t k = 0; k < arity; ++k) inputs[k] = children + 32 * k;
    if (!poseidonHashMany(arity, inputs, 32 * arity, parents, out)) std::abort();  // our own nodes
  }
  void hashColumns(size_t layers, const uint8_t* const* layer_nodes, uint64_t count, uint8_t* out) override {
    if (!poseidonHashMany(layers, layer_nodes, 32, count, out, NodeForm::kMasked)) std::abort();  // masked: cannot fail
  }
};

// A file written at offsets, removed unless committed.
class TempFile {
 public:
  explicit TempFile(std::filesystem::path final_path)
      : final_(std::move(final_path)), tmp_(final_.string() + ".tmp") {}
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) {
      std::error_code ec;
      std::filesystem::remove(tmp_, ec);
    }
  }
  Status open(uint64_t size) {
    fd_ = ::open(tmp_.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) return fail(errnoError("creating " + tmp_.string(), errno));
    if (ftruncate(fd_, static_cast<off_t>(size)) != 0) return fail(errnoError("sizing " + tmp_.string(), errno));
    return ok();
  }
  Status write(const uint8_t* data, size_t size, uint64_t offset) {
    while (size > 0) {
      const ssize_t n = pwrite(fd_, data, size, static_cast<off_t>(offset));
      if (n < 0) return fail(errnoError("writing " + tmp_.string(), errno));
      data += n;
      size -= static_cast<size_t>(n);
      offset += static_cast<uint64_t>(n);
    }
    return ok();
  }
  Status commit() {
    if (fsync(fd_) != 0) return fail(errnoError("syncing " + tmp_.string(), errno));
    ::close(fd_);
    fd_ = -1;
    std::error_code ec;
    std::filesystem::rename(tmp_, final_, ec);
    if (ec) return fail(errnoError("renaming " + tmp_.string(), ec.value()));
    committed_ = true;
    return ok();
  }

 private:
  std::filesystem::path final_, tmp_;
  int fd_ = -1;
  bool committed_ = false;
};

Status preadAll(int fd, uint8_t* out, size_t size, uint64_t offset, const std::filesystem::path& path) {
  while (size > 0) {
    const ssize_t n = pread(fd, out, size, static_cast<off_t>(offset));
    if (n < 0) return fail(errnoError("reading " + path.string(), errno));
    if (n == 0) return fail(ProofsError::kCorruptFile, fmt::format("{} is shorter than expected", path.string()));
    out += n;
    size -= static_cast<size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return ok();
}

// Rows 1..levels above `count` leaves (count a power of arity) in memory:
// rows[k] holds row k + 1.
void buildRows(TreeBuilder& builder, TreeHash hash, size_t arity, const uint8_t* leaves, uint64_t count,
               size_t levels, std::vector<Bytes>& rows) {
  rows.resize(levels);
  const uint8_t* below = leaves;
  for (size_t k = 0; k < levels; ++k) {
    count /= arity;
    rows[k].resize(count * 32);
    builder.hashLevel(hash, arity, below, count, rows[k].data());
    below = rows[k].data();
  }
}

}  // namespace

std::unique_ptr<TreeBuilder> makeCpuTreeBuilder() { return std::make_unique<CpuTreeBuilder>(); }

bool hashChildren(TreeHash hash, size_t arity, const uint8_t* children, uint8_t* out) {
  if (hash == TreeHash::kSha256) {
    sha::hashNodePairs(children, out, 1);
    return true;
  }
  return poseidonHashNodes(arity, children, out);
}

size_t TreeLayout::rows() const {
  size_t r = 1;
  for (uint64_t n = leaves; n > 1; n >>= log2Arity()) ++r;
  return r;
}

uint64_t TreeLayout::rowOffset(size_t row) const {
  uint64_t off = 0;
  for (size_t r = first_row; r < row; ++r) off += rowNodes(r);
  return off;
}

uint64_t TreeLayout::fileNodes() const { return rowOffset(rows()); }

size_t defaultRowsToDiscard(uint64_t leaves, size_t arity) {
  const TreeLayout layout{TreeHash::kPoseidon, arity, leaves, 0};
  const size_t rows = layout.rows();
  if (rows <= 2) return 0;
  if (rows == 3) return 1;
  return std::min<size_t>(rows - 2, 2);
}

Result<Commitment> buildTreeFile(const TreeLayout& layout, const LeafReader& leaves,
                                 const std::filesystem::path& path, TreeBuilder& builder, const JobContext& ctx,
                                 std::string_view step) {
  const size_t rows = layout.rows();
  const size_t top = rows - 1;
  // Chunks: complete subtrees of about 2^16 leaves, built in parallel.
  size_t chunk_levels = 0;
  uint64_t chunk_leaves = 1;
  while (chunk_leaves * layout.arity <= std::min<uint64_t>(layout.leaves, 1 << 16)) {
    chunk_leaves *= layout.arity;
    ++chunk_levels;
  }
  const uint64_t chunks = layout.leaves / chunk_leaves;
  TempFile file(path);
  FIL_TRY(file.open(layout.fileNodes() * 32));
  Bytes chunk_roots(chunks * 32);
  std::atomic<uint64_t> done{0};
  std::mutex error_mutex;
  std::optional<Error> error;
  ctx.pool->parallelFor(chunks, [&](uint64_t c) {
    if (ctx.cancelled()) return;
    {
      std::lock_guard lock(error_mutex);
      if (error) return;
    }
    Bytes leaf_buf(chunk_leaves * 32);
    Status st = leaves(c * chunk_leaves, chunk_leaves, leaf_buf.data());
    std::vector<Bytes> chunk_rows;
    if (st) {
      buildRows(builder, layout.hash, layout.arity, leaf_buf.data(), chunk_leaves, chunk_levels, chunk_rows);
      for (size_t r = std::max<size_t>(layout.first_row, 0); r <= chunk_levels && st; ++r) {
        const Bytes& row = r == 0 ? leaf_buf : chunk_rows[r - 1];
        const uint64_t per_chunk = chunk_leaves >> (layout.log2Arity() * r);
        st = file.write(row.data(), row.size(), (layout.rowOffset(r) + c * per_chunk) * 32);
      }
      const uint8_t* root = chunk_levels == 0 ? leaf_buf.data() : chunk_rows.back().data();
      std::memcpy(chunk_roots.data() + c * 32, root, 32);
    }
    if (!st) {
      std::lock_guard lock(error_mutex);
      if (!error) error = st.error();
      return;
    }
    ctx.report(step, (done.fetch_add(1) + 1) * chunk_leaves, layout.leaves);
  });
  if (error) return fail(*error);
  if (ctx.cancelled()) return fail(ProofsError::kCancelled, fmt::format("{} cancelled", step));
  // The rows above the chunks, from the chunk roots.
  std::vector<Bytes> upper;
  buildRows(builder, layout.hash, layout.arity, chunk_roots.data(), chunks, top - chunk_levels, upper);
  for (size_t r = chunk_levels + 1; r <= top; ++r) {
    if (r < layout.first_row) continue;
    const Bytes& row = upper[r - chunk_levels - 1];
    FIL_TRY(file.write(row.data(), row.size(), layout.rowOffset(r) * 32));
  }
  Commitment root;
  const uint8_t* root_ptr = top == chunk_levels ? chunk_roots.data() : upper.back().data();
  std::memcpy(root.data(), root_ptr, 32);
  FIL_TRY(file.commit());
  return root;
}

Result<Commitment> readTreeRoot(const TreeLayout& layout, const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return fail(ProofsError::kMissingFile, fmt::format("tree file {} is missing", path.string()));
    return fail(errnoError("opening " + path.string(), errno));
  }
  const off_t size = lseek(fd, 0, SEEK_END);
  if (size != static_cast<off_t>(layout.fileNodes() * 32)) {
    ::close(fd);
    return fail(ProofsError::kCorruptFile, fmt::format("tree file {} has {} bytes, expected {}", path.string(),
                                                       size, layout.fileNodes() * 32));
  }
  Commitment root;
  auto st = preadAll(fd, root.data(), 32, (layout.fileNodes() - 1) * 32, path);
  ::close(fd);
  FIL_TRY(st);
  return root;
}

Result<std::vector<Commitment>> readTreePath(const TreeLayout& layout, const std::filesystem::path& path,
                                             const LeafReader& leaves, uint64_t index) {
  if (index >= layout.leaves) {
    return fail(ProofsError::kInvalidInput, fmt::format("leaf {} is outside a tree of {}", index, layout.leaves));
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return fail(ProofsError::kMissingFile, fmt::format("tree file {} is missing", path.string()));
    return fail(errnoError("opening " + path.string(), errno));
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  if (lseek(fd, 0, SEEK_END) != static_cast<off_t>(layout.fileNodes() * 32)) {
    return fail(ProofsError::kCorruptFile, fmt::format("tree file {} does not have the size of its tree", path.string()));
  }
  const size_t top = layout.rows() - 1;
  std::vector<Commitment> siblings;
  // Rows below first_row: rebuild the subtree of arity^first_row leaves.
  std::vector<Bytes> rebuilt;
  Bytes sub_leaves;
  if (layout.first_row > 0) {
    const uint64_t span = uint64_t{1} << (layout.log2Arity() * layout.first_row);
    const uint64_t base = index / span * span;
    sub_leaves.resize(span * 32);
    FIL_TRY(leaves(base, span, sub_leaves.data()));
    auto builder = makeCpuTreeBuilder();
    buildRows(*builder, layout.hash, layout.arity, sub_leaves.data(), span, layout.first_row - 1, rebuilt);
  }
  uint64_t idx = index;
  uint8_t group[8 * 32];
  for (size_t r = 0; r < top; ++r) {
    const uint64_t first = idx / layout.arity * layout.arity;
    if (r < layout.first_row) {
      const uint64_t span_row = uint64_t{1} << (layout.log2Arity() * (layout.first_row - r));
      const uint64_t local = first % span_row;
      const Bytes& row = r == 0 ? sub_leaves : rebuilt[r - 1];
      std::memcpy(group, row.data() + local * 32, layout.arity * 32);
    } else {
      FIL_TRY(preadAll(fd, group, layout.arity * 32, (layout.rowOffset(r) + first) * 32, path));
    }
    for (size_t j = 0; j < layout.arity; ++j) {
      if (first + j == idx) continue;
      Commitment c;
      std::memcpy(c.data(), group + j * 32, 32);
      siblings.push_back(c);
    }
    idx /= layout.arity;
  }
  return siblings;
}

bool verifyTreePath(TreeHash hash, std::span<const size_t> arities, uint64_t index, const Commitment& leaf,
                    std::span<const Commitment> siblings, const Commitment& root) {
  size_t expected = 0;
  for (size_t a : arities) expected += a - 1;
  if (siblings.size() != expected) return false;
  Commitment cur = leaf;
  size_t s = 0;
  uint8_t group[11 * 32];
  for (size_t a : arities) {
    const size_t pos = index % a;
    index /= a;
    for (size_t j = 0; j < a; ++j) {
      const uint8_t* src = j == pos ? cur.data() : siblings[s++].data();
      std::memcpy(group + j * 32, src, 32);
    }
    if (!hashChildren(hash, a, group, cur.data())) return false;
  }
  return index == 0 && cur == root;
}

}  // namespace fil::proofs
