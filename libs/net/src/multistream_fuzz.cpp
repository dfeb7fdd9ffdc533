// Fuzz target: multistream-select message decoding. Whatever decodes must
// re-encode to the same bytes, and decoding never reads past its input.
#include <cstdint>
#include <cstdlib>

#include "multistream.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fil::BytesView in(data, size);
  while (!in.empty()) {
    auto message = fil::net::multistream::decodeMessage(in);
    if (!message || !*message) break;
    if ((*message)->size == 0 || (*message)->size > in.size()) std::abort();
    const fil::Bytes again = fil::net::multistream::encodeMessage((*message)->text);
    if (!fil::equal(again, in.first((*message)->size))) {
      // Only a non-minimal varint could differ, and the decoder refuses those.
      std::abort();
    }
    in = in.subspan((*message)->size);
  }
  return 0;
}
