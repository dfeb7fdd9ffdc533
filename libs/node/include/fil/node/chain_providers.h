// What the message pool and gas estimation read from the chain, answered
// from the chain store's head and its executed state.
//
//   HeadStateProvider provider(chain_store, state_manager);
//   MessagePool pool(provider, metadata);
//   GasEstimator gas(provider, pool);
#pragma once

#include "fil/node/chain_store.h"
#include "fil/node/gas_estimator.h"
#include "fil/node/mpool.h"
#include "fil/node/state_manager.h"

namespace fil::node {

class HeadStateProvider final : public MpoolChain, public GasChain {
 public:
  HeadStateProvider(ChainStore& chain, StateManager& state) : chain_(chain), state_(state) {}

  // MpoolChain
  Result<SenderState> senderState(const Address& address) const override;
  Result<Address> keyAddress(const Address& address) const override;
  TokenAmount minimumBaseFee() const override;
  int64_t blockGasLimit() const override;
  int64_t onChainMessageGas(size_t size) const override;

  // GasChain
  Result<int64_t> gasUsed(const Message& message, const SenderAfterPending& sender) const override;
  TokenAmount headParentBaseFee() const override;
  Result<std::vector<TipSetGas>> recentGas(size_t count) const override;
  int64_t blockGasTarget() const override;

 private:
  ChainStore& chain_;
  StateManager& state_;
};

}  // namespace fil::node
