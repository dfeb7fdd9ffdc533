// Gas: the fixed price list the VM charges and the split of a message's gas
// fee between burn, miner tip and refund (Filecoin's EIP-1559 variant).
//
// Prices are Lotus's "calico" price list (chain/vm/gas.go, pricelistV0 at
// UpgradeCalicoHeight) with Hygge's on-chain message base (38863 + 475000,
// which includes the actor update); the charges for work that FVM prices by
// WASM execution are ours and fixed here (docs/actors.md lists them):
// verifying a vanilla seal proof and a vanilla WindowPoSt. The base fee
// comes from the caller (the parent tipset's; nextBaseFee() in tipset.h
// computes a child's).
#pragma once

#include <cstdint>
#include <string_view>

#include "fil/primitives/big_int.h"
#include "fil/primitives/signature.h"

namespace fil::vm {

using primitives::TokenAmount;

struct GasCharge {
  std::string_view name;
  int64_t compute = 0;
  int64_t storage = 0;
  int64_t total() const { return compute + storage; }
};

class PriceList {
 public:
  static const PriceList& current();

  GasCharge onChainMessage(size_t message_size) const;
  GasCharge onChainReturnValue(size_t return_size) const;
  GasCharge onMethodInvocation(const TokenAmount& value, uint64_t method) const;
  GasCharge onIpldGet() const;
  GasCharge onIpldPut(size_t size) const;
  GasCharge onCreateActor() const;
  GasCharge onDeleteActor() const;
  GasCharge onVerifySignature(primitives::SignatureType type) const;
  GasCharge onHashing(size_t size) const;
  GasCharge onComputeUnsealedSectorCid() const;
  GasCharge onVerifySeal() const;
  GasCharge onVerifyPost(size_t challenged_sectors) const;

  // The constants (public so docs and tests can name them).
  static constexpr int64_t kStorageGasMulti = 1300;
  static constexpr int64_t kOnChainMessageComputeBase = 38863 + 475000;
  static constexpr int64_t kOnChainMessageStorageBase = 36;
  static constexpr int64_t kOnChainMessageStoragePerByte = 1;
  static constexpr int64_t kOnChainReturnValuePerByte = 1;
  static constexpr int64_t kSendBase = 29233;
  static constexpr int64_t kSendTransferFunds = 27500;
  static constexpr int64_t kSendTransferOnlyPremium = 159672;
  static constexpr int64_t kSendInvokeMethod = -5377;
  static constexpr int64_t kIpldGetBase = 114617;
  static constexpr int64_t kIpldPutBase = 353640;
  static constexpr int64_t kIpldPutPerByte = 1;
  static constexpr int64_t kCreateActorCompute = 1108454;
  static constexpr int64_t kCreateActorStorage = 36 + 40;
  static constexpr int64_t kDeleteActor = -(36 + 40);
  static constexpr int64_t kVerifySecp256k1 = 1637292;
  static constexpr int64_t kVerifyBls = 16598605;
  static constexpr int64_t kHashingBase = 31355;
  static constexpr int64_t kComputeUnsealedSectorCidBase = 98647;
  // Ours: a vanilla PoRep check re-derives every challenged label; priced as
  // mainnet's PoRep SNARK verification is in practice (tens of millions).
  static constexpr int64_t kVerifySealVanilla = 42'000'000;
  static constexpr int64_t kVerifyPostFlat = 117680921;
  static constexpr int64_t kVerifyPostPerSector = 43780;
};

// Lotus chain/vm/burn.go.
struct GasOutputs {
  TokenAmount base_fee_burn;
  TokenAmount over_estimation_burn;
  TokenAmount miner_penalty;
  TokenAmount miner_tip;
  TokenAmount refund;
  int64_t gas_refund = 0;
  int64_t gas_burned = 0;
  friend bool operator==(const GasOutputs&, const GasOutputs&) = default;
};

// (refund, burn): the gas of an over-estimated limit that is burned rather
// than refunded (more than 10% over what was used).
std::pair<int64_t, int64_t> computeGasOverestimationBurn(int64_t gas_used, int64_t gas_limit);

GasOutputs computeGasOutputs(int64_t gas_used, int64_t gas_limit, const TokenAmount& base_fee,
                             const TokenAmount& fee_cap, const TokenAmount& premium, bool charge_network_fee = true);

}  // namespace fil::vm
