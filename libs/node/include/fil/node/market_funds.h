// Market escrow funds a node reserves for deals (Lotus's market funds
// manager behind MarketAddBalance, MarketReserveFunds, MarketReleaseFunds
// and MarketGetReserved).
//
//   MarketFunds funds(metadata, pusher, available);
//   FIL_ASSIGN_OR_RETURN(cid::Cid topped_up, funds.reserve(wallet, provider, collateral));
//   ...
//   FIL_TRY(funds.release(provider, collateral));
//
// A reservation claims part of an address's free escrow (Escrow - Locked in
// the market actor). When the reservations outgrow the free escrow, the
// shortfall is added with one AddBalance message from the wallet; its CID is
// returned (undefined when nothing had to be sent). Reservations survive
// restarts (metadata key /market/reserved/<address>).
#pragma once

#include <functional>
#include <mutex>

#include "fil/base/error.h"
#include "fil/cid/cid.h"
#include "fil/node/message_pusher.h"
#include "fil/primitives/address.h"
#include "fil/primitives/big_int.h"
#include "fil/store/datastore.h"

namespace fil::node {

class MarketFunds {
 public:
  // `free_escrow(address)`: Escrow - Locked of the address in the market actor now.
  using FreeEscrow = std::function<Result<primitives::TokenAmount>(const primitives::Address&)>;
  MarketFunds(store::Datastore& metadata, MessagePusher& pusher, FreeEscrow free_escrow)
      : metadata_(metadata), pusher_(pusher), free_escrow_(std::move(free_escrow)) {}

  // Sends AddBalance(`address`) with `amount` from `wallet`.
  [[nodiscard]] Result<cid::Cid> addBalance(const primitives::Address& wallet, const primitives::Address& address,
                                            const primitives::TokenAmount& amount);
  [[nodiscard]] Result<primitives::TokenAmount> reserved(const primitives::Address& address) const;
  [[nodiscard]] Result<cid::Cid> reserve(const primitives::Address& wallet, const primitives::Address& address,
                                         const primitives::TokenAmount& amount);
  // Refused when `amount` is more than is reserved.
  [[nodiscard]] Status release(const primitives::Address& address, const primitives::TokenAmount& amount);

 private:
  [[nodiscard]] Status save(const primitives::Address& address, const primitives::TokenAmount& amount);

  store::Datastore& metadata_;
  MessagePusher& pusher_;
  FreeEscrow free_escrow_;
  mutable std::mutex mutex_;
};

}  // namespace fil::node
