#include "fil/api/full_node_types.h"

#include <fmt/format.h>

#include "fil/base/hex.h"

namespace fil::api {

std::string_view headChangeTypeName(HeadChangeType type) {
  switch (type) {
    case HeadChangeType::kCurrent:
      return "current";
    case HeadChangeType::kRevert:
      return "revert";
    case HeadChangeType::kApply:
      return "apply";
  }
  return "unknown";
}

std::string syncStageName(SyncStage stage) {
  switch (stage) {
    case SyncStage::kIdle:
      return "idle";
    case SyncStage::kHeaders:
      return "header sync";
    case SyncStage::kPersistHeaders:
      return "persisting headers";
    case SyncStage::kMessages:
      return "message sync";
    case SyncStage::kSyncComplete:
      return "complete";
    case SyncStage::kSyncErrored:
      return "error";
    case SyncStage::kFetchingMessages:
      return "fetching messages";
  }
  return fmt::format("<unknown: {}>", static_cast<int64_t>(stage));
}

MinerInfo minerInfoFromState(const vm::miner::MinerInfo& info) {
  MinerInfo out;
  out.owner = info.owner;
  out.worker = info.worker;
  out.control_addresses = info.control_addresses;
  if (info.pending_worker_key) {
    out.new_worker = info.pending_worker_key->new_worker;
    out.worker_change_epoch = info.pending_worker_key->effective_at;
  }
  // As Lotus: bytes that are not a peer ID read as none.
  if (auto peer = net::PeerId::fromBytes(info.peer_id)) out.peer_id = std::move(*peer);
  out.multiaddrs = info.multiaddrs;
  out.window_post_proof_type = static_cast<proofs::RegisteredPoStProof>(info.window_post_proof_type);
  out.sector_size = info.sector_size;
  out.window_post_partition_sectors = info.window_post_partition_sectors;
  out.consensus_fault_elapsed = info.consensus_fault_elapsed;
  out.pending_owner_address = info.pending_owner_address;
  out.beneficiary = info.beneficiary;
  out.beneficiary_term = info.beneficiary_term;
  out.pending_beneficiary_term = info.pending_beneficiary_term;
  return out;
}

SectorOnChainInfo sectorInfoFromState(const vm::miner::SectorOnChainInfo& info) {
  SectorOnChainInfo out;
  out.sector_number = info.sector_number;
  out.seal_proof = static_cast<proofs::RegisteredSealProof>(info.seal_proof);
  out.sealed_cid = info.sealed_cid;
  out.deal_ids = info.deal_ids;
  out.activation = info.activation;
  out.expiration = info.expiration;
  out.deal_weight = info.deal_weight;
  out.verified_deal_weight = info.verified_deal_weight;
  out.initial_pledge = info.initial_pledge;
  out.expected_day_reward = info.expected_day_reward;
  out.expected_storage_pledge = info.expected_storage_pledge;
  // v12's PowerBaseEpoch is not the v9 ReplacedSectorAge (an age, not an
  // epoch); Lotus v1.25 leaves it zero, as we do.
  out.replaced_day_reward = info.replaced_day_reward;
  out.sector_key_cid = info.sector_key_cid;
  out.simple_qa_power = (info.flags & vm::miner::kSectorFlagSimpleQaPower) != 0;
  return out;
}

bool Uuid::isZero() const {
  return std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; });
}

std::string Uuid::toString() const {
  const std::string hex = toHex(bytes);
  return fmt::format("{}-{}-{}-{}-{}", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4), hex.substr(16, 4),
                     hex.substr(20));
}

// The forms Go's uuid.Parse accepts: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx,
// with an "urn:uuid:" prefix or in braces, or 32 hex digits.
Result<Uuid> Uuid::parse(std::string_view text) {
  std::string_view body = text;
  if (body.size() == 36 + 9 && body.substr(0, 9) == "urn:uuid:") {
    body.remove_prefix(9);
  } else if (body.size() == 38 && body.front() == '{' && body.back() == '}') {
    body = body.substr(1, 36);
  }
  std::string hex;
  if (body.size() == 36) {
    for (size_t i = 0; i < body.size(); ++i) {
      const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash_position != (body[i] == '-')) {
        return fail(GenericError::kInvalidArgument, fmt::format("'{}' is not a UUID (dashes misplaced)", text));
      }
      if (!dash_position) hex.push_back(body[i]);
    }
  } else if (body.size() == 32) {
    hex = body;
  } else {
    return fail(GenericError::kInvalidArgument, fmt::format("'{}' is not a UUID (wrong length)", text));
  }
  auto bytes = fromHex(hex);
  if (!bytes) return fail(GenericError::kInvalidArgument, fmt::format("'{}' is not a UUID (not hex)", text));
  Uuid out;
  std::copy(bytes->begin(), bytes->end(), out.bytes.begin());
  return out;
}

}  // namespace fil::api
