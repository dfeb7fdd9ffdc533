// Merkle trees of sectors: tree_d (binary, SHA-256 trunc254), tree_c and
// tree_r_last (oct, Poseidon), stored as rust-fil-proofs' merkletree crate
// stores them: the rows of a tree one after another from the bottom, each
// node 32 bytes; a "level cache" file (tree_r_last) leaves out the leaves and
// the `rows_to_discard` rows above them, which proofs rebuild from the
// leaves (the sealed file).
//
// The hashing itself goes through TreeBuilder, so that a GPU implementation
// can take over PreCommit2's Poseidon work behind the same interface.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/proofs/commp.h"
#include "fil/proofs/thread_pool.h"

namespace fil::proofs {

enum class TreeHash { kSha256, kPoseidon };

class TreeBuilder {
 public:
  virtual ~TreeBuilder() = default;
  // out[i] = H(children[i * arity .. (i + 1) * arity)) for i < parents
  // (32-byte nodes). May run on the calling thread only; callers split work.
  virtual void hashLevel(TreeHash hash, size_t arity, const uint8_t* children, uint64_t parents,
                         uint8_t* out) = 0;
  // out[i] = Poseidon over the i-th node of each of the `layers` layers.
  virtual void hashColumns(size_t layers, const uint8_t* const* layer_nodes, uint64_t count, uint8_t* out) = 0;
};

std::unique_ptr<TreeBuilder> makeCpuTreeBuilder();

// H(children) of one node; false when a Poseidon child is not a field
// element (only possible in bytes from outside).
[[nodiscard]] bool hashChildren(TreeHash hash, size_t arity, const uint8_t* children, uint8_t* out);

// Reads `count` leaves starting at `begin` into `out`.
using LeafReader = std::function<Status(uint64_t begin, uint64_t count, uint8_t* out)>;

struct TreeLayout {
  TreeHash hash = TreeHash::kSha256;
  size_t arity = 2;
  uint64_t leaves = 0;    // a power of `arity`
  size_t first_row = 0;   // the lowest row in the file (0 = leaves stored)

  size_t rows() const;                   // leaves row .. root row, inclusive
  uint64_t rowNodes(size_t row) const { return leaves >> (log2Arity() * row); }
  uint64_t fileNodes() const;            // nodes stored in the file
  uint64_t rowOffset(size_t row) const;  // node offset of `row` in the file (row >= first_row)
  unsigned log2Arity() const { return arity == 2 ? 1 : 3; }
};

// rust-fil-proofs' default_rows_to_discard for tree_r_last: 2 for oct trees
// large enough, fewer for small ones (the level cache keeps the rest).
size_t defaultRowsToDiscard(uint64_t leaves, size_t arity);

// Builds a whole tree from its leaves, writing the stored rows to `path`
// (through a temporary file renamed when complete). Returns the root.
[[nodiscard]] Result<Commitment> buildTreeFile(const TreeLayout& layout, const LeafReader& leaves,
                                               const std::filesystem::path& path, TreeBuilder& builder,
                                               const JobContext& ctx, std::string_view step);

// The root stored in a tree file (its last node), after checking its size.
[[nodiscard]] Result<Commitment> readTreeRoot(const TreeLayout& layout, const std::filesystem::path& path);

// The siblings of leaf `index` from the leaves row to just below the root,
// arity - 1 per row, in child order without the path node. Rows the file
// does not hold are rebuilt from `leaves`.
[[nodiscard]] Result<std::vector<Commitment>> readTreePath(const TreeLayout& layout,
                                                           const std::filesystem::path& path,
                                                           const LeafReader& leaves, uint64_t index);

// Checks a path: `arities` per level from the leaves up, `siblings` as
// readTreePath returns them.
[[nodiscard]] bool verifyTreePath(TreeHash hash, std::span<const size_t> arities, uint64_t index,
                                  const Commitment& leaf, std::span<const Commitment> siblings,
                                  const Commitment& root);

}  // namespace fil::proofs
