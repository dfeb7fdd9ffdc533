#include "fil/vm/preseal.h"

#include <random>

#include <fmt/format.h>

#include "fil/base/base58.h"
#include "fil/base/hex.h"
#include "fil/crypto/blake2b.h"
#include "fil/crypto/ed25519.h"
#include "fil/crypto/random.h"
#include "fil/proofs/sealer.h"
#include "fil/store/filesystem.h"
#include "fil/vm/exit.h"

namespace fil::vm::genesis {

std::string randomUuid() {
  Bytes b = crypto::randomBytes(16);
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);
  const std::string h = toHex(b);
  return fmt::format("{}-{}-{}-{}-{}", h.substr(0, 8), h.substr(8, 4), h.substr(12, 4), h.substr(16, 4), h.substr(20));
}

namespace {

Status writeText(const std::filesystem::path& path, std::string_view text, uint32_t mode) {
  return store::writeFileAtomic(store::defaultFileSystem(), path.string(), asBytes(text), mode)
      .map_error([&](Error e) { return std::move(e).withContext("writing " + path.string()); });
}

}  // namespace

std::string peerIdFromEd25519(BytesView public_key) {
  // PublicKey protobuf {Type: Ed25519 (1), Data: key}; keys of 42 bytes or
  // less are hashed with the identity multihash.
  Bytes pb{0x08, 0x01, 0x12, static_cast<uint8_t>(public_key.size())};
  append(pb, public_key);
  Bytes mh{0x00, static_cast<uint8_t>(pb.size())};
  append(mh, pb);
  return toBase58(mh);
}

Result<PreSealResult> preSeal(const PreSealOptions& o) {
  if (!o.miner.isId()) {
    return fail(VmError::kInvalidMessage, fmt::format("miner address {} must be an ID address", o.miner.toString()));
  }
  if (o.sectors == 0) return fail(VmError::kInvalidMessage, "pre-seal needs at least one sector");
  FIL_ASSIGN_OR_RETURN(const proofs::SealProofInfo info, proofs::sealProofInfo(o.proof));
  const ActorId miner_id = *o.miner.idValue();
  std::error_code ec;
  std::filesystem::create_directories(o.root, ec);
  if (ec) {
    return fail(VmError::kInvalidMessage, fmt::format("cannot create {}: {}", o.root.string(), ec.message()));
  }

  PreSealResult out;
  out.key = o.key ? *o.key : primitives::newSecp256k1Key();
  FIL_ASSIGN_OR_RETURN(const Address worker, primitives::addressOf(out.key));

  proofs::ThreadPool pool(std::max(1u, o.threads));
  const std::filesystem::path parents = o.parent_cache_dir.empty() ? proofs::ParentCache::defaultDir() : o.parent_cache_dir;
  proofs::LocalSealer sealer(o.root, parents, pool);
  proofs::JobContext ctx;
  ctx.pool = &pool;
  const auto ticket_digest = crypto::blake2b256(asBytes(o.ticket_preimage));
  proofs::Ticket ticket;
  std::copy(ticket_digest.begin(), ticket_digest.end(), ticket.begin());
  const uint64_t unpadded = info.sector_size / 128 * 127;
  std::mt19937_64 seeded(o.data_seed.value_or(0));

  Miner& m = out.miner;
  m.id = o.miner;
  m.owner = worker;
  m.worker = worker;
  m.sector_size = info.sector_size;
  m.market_balance = 0;
  m.power_balance = 0;
  {
    // Lotus makes up a peer ID (the miner announces its real one later);
    // with a data seed it is derived from the seed, so runs repeat exactly.
    crypto::ed25519::KeyPair peer_key = crypto::ed25519::generate();
    if (o.data_seed) {
      Bytes seed_material = toBytes(asBytes(std::string_view("pre-seal peer key")));
      putU64BE(seed_material, *o.data_seed);
      peer_key = crypto::ed25519::fromSeed(crypto::blake2b256(seed_material));
    }
    m.peer_id = peerIdFromEd25519(peer_key.public_key);
  }
  for (uint64_t i = 0; i < o.sectors; ++i) {
    const proofs::SectorRef sector{miner_id, o.sector_offset + i, o.proof};
    uint64_t remaining = unpadded;
    auto reader = [&](MutableBytesView buf) -> Result<size_t> {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(buf.size(), remaining));
      if (o.data_seed) {
        for (size_t k = 0; k < n; ++k) buf[k] = static_cast<uint8_t>(seeded());
      } else {
        crypto::randomBytes(buf.subspan(0, n));
      }
      remaining -= n;
      return n;
    };
    auto in_sector = [&](Error e) { return std::move(e).withContext(fmt::format("pre-sealing sector {}", sector.number)); };
    FIL_ASSIGN_OR_RETURN(proofs::PieceInfo piece, sealer.addPiece(sector, {}, unpadded, reader, ctx).map_error(in_sector));
    const std::vector<proofs::PieceInfo> pieces{piece};
    FIL_ASSIGN_OR_RETURN(Bytes pc1, sealer.preCommit1(sector, ticket, pieces, ctx).map_error(in_sector));
    FIL_ASSIGN_OR_RETURN(proofs::SealedCommitments cids, sealer.preCommit2(sector, pc1, ctx).map_error(in_sector));
    FIL_TRY(sealer.finalize(sector, false, ctx).map_error(in_sector));

    PreSeal ps;
    ps.comm_r = proofs::sealedCid(cids.comm_r);
    ps.comm_d = proofs::pieceCid(cids.comm_d);
    ps.sector_id = sector.number;
    ps.proof_type = static_cast<int64_t>(o.proof);
    // Lotus's createDeals: the worker key is the client of every deal.
    ps.deal.piece_cid = ps.comm_d;
    ps.deal.piece_size = info.sector_size;
    ps.deal.client = worker;
    ps.deal.provider = o.miner;
    ps.deal.label = {std::to_string(i), true};
    ps.deal.start_epoch = 0;
    ps.deal.end_epoch = 9001;
    ps.deal.storage_price_per_epoch = 0;
    ps.deal.provider_collateral = 0;
    ps.deal.client_collateral = 0;
    ps.deal_client_key = out.key;
    m.sectors.push_back(std::move(ps));
  }

  const std::string meta = fmt::format(
      "{{\n  \"ID\": \"{}\",\n  \"Weight\": 0,\n  \"CanSeal\": false,\n  \"CanStore\": false\n}}", randomUuid());
  FIL_TRY(writeText(o.root / "sectorstore.json", meta, 0644));
  return out;
}

Status writePreSealFiles(const std::filesystem::path& root, const Address& miner, const PreSealResult& result) {
  const std::string name = miner.toString();
  FIL_ASSIGN_OR_RETURN(std::string manifest, minersToJson({{name, result.miner}}));
  FIL_TRY(writeText(root / ("pre-seal-" + name + ".json"), manifest, 0664));
  // The key is secret: readable by its owner only.
  return writeText(root / ("pre-seal-" + name + ".key"), primitives::keyInfoToHex(result.key), 0600);
}

}  // namespace fil::vm::genesis
