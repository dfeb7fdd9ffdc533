// The virtual machine: applies messages to a state tree, running the
// builtin actors natively, charging gas and splitting fees as Lotus's VM
// does (chain/vm/vm.go: ApplyMessage, ApplyImplicitMessage, send).
//
//   VmOptions opts{.epoch = 10, .base_fee = base_fee, .network = &testDevnetParams(),
//                  .randomness = &rand};
//   FIL_ASSIGN_OR_RETURN(auto vm, Vm::load(blocks, parent_state, opts));
//   FIL_ASSIGN_OR_RETURN(ApplyRet r, vm->applyMessage(signed_message));
//   // r.receipt: exit code, return bytes, gas used; r.gas: burn, tip, refund
//   FIL_ASSIGN_OR_RETURN(cid::Cid root, vm->flush());
//
// A message that fails (an actor error, out of gas) still pays for its gas
// and bumps its sender's nonce; everything else it did is reverted. Errors
// returned (rather than receipts) mean the block cannot be applied at all:
// a malformed message (no gas limit, negative value) or a fatal VM error.
//
// State writes go to a buffer; flush() writes the blocks the new root
// reaches to `store` and returns the root. Same inputs, same root.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "fil/chain/network.h"
#include "fil/chain/randomness.h"
#include "fil/chain/receipt.h"
#include "fil/primitives/message.h"
#include "fil/store/blockstore.h"
#include "fil/vm/buffered_blockstore.h"
#include "fil/vm/gas.h"
#include "fil/vm/proof_verifier.h"
#include "fil/vm/state_tree.h"

namespace fil::vm {

struct VmOptions {
  chain::ChainEpoch epoch = 0;
  TokenAmount base_fee;
  const chain::NetworkParams* network = nullptr;          // required
  const chain::RandomnessSource* randomness = nullptr;    // required for miner methods
  const ProofVerifier* verifier = nullptr;                // null: the real vanilla verifier
};

struct ApplyRet {
  chain::MessageReceipt receipt;
  GasOutputs gas;
  std::string error;  // what failed, when the exit code is not 0
};

// Implicit messages (cron, reward) get this much gas (Lotus: cron
// BlockGasLimit * 10000, reward 1 << 30); their receipts report 0 used.
inline constexpr int64_t kImplicitMessageGasLimit = int64_t{10'000'000'000} * 10000;

class Vm {
 public:
  [[nodiscard]] static Result<std::unique_ptr<Vm>> load(store::Blockstore& store, const cid::Cid& state_root,
                                                        VmOptions options);
  ~Vm();

  // A signed secp256k1 message: the signature is checked first (a bad
  // signature is an error: such a message cannot be in a valid block).
  [[nodiscard]] Result<ApplyRet> applyMessage(const primitives::SignedMessage& message);
  // An unsigned message whose signature was checked elsewhere (BLS messages
  // of a block), `chain_length` its serialized size on chain.
  [[nodiscard]] Result<ApplyRet> applyMessage(const primitives::Message& message, size_t chain_length);
  // A message that pays no gas and skips nonce checks: cron and block
  // rewards (from the system actor), genesis set-up (from other actors).
  [[nodiscard]] Result<ApplyRet> applyImplicitMessage(const primitives::Message& message);

  [[nodiscard]] Result<cid::Cid> flush();

  chain::ChainEpoch epoch() const { return options_.epoch; }
  const VmOptions& options() const { return options_; }
  StateTree& stateTree() { return *tree_; }
  store::Blockstore& store() { return *buffer_; }

  struct CallContext;

 private:
  friend class Invocation;
  Vm(store::Blockstore& base, VmOptions options);
  Result<Bytes> send(CallContext& ctx, ActorId from, ActorType from_type, const Address& to, MethodNum method,
                     BytesView params, const TokenAmount& value);
  Status transfer(ActorId from, ActorId to, const TokenAmount& amount);
  Status credit(ActorId id, const TokenAmount& amount);
  Result<ActorId> createAccountActor(CallContext& ctx, const Address& key_address);
  const ProofVerifier& verifier() const;

  VmOptions options_;
  std::unique_ptr<BufferedBlockstore> buffer_;
  std::unique_ptr<StateTree> tree_;
};

}  // namespace fil::vm
