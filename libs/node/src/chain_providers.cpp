#include "fil/node/chain_providers.h"

#include <set>

#include <fmt/format.h>

#include "fil/vm/gas.h"
#include "fil/vm/state_view.h"

namespace fil::node {
namespace {

Result<vm::StateView> headView(ChainStore& chain, StateManager& state) {
  FIL_ASSIGN_OR_RETURN(auto st, state.tipSetState(chain.heaviest()));
  return vm::StateView::load(state.blocks(), st.state_root);
}

}  // namespace

Result<SenderState> HeadStateProvider::senderState(const Address& address) const {
  FIL_ASSIGN_OR_RETURN(auto view, headView(chain_, state_));
  FIL_ASSIGN_OR_RETURN(auto actor, view.getActor(address));
  if (!actor) return fail(GenericError::kNotFound, fmt::format("actor {} not found", address.toString()));
  const auto type = vm::actorTypeOf(actor->code);
  return SenderState{actor->nonce, actor->balance, type == vm::ActorType::kAccount};
}

Result<Address> HeadStateProvider::keyAddress(const Address& address) const {
  if (address.protocol() == primitives::AddressProtocol::kSecp256k1) return address;
  FIL_ASSIGN_OR_RETURN(auto view, headView(chain_, state_));
  return view.accountKey(address);
}

TokenAmount HeadStateProvider::minimumBaseFee() const { return state_.network().minimum_base_fee; }
int64_t HeadStateProvider::blockGasLimit() const { return state_.network().block_gas_limit; }
int64_t HeadStateProvider::blockGasTarget() const { return state_.network().block_gas_target; }

int64_t HeadStateProvider::onChainMessageGas(size_t size) const {
  return vm::PriceList::current().onChainMessage(size).total();
}

Result<int64_t> HeadStateProvider::gasUsed(const Message& message, const SenderAfterPending& sender) const {
  FIL_ASSIGN_OR_RETURN(auto r, state_.call(message, chain_.heaviest(), sender));
  if (r.receipt.exit_code != chain::ExitCode::kOk) {
    return fail(GenericError::kInvalidArgument,
                fmt::format("message execution failed: exit {}, reason: {}", static_cast<int64_t>(r.receipt.exit_code),
                            r.error));
  }
  return r.receipt.gas_used;
}

TokenAmount HeadStateProvider::headParentBaseFee() const { return chain_.heaviest().parentBaseFee(); }

Result<std::vector<TipSetGas>> HeadStateProvider::recentGas(size_t count) const {
  std::vector<TipSetGas> out;
  chain::TipSet ts = chain_.heaviest();
  for (size_t i = 0; i < count && ts.height() > 0; ++i) {
    FIL_ASSIGN_OR_RETURN(auto parent, chain_.parentOf(ts));
    TipSetGas gas{parent.blocks().size(), {}};
    std::set<cid::Cid> seen;
    for (const auto& c : parent.cids()) {
      FIL_ASSIGN_OR_RETURN(auto block, chain_.getFullBlock(c));
      for (const auto& m : block.bls_messages) {
        if (seen.insert(m.cid()).second) gas.messages.push_back({m.gas_premium, m.gas_limit});
      }
      for (const auto& sm : block.secpk_messages) {
        if (seen.insert(sm.message.cid()).second) gas.messages.push_back({sm.message.gas_premium, sm.message.gas_limit});
      }
    }
    out.push_back(std::move(gas));
    ts = std::move(parent);
  }
  return out;
}

}  // namespace fil::node
