#include "fil/node/market_funds.h"

#include <fmt/format.h>

#include "fil/codec/cbor.h"
#include "fil/vm/actor.h"
#include "fil/vm/actors/market.h"

namespace fil::node {
namespace {

store::Key reservedKey(const primitives::Address& address) {
  return store::Key("/market/reserved/" + address.toString());
}

Status checkAmount(const primitives::TokenAmount& amount) {
  if (amount < 0) {
    return fail(GenericError::kInvalidArgument, fmt::format("negative amount {}", primitives::toDecimal(amount)));
  }
  return ok();
}

}  // namespace

Result<cid::Cid> MarketFunds::addBalance(const primitives::Address& wallet, const primitives::Address& address,
                                         const primitives::TokenAmount& amount) {
  FIL_TRY(checkAmount(amount));
  primitives::Message m;
  m.from = wallet;
  m.to = primitives::Address::id(vm::kMarketActorId);
  m.value = amount;
  m.method = vm::market::kAddBalance;
  m.params = codec::encode(address);
  FIL_ASSIGN_OR_RETURN(auto signed_message, pusher_.push(std::move(m), {}));
  return signed_message.cid();
}

Result<primitives::TokenAmount> MarketFunds::reserved(const primitives::Address& address) const {
  auto bytes = metadata_.get(reservedKey(address));
  if (!bytes) {
    if (bytes.error().is(store::StoreError::kNotFound)) return primitives::TokenAmount(0);
    return fail(std::move(bytes).error());
  }
  return codec::decode<primitives::TokenAmount>(*bytes);
}

Status MarketFunds::save(const primitives::Address& address, const primitives::TokenAmount& amount) {
  if (amount == 0) return metadata_.remove(reservedKey(address));
  return metadata_.put(reservedKey(address), codec::encode(amount));
}

Result<cid::Cid> MarketFunds::reserve(const primitives::Address& wallet, const primitives::Address& address,
                                      const primitives::TokenAmount& amount) {
  FIL_TRY(checkAmount(amount));
  std::lock_guard lock(mutex_);
  FIL_ASSIGN_OR_RETURN(auto before, reserved(address));
  FIL_ASSIGN_OR_RETURN(auto free, free_escrow_(address));
  const primitives::TokenAmount after = before + amount;
  cid::Cid topped_up;
  if (after > free) {
    // The shortfall is sent before the reservation is saved: a failed send reserves nothing.
    FIL_ASSIGN_OR_RETURN(topped_up, addBalance(wallet, address, after - free));
  }
  FIL_TRY(save(address, after));
  return topped_up;
}

Status MarketFunds::release(const primitives::Address& address, const primitives::TokenAmount& amount) {
  FIL_TRY(checkAmount(amount));
  std::lock_guard lock(mutex_);
  FIL_ASSIGN_OR_RETURN(auto before, reserved(address));
  if (amount > before) {
    return fail(GenericError::kInvalidArgument,
                fmt::format("attempt to release {} attoFIL for {} but only {} is reserved", primitives::toDecimal(amount),
                            address.toString(), primitives::toDecimal(before)));
  }
  return save(address, before - amount);
}

}  // namespace fil::node
