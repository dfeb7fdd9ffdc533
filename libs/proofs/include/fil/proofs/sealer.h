// The sealing work a storage provider's machines do, behind one interface
// that the miner's sealing pipeline calls phase by phase (Lotus's
// storiface.Sealer + Prover, as ffiwrapper implements them):
//
//   AddPiece     stream a piece into the sector's unsealed file -> PieceInfo
//   PreCommit1   tree_d and labels -> opaque bytes to persist
//   PreCommit2   tree_c, replica, tree_r_last -> comm_r, comm_d
//   Commit1      the vanilla PoRep for the interactive seed -> proof bytes
//   Finalize     drop what proving does not need
//   GenerateWinningPoSt / GenerateWindowPoSt
//   ReadPiece    a range of a piece, from the unsealed copy or by unsealing
//
// The unsealed file is Lotus's partial file (partial_file.h): AddPiece marks
// each piece's range allocated in its trailer; ReadPiece reads a range from
// it when all of the range is allocated, and otherwise unseals the range
// from the replica, storing it there too (creating the file when it was
// removed) so the next read is a plain read.
//
// Each call runs its CPU work on the sealer's thread pool, reports progress
// and stops when its CancelToken is set. Calls for one sector must not
// overlap (Lotus's sector locks see to that); different sectors may. Each phase's outputs are files in
// the sector's directories, so a pipeline that crashed calls the phase
// again and it resumes from what is complete. Piece data is always a
// stream, never a whole buffer.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>

#include "fil/proofs/commp.h"
#include "fil/proofs/graph.h"
#include "fil/proofs/merkle.h"
#include "fil/proofs/porep.h"
#include "fil/proofs/post.h"
#include "fil/proofs/thread_pool.h"

namespace fil::proofs {

struct SectorRef {
  uint64_t miner_id = 0;
  SectorNumber number = 0;
  RegisteredSealProof proof = RegisteredSealProof::kStackedDrg2KiBV1_1;
};

// Reads up to out.size() bytes; 0 at the end of the stream.
using ByteReader = std::function<Result<size_t>(MutableBytesView out)>;
using ByteWriter = std::function<Status(BytesView data)>;

class Sealer {
 public:
  virtual ~Sealer() = default;

  // Writes `unpadded_size` bytes (a valid unpadded piece size) from `data`
  // after the pieces of `existing` unpadded sizes, aligned as Lotus aligns
  // them.
  [[nodiscard]] virtual Result<PieceInfo> addPiece(const SectorRef& sector, std::span<const uint64_t> existing,
                                                   uint64_t unpadded_size, const ByteReader& data,
                                                   const JobContext& ctx) = 0;
  [[nodiscard]] virtual Result<Bytes> preCommit1(const SectorRef& sector, const Ticket& ticket,
                                                 std::span<const PieceInfo> pieces, const JobContext& ctx) = 0;
  [[nodiscard]] virtual Result<SealedCommitments> preCommit2(const SectorRef& sector, BytesView pc1_output,
                                                             const JobContext& ctx) = 0;
  [[nodiscard]] virtual Result<Bytes> commit1(const SectorRef& sector, const Ticket& ticket,
                                              const InteractiveSeed& seed, const SealedCommitments& cids,
                                              const JobContext& ctx) = 0;
  [[nodiscard]] virtual Status finalize(const SectorRef& sector, bool keep_unsealed, const JobContext& ctx) = 0;

  // `sectors` are the challenged ones (WinningPoSt) or all of a deadline's
  // (WindowPoSt), with their comm_r.
  [[nodiscard]] virtual Result<std::vector<PoStProof>> generateWinningPoSt(
      uint64_t miner_id, std::span<const PublicSectorInfo> sectors, const PoStRandomness& randomness) = 0;
  [[nodiscard]] virtual Result<std::vector<PoStProof>> generateWindowPoSt(
      uint64_t miner_id, std::span<const PublicSectorInfo> sectors, const PoStRandomness& randomness,
      std::vector<SectorNumber>* faulty) = 0;

  // Unpadded bytes [offset, offset + size) of the sector (offset a multiple
  // of 127, as piece offsets are), written to `out` in order.
  [[nodiscard]] virtual Status readPiece(const SectorRef& sector, uint64_t offset, uint64_t size,
                                         const Ticket& ticket, const Commitment& comm_d, const ByteWriter& out,
                                         const JobContext& ctx) = 0;
};

// Sectors in Lotus's layout under one storage path, parent caches in
// `parent_cache_dir` (shared between sectors, generated on first use).
class LocalSealer final : public Sealer {
 public:
  LocalSealer(std::filesystem::path root, std::filesystem::path parent_cache_dir, ThreadPool& pool,
              std::unique_ptr<TreeBuilder> builder = makeCpuTreeBuilder());

  SectorFiles files(const SectorRef& sector) const { return lotusSectorFiles(root_, sector.miner_id, sector.number); }

  Result<PieceInfo> addPiece(const SectorRef& sector, std::span<const uint64_t> existing, uint64_t unpadded_size,
                             const ByteReader& data, const JobContext& ctx) override;
  Result<Bytes> preCommit1(const SectorRef& sector, const Ticket& ticket, std::span<const PieceInfo> pieces,
                           const JobContext& ctx) override;
  Result<SealedCommitments> preCommit2(const SectorRef& sector, BytesView pc1_output, const JobContext& ctx) override;
  Result<Bytes> commit1(const SectorRef& sector, const Ticket& ticket, const InteractiveSeed& seed,
                        const SealedCommitments& cids, const JobContext& ctx) override;
  Status finalize(const SectorRef& sector, bool keep_unsealed, const JobContext& ctx) override;
  Result<std::vector<PoStProof>> generateWinningPoSt(uint64_t miner_id, std::span<const PublicSectorInfo> sectors,
                                                     const PoStRandomness& randomness) override;
  Result<std::vector<PoStProof>> generateWindowPoSt(uint64_t miner_id, std::span<const PublicSectorInfo> sectors,
                                                    const PoStRandomness& randomness,
                                                    std::vector<SectorNumber>* faulty) override;
  Status readPiece(const SectorRef& sector, uint64_t offset, uint64_t size, const Ticket& ticket,
                   const Commitment& comm_d, const ByteWriter& out, const JobContext& ctx) override;

 private:
  Result<const ParentCache*> parentCache(const SealProofInfo& info, const JobContext& ctx);
  std::filesystem::path root_, parent_dir_;
  ThreadPool& pool_;
  std::unique_ptr<TreeBuilder> builder_;
  std::mutex cache_mutex_;
  std::map<RegisteredSealProof, std::unique_ptr<ParentCache>> caches_;
};

}  // namespace fil::proofs
