#include "fil/proofs/commp.h"

#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "fil/proofs/fr32.h"
#include "sha256_compress.h"

namespace fil::proofs {

namespace {

constexpr unsigned kMaxLevel = 48;  // 32 * 2^48 bytes: far beyond any sector
constexpr unsigned kChunkLevel = 12;
constexpr size_t kChunkNodes = size_t{1} << kChunkLevel;  // 128 KiB padded
constexpr size_t kMinPayload = 65;

struct ZeroTable {
  Commitment level[kMaxLevel + 1];
  ZeroTable() {
    level[0] = {};
    for (unsigned k = 0; k < kMaxLevel; ++k) {
      uint8_t pair[64];
      std::memcpy(pair, level[k].data(), 32);
      std::memcpy(pair + 32, level[k].data(), 32);
      sha::hashNodePairs(pair, level[k + 1].data(), 1);
    }
  }
};

const ZeroTable& zeros() {
  static const ZeroTable table;
  return table;
}

// Hashes `count` (a power of two) nodes in place down to their root, which
// ends at nodes[0..32).
void hashRun(uint8_t* nodes, size_t count) {
  while (count > 1) {
    count /= 2;
    sha::hashNodePairs(nodes, nodes, count);
  }
}

void hashPair(const uint8_t* left, const uint8_t* right, uint8_t* out) {
  uint8_t pair[64];
  std::memcpy(pair, left, 32);
  std::memcpy(pair + 32, right, 32);
  sha::hashNodePairs(pair, out, 1);
}

unsigned levelOf(uint64_t padded_size) { return static_cast<unsigned>(std::countr_zero(padded_size / 32)); }

Result<Commitment> commitmentFromCid(const cid::Cid& c, cid::Codec codec, cid::HashCode hash,
                                     std::string_view what) {
  if (!c.defined() || c.version() != 1 || c.codec() != codec || c.hash().code() != hash ||
      c.hash().digest().size() != 32) {
    return fail(ProofsError::kInvalidCommitment,
                fmt::format("{} is not a {} CID (codec 0x{:x}, multihash 0x{:x}, 32-byte digest)",
                            c.defined() ? c.toString() : "undefined CID", what,
                            static_cast<uint64_t>(codec), static_cast<uint64_t>(hash)));
  }
  Commitment out;
  std::copy(c.hash().digest().begin(), c.hash().digest().end(), out.begin());
  return out;
}

}  // namespace

std::string_view describe(ProofsError e) {
  switch (e) {
    case ProofsError::kInvalidPieceSize: return "invalid piece size";
    case ProofsError::kInvalidCommitment: return "invalid commitment";
    case ProofsError::kPieceTooSmall: return "piece too small";
    case ProofsError::kPiecesDoNotFit: return "pieces do not fit the sector";
    case ProofsError::kUnsupportedProof: return "unsupported proof type";
    case ProofsError::kInvalidProof: return "invalid proof";
    case ProofsError::kMalformedProof: return "malformed proof";
    case ProofsError::kCorruptFile: return "corrupt file";
    case ProofsError::kMissingFile: return "missing file";
    case ProofsError::kFaultySectors: return "faulty sectors";
    case ProofsError::kCancelled: return "cancelled";
    case ProofsError::kInvalidInput: return "invalid input";
    case ProofsError::kIo: return "I/O error";
  }
  return "unknown proofs error";
}

const Commitment& zeroCommitment(unsigned level) {
  if (level > kMaxLevel) std::abort();  // sizes are checked by callers
  return zeros().level[level];
}

Commitment zeroPieceCommitment(uint64_t padded_size) { return zeroCommitment(levelOf(padded_size)); }

cid::Cid pieceCid(const Commitment& comm) {
  return cid::Cid::v1(cid::Codec::kFilCommitmentUnsealed,
                      *cid::Multihash::create(cid::HashCode::kSha2_256Trunc254Padded, comm));
}

cid::Cid sealedCid(const Commitment& comm_r) {
  return cid::Cid::v1(cid::Codec::kFilCommitmentSealed,
                      *cid::Multihash::create(cid::HashCode::kPoseidonBls12_381A1Fc1, comm_r));
}

Result<Commitment> commitmentFromPieceCid(const cid::Cid& c) {
  return commitmentFromCid(c, cid::Codec::kFilCommitmentUnsealed, cid::HashCode::kSha2_256Trunc254Padded,
                           "piece (unsealed commitment)");
}

Result<Commitment> commitmentFromSealedCid(const cid::Cid& c) {
  return commitmentFromCid(c, cid::Codec::kFilCommitmentSealed, cid::HashCode::kPoseidonBls12_381A1Fc1,
                           "sealed commitment");
}

// ---------------------------------------------------------------------------

NodeTreeCalculator::NodeTreeCalculator() : chunk_(kChunkNodes * 32), stack_(kMaxLevel + 1) {}

void NodeTreeCalculator::push(unsigned level, const uint8_t* node) {
  uint8_t cur[32];
  std::memcpy(cur, node, 32);
  while (stack_mask_ & (uint64_t{1} << level)) {
    hashPair(stack_[level].data(), cur, cur);
    stack_mask_ &= ~(uint64_t{1} << level);
    ++level;
  }
  std::memcpy(stack_[level].data(), cur, 32);
  stack_mask_ |= uint64_t{1} << level;
}

// The filled part of the chunk as aligned power-of-two runs, largest first.
void NodeTreeCalculator::flushRuns() {
  size_t offset = 0;
  for (int bit = static_cast<int>(kChunkLevel); bit >= 0; --bit) {
    const size_t run = size_t{1} << bit;
    if ((fill_ & run) == 0) continue;
    uint8_t* p = chunk_.data() + offset * 32;
    hashRun(p, run);
    push(static_cast<unsigned>(bit), p);
    offset += run;
  }
  fill_ = 0;
}

void NodeTreeCalculator::write(BytesView padded) {
  // Callers pass whole nodes; a ragged tail is a programming error upstream.
  size_t pos = 0;
  while (pos + 32 <= padded.size()) {
    const size_t take = std::min((padded.size() - pos) / 32, kChunkNodes - fill_);
    std::memcpy(chunk_.data() + fill_ * 32, padded.data() + pos, take * 32);
    fill_ += take;
    nodes_ += take;
    pos += take * 32;
    if (fill_ == kChunkNodes) flushRuns();
  }
}

Result<Commitment> NodeTreeCalculator::finish(uint64_t padded_size) {
  if (padded_size < 32 || (padded_size & (padded_size - 1)) != 0) {
    return fail(ProofsError::kInvalidPieceSize,
                fmt::format("tree size {} is not a power of two of at least 32 bytes", padded_size));
  }
  if (nodes_ * 32 > padded_size) {
    return fail(ProofsError::kPiecesDoNotFit,
                fmt::format("{} bytes of nodes do not fit a tree of {} bytes", nodes_ * 32, padded_size));
  }
  flushRuns();
  const unsigned target = levelOf(padded_size);
  Commitment carry;
  bool have_carry = false;
  for (unsigned k = 0; k < target; ++k) {
    const bool pending = (stack_mask_ >> k) & 1;
    if (have_carry && pending) {
      hashPair(stack_[k].data(), carry.data(), carry.data());
    } else if (have_carry) {
      hashPair(carry.data(), zeroCommitment(k).data(), carry.data());
    } else if (pending) {
      hashPair(stack_[k].data(), zeroCommitment(k).data(), carry.data());
      have_carry = true;
    }
  }
  Commitment root;
  if ((stack_mask_ >> target) & 1) {
    root = stack_[target];  // exactly full
  } else if (have_carry) {
    root = carry;
  } else {
    root = zeroCommitment(target);  // nothing written
  }
  stack_mask_ = 0;
  nodes_ = 0;
  return root;
}

Commitment treeRoot(BytesView padded) {
  NodeTreeCalculator calc;
  calc.write(padded);
  return *calc.finish(padded.size());
}

// ---------------------------------------------------------------------------

namespace {
constexpr size_t kPadBatchChunks = 1024;  // 127 KiB in, 128 KiB out
}

CommPCalculator::CommPCalculator()
    : pending_(kPadBatchChunks * kFr32UnpaddedChunk), padded_(kPadBatchChunks * kFr32PaddedChunk) {}

void CommPCalculator::padPending(bool final_chunk) {
  size_t chunks = pending_fill_ / kFr32UnpaddedChunk;
  const size_t rest = pending_fill_ % kFr32UnpaddedChunk;
  if (final_chunk && rest != 0) {
    std::memset(pending_.data() + pending_fill_, 0, kFr32UnpaddedChunk - rest);
    ++chunks;
  }
  fr32Pad(pending_.data(), padded_.data(), chunks);
  tree_.write(BytesView(padded_.data(), chunks * kFr32PaddedChunk));
  const size_t used = std::min(pending_fill_, chunks * kFr32UnpaddedChunk);
  std::memmove(pending_.data(), pending_.data() + used, pending_fill_ - used);
  pending_fill_ -= used;
}

void CommPCalculator::write(BytesView payload) {
  payload_size_ += payload.size();
  while (!payload.empty()) {
    const size_t take = std::min(payload.size(), pending_.size() - pending_fill_);
    std::memcpy(pending_.data() + pending_fill_, payload.data(), take);
    pending_fill_ += take;
    payload = payload.subspan(take);
    if (pending_fill_ == pending_.size()) padPending(false);
  }
}

Result<PieceCommitment> CommPCalculator::finish() {
  if (payload_size_ < kMinPayload) {
    return fail(ProofsError::kPieceTooSmall,
                fmt::format("a payload of {} bytes is below the {}-byte minimum of a piece", payload_size_,
                            kMinPayload));
  }
  return finish(paddedPieceSizeFor(payload_size_));
}

Result<PieceCommitment> CommPCalculator::finish(uint64_t padded_size) {
  if (!isValidPaddedPieceSize(padded_size)) {
    return fail(ProofsError::kInvalidPieceSize,
                fmt::format("padded piece size {} is not a power of two of at least 128 bytes", padded_size));
  }
  if (payload_size_ > toUnpaddedSize(padded_size)) {
    return fail(ProofsError::kPiecesDoNotFit,
                fmt::format("a payload of {} bytes does not fit a piece of {} padded bytes ({} unpadded)",
                            payload_size_, padded_size, toUnpaddedSize(padded_size)));
  }
  padPending(true);
  PieceCommitment out;
  FIL_ASSIGN_OR_RETURN(out.commitment, tree_.finish(padded_size));
  out.payload_size = payload_size_;
  out.padded_size = padded_size;
  payload_size_ = 0;
  return out;
}

Result<PieceCommitment> commPOfFile(const std::filesystem::path& path,
                                    const std::function<bool(uint64_t, uint64_t)>& progress) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return fail(errnoError("opening " + path.string(), errno));
  std::error_code ec;
  const uint64_t total = std::filesystem::file_size(path, ec);
  CommPCalculator calc;
  Bytes buf(size_t{4} << 20);
  for (;;) {
    const size_t n = std::fread(buf.data(), 1, buf.size(), f);
    if (n > 0) calc.write(BytesView(buf.data(), n));
    if (n < buf.size()) {
      const bool error = std::ferror(f) != 0;
      std::fclose(f);
      if (error) return fail(ProofsError::kIo, "reading " + path.string() + " failed");
      break;
    }
    if (progress && !progress(calc.written(), total)) {
      std::fclose(f);
      return fail(ProofsError::kCancelled, "commP of " + path.string() + " cancelled");
    }
  }
  if (progress) progress(calc.written(), total);
  auto result = calc.finish();
  if (!result) return fail(std::move(result).error().withContext(path.string()));
  return result;
}

// ---------------------------------------------------------------------------

Result<PiecePlacement> placePiece(uint64_t sector_size, uint64_t used_padded, uint64_t piece_padded) {
  if (!isValidPaddedPieceSize(piece_padded)) {
    return fail(ProofsError::kInvalidPieceSize,
                fmt::format("padded piece size {} is not a power of two of at least 128 bytes", piece_padded));
  }
  PiecePlacement p;
  uint64_t offset = used_padded;
  while (offset % piece_padded != 0) {
    const uint64_t filler = offset & (~offset + 1);  // lowest set bit
    p.filler_sizes.push_back(filler);
    offset += filler;
  }
  if (offset + piece_padded > sector_size) {
    return fail(ProofsError::kPiecesDoNotFit,
                fmt::format("a piece of {} padded bytes at offset {} does not fit a sector of {} bytes",
                            piece_padded, offset, sector_size));
  }
  p.offset = offset;
  return p;
}

Result<Commitment> computeCommD(uint64_t sector_size, std::span<const PieceInfo> pieces) {
  if (!isValidPaddedPieceSize(sector_size)) {
    return fail(ProofsError::kInvalidPieceSize, fmt::format("sector size {} is not a power of two", sector_size));
  }
  // Same stack as the node tree, at the pieces' levels.
  std::vector<Commitment> stack(kMaxLevel + 1);
  uint64_t mask = 0;
  auto push = [&](unsigned level, Commitment node) {
    while (mask & (uint64_t{1} << level)) {
      hashPair(stack[level].data(), node.data(), node.data());
      mask &= ~(uint64_t{1} << level);
      ++level;
    }
    stack[level] = node;
    mask |= uint64_t{1} << level;
  };
  uint64_t offset = 0;
  for (const auto& piece : pieces) {
    FIL_ASSIGN_OR_RETURN(const Commitment comm, commitmentFromPieceCid(piece.piece_cid));
    FIL_ASSIGN_OR_RETURN(const PiecePlacement place, placePiece(sector_size, offset, piece.size));
    for (uint64_t filler : place.filler_sizes) push(levelOf(filler), zeroPieceCommitment(filler));
    push(levelOf(piece.size), comm);
    offset = place.offset + piece.size;
  }
  while (offset < sector_size) {
    const uint64_t filler = offset == 0 ? sector_size : (offset & (~offset + 1));
    push(levelOf(filler), zeroPieceCommitment(filler));
    offset += filler;
  }
  return stack[levelOf(sector_size)];
}

}  // namespace fil::proofs
