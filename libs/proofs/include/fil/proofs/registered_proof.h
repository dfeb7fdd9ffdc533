// Registered proof types (go-state-types abi/sector.go numbering) and the
// parameters each implies: sector size, SDR layers, PoRep challenges and
// partitions, tree shape, PoSt challenge and sector counts.
#pragma once

#include <cstdint>
#include <string_view>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/proofs/proofs_error.h"

namespace fil::proofs {

enum class RegisteredSealProof : int64_t {
  kStackedDrg2KiBV1 = 0,
  kStackedDrg8MiBV1 = 1,
  kStackedDrg512MiBV1 = 2,
  kStackedDrg32GiBV1 = 3,
  kStackedDrg64GiBV1 = 4,
  kStackedDrg2KiBV1_1 = 5,
  kStackedDrg8MiBV1_1 = 6,
  kStackedDrg512MiBV1_1 = 7,
  kStackedDrg32GiBV1_1 = 8,
  kStackedDrg64GiBV1_1 = 9,
};

enum class RegisteredPoStProof : int64_t {
  kStackedDrgWinning2KiBV1 = 0,
  kStackedDrgWinning8MiBV1 = 1,
  kStackedDrgWinning512MiBV1 = 2,
  kStackedDrgWinning32GiBV1 = 3,
  kStackedDrgWinning64GiBV1 = 4,
  kStackedDrgWindow2KiBV1 = 5,
  kStackedDrgWindow8MiBV1 = 6,
  kStackedDrgWindow512MiBV1 = 7,
  kStackedDrgWindow32GiBV1 = 8,
  kStackedDrgWindow64GiBV1 = 9,
  kStackedDrgWindow2KiBV1_1 = 10,
  kStackedDrgWindow8MiBV1_1 = 11,
  kStackedDrgWindow512MiBV1_1 = 12,
  kStackedDrgWindow32GiBV1_1 = 13,
  kStackedDrgWindow64GiBV1_1 = 14,
};

// rust-fil-proofs' ApiVersion: V1_0 for the V1 seal proofs (legacy DRG
// parent order), V1_1 for V1_1 seal proofs, V1_2 for WindowPoSt V1_1
// (the fix that makes leaf challenges independent of sector order).
enum class ApiVersion { kV1_0 = 1, kV1_1, kV1_2 };

using PoRepId = ByteArray<32>;

// The shape of tree_c and tree_r_last: base oct trees, then optional sub
// (arity 8) and top (arity 2) levels joining several base trees.
struct TreeShape {
  uint64_t base_leaves = 0;  // leaves per base tree (a power of 8)
  size_t base_trees = 1;     // 1, 8 or 16
  size_t sub_arity = 0;      // 0 or 8
  size_t top_arity = 0;      // 0 or 2
};

struct SealProofInfo {
  RegisteredSealProof proof;
  uint64_t sector_size = 0;
  size_t layers = 0;
  size_t challenges_per_partition = 0;
  size_t partitions = 0;
  ApiVersion api_version = ApiVersion::kV1_1;
  TreeShape tree;
  std::string_view parent_cache_digest;  // published SHA-256 of the parent cache file
  uint64_t nodes() const { return sector_size / 32; }
};

[[nodiscard]] Result<SealProofInfo> sealProofInfo(RegisteredSealProof proof);
[[nodiscard]] Result<RegisteredSealProof> sealProofFromInt(int64_t value);
std::string_view sealProofName(RegisteredSealProof proof);

// porep_id: u64 LE of the proof number, u64 LE nonce 0, 16 zero bytes.
PoRepId porepId(RegisteredSealProof proof);

struct PoStProofInfo {
  RegisteredPoStProof proof;
  bool winning = false;
  uint64_t sector_size = 0;
  size_t challenges_per_sector = 0;  // 66 winning, 10 window
  size_t sector_count = 0;           // sectors per partition (1 for winning)
  ApiVersion api_version = ApiVersion::kV1_0;
};

[[nodiscard]] Result<PoStProofInfo> postProofInfo(RegisteredPoStProof proof);
[[nodiscard]] Result<RegisteredPoStProof> postProofFromInt(int64_t value);
std::string_view postProofName(RegisteredPoStProof proof);

// The PoSt types of a sector size (Lotus: winning V1, window V1_1).
[[nodiscard]] Result<RegisteredPoStProof> winningPoStProofFor(RegisteredSealProof proof);
[[nodiscard]] Result<RegisteredPoStProof> windowPoStProofFor(RegisteredSealProof proof);

// "2KiB" / "8MiB" / "512MiB" / "32GiB" / "64GiB" and back.
std::string sectorSizeString(uint64_t sector_size);
[[nodiscard]] Result<uint64_t> parseSectorSize(std::string_view text);
[[nodiscard]] Result<RegisteredSealProof> sealProofForSectorSize(uint64_t sector_size);  // V1_1

}  // namespace fil::proofs
