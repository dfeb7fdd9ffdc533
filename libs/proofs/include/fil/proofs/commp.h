// Piece commitments (commP), sector data commitments (comm_d) and their CIDs.
//
// commP is the root of a binary Merkle tree over the FR32-padded piece:
// leaves are the 32-byte nodes themselves and each parent is
// SHA-256(left || right) with the top two bits cleared
// (sha2-256-trunc254-padded). A payload is zero-filled to a multiple of 127
// bytes and the tree is completed to a power of two with the commitments of
// all-zero subtrees, as go-fil-commp-hashhash does.
//
//   CommPCalculator calc;
//   while (reading) calc.write(chunk);
//   FIL_ASSIGN_OR_RETURN(PieceCommitment p, calc.finish());
//   cid::Cid piece_cid = pieceCid(p.commitment);        // baga6ea4seaq...
//
//   // comm_d of a sector from its pieces in order (zero pieces fill the rest):
//   FIL_ASSIGN_OR_RETURN(Commitment comm_d, computeCommD(sector_size, pieces));
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <vector>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/cid/cid.h"
#include "fil/proofs/proofs_error.h"

namespace fil::proofs {

using Commitment = ByteArray<32>;

// The commitment of `padded_size` bytes of zeros (a power of two, >= 32).
// Level k is the root over 2^k zero nodes; Z(k+1) = H(Z(k), Z(k)).
const Commitment& zeroCommitment(unsigned level);
Commitment zeroPieceCommitment(uint64_t padded_size);

// Filecoin's commitment CIDs: fil-commitment-unsealed (0xf101) with
// sha2-256-trunc254-padded (0x1012) for commP/comm_d, fil-commitment-sealed
// (0xf102) with poseidon-bls12_381-a2-fc1 (0xb401) for comm_r.
cid::Cid pieceCid(const Commitment& comm);
cid::Cid sealedCid(const Commitment& comm_r);
[[nodiscard]] Result<Commitment> commitmentFromPieceCid(const cid::Cid& c);
[[nodiscard]] Result<Commitment> commitmentFromSealedCid(const cid::Cid& c);

// Lotus's abi.PieceInfo: padded size and piece CID.
struct PieceInfo {
  uint64_t size = 0;  // padded
  cid::Cid piece_cid;
  friend bool operator==(const PieceInfo&, const PieceInfo&) = default;
};

struct PieceCommitment {
  Commitment commitment{};
  uint64_t payload_size = 0;  // bytes written
  uint64_t padded_size = 0;   // the piece's padded size (power of two >= 128)
};

// Streaming root of a tree over already-padded nodes (an unsealed sector
// file, a padded piece): `write` takes whole 32-byte nodes. Memory use is
// constant: one 128 KiB chunk, hashed several subtrees at a time, and a
// stack of one pending node per tree level.
class NodeTreeCalculator {
 public:
  NodeTreeCalculator();
  void write(BytesView padded);  // size a multiple of 32
  uint64_t nodes() const { return nodes_; }
  // The root completed with zero subtrees to `padded_size` bytes (a power of
  // two at least as large as what was written).
  [[nodiscard]] Result<Commitment> finish(uint64_t padded_size);

 private:
  void flushRuns();
  void push(unsigned level, const uint8_t* node);
  Bytes chunk_;
  size_t fill_ = 0;  // nodes in chunk_
  uint64_t nodes_ = 0;
  std::vector<Commitment> stack_;  // stack_[k]: pending left node at level k
  uint64_t stack_mask_ = 0;
};

// Streaming commP of a payload (FR32-padded on the way in).
class CommPCalculator {
 public:
  CommPCalculator();
  void write(BytesView payload);
  uint64_t written() const { return payload_size_; }

  // The commitment of what was written, completed to the smallest padded
  // piece size that holds it. Payloads below 65 bytes are refused, as by
  // go-fil-commp-hashhash.
  [[nodiscard]] Result<PieceCommitment> finish();
  // Completed to `padded_size` instead (a piece shorter than its declared
  // size, as AddPiece pads): the payload must fit.
  [[nodiscard]] Result<PieceCommitment> finish(uint64_t padded_size);

 private:
  void padPending(bool final_chunk);
  Bytes pending_;  // unpadded bytes waiting for whole 127-byte chunks
  size_t pending_fill_ = 0;
  Bytes padded_;
  uint64_t payload_size_ = 0;
  NodeTreeCalculator tree_;
};

// commP of a whole file, read in 4 MiB blocks. `progress` (bytes read,
// file size) is called after each block; returning false cancels.
[[nodiscard]] Result<PieceCommitment> commPOfFile(
    const std::filesystem::path& path, const std::function<bool(uint64_t, uint64_t)>& progress = {});

// The tree root of `padded` bytes in memory (a power of two >= 32).
Commitment treeRoot(BytesView padded);

// The commitment of a whole sector of `sector_size` bytes holding `pieces`
// in order, each aligned to its own size, with zero pieces filling gaps and
// the tail.
[[nodiscard]] Result<Commitment> computeCommD(uint64_t sector_size, std::span<const PieceInfo> pieces);

// Where each piece of a sector goes: the padded offset after aligning to the
// piece's size, and the zero pieces that fill the gap before it (Lotus's
// GetRequiredPadding).
struct PiecePlacement {
  uint64_t offset = 0;                 // padded bytes from the sector start
  std::vector<uint64_t> filler_sizes;  // padded sizes of zero pieces before it
};
[[nodiscard]] Result<PiecePlacement> placePiece(uint64_t sector_size, uint64_t used_padded,
                                                uint64_t piece_padded);

}  // namespace fil::proofs
