// The SDR graph: 6 DRG parents per node in the same layer (bucket sampling
// driven by ChaCha8) and 8 expander parents in the previous layer (a
// 3-round Feistel permutation keyed by BLAKE2b), as rust-fil-proofs'
// StackedBucketGraph, and the parent cache file holding all 14 parents of
// every node (14 u32 little-endian per node).
//
//   StackedGraph graph(info.nodes(), porepId(proof), info.api_version);
//   uint32_t parents[kTotalParents];
//   graph.parents(node, parents);   // [0..6) DRG, [6..14) expander
//
//   FIL_ASSIGN_OR_RETURN(auto cache, ParentCache::open(dir, info));
//   const uint32_t* p = cache.parents(node);
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "fil/base/error.h"
#include "fil/proofs/registered_proof.h"

namespace fil::proofs {

inline constexpr size_t kBaseDegree = 6;
inline constexpr size_t kExpansionDegree = 8;
inline constexpr size_t kTotalParents = kBaseDegree + kExpansionDegree;

class StackedGraph {
 public:
  StackedGraph(uint64_t nodes, const PoRepId& porep_id, ApiVersion api_version);

  uint64_t nodes() const { return nodes_; }
  void baseParents(uint64_t node, uint32_t* out6) const;
  void expanderParents(uint64_t node, uint32_t* out8) const;
  void parents(uint64_t node, uint32_t* out14) const {
    baseParents(node, out14);
    expanderParents(node, out14 + kBaseDegree);
  }
  // The parents of nodes [first, first + count), 14 per node as parents()
  // writes them; the expander parents in AVX-512 lanes where the CPU has
  // them (building a parent cache is mostly their BLAKE2b work).
  void parentsOfRange(uint64_t first, uint64_t count, uint32_t* out) const;

 private:
  uint64_t feistelPermute(uint64_t index) const;
  uint32_t expanderParent(uint64_t transformed) const;
  uint64_t nodes_;
  ApiVersion api_version_;
  uint8_t drg_seed_[28];
  uint64_t feistel_keys_[4];
  uint64_t left_mask_, right_mask_, half_bits_;
};

// Progress of a long job, called with (done, total); return false to cancel.
using ProgressFn = std::function<bool(uint64_t done, uint64_t total)>;

class ParentCache {
 public:
  ParentCache(ParentCache&&) noexcept;
  ParentCache& operator=(ParentCache&&) noexcept;
  ~ParentCache();

  // The cache of `info`'s graph in `dir`, named as rust-fil-proofs names it
  // (v28-sdr-parent-<sha256>.cache) so that a Lotus parent cache directory
  // can be shared. A missing file is generated (on `threads` threads) into a
  // temporary name, its SHA-256 compared with the published digest, then
  // renamed; an existing file is checked for size, and with `verify` for
  // its digest too (FIL_PROOFS_VERIFY_CACHE in Lotus).
  [[nodiscard]] static Result<ParentCache> open(const std::filesystem::path& dir, const SealProofInfo& info,
                                                bool verify = false, unsigned threads = 1,
                                                const ProgressFn& progress = {});
  // The whole cache computed in memory (small sectors, tests).
  static ParentCache inMemory(const StackedGraph& graph, unsigned threads = 1);

  // The default directory: $FIL_PROOFS_PARENT_CACHE, else /var/tmp/filecoin-parents.
  static std::filesystem::path defaultDir();
  static std::string fileName(const SealProofInfo& info);

  uint64_t nodes() const { return nodes_; }
  const uint32_t* parents(uint64_t node) const { return data_ + node * kTotalParents; }
  // The raw file bytes (nodes * 56).
  BytesView bytes() const { return {reinterpret_cast<const uint8_t*>(data_), nodes_ * kTotalParents * 4}; }

 private:
  ParentCache() = default;
  const uint32_t* data_ = nullptr;
  uint64_t nodes_ = 0;
  void* mapping_ = nullptr;  // mmap base, or null for the in-memory form
  size_t mapping_size_ = 0;
  std::unique_ptr<uint32_t[]> memory_;
};

// Fills `out` (nodes * 14 entries) with the graph's parents on `threads`
// threads. False when `progress` cancels.
bool generateParents(const StackedGraph& graph, uint32_t* out, unsigned threads, const ProgressFn& progress);

}  // namespace fil::proofs
