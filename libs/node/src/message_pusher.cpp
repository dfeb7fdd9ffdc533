#include "fil/node/message_pusher.h"

#include <fmt/format.h>

#include "fil/base/log.h"

namespace fil::node {

std::shared_ptr<std::mutex> MessagePusher::lockFor(const Address& sender) {
  std::lock_guard lock(locks_mutex_);
  auto& m = locks_[sender];
  if (!m) m = std::make_shared<std::mutex>();
  return m;
}

Result<SignedMessage> MessagePusher::push(Message message, const MessageSendSpec& spec) {
  if (message.nonce != 0) {
    return fail(MpoolError::kInvalidMessage,
                fmt::format("MpoolPushMessage expects message nonce to be 0, was {}", message.nonce));
  }
  auto key = chain_.keyAddress(message.from);
  if (!key) return fail(std::move(key).error().withContext("getting key address"));
  auto sender_lock = lockFor(*key);
  std::lock_guard lock(*sender_lock);

  auto estimated = gas_.estimateMessageGas(message, spec);
  if (!estimated) return fail(std::move(estimated).error().withContext("GasEstimateMessageGas error"));
  message = std::move(*estimated);
  if (message.gas_premium > message.gas_fee_cap) {
    return fail(MpoolError::kInvalidMessage, "after estimation, GasPremium is greater than GasFeeCap");
  }
  if (message.from.isId()) {
    log::get("mpool").warn("push from ID address ({}), adjusting to {}", message.from.toString(), key->toString());
    message.from = *key;
  }
  auto state = chain_.senderState(message.from);
  if (!state) return fail(std::move(state).error().withContext("mpool push: getting origin balance"));
  const TokenAmount required = message.value + message.gas_fee_cap * message.gas_limit;
  if (state->balance < required) {
    return fail(MpoolError::kNotEnoughFunds,
                fmt::format("mpool push: not enough funds: {} < {}", primitives::toDecimal(state->balance),
                            primitives::toDecimal(required)));
  }
  FIL_ASSIGN_OR_RETURN(message.nonce, pool_.nextNonce(message.from));
  FIL_ASSIGN_OR_RETURN(auto signature, wallet_.sign(message.from, message.cid().toBytes()));
  SignedMessage signed_message{std::move(message), std::move(signature)};
  auto pushed = pool_.push(signed_message);
  if (!pushed) return fail(std::move(pushed).error().withContext("mpool push: failed to push message"));
  return signed_message;
}

}  // namespace fil::node
