// Fuzz target: message decoding and the per-message rules a block applies.
// The input is a SignedMessage or a Message. What decodes must re-encode to
// the same bytes (one CID per message), read back from its Lotus JSON, and
// go through the inclusion rules and signature check without crashing; a
// signature that verifies must be over this message's CID by its sender.
#include <cstdint>
#include <cstdlib>

#include "fil/chain/json.h"
#include "fil/chain/network.h"
#include "fil/chain/validation.h"

namespace {

template <typename T>
bool roundTrips(const T& value, fil::BytesView bytes) {
  if (!fil::equal(fil::codec::encode(value), bytes)) return false;
  auto back = fil::codec::fromJson<T>(fil::codec::toJson(value));
  return back && *back == value;
}

void checkRules(const fil::primitives::Message& m, size_t size) {
  const auto& params = fil::chain::devnetParams();
  (void)fil::chain::checkMessageForInclusion(m, fil::chain::messageInclusionGas(size), params);
  (void)m.cid();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const fil::BytesView bytes(data, size);
  if (auto sm = fil::codec::decode<fil::primitives::SignedMessage>(bytes)) {
    if (!roundTrips(*sm, bytes)) std::abort();
    checkRules(sm->message, size);
    (void)sm->cid();
    if (sm->verify()) {
      // A valid signature: flipping the nonce must break it.
      fil::primitives::SignedMessage other = *sm;
      ++other.message.nonce;
      if (other.verify()) std::abort();
    }
  }
  if (auto m = fil::codec::decode<fil::primitives::Message>(bytes)) {
    if (!roundTrips(*m, bytes)) std::abort();
    checkRules(*m, size);
  }
  return 0;
}
