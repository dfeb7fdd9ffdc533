#include "fil/chain/validation.h"

#include <map>

#include <fmt/format.h>

#include "fil/chain/base_fee.h"
#include "fil/chain/chain_error.h"
#include "fil/chain/election.h"
#include "fil/chain/messages.h"
#include "fil/chain/vrf.h"
#include "fil/primitives/signature.h"
#include "fil/proofs/porep.h"
#include "fil/store/blockstore.h"

namespace fil::chain {

using primitives::Address;
using primitives::TokenAmount;

std::string_view describe(BlockError e) {
  switch (e) {
    case BlockError::kMissingField: return "block lacks a required field";
    case BlockError::kMinerNotIdAddress: return "block's Miner is not an ID address";
    case BlockError::kWrongParents: return "block's Parents are not its parent tipset";
    case BlockError::kHeightNotAboveParent: return "block's Height is not above its parent's";
    case BlockError::kWrongTimestamp: return "block has the wrong Timestamp";
    case BlockError::kFromTheFuture: return "block is from the future";
    case BlockError::kWrongParentWeight: return "block has the wrong ParentWeight";
    case BlockError::kWrongParentState: return "block has the wrong parent state or receipts";
    case BlockError::kWrongBaseFee: return "block has the wrong ParentBaseFee";
    case BlockError::kMinerNotEligible: return "block's miner is not eligible to mine";
    case BlockError::kNotAWinner: return "block does not claim a win";
    case BlockError::kWrongWinCount: return "block claims the wrong number of wins";
    case BlockError::kInvalidElectionProof: return "block's election proof is invalid";
    case BlockError::kInvalidTicket: return "block's ticket is invalid";
    case BlockError::kInvalidBeaconEntries: return "block's beacon entries are invalid";
    case BlockError::kInvalidWinningPoSt: return "block's winning PoSt is invalid";
    case BlockError::kInvalidBlockSignature: return "block's signature is invalid";
    case BlockError::kInvalidBlsAggregate: return "block's BLS aggregate is invalid";
    case BlockError::kInvalidMessage: return "block has an invalid message";
    case BlockError::kWrongMessagesRoot: return "block's Messages root does not match its messages";
    case BlockError::kTooManyMessages: return "block has too many messages";
    case BlockError::kBlockGasLimitExceeded: return "block's messages exceed the block gas limit";
  }
  return "invalid block";
}

namespace {

tl::unexpected<Error> reject(BlockError kind, std::string message) { return fail(kind, std::move(message)); }

// Lotus build.ZeroAddress: the BLS address of the compressed identity point.
const Address& zeroAddress() {
  static const Address a = [] {
    Bytes payload(Address::kBlsPayloadSize, 0);
    payload[0] = 0xc0;
    return *Address::bls(payload);
  }();
  return a;
}

// 2 billion FIL in attoFIL.
const TokenAmount& totalFilecoin() {
  static const TokenAmount total = TokenAmount(2'000'000'000) * primitives::kFilecoinPrecision;
  return total;
}

}  // namespace

int64_t messageInclusionGas(size_t size) {
  constexpr int64_t kComputeBase = 38863 + 475000;
  constexpr int64_t kStorageBase = 36;
  constexpr int64_t kStorageMulti = 1300;
  return kComputeBase + (kStorageBase + static_cast<int64_t>(size)) * kStorageMulti;
}

Status checkMessageForInclusion(const primitives::Message& m, int64_t min_gas, const NetworkParams& params) {
  auto bad = [](std::string what) { return reject(BlockError::kInvalidMessage, std::move(what)); };
  if (m.version != 0) return bad(fmt::format("Version {} is not 0", m.version));
  if (!m.to.defined()) return bad("To is empty");
  if (m.to == zeroAddress()) return bad("To is the zero address");
  if (!m.from.defined()) return bad("From is empty");
  if (m.value < 0) return bad(fmt::format("Value {} is negative", primitives::toDecimal(m.value)));
  if (m.value > totalFilecoin()) {
    return bad(fmt::format("Value {} exceeds the total FIL supply", primitives::toDecimal(m.value)));
  }
  if (m.gas_fee_cap < 0) return bad(fmt::format("GasFeeCap {} is negative", primitives::toDecimal(m.gas_fee_cap)));
  if (m.gas_premium < 0) return bad(fmt::format("GasPremium {} is negative", primitives::toDecimal(m.gas_premium)));
  if (m.gas_premium > m.gas_fee_cap) {
    return bad(fmt::format("GasPremium {} is above GasFeeCap {}", primitives::toDecimal(m.gas_premium),
                           primitives::toDecimal(m.gas_fee_cap)));
  }
  if (m.gas_limit > params.block_gas_limit) {
    return bad(fmt::format("GasLimit {} is above the block gas limit {}", m.gas_limit, params.block_gas_limit));
  }
  if (m.gas_limit <= 0) return bad(fmt::format("GasLimit {} is not positive", m.gas_limit));
  if (m.gas_limit < min_gas) {
    return bad(fmt::format("GasLimit {} is below {}, the gas to store the message on chain", m.gas_limit, min_gas));
  }
  return ok();
}

Status checkBlockSyntax(const BlockHeader& b) {
  if (!b.election_proof) return reject(BlockError::kMissingField, "ElectionProof is null");
  if (!b.ticket) return reject(BlockError::kMissingField, "Ticket is null");
  if (!b.block_sig) return reject(BlockError::kMissingField, "BlockSig is null");
  if (!b.bls_aggregate) return reject(BlockError::kMissingField, "BLSAggregate is null");
  if (!b.miner.isId()) {
    return reject(BlockError::kMinerNotIdAddress, fmt::format("Miner {} is not an ID address", b.miner.toString()));
  }
  return ok();
}

Status checkTimestamp(const BlockHeader& b, const TipSet& parent, uint64_t now, const NetworkParams& params) {
  if (b.height <= parent.height()) {
    return reject(BlockError::kHeightNotAboveParent,
                  fmt::format("Height {} is not above the parent's {}", b.height, parent.height()));
  }
  const uint64_t expected = expectedTimestamp(parent.minTimestamp(), parent.height(), b.height, params);
  if (b.timestamp != expected) {
    return reject(BlockError::kWrongTimestamp,
                  fmt::format("Timestamp {} should be {} (parent's {} + {} s for each of {} epochs)", b.timestamp,
                              expected, parent.minTimestamp(), params.block_delay_seconds, b.height - parent.height()));
  }
  if (b.timestamp > now + kAllowableClockDriftSeconds) {
    return reject(BlockError::kFromTheFuture,
                  fmt::format("Timestamp {} is {} s ahead of now ({})", b.timestamp, b.timestamp - now, now));
  }
  return ok();
}

Status checkBlockSignature(const BlockHeader& b, const Address& worker) {
  if (!b.block_sig) return reject(BlockError::kMissingField, "BlockSig is null");
  if (auto s = primitives::verifySignature(*b.block_sig, worker, b.signingBytes()); !s) {
    return reject(BlockError::kInvalidBlockSignature, "BlockSig: " + s.error().message());
  }
  return ok();
}

Status checkTicket(const BlockHeader& b, const TipSet& parent, const BeaconEntry& parent_beacon,
                   const Address& worker) {
  if (!b.ticket) return reject(BlockError::kMissingField, "Ticket is null");
  const Randomness seed = ticketSeed(electionBeaconEntry(b, parent_beacon), b.height, b.miner, parent.minTicket());
  if (auto out = verifyVrf(worker, seed, b.ticket->vrf_proof); !out) {
    return reject(BlockError::kInvalidTicket, "Ticket.VRFProof: " + out.error().message());
  }
  return ok();
}

Status checkElection(const BlockHeader& b, const BeaconEntry& parent_beacon, const LookbackMinerFacts& miner) {
  if (!b.election_proof) return reject(BlockError::kMissingField, "ElectionProof is null");
  const ElectionProof& proof = *b.election_proof;
  if (proof.win_count < 1) {
    return reject(BlockError::kNotAWinner, fmt::format("ElectionProof.WinCount is {}", proof.win_count));
  }
  const Randomness seed = electionSeed(electionBeaconEntry(b, parent_beacon), b.height, b.miner);
  if (auto out = verifyVrf(miner.worker, seed, proof.vrf_proof); !out) {
    return reject(BlockError::kInvalidElectionProof, "ElectionProof.VRFProof: " + out.error().message());
  }
  const int64_t wins = computeWinCount(proof, miner.miner_power, miner.network_power);
  if (wins != proof.win_count) {
    return reject(BlockError::kWrongWinCount,
                  fmt::format("ElectionProof.WinCount is {}; power {} of {} gives {}", proof.win_count,
                              primitives::toDecimal(miner.miner_power), primitives::toDecimal(miner.network_power),
                              wins));
  }
  return ok();
}

Status checkWinningPoSt(const BlockHeader& b, const BeaconEntry& parent_beacon, const LookbackMinerFacts& miner,
                        const ConsensusStateView& state) {
  FIL_ASSIGN_OR_RETURN(const primitives::ActorId miner_id, b.miner.idValue());
  if (miner.active_sectors == 0) {
    return reject(BlockError::kInvalidWinningPoSt,
                  fmt::format("WinPoStProof: miner {} has no active sectors in the lookback state", b.miner.toString()));
  }
  const Randomness seed = winningPoStSeed(electionBeaconEntry(b, parent_beacon), b.height, b.miner);
  const proofs::ProverId prover = proofs::proverIdFromActorId(miner_id);
  const auto positions =
      proofs::winningPoStSectorChallenge(miner.winning_post_proof, seed, prover, miner.active_sectors);
  FIL_ASSIGN_OR_RETURN(auto sectors, state.lookbackSectors(b.miner, positions));
  if (sectors.size() != positions.size()) {
    return fail(GenericError::kInternal, fmt::format("the state view returned {} sectors for {} challenged positions",
                                                     sectors.size(), positions.size()));
  }
  if (auto s = proofs::verifyWinningPoSt(miner.winning_post_proof, seed, prover, sectors, b.win_post_proof); !s) {
    return reject(BlockError::kInvalidWinningPoSt, "WinPoStProof: " + s.error().message());
  }
  return ok();
}

Status checkMessages(const FullBlock& block, const ConsensusStateView& state, const NetworkParams& params) {
  const BlockHeader& h = block.header;
  const size_t count = block.bls_messages.size() + block.secpk_messages.size();
  if (count > kBlockMessageLimit) {
    return reject(BlockError::kTooManyMessages, fmt::format("{} messages, at most {}", count, kBlockMessageLimit));
  }
  if (!block.bls_messages.empty()) {
    return reject(BlockError::kInvalidMessage,
                  fmt::format("BlsMessages holds {} messages; this chain verifies secp256k1 signatures only",
                              block.bls_messages.size()));
  }
  if (h.bls_aggregate != emptyBlsAggregate()) {
    return reject(BlockError::kInvalidBlsAggregate,
                  "BLSAggregate must be the empty aggregate (BLS, 0xc0 then 95 zero bytes) in a block with no BLS messages");
  }

  std::map<Address, uint64_t> nonces;  // by ID address, as the VM sees senders
  int64_t gas = 0;                      // at most 10^4 messages of at most the block limit each
  std::vector<cid::Cid> cids;
  cids.reserve(block.secpk_messages.size());
  for (size_t i = 0; i < block.secpk_messages.size(); ++i) {
    const primitives::SignedMessage& sm = block.secpk_messages[i];
    const primitives::Message& m = sm.message;
    const cid::Cid c = sm.cid();
    auto bad = [&](Error e) {
      return reject(BlockError::kInvalidMessage, fmt::format("SecpkMessages[{}] ({}): {}", i, c.toString(), e.message()));
    };
    if (sm.signature.type != primitives::SignatureType::kSecp256k1) {
      return bad(Error(BlockError::kInvalidMessage,
                       fmt::format("signature type {} is not secp256k1", static_cast<int>(sm.signature.type))));
    }
    if (auto s = checkMessageForInclusion(m, messageInclusionGas(codec::encode(sm).size()), params); !s) {
      return bad(s.error());
    }
    gas += m.gas_limit;
    if (gas > params.block_gas_limit) {
      return reject(BlockError::kBlockGasLimitExceeded,
                    fmt::format("messages up to SecpkMessages[{}] need {} gas, above the block limit {}", i, gas,
                                params.block_gas_limit));
    }
    FIL_ASSIGN_OR_RETURN(const SenderFacts sender, state.sender(m.from));
    if (!sender.found) return bad(Error(BlockError::kInvalidMessage, fmt::format("sender {} does not exist", m.from.toString())));
    auto [it, inserted] = nonces.try_emplace(sender.id, sender.nonce);
    if (inserted && !sender.can_send) {
      return bad(Error(BlockError::kInvalidMessage, fmt::format("sender {} is not an account actor", m.from.toString())));
    }
    if (m.nonce != it->second) {
      return bad(Error(BlockError::kInvalidMessage, fmt::format("Nonce {} should be {}", m.nonce, it->second)));
    }
    ++it->second;
    if (auto s = primitives::verifySignature(sm.signature, sender.key_address, m.cid().toBytes()); !s) {
      return bad(s.error());
    }
    cids.push_back(c);
  }

  store::MemoryBlockstore scratch;
  FIL_ASSIGN_OR_RETURN(const cid::Cid root, storeMsgMeta(scratch, {}, cids));
  if (root != h.messages) {
    return reject(BlockError::kWrongMessagesRoot,
                  fmt::format("Messages is {}; the block's messages give {}", h.messages.toString(), root.toString()));
  }
  return ok();
}

namespace {

Status checkEligibility(const BlockHeader& b, const TipSet& parent, const LookbackMinerFacts& lookback,
                        const ParentMinerFacts& current) {
  auto ineligible = [&](std::string why) {
    return reject(BlockError::kMinerNotEligible, fmt::format("Miner {} {}", b.miner.toString(), why));
  };
  if (!lookback.found) return ineligible("has no miner actor in the lookback state");
  if (!lookback.has_claim) return ineligible("has no power claim in the lookback state");
  if (!lookback.meets_consensus_minimum) return ineligible("is below the consensus minimum power in the lookback state");
  if (!current.has_claim) return ineligible("has no power claim in the parent state (slashed or never had power)");
  if (current.power <= 0) return ineligible("has no power in the parent state");
  if (current.has_fee_debt) return ineligible("has fee debt");
  if (parent.height() <= current.consensus_fault_elapsed) {
    return ineligible(fmt::format("is barred by a consensus fault until epoch {}", current.consensus_fault_elapsed));
  }
  return ok();
}

}  // namespace

Status validateBlock(const FullBlock& block, const BlockValidationInputs& in) {
  const BlockHeader& h = block.header;
  FIL_TRY(checkBlockSyntax(h));

  FIL_ASSIGN_OR_RETURN(const TipSet parent, in.parent.tipset());
  if (h.parents != parent.cids()) {
    return reject(BlockError::kWrongParents, fmt::format("Parents {} are not the parent tipset {}",
                                                         TipSetKey(h.parents).toString(), parent.key().toString()));
  }
  FIL_TRY(checkTimestamp(h, parent, in.now, in.params));

  FIL_ASSIGN_OR_RETURN(const auto network_power, in.state.parentNetworkPower());
  FIL_ASSIGN_OR_RETURN(const auto weight, tipsetWeight(parent, network_power));
  if (weight != h.parent_weight) {
    return reject(BlockError::kWrongParentWeight, fmt::format("ParentWeight {} should be {}",
                                                              primitives::toDecimal(h.parent_weight),
                                                              primitives::toDecimal(weight)));
  }
  const TokenAmount base_fee = computeBaseFee(in.parent, in.params);
  if (base_fee != h.parent_base_fee) {
    return reject(BlockError::kWrongBaseFee, fmt::format("ParentBaseFee {} should be {}",
                                                         primitives::toDecimal(h.parent_base_fee),
                                                         primitives::toDecimal(base_fee)));
  }
  if (h.parent_state_root != in.executed.state_root) {
    return reject(BlockError::kWrongParentState, fmt::format("ParentStateRoot {} should be {}",
                                                             h.parent_state_root.toString(),
                                                             in.executed.state_root.toString()));
  }
  if (h.parent_message_receipts != in.executed.receipts_root) {
    return reject(BlockError::kWrongParentState, fmt::format("ParentMessageReceipts {} should be {}",
                                                             h.parent_message_receipts.toString(),
                                                             in.executed.receipts_root.toString()));
  }

  FIL_ASSIGN_OR_RETURN(const LookbackMinerFacts lookback, in.state.lookbackMiner(h.miner));
  FIL_ASSIGN_OR_RETURN(const ParentMinerFacts current, in.state.parentMiner(h.miner));
  FIL_TRY(checkEligibility(h, parent, lookback, current));

  if (auto s = validateBeaconEntries(in.beacon, h, in.parent_beacon); !s) {
    return reject(BlockError::kInvalidBeaconEntries, s.error().message());
  }
  FIL_TRY(checkTicket(h, parent, in.parent_beacon, lookback.worker));
  FIL_TRY(checkElection(h, in.parent_beacon, lookback));
  FIL_TRY(checkBlockSignature(h, lookback.worker));
  FIL_TRY(checkMessages(block, in.state, in.params));
  return checkWinningPoSt(h, in.parent_beacon, lookback, in.state);
}

}  // namespace fil::chain
