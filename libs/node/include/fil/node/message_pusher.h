// MpoolPushMessage: fill in the nonce and gas of a message, sign it with the
// wallet and push it into the pool, as one step per sender, so concurrent
// pushes from one sender never take the same nonce (Lotus MpoolAPI with its
// PushLocks).
//
//   MessagePusher pusher(pool, gas, wallet, chain);
//   FIL_ASSIGN_OR_RETURN(SignedMessage sm, pusher.push(msg, MessageSendSpec{}));
#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "fil/base/error.h"
#include "fil/node/gas_estimator.h"
#include "fil/node/mpool.h"
#include "fil/node/wallet.h"

namespace fil::node {

class MessagePusher {
 public:
  MessagePusher(MessagePool& pool, const GasEstimator& gas, const Wallet& wallet, const MpoolChain& chain)
      : pool_(pool), gas_(gas), wallet_(wallet), chain_(chain) {}

  // `message.nonce` must be 0: the pusher assigns it. Refused when the
  // sender cannot pay Value + GasFeeCap x GasLimit.
  [[nodiscard]] Result<SignedMessage> push(Message message, const MessageSendSpec& spec);

 private:
  std::shared_ptr<std::mutex> lockFor(const Address& sender);

  MessagePool& pool_;
  const GasEstimator& gas_;
  const Wallet& wallet_;
  const MpoolChain& chain_;
  std::mutex locks_mutex_;
  std::map<Address, std::shared_ptr<std::mutex>> locks_;
};

}  // namespace fil::node
