// Choosing messages for a block from the senders' runs of pending messages,
// the idea of Lotus's selection.go in a smaller form:
//
// 1. Each sender's run (consecutive nonces from its state nonce, each one
//    affordable) ends at the first message whose fee cap is below the base
//    fee: it could not pay for its gas, and those after it depend on it.
// 2. A run is cut into segments whose gas performance (effective premium
//    x gas limit, per unit of gas limit) does not increase along the run:
//    a better paying message merges into the segment before it, because it
//    cannot be included without that one.
// 3. Segments of every sender are taken best performance first while they
//    fit the block's gas limit and message count. A segment that does not
//    fit is trimmed to its longest prefix that does, and that sender gets
//    nothing more (its later messages need the ones left out).
//
// Lotus also optimises for ticket quality and gives priority to local
// senders; we do neither (docs/decisions.md).
#pragma once

#include <cstdint>
#include <vector>

#include "fil/primitives/big_int.h"
#include "fil/primitives/message.h"

namespace fil::node {

struct SenderRun {
  std::vector<primitives::SignedMessage> messages;  // nonces consecutive from the state nonce
};

std::vector<primitives::SignedMessage> selectMessages(std::vector<SenderRun> runs,
                                                      const primitives::TokenAmount& base_fee, int64_t gas_limit,
                                                      size_t max_messages);

}  // namespace fil::node
