#include "fil/vm/gas.h"

namespace fil::vm {

const PriceList& PriceList::current() {
  static const PriceList list;
  return list;
}

GasCharge PriceList::onChainMessage(size_t message_size) const {
  return {"OnChainMessage", kOnChainMessageComputeBase,
          (kOnChainMessageStorageBase + kOnChainMessageStoragePerByte * static_cast<int64_t>(message_size)) *
              kStorageGasMulti};
}

GasCharge PriceList::onChainReturnValue(size_t return_size) const {
  return {"OnChainReturnValue", 0, static_cast<int64_t>(return_size) * kOnChainReturnValuePerByte * kStorageGasMulti};
}

GasCharge PriceList::onMethodInvocation(const TokenAmount& value, uint64_t method) const {
  int64_t gas = kSendBase;
  if (value != 0) {
    gas += kSendTransferFunds;
    if (method == 0) gas += kSendTransferOnlyPremium;
  }
  if (method != 0) gas += kSendInvokeMethod;
  return {"OnMethodInvocation", gas, 0};
}

GasCharge PriceList::onIpldGet() const { return {"OnIpldGet", kIpldGetBase, 0}; }

GasCharge PriceList::onIpldPut(size_t size) const {
  return {"OnIpldPut", kIpldPutBase, static_cast<int64_t>(size) * kIpldPutPerByte * kStorageGasMulti};
}

GasCharge PriceList::onCreateActor() const {
  return {"OnCreateActor", kCreateActorCompute, kCreateActorStorage * kStorageGasMulti};
}

GasCharge PriceList::onDeleteActor() const { return {"OnDeleteActor", 0, kDeleteActor * kStorageGasMulti}; }

GasCharge PriceList::onVerifySignature(primitives::SignatureType type) const {
  return {"OnVerifySignature", type == primitives::SignatureType::kBls ? kVerifyBls : kVerifySecp256k1, 0};
}

GasCharge PriceList::onHashing(size_t) const { return {"OnHashing", kHashingBase, 0}; }

GasCharge PriceList::onComputeUnsealedSectorCid() const {
  return {"OnComputeUnsealedSectorCid", kComputeUnsealedSectorCidBase, 0};
}

GasCharge PriceList::onVerifySeal() const { return {"OnVerifySeal", kVerifySealVanilla, 0}; }

GasCharge PriceList::onVerifyPost(size_t challenged_sectors) const {
  return {"OnVerifyPost", kVerifyPostFlat + kVerifyPostPerSector * static_cast<int64_t>(challenged_sectors), 0};
}

std::pair<int64_t, int64_t> computeGasOverestimationBurn(int64_t gas_used, int64_t gas_limit) {
  constexpr int64_t kOveruseNum = 11;
  constexpr int64_t kOveruseDenom = 10;
  if (gas_used == 0) return {0, gas_limit};
  // over = min(gasLimit - 1.1 * gasUsed, gasUsed); burn = (limit - used) * over / used
  int64_t over = gas_limit - (kOveruseNum * gas_used) / kOveruseDenom;
  if (over < 0) return {gas_limit - gas_used, 0};
  if (over > gas_used) over = gas_used;
  // Big integers: (limit - used) * over overflows 64 bits for large limits.
  const primitives::BigInt burn = primitives::BigInt(gas_limit - gas_used) * over / gas_used;
  const int64_t to_burn = burn.convert_to<int64_t>();
  return {gas_limit - gas_used - to_burn, to_burn};
}

GasOutputs computeGasOutputs(int64_t gas_used, int64_t gas_limit, const TokenAmount& base_fee,
                             const TokenAmount& fee_cap, const TokenAmount& premium, bool charge_network_fee) {
  GasOutputs out;
  TokenAmount base_fee_to_pay = base_fee;
  if (base_fee > fee_cap) {
    base_fee_to_pay = fee_cap;
    out.miner_penalty = (base_fee - fee_cap) * gas_used;
  }
  if (charge_network_fee) out.base_fee_burn = base_fee_to_pay * gas_used;
  TokenAmount miner_tip = premium;
  if (base_fee_to_pay + miner_tip > fee_cap) miner_tip = fee_cap - base_fee_to_pay;
  out.miner_tip = miner_tip * gas_limit;
  std::tie(out.gas_refund, out.gas_burned) = computeGasOverestimationBurn(gas_used, gas_limit);
  if (out.gas_burned != 0) {
    out.over_estimation_burn = base_fee_to_pay * out.gas_burned;
    out.miner_penalty += (base_fee - base_fee_to_pay) * out.gas_burned;
  }
  const TokenAmount required = TokenAmount(gas_limit) * fee_cap;
  out.refund = required - out.base_fee_burn - out.miner_tip - out.over_estimation_burn;
  return out;
}

}  // namespace fil::vm
