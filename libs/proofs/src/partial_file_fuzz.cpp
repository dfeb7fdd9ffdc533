// Fuzz target: the RLE+ trailer of an unsealed (partial) file comes from
// disk. Decoding must never crash; what decodes is a canonical set of
// ranges inside the limit that survives re-encoding.
#include <cstdint>
#include <cstdlib>

#include "fil/proofs/partial_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr uint64_t kLimit = uint64_t{64} << 30;  // a 64 GiB sector
  auto ranges = fil::proofs::decodeRlePlusRanges(fil::BytesView(data, size), kLimit);
  if (!ranges) return 0;
  uint64_t end = 0;
  for (size_t i = 0; i < ranges->size(); ++i) {
    const auto& r = (*ranges)[i];
    if (r.size == 0 || r.end() > kLimit || (i > 0 && r.offset <= end)) std::abort();
    end = r.end();
  }
  auto again = fil::proofs::decodeRlePlusRanges(fil::proofs::encodeRlePlusRanges(*ranges), kLimit);
  if (!again || *again != *ranges) std::abort();
  return 0;
}
