#include "fil/proofs/post.h"

#include <cstring>

#include <fmt/format.h>

#include "fil/codec/cbor_decoder.h"
#include "fil/codec/cbor_encoder.h"
#include "fil/crypto/sha256.h"
#include "fil/proofs/fr.h"
#include "fil/proofs/poseidon.h"

namespace fil::proofs {

namespace {

PoStRandomness safe(const PoStRandomness& r) {
  PoStRandomness out = r;
  out[31] &= 0x3f;
  return out;
}

uint64_t firstU64LE(const ByteArray<32>& digest) { return readU64LE(digest.data()); }

// One sector's part of a proof.
struct SectorProof {
  SectorNumber sector = 0;
  Commitment comm_c{}, comm_r_last{};
  std::vector<Commitment> leaves;
  std::vector<std::vector<Commitment>> paths;
};

// [version 1, post proof, [[sector, comm_c, comm_r_last, leaves||paths]...]]
Bytes encodePoSt(RegisteredPoStProof proof, const std::vector<SectorProof>& sectors) {
  codec::CborEncoder e;
  e.writeArrayHeader(3).writeUint(1).writeInt(static_cast<int64_t>(proof));
  e.writeArrayHeader(sectors.size());
  for (const auto& s : sectors) {
    Bytes openings;
    for (size_t i = 0; i < s.leaves.size(); ++i) {
      append(openings, s.leaves[i]);
      for (const auto& c : s.paths[i]) append(openings, c);
    }
    e.writeArrayHeader(4).writeUint(s.sector).writeBytes(s.comm_c).writeBytes(s.comm_r_last).writeBytes(openings);
  }
  return std::move(e).take();
}

Result<std::vector<SectorProof>> decodePoSt(const PoStProofInfo& info, BytesView bytes, size_t path_len) {
  auto bad = [](std::string what) { return fail(ProofsError::kMalformedProof, "PoSt proof: " + what); };
  codec::CborDecoder d(bytes);
  FIL_ASSIGN_OR_RETURN(auto n, d.readArrayHeader());
  if (n != 3) return bad("expected 3 fields");
  FIL_ASSIGN_OR_RETURN(auto version, d.readUint());
  if (version != 1) return bad(fmt::format("unknown version {}", version));
  FIL_ASSIGN_OR_RETURN(auto type, d.readInt());
  if (type != static_cast<int64_t>(info.proof)) {
    return bad(fmt::format("proof bytes are for PoSt type {}, not {}", type, static_cast<int64_t>(info.proof)));
  }
  FIL_ASSIGN_OR_RETURN(auto count, d.readArrayHeader());
  if (count > info.sector_count) return bad(fmt::format("{} sectors in one partition (max {})", count, info.sector_count));
  std::vector<SectorProof> out;
  const size_t opening = (1 + path_len) * 32;
  for (uint64_t i = 0; i < count; ++i) {
    FIL_ASSIGN_OR_RETURN(auto k, d.readArrayHeader());
    if (k != 4) return bad("a sector proof has 4 fields");
    SectorProof s;
    FIL_ASSIGN_OR_RETURN(s.sector, d.readUint());
    FIL_ASSIGN_OR_RETURN(auto c, d.readBytes());
    FIL_ASSIGN_OR_RETURN(auto r, d.readBytes());
    FIL_ASSIGN_OR_RETURN(auto o, d.readBytes());
    if (c.size() != 32 || r.size() != 32 || o.size() != info.challenges_per_sector * opening) {
      return bad(fmt::format("sector {} has the wrong byte lengths", s.sector));
    }
    std::memcpy(s.comm_c.data(), c.data(), 32);
    std::memcpy(s.comm_r_last.data(), r.data(), 32);
    for (size_t j = 0; j < info.challenges_per_sector; ++j) {
      const uint8_t* p = o.data() + j * opening;
      Commitment leaf;
      std::memcpy(leaf.data(), p, 32);
      s.leaves.push_back(leaf);
      std::vector<Commitment> path(path_len);
      for (size_t q = 0; q < path_len; ++q) std::memcpy(path[q].data(), p + 32 * (q + 1), 32);
      s.paths.push_back(std::move(path));
    }
    out.push_back(std::move(s));
  }
  if (!d.atEnd()) return bad("trailing bytes");
  return out;
}

Result<SectorProof> proveSector(const PoStProofInfo& pinfo, const PoStRandomness& randomness,
                                const PrivateSectorInfo& sector, size_t index_in_proof) {
  FIL_ASSIGN_OR_RETURN(const auto info, sealProofInfo(sector.info.proof));
  if (info.sector_size != pinfo.sector_size) {
    return fail(ProofsError::kInvalidInput, fmt::format("sector {} is {}, the PoSt type is for {}", sector.info.sector,
                                                        sectorSizeString(info.sector_size),
                                                        sectorSizeString(pinfo.sector_size)));
  }
  SectorProof s;
  s.sector = sector.info.sector;
  FIL_ASSIGN_OR_RETURN(s.comm_c, readNode(pAuxPath(sector.files), 0));
  FIL_ASSIGN_OR_RETURN(s.comm_r_last, readNode(pAuxPath(sector.files), 1));
  const auto comm_c = Fr::fromBytes(s.comm_c.data());
  const auto comm_r_last = Fr::fromBytes(s.comm_r_last.data());
  if (!comm_c || !comm_r_last || poseidonHash2(*comm_c, *comm_r_last).toBytes() != sector.info.comm_r) {
    return fail(ProofsError::kCorruptFile, "p_aux does not match the sector's comm_r");
  }
  const auto arities = replicaTreeArities(info.tree);
  for (uint64_t leaf : postLeafChallenges(pinfo, randomness, s.sector, index_in_proof)) {
    FIL_ASSIGN_OR_RETURN(auto value, readNode(sector.files.sealed, leaf));
    FIL_ASSIGN_OR_RETURN(auto path, replicaTreePath(info, sector.files, leaf));
    // A corrupt replica or tree shows here, not at the verifier.
    if (!verifyTreePath(TreeHash::kPoseidon, arities, leaf, value, path, s.comm_r_last)) {
      return fail(ProofsError::kCorruptFile, fmt::format("leaf {} does not prove against comm_r_last", leaf));
    }
    s.leaves.push_back(value);
    s.paths.push_back(std::move(path));
  }
  return s;
}

Status verifySectorProof(const PoStProofInfo& pinfo, const PoStRandomness& randomness, const PublicSectorInfo& pub,
                         const SectorProof& s, size_t index_in_proof) {
  FIL_ASSIGN_OR_RETURN(const auto info, sealProofInfo(pub.proof));
  auto invalid = [&](std::string what) {
    return fail(ProofsError::kInvalidProof, fmt::format("sector {}: {}", pub.sector, what));
  };
  if (info.sector_size != pinfo.sector_size) return invalid("sector size does not match the PoSt type");
  if (s.sector != pub.sector) return invalid(fmt::format("proof is for sector {}", s.sector));
  const auto comm_c = Fr::fromBytes(s.comm_c.data());
  const auto comm_r_last = Fr::fromBytes(s.comm_r_last.data());
  if (!comm_c || !comm_r_last || poseidonHash2(*comm_c, *comm_r_last).toBytes() != pub.comm_r) {
    return invalid("comm_r is not H(comm_c, comm_r_last)");
  }
  const auto arities = replicaTreeArities(info.tree);
  const auto leaves = postLeafChallenges(pinfo, randomness, pub.sector, index_in_proof);
  for (size_t i = 0; i < leaves.size(); ++i) {
    if (!verifyTreePath(TreeHash::kPoseidon, arities, leaves[i], s.leaves[i], s.paths[i], s.comm_r_last)) {
      return invalid(fmt::format("inclusion proof of leaf {} fails", leaves[i]));
    }
  }
  return ok();
}

size_t pathLength(uint64_t sector_size) {
  const auto info = *sealProofInfo(*sealProofForSectorSize(sector_size));
  size_t n = 0;
  for (size_t a : replicaTreeArities(info.tree)) n += a - 1;
  return n;
}

// Proves sectors in partitions; collects every faulty sector before failing.
Result<std::vector<PoStProof>> prove(const PoStProofInfo& pinfo, const PoStRandomness& randomness,
                                     std::span<const PrivateSectorInfo> sectors, std::vector<SectorNumber>* faulty) {
  std::vector<PoStProof> proofs;
  std::vector<SectorNumber> bad;
  std::string reasons;
  for (size_t start = 0; start < sectors.size(); start += pinfo.sector_count) {
    std::vector<SectorProof> part;
    for (size_t i = start; i < std::min(sectors.size(), start + pinfo.sector_count); ++i) {
      auto s = proveSector(pinfo, randomness, sectors[i], i);
      if (!s) {
        if (s.error().is(ProofsError::kInvalidInput)) return fail(s.error());
        bad.push_back(sectors[i].info.sector);
        reasons += fmt::format("{}sector {}: {}", reasons.empty() ? "" : "; ", sectors[i].info.sector,
                               s.error().message());
        continue;
      }
      part.push_back(std::move(*s));
    }
    proofs.push_back({pinfo.proof, encodePoSt(pinfo.proof, part)});
  }
  if (faulty != nullptr) *faulty = bad;
  if (!bad.empty()) {
    return fail(ProofsError::kFaultySectors, fmt::format("faulty sectors {}: {}", fmt::join(bad, ", "), reasons));
  }
  return proofs;
}

Status verify(const PoStProofInfo& pinfo, const PoStRandomness& randomness, std::span<const PublicSectorInfo> sectors,
              std::span<const PoStProof> proofs) {
  const size_t partitions = (sectors.size() + pinfo.sector_count - 1) / pinfo.sector_count;
  if (proofs.size() != partitions) {
    return fail(ProofsError::kInvalidProof,
                fmt::format("{} proofs for {} sectors, expected {} partitions", proofs.size(), sectors.size(), partitions));
  }
  const size_t path_len = pathLength(pinfo.sector_size);
  for (size_t p = 0; p < partitions; ++p) {
    if (proofs[p].proof != pinfo.proof) return fail(ProofsError::kInvalidProof, "proof type does not match");
    auto decoded = decodePoSt(pinfo, proofs[p].proof_bytes, path_len);
    if (!decoded && !decoded.error().is(ProofsError::kMalformedProof)) {
      return fail(ProofsError::kMalformedProof, "PoSt proof: " + decoded.error().message());
    }
    FIL_ASSIGN_OR_RETURN(auto part, std::move(decoded));
    const size_t start = p * pinfo.sector_count;
    const size_t count = std::min(sectors.size(), start + pinfo.sector_count) - start;
    if (part.size() != count) {
      return fail(ProofsError::kInvalidProof, fmt::format("partition {} proves {} sectors, expected {}", p, part.size(), count));
    }
    for (size_t i = 0; i < count; ++i) {
      FIL_TRY(verifySectorProof(pinfo, randomness, sectors[start + i], part[i], start + i));
    }
  }
  return ok();
}

}  // namespace

std::vector<uint64_t> winningPoStSectorChallenge(RegisteredPoStProof proof, const PoStRandomness& randomness,
                                                 const ProverId& prover_id, uint64_t sector_count) {
  const auto info = postProofInfo(proof);
  std::vector<uint64_t> out;
  if (!info || sector_count == 0) return out;
  const auto rand = safe(randomness);
  for (uint64_t n = 0; n < info->sector_count; ++n) {
    Bytes nb;
    putU64LE(nb, n);
    crypto::Sha256 h;
    h.update(prover_id).update(rand).update(nb);
    out.push_back(firstU64LE(h.finish()) % sector_count);
  }
  return out;
}

std::vector<uint64_t> postLeafChallenges(const PoStProofInfo& info, const PoStRandomness& randomness,
                                         SectorNumber sector, size_t sector_index_in_proof) {
  const auto rand = safe(randomness);
  std::vector<uint64_t> out;
  for (uint64_t n = 0; n < info.challenges_per_sector; ++n) {
    // V1_2 (WindowPoSt V1_1) made the index independent of sector order.
    const uint64_t index = info.api_version == ApiVersion::kV1_2
                               ? n
                               : sector_index_in_proof * info.challenges_per_sector + n;
    Bytes b;
    putU64LE(b, sector);
    putU64LE(b, index);
    crypto::Sha256 h;
    h.update(rand).update(b);
    out.push_back(firstU64LE(h.finish()) % (info.sector_size / 32));
  }
  return out;
}

Result<std::vector<PoStProof>> generateWinningPoSt(RegisteredPoStProof proof, const PoStRandomness& randomness,
                                                   const ProverId& prover_id, std::span<const PrivateSectorInfo> sectors) {
  (void)prover_id;  // part of the sector choice, made by the caller
  FIL_ASSIGN_OR_RETURN(const auto info, postProofInfo(proof));
  if (!info.winning) return fail(ProofsError::kInvalidInput, fmt::format("{} is not a WinningPoSt type", postProofName(proof)));
  if (sectors.size() != info.sector_count) {
    return fail(ProofsError::kInvalidInput, fmt::format("WinningPoSt proves {} sector, got {}", info.sector_count, sectors.size()));
  }
  return prove(info, randomness, sectors, nullptr);
}

Status verifyWinningPoSt(RegisteredPoStProof proof, const PoStRandomness& randomness, const ProverId& prover_id,
                         std::span<const PublicSectorInfo> challenged, std::span<const PoStProof> proofs) {
  (void)prover_id;
  FIL_ASSIGN_OR_RETURN(const auto info, postProofInfo(proof));
  if (!info.winning) return fail(ProofsError::kInvalidProof, fmt::format("{} is not a WinningPoSt type", postProofName(proof)));
  if (challenged.size() != info.sector_count) {
    return fail(ProofsError::kInvalidProof, fmt::format("WinningPoSt proves {} sector, got {}", info.sector_count, challenged.size()));
  }
  return verify(info, randomness, challenged, proofs);
}

Result<std::vector<PoStProof>> generateWindowPoSt(RegisteredPoStProof proof, const PoStRandomness& randomness,
                                                  const ProverId& prover_id, std::span<const PrivateSectorInfo> sectors,
                                                  std::vector<SectorNumber>* faulty) {
  (void)prover_id;
  FIL_ASSIGN_OR_RETURN(const auto info, postProofInfo(proof));
  if (info.winning) return fail(ProofsError::kInvalidInput, fmt::format("{} is not a WindowPoSt type", postProofName(proof)));
  if (sectors.empty()) return fail(ProofsError::kInvalidInput, "WindowPoSt over no sectors");
  return prove(info, randomness, sectors, faulty);
}

Status verifyWindowPoSt(RegisteredPoStProof proof, const PoStRandomness& randomness, const ProverId& prover_id,
                        std::span<const PublicSectorInfo> sectors, std::span<const PoStProof> proofs) {
  (void)prover_id;
  FIL_ASSIGN_OR_RETURN(const auto info, postProofInfo(proof));
  if (info.winning) return fail(ProofsError::kInvalidProof, fmt::format("{} is not a WindowPoSt type", postProofName(proof)));
  if (sectors.empty()) return fail(ProofsError::kInvalidProof, "WindowPoSt over no sectors");
  return verify(info, randomness, sectors, proofs);
}

}  // namespace fil::proofs
