// SDR proof of replication (StackedDrg), phase by phase, over a sector's
// files, and its vanilla proof and verifier.
//
//   PreCommit1  tree_d and comm_d of the unsealed data, the SDR labels of
//               every layer (cache/sc-02-data-layer-N.dat)
//   PreCommit2  tree_c (columns of labels), the replica (last layer + data in
//               Fr, the sealed file), tree_r_last, comm_r = H(comm_c, comm_r_last)
//   Commit1     the vanilla proof for the interactive seed
//   verifySeal  a pure function of public inputs (no sector data)
//
// Every phase writes its outputs through temporary files renamed when
// complete; a phase started again finds finished outputs (layers, trees) and
// goes on from them.
//
// File layout (as Lotus and rust-fil-proofs): the unsealed file holds the
// FR32-padded sector (then, when Lotus's sealer wrote it, the partial-file
// trailer of partial_file.h, which these functions ignore); the sealed file
// the replica; the cache directory sc-02-data-tree-d.dat,
// sc-02-data-tree-c[-i].dat, sc-02-data-tree-r-last[-i].dat,
// sc-02-data-layer-N.dat, p_aux (comm_c || comm_r_last) and t_aux (the
// store configurations, see temporaryAux).
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/proofs/commp.h"
#include "fil/proofs/graph.h"
#include "fil/proofs/merkle.h"
#include "fil/proofs/registered_proof.h"
#include "fil/proofs/thread_pool.h"

namespace fil::proofs {

using ProverId = ByteArray<32>;
using Ticket = ByteArray<32>;
using InteractiveSeed = ByteArray<32>;
using SectorNumber = uint64_t;

// The prover id of a miner actor: uvarint of its id, zero-padded to 32.
ProverId proverIdFromActorId(uint64_t actor_id);

// SHA-256(prover_id || sector BE || ticket || comm_d || porep_id), top two
// bits cleared.
Commitment replicaId(const ProverId& prover_id, SectorNumber sector, const Ticket& ticket,
                     const Commitment& comm_d, const PoRepId& porep_id);

// The interactive PoRep challenges of partition `k`: nodes in [1, nodes).
std::vector<uint64_t> porepChallenges(const SealProofInfo& info, const Commitment& replica_id,
                                      const InteractiveSeed& seed, size_t partition);

// The label of `node` in `layer` (1-based) from its parents' labels: the 6
// DRG parents in this layer and, from layer 2 on, the 8 expander parents in
// the previous one (in graph order). Pure; used by the verifier.
Commitment computeLabel(const Commitment& replica_id, uint32_t layer, uint64_t node,
                        std::span<const Commitment> parent_labels);

// A sector's files.
struct SectorFiles {
  std::filesystem::path unsealed;  // FR32-padded data, sector size (+ partial-file trailer)
  std::filesystem::path sealed;    // replica, sector size
  std::filesystem::path cache;     // directory
};

// Lotus's layout under a storage path: unsealed/s-t0<miner>-<n>,
// sealed/s-t0<miner>-<n>, cache/s-t0<miner>-<n>/.
SectorFiles lotusSectorFiles(const std::filesystem::path& root, uint64_t miner_id, SectorNumber sector);

std::filesystem::path layerPath(const SectorFiles& files, size_t layer);
std::filesystem::path treeDPath(const SectorFiles& files);
std::filesystem::path treeCPath(const SectorFiles& files, const TreeShape& shape, size_t base_tree);
std::filesystem::path treeRLastPath(const SectorFiles& files, const TreeShape& shape, size_t base_tree);
std::filesystem::path pAuxPath(const SectorFiles& files);
std::filesystem::path tAuxPath(const SectorFiles& files);

// rust-fil-proofs' t_aux (TemporaryAux, bincode): the StoreConfigs of the
// layers ("layer-N", nodes, 0), tree_d ("tree-d", its length, 0),
// tree_r_last ("tree-r-last", one base tree's length, default rows to
// discard) and tree_c ("tree-c", the same length, 0), each with the cache
// directory's absolute path. PreCommit2 writes it as rust-fil-proofs does;
// rust-fil-proofs reads it back (and replaces the path) when present.
Bytes temporaryAux(const SealProofInfo& info, const std::filesystem::path& cache_dir);

// What PreCommit1 hands to PreCommit2; small, and CBOR-encodable so the
// sealing pipeline can persist it.
struct PreCommit1Output {
  RegisteredSealProof proof = RegisteredSealProof::kStackedDrg2KiBV1_1;
  Commitment comm_d{};
  Commitment replica_id{};
};
Bytes encodePreCommit1Output(const PreCommit1Output& out);
[[nodiscard]] Result<PreCommit1Output> decodePreCommit1Output(BytesView bytes);

struct SealInputs {
  RegisteredSealProof proof = RegisteredSealProof::kStackedDrg2KiBV1_1;
  ProverId prover_id{};
  SectorNumber sector = 0;
  Ticket ticket{};
};

// tree_d, comm_d (checked against `pieces` when given), labels.
[[nodiscard]] Result<PreCommit1Output> sealPreCommit1(const SealInputs& in, const SectorFiles& files,
                                                      std::span<const PieceInfo> pieces,
                                                      const ParentCache& parents, const JobContext& ctx);

struct SealedCommitments {
  Commitment comm_r{};
  Commitment comm_d{};
};
[[nodiscard]] Result<SealedCommitments> sealPreCommit2(const PreCommit1Output& pc1, const SectorFiles& files,
                                                       TreeBuilder& builder, const JobContext& ctx);

// The public inputs of a seal proof.
struct SealVerifyInfo {
  RegisteredSealProof proof = RegisteredSealProof::kStackedDrg2KiBV1_1;
  ProverId prover_id{};
  SectorNumber sector = 0;
  Ticket ticket{};
  InteractiveSeed seed{};
  Commitment comm_r{};
  Commitment comm_d{};
};

// The vanilla proof (compact versioned CBOR, see proof_codec in porep.cpp).
[[nodiscard]] Result<Bytes> sealCommit1(const SealVerifyInfo& info, const SectorFiles& files, const JobContext& ctx);

// Ok when `proof` proves `info`; an error naming the failed check otherwise.
[[nodiscard]] Status verifySeal(const SealVerifyInfo& info, BytesView proof);

// Keeps what proving needs (sealed file, tree_r_last, p_aux) and removes the
// layers, tree_c and tree_d; the unsealed file is removed unless kept.
[[nodiscard]] Status finalizeSector(const SealProofInfo& info, const SectorFiles& files, bool keep_unsealed);

// Recovers padded bytes [offset, offset + size) of the unsealed sector
// (offset and size multiples of 32) from the sealed replica: the labels are
// regenerated, then data = replica - last label. Writes to `out` in order.
[[nodiscard]] Status unsealRange(const SealInputs& in, const Commitment& comm_d, const SectorFiles& files,
                                 const ParentCache& parents, uint64_t offset, uint64_t size,
                                 const std::function<Status(BytesView)>& out, const JobContext& ctx);

// Labels of all layers into memory (layer 1 first), for unsealing and tests.
[[nodiscard]] Result<std::vector<Bytes>> generateLabels(const SealProofInfo& info, const Commitment& replica_id,
                                                        const ParentCache& parents, const JobContext& ctx);

// Labels several sectors of the same proof type at once, in SHA-NI lanes
// (up to 4); layers[s][l] receives sector s's layer l + 1. For throughput
// figures and batch PC1.
[[nodiscard]] Status generateLabelsBatch(const SealProofInfo& info, std::span<const Commitment> replica_ids,
                                         const ParentCache& parents, std::vector<std::vector<Bytes>>& layers,
                                         const JobContext& ctx);

// Shape helpers shared with PoSt.
std::vector<size_t> replicaTreeArities(const TreeShape& shape);
// The tree_r_last path (base rows, then sub and top) of `node`.
[[nodiscard]] Result<std::vector<Commitment>> replicaTreePath(const SealProofInfo& info, const SectorFiles& files,
                                                              uint64_t node);
[[nodiscard]] Result<Commitment> readNode(const std::filesystem::path& file, uint64_t node);

}  // namespace fil::proofs
