#include "fil/chain/randomness.h"

#include "fil/crypto/blake2b.h"

namespace fil::chain {

Randomness drawRandomness(BytesView base, DomainSeparationTag tag, ChainEpoch round, BytesView entropy) {
  Bytes input;
  input.reserve(8 + 32 + 8 + entropy.size());
  putU64BE(input, static_cast<uint64_t>(tag));
  append(input, crypto::blake2b256(base));
  putU64BE(input, static_cast<uint64_t>(round));
  append(input, entropy);
  return crypto::blake2b256(input);
}

}  // namespace fil::chain
