#include "fil/proofs/sealer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include <fmt/format.h>

#include "fil/proofs/fr32.h"
#include "fil/proofs/partial_file.h"

namespace fil::proofs {

namespace fs = std::filesystem;

namespace {

// The context as given, with this sealer's pool when the caller left none.
JobContext withPool(const JobContext& ctx, ThreadPool& pool) {
  JobContext c = ctx;
  if (c.pool == nullptr) c.pool = &pool;
  return c;
}


}  // namespace

LocalSealer::LocalSealer(fs::path root, fs::path parent_cache_dir, ThreadPool& pool, std::unique_ptr<TreeBuilder> builder)
    : root_(std::move(root)), parent_dir_(std::move(parent_cache_dir)), pool_(pool), builder_(std::move(builder)) {}

Result<const ParentCache*> LocalSealer::parentCache(const SealProofInfo& info, const JobContext& ctx) {
  std::lock_guard lock(cache_mutex_);
  auto& slot = caches_[info.proof];
  if (!slot) {
    FIL_ASSIGN_OR_RETURN(auto cache, ParentCache::open(parent_dir_, info, false, pool_.size(),
                                                       [&](uint64_t done, uint64_t total) {
                                                         ctx.report("parent cache", done, total);
                                                         return !ctx.cancelled();
                                                       }));
    slot = std::make_unique<ParentCache>(std::move(cache));
  }
  return slot.get();
}

Result<PieceInfo> LocalSealer::addPiece(const SectorRef& sector, std::span<const uint64_t> existing,
                                        uint64_t unpadded_size, const ByteReader& data, const JobContext& ctx) {
  FIL_ASSIGN_OR_RETURN(const auto info, sealProofInfo(sector.proof));
  if (!isValidUnpaddedPieceSize(unpadded_size)) {
    return fail(ProofsError::kInvalidPieceSize,
                fmt::format("unpadded piece size {} is not 127 * 2^k bytes (at least 127)", unpadded_size));
  }
  uint64_t used = 0;
  for (uint64_t e : existing) {
    if (!isValidUnpaddedPieceSize(e)) {
      return fail(ProofsError::kInvalidPieceSize, fmt::format("existing piece size {} is not a valid unpadded size", e));
    }
    FIL_ASSIGN_OR_RETURN(const auto p, placePiece(info.sector_size, used, toPaddedSize(e)));
    used = p.offset + toPaddedSize(e);
  }
  const uint64_t padded = toPaddedSize(unpadded_size);
  FIL_ASSIGN_OR_RETURN(const auto place, placePiece(info.sector_size, used, padded));

  const SectorFiles f = files(sector);
  std::error_code ec;
  fs::create_directories(f.unsealed.parent_path(), ec);
  // Lotus's partial file: the sector's bytes (gaps read as zeros) and a
  // trailer marking the ranges that hold pieces.
  FIL_ASSIGN_OR_RETURN(auto file, PartialFile::openOrCreate(f.unsealed, info.sector_size));
  constexpr size_t kChunks = 8192;  // ~1 MiB per step
  Bytes in(kChunks * kFr32UnpaddedChunk), out(kChunks * kFr32PaddedChunk);
  NodeTreeCalculator tree;
  uint64_t read_total = 0, written = place.offset;
  while (read_total < unpadded_size) {
    if (ctx.cancelled()) return fail(ProofsError::kCancelled, "AddPiece cancelled");
    const size_t want = static_cast<size_t>(std::min<uint64_t>(in.size(), unpadded_size - read_total));
    size_t got = 0;
    while (got < want) {
      FIL_ASSIGN_OR_RETURN(const size_t n, data(MutableBytesView(in.data() + got, want - got)));
      if (n == 0) {
        return fail(ProofsError::kInvalidInput, fmt::format("piece data ended after {} of {} bytes",
                                                            read_total + got, unpadded_size));
      }
      got += n;
    }
    const size_t chunks = want / kFr32UnpaddedChunk;
    fr32Pad(in.data(), out.data(), chunks);
    const size_t out_size = chunks * kFr32PaddedChunk;
    tree.write(BytesView(out.data(), out_size));
    FIL_TRY(file.write(written, BytesView(out.data(), out_size)));
    written += out_size;
    read_total += want;
    ctx.report("add piece", read_total, unpadded_size);
  }
  uint8_t extra = 0;
  FIL_ASSIGN_OR_RETURN(const size_t more, data(MutableBytesView(&extra, 1)));
  if (more != 0) return fail(ProofsError::kInvalidInput, fmt::format("piece data is longer than {} bytes", unpadded_size));
  FIL_TRY(file.markAllocated(place.offset, padded));  // syncs data and trailer
  FIL_ASSIGN_OR_RETURN(const auto comm, tree.finish(padded));
  return PieceInfo{padded, pieceCid(comm)};
}

Result<Bytes> LocalSealer::preCommit1(const SectorRef& sector, const Ticket& ticket, std::span<const PieceInfo> pieces,
                                      const JobContext& ctx_in) {
  const JobContext ctx = withPool(ctx_in, pool_);
  FIL_ASSIGN_OR_RETURN(const auto info, sealProofInfo(sector.proof));
  FIL_ASSIGN_OR_RETURN(const ParentCache* parents, parentCache(info, ctx));
  const SealInputs in{sector.proof, proverIdFromActorId(sector.miner_id), sector.number, ticket};
  FIL_ASSIGN_OR_RETURN(const auto out, sealPreCommit1(in, files(sector), pieces, *parents, ctx));
  return encodePreCommit1Output(out);
}

Result<SealedCommitments> LocalSealer::preCommit2(const SectorRef& sector, BytesView pc1_output,
                                                  const JobContext& ctx_in) {
  FIL_ASSIGN_OR_RETURN(const auto pc1, decodePreCommit1Output(pc1_output));
  if (pc1.proof != sector.proof) {
    return fail(ProofsError::kInvalidInput, fmt::format("PreCommit1 output is for {}, the sector is {}",
                                                        sealProofName(pc1.proof), sealProofName(sector.proof)));
  }
  return sealPreCommit2(pc1, files(sector), *builder_, withPool(ctx_in, pool_));
}

Result<Bytes> LocalSealer::commit1(const SectorRef& sector, const Ticket& ticket, const InteractiveSeed& seed,
                                   const SealedCommitments& cids, const JobContext& ctx_in) {
  const SealVerifyInfo vi{sector.proof, proverIdFromActorId(sector.miner_id), sector.number, ticket, seed,
                          cids.comm_r, cids.comm_d};
  return sealCommit1(vi, files(sector), withPool(ctx_in, pool_));
}

Status LocalSealer::finalize(const SectorRef& sector, bool keep_unsealed, const JobContext&) {
  FIL_ASSIGN_OR_RETURN(const auto info, sealProofInfo(sector.proof));
  return finalizeSector(info, files(sector), keep_unsealed);
}

Result<std::vector<PoStProof>> LocalSealer::generateWinningPoSt(uint64_t miner_id,
                                                                std::span<const PublicSectorInfo> sectors,
                                                                const PoStRandomness& randomness) {
  if (sectors.empty()) return fail(ProofsError::kInvalidInput, "WinningPoSt needs its challenged sector");
  FIL_ASSIGN_OR_RETURN(const auto proof, winningPoStProofFor(sectors[0].proof));
  std::vector<PrivateSectorInfo> priv;
  for (const auto& s : sectors) priv.push_back({s, lotusSectorFiles(root_, miner_id, s.sector)});
  return proofs::generateWinningPoSt(proof, randomness, proverIdFromActorId(miner_id), priv);
}

Result<std::vector<PoStProof>> LocalSealer::generateWindowPoSt(uint64_t miner_id,
                                                               std::span<const PublicSectorInfo> sectors,
                                                               const PoStRandomness& randomness,
                                                               std::vector<SectorNumber>* faulty) {
  if (sectors.empty()) return fail(ProofsError::kInvalidInput, "WindowPoSt over no sectors");
  FIL_ASSIGN_OR_RETURN(const auto proof, windowPoStProofFor(sectors[0].proof));
  std::vector<PrivateSectorInfo> priv;
  for (const auto& s : sectors) priv.push_back({s, lotusSectorFiles(root_, miner_id, s.sector)});
  return proofs::generateWindowPoSt(proof, randomness, proverIdFromActorId(miner_id), priv, faulty);
}

Status LocalSealer::readPiece(const SectorRef& sector, uint64_t offset, uint64_t size, const Ticket& ticket,
                              const Commitment& comm_d, const ByteWriter& out, const JobContext& ctx_in) {
  FIL_ASSIGN_OR_RETURN(const auto info, sealProofInfo(sector.proof));
  if (offset % kFr32UnpaddedChunk != 0 || offset + size > toUnpaddedSize(info.sector_size)) {
    return fail(ProofsError::kInvalidInput,
                fmt::format("range [{}, {}) is not a 127-aligned range inside the sector", offset, offset + size));
  }
  const uint64_t first_chunk = offset / kFr32UnpaddedChunk;
  const uint64_t chunks = (size + kFr32UnpaddedChunk - 1) / kFr32UnpaddedChunk;
  uint64_t remaining = size;
  Bytes unpadded;
  auto emit = [&](BytesView padded) -> Status {
    const size_t n = padded.size() / kFr32PaddedChunk;
    unpadded.resize(n * kFr32UnpaddedChunk);
    fr32Unpad(padded.data(), unpadded.data(), n);
    const size_t give = static_cast<size_t>(std::min<uint64_t>(remaining, unpadded.size()));
    remaining -= give;
    return out(BytesView(unpadded.data(), give));
  };
  const uint64_t padded_offset = first_chunk * kFr32PaddedChunk, padded_size = chunks * kFr32PaddedChunk;
  const SectorFiles f = files(sector);
  auto file = PartialFile::open(f.unsealed, info.sector_size);
  if (!file && !file.error().is(ProofsError::kMissingFile)) return fail(std::move(file).error());
  if (file && file->isAllocated(padded_offset, padded_size)) {
    // The unsealed copy holds the whole range.
    Bytes buf;
    for (uint64_t done = 0; done < padded_size;) {
      buf.resize(static_cast<size_t>(std::min<uint64_t>(8192 * kFr32PaddedChunk, padded_size - done)));
      FIL_TRY(file->read(padded_offset + done, buf));
      FIL_TRY(emit(buf));
      done += buf.size();
    }
    return ok();
  }
  // Unsealed from the replica. As Lotus's UnsealPiece does, the recovered
  // bytes also go into the unsealed file (created when missing) and the
  // range is marked allocated, so the next read of it is a plain read.
  if (!file) {
    std::error_code ec;
    fs::create_directories(f.unsealed.parent_path(), ec);
    file = PartialFile::openOrCreate(f.unsealed, info.sector_size);
    if (!file) return fail(std::move(file).error());
  }
  const JobContext ctx = withPool(ctx_in, pool_);
  FIL_ASSIGN_OR_RETURN(const ParentCache* parents, parentCache(info, ctx));
  const SealInputs in{sector.proof, proverIdFromActorId(sector.miner_id), sector.number, ticket};
  uint64_t at = padded_offset;
  const auto store_and_emit = [&](BytesView padded) -> Status {
    FIL_TRY(file->write(at, padded));
    at += padded.size();
    return emit(padded);
  };
  FIL_TRY(unsealRange(in, comm_d, f, *parents, padded_offset, padded_size, store_and_emit, ctx));
  return file->markAllocated(padded_offset, padded_size);
}

}  // namespace fil::proofs
