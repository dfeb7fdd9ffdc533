#include "fil/proofs/registered_proof.h"

#include <fmt/format.h>

#include <charconv>

namespace fil::proofs {

namespace {

constexpr uint64_t k2KiB = 2048;
constexpr uint64_t k8MiB = uint64_t{8} << 20;
constexpr uint64_t k512MiB = uint64_t{512} << 20;
constexpr uint64_t k32GiB = uint64_t{32} << 30;
constexpr uint64_t k64GiB = uint64_t{64} << 30;

constexpr uint64_t kSizes[5] = {k2KiB, k8MiB, k512MiB, k32GiB, k64GiB};

// storage-proofs-porep/parent_cache.json (rust-fil-proofs 87348a74), by
// sector size; V1 (porep ids 0-4) then V1_1 (5-9).
constexpr std::string_view kParentDigestsV1[5] = {
    "3da49221e2ed55371b86d0bf3d6526fcf128af61bed904f966428db1b531750d",
    "a76604f2f59f2744c7151653bbb1d8596b6b57d295e6fa6c1f0c41d725b502ce",
    "3adcc092423aa76d6a7184016893406da44dd974b219a89cd3ece25e4e3018f5",
    "3c4f9841fcc75aed8c695800e58d08480629f25af3a2aefd81904181d75cc0b6",
    "2778a732ad46a7dc18e0564dfdf59fd321dcde74ab476fd6d3c4e6735d7cd89c"};
constexpr std::string_view kParentDigestsV1_1[5] = {
    "840057702eea7652cf97e04306c30fe57174714d90de156a25eddd6075c25b97",
    "03cd13565ded97c240a5f52e54295ad127bd0461b57904cb3a4d79b097bbecab",
    "b5877d1963793efebc261fd8fde4dd6bc59e6b5c7abf52617a4ee023b8dc173a",
    "93deeac5e3052b6927467d4b2641bb782f05491de18d510147c93eeedd8672da",
    "2698b74eb2606b55b98d8b095e18b6320b47f46e00075956d48640ccd1641b03"};

constexpr std::string_view kSealNames[10] = {
    "StackedDrg2KiBV1",   "StackedDrg8MiBV1",   "StackedDrg512MiBV1",   "StackedDrg32GiBV1",
    "StackedDrg64GiBV1",  "StackedDrg2KiBV1_1", "StackedDrg8MiBV1_1",   "StackedDrg512MiBV1_1",
    "StackedDrg32GiBV1_1", "StackedDrg64GiBV1_1"};

constexpr std::string_view kPoStNames[15] = {
    "StackedDrgWinning2KiBV1",   "StackedDrgWinning8MiBV1",    "StackedDrgWinning512MiBV1",
    "StackedDrgWinning32GiBV1",  "StackedDrgWinning64GiBV1",   "StackedDrgWindow2KiBV1",
    "StackedDrgWindow8MiBV1",    "StackedDrgWindow512MiBV1",   "StackedDrgWindow32GiBV1",
    "StackedDrgWindow64GiBV1",   "StackedDrgWindow2KiBV1_1",   "StackedDrgWindow8MiBV1_1",
    "StackedDrgWindow512MiBV1_1", "StackedDrgWindow32GiBV1_1", "StackedDrgWindow64GiBV1_1"};

TreeShape shapeFor(uint64_t sector_size) {
  const uint64_t nodes = sector_size / 32;
  switch (sector_size) {
    case k32GiB: return {nodes / 8, 8, 8, 0};
    case k64GiB: return {nodes / 16, 16, 8, 2};
    default: return {nodes, 1, 0, 0};
  }
}

}  // namespace

Result<SealProofInfo> sealProofInfo(RegisteredSealProof proof) {
  const auto v = static_cast<int64_t>(proof);
  if (v < 0 || v > 9) {
    return fail(ProofsError::kUnsupportedProof,
                fmt::format("registered seal proof {} is not supported (supported: 0-9, StackedDrg V1 and V1_1)", v));
  }
  const size_t index = static_cast<size_t>(v % 5);
  SealProofInfo info;
  info.proof = proof;
  info.sector_size = kSizes[index];
  const bool large = index >= 3;
  info.layers = large ? 11 : 2;
  // 176 minimum challenges in 10 partitions of 18 (filecoin-proofs constants).
  info.challenges_per_partition = large ? 18 : 2;
  info.partitions = large ? 10 : 1;
  info.api_version = v < 5 ? ApiVersion::kV1_0 : ApiVersion::kV1_1;
  info.tree = shapeFor(info.sector_size);
  info.parent_cache_digest = v < 5 ? kParentDigestsV1[index] : kParentDigestsV1_1[index];
  return info;
}

Result<RegisteredSealProof> sealProofFromInt(int64_t value) {
  const auto p = static_cast<RegisteredSealProof>(value);
  FIL_TRY(sealProofInfo(p));
  return p;
}

std::string_view sealProofName(RegisteredSealProof proof) {
  const auto v = static_cast<int64_t>(proof);
  return v >= 0 && v <= 9 ? kSealNames[v] : std::string_view("unknown");
}

PoRepId porepId(RegisteredSealProof proof) {
  PoRepId id{};
  const auto v = static_cast<uint64_t>(proof);
  for (int i = 0; i < 8; ++i) id[i] = static_cast<uint8_t>(v >> (8 * i));
  return id;
}

Result<PoStProofInfo> postProofInfo(RegisteredPoStProof proof) {
  const auto v = static_cast<int64_t>(proof);
  if (v < 0 || v > 14) {
    return fail(ProofsError::kUnsupportedProof, fmt::format("registered PoSt proof {} is not supported (0-14)", v));
  }
  PoStProofInfo info;
  info.proof = proof;
  info.winning = v < 5;
  const size_t index = static_cast<size_t>(v % 5);
  info.sector_size = kSizes[index];
  if (info.winning) {
    info.challenges_per_sector = 66;
    info.sector_count = 1;
    info.api_version = ApiVersion::kV1_0;
  } else {
    info.challenges_per_sector = 10;
    info.sector_count = index == 3 ? 2349 : index == 4 ? 2300 : 2;
    info.api_version = v < 10 ? ApiVersion::kV1_0 : ApiVersion::kV1_2;
  }
  return info;
}

Result<RegisteredPoStProof> postProofFromInt(int64_t value) {
  const auto p = static_cast<RegisteredPoStProof>(value);
  FIL_TRY(postProofInfo(p));
  return p;
}

std::string_view postProofName(RegisteredPoStProof proof) {
  const auto v = static_cast<int64_t>(proof);
  return v >= 0 && v <= 14 ? kPoStNames[v] : std::string_view("unknown");
}

Result<RegisteredPoStProof> winningPoStProofFor(RegisteredSealProof proof) {
  FIL_ASSIGN_OR_RETURN(const auto info, sealProofInfo(proof));
  (void)info;
  return static_cast<RegisteredPoStProof>(static_cast<int64_t>(proof) % 5);
}

Result<RegisteredPoStProof> windowPoStProofFor(RegisteredSealProof proof) {
  FIL_ASSIGN_OR_RETURN(const auto info, sealProofInfo(proof));
  (void)info;
  return static_cast<RegisteredPoStProof>(10 + static_cast<int64_t>(proof) % 5);
}

std::string sectorSizeString(uint64_t sector_size) {
  constexpr std::string_view kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  size_t unit = 0;
  uint64_t v = sector_size;
  while (v >= 1024 && v % 1024 == 0 && unit + 1 < std::size(kUnits)) {
    v /= 1024;
    ++unit;
  }
  return fmt::format("{}{}", v, kUnits[unit]);
}

Result<uint64_t> parseSectorSize(std::string_view text) {
  uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  const std::string_view unit(ptr, static_cast<size_t>(text.data() + text.size() - ptr));
  uint64_t scale = 0;
  if (unit.empty() || unit == "B") scale = 1;
  if (unit == "KiB") scale = uint64_t{1} << 10;
  if (unit == "MiB") scale = uint64_t{1} << 20;
  if (unit == "GiB") scale = uint64_t{1} << 30;
  if (ec != std::errc() || scale == 0) {
    return fail(ProofsError::kInvalidInput,
                fmt::format("'{}' is not a sector size (2KiB, 8MiB, 512MiB, 32GiB or 64GiB)", text));
  }
  return value * scale;
}

Result<RegisteredSealProof> sealProofForSectorSize(uint64_t sector_size) {
  for (size_t i = 0; i < 5; ++i) {
    if (kSizes[i] == sector_size) return static_cast<RegisteredSealProof>(5 + i);
  }
  return fail(ProofsError::kUnsupportedProof,
              fmt::format("no seal proof for sector size {} (2KiB, 8MiB, 512MiB, 32GiB, 64GiB)", sector_size));
}

}  // namespace fil::proofs
