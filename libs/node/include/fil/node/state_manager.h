// Tipset states and message lookups, as Lotus's chain/stmgr:
//
//   StateManager sm(chain, blocks, metadata, network, beacon);
//   FIL_ASSIGN_OR_RETURN(TipSetState st, sm.tipSetState(ts));   // after executing ts
//   FIL_ASSIGN_OR_RETURN(auto found, sm.searchMessage(head, msg_cid, kNoLimit));
//   FIL_ASSIGN_OR_RETURN(vm::ApplyRet r, sm.call(message, head));
//
// Executing a tipset applies its blocks' messages to its parent state at its
// height with the base fee its blocks carry (the VM's applyTipSet); genesis
// is its own parent state. Results are cached in memory and kept in the
// metadata datastore (/chain/tsstate/<tipset key CID>), so a restart does
// not execute the chain again. Each executed message is indexed
// (/chain/msgexec/<message CID>/<tipset key CID> -> receipt index); a
// lookup returns the one on the chain it is asked about, as Lotus's
// StateSearchMsg: the tipset whose parent executed the message, the
// receipt, and its height.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>

#include "fil/base/error.h"
#include "fil/chain/beacon.h"
#include "fil/chain/network.h"
#include "fil/chain/receipt.h"
#include "fil/chain/tipset.h"
#include "fil/node/chain_store.h"
#include "fil/node/gas_estimator.h"
#include "fil/store/blockstore.h"
#include "fil/store/datastore.h"
#include "fil/vm/proof_verifier.h"
#include "fil/vm/vm.h"

namespace fil::node {

struct TipSetState {
  cid::Cid state_root;
  cid::Cid receipts_root;
};
FIL_CBOR_TUPLE(TipSetState, (state_root, "StateRoot"), (receipts_root, "ReceiptsRoot"))

struct MessageLookup {
  cid::Cid message;          // the unsigned message's CID
  chain::MessageReceipt receipt;
  chain::TipSet tipset;      // the first tipset after the one that included it (Lotus MsgLookup.TipSet)
  chain::ChainEpoch height = 0;
};

inline constexpr chain::ChainEpoch kNoLookbackLimit = -1;

class StateManager {
 public:
  StateManager(ChainStore& chain, store::Blockstore& blocks, store::Datastore& metadata,
               const chain::NetworkParams& network, const chain::RandomBeacon& beacon,
               const vm::ProofVerifier* verifier = nullptr);

  [[nodiscard]] Result<TipSetState> tipSetState(const chain::TipSet& ts);

  // The message `cid` (signed or unsigned) executed on the chain ending at
  // `from`, no more than `limit` epochs back (kNoLookbackLimit: any);
  // nullopt when not (yet) executed there.
  [[nodiscard]] Result<std::optional<MessageLookup>> searchMessage(const chain::TipSet& from, const cid::Cid& cid,
                                                                   chain::ChainEpoch limit = kNoLookbackLimit);

  // The unsigned message behind a CID of either form.
  [[nodiscard]] Result<primitives::Message> loadMessage(const cid::Cid& cid) const;

  // Applies `message` to the state after `ts`, at the next epoch, without
  // signature checks and without changing anything (Lotus StateCall). With
  // `sender`, the sender's nonce is taken past its pending messages and its
  // balance less what they may spend (gas estimation).
  [[nodiscard]] Result<vm::ApplyRet> call(primitives::Message message, const chain::TipSet& ts,
                                          const std::optional<SenderAfterPending>& sender = {});

  // StateWaitMsg: blocks until `cid` has been executed on the heaviest
  // chain and `confidence` more epochs have passed on top of the tipset
  // holding its receipt, or until `timeout` (GenericError::kTimeout). A
  // reorg that drops the message makes it wait again.
  [[nodiscard]] Result<MessageLookup> waitMessage(const cid::Cid& cid, uint64_t confidence,
                                                  chain::ChainEpoch limit = kNoLookbackLimit,
                                                  std::chrono::milliseconds timeout = std::chrono::minutes(10));

  const chain::NetworkParams& network() const { return network_; }
  const chain::RandomBeacon& beacon() const { return beacon_; }
  ChainStore& chain() { return chain_; }
  store::Blockstore& blocks() { return blocks_; }

 private:
  [[nodiscard]] Result<TipSetState> execute(const chain::TipSet& ts);

  ChainStore& chain_;
  store::Blockstore& blocks_;
  store::Datastore& metadata_;
  const chain::NetworkParams& network_;
  const chain::RandomBeacon& beacon_;
  const vm::ProofVerifier* verifier_;

  std::mutex mutex_;  // one execution at a time; the cache
  std::map<chain::TipSetKey, TipSetState> cache_;
};

}  // namespace fil::node
