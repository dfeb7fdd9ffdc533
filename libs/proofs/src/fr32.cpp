#include "fil/proofs/fr32.h"

#include <cstring>

namespace fil::proofs {

uint64_t paddedPieceSizeFor(uint64_t payload) {
  const uint64_t chunks = (payload + 126) / 127;
  uint64_t padded = 128;
  while (padded < chunks * 128) padded <<= 1;
  return padded;
}

// Node k of a 128-byte block starts at payload bit 254 * k, that is bit
// 8 - 2k of byte 32k - 1 (k = 1..3; node 0 starts at bit 0). Each node takes
// 32 bytes of shifted input, of which the top two bits are outside it.
void fr32Pad(const uint8_t* in, uint8_t* out, size_t chunks) {
  for (size_t c = 0; c < chunks; ++c, in += 127, out += 128) {
    uint8_t buf[128 + 8];
    std::memcpy(buf, in, 127);
    std::memset(buf + 127, 0, sizeof(buf) - 127);
    std::memcpy(out, buf, 32);
    out[31] &= 0x3f;
    for (int k = 1; k < 4; ++k) {
      const uint8_t* src = buf + 32 * k - 1;
      const int shift = 8 - 2 * k;
      uint8_t* dst = out + 32 * k;
      // 64-bit words: each output word is the input word at src + 8i shifted
      // right, with the low bits of the next byte shifted in.
      for (int i = 0; i < 4; ++i) {
        uint64_t lo, hi;
        std::memcpy(&lo, src + 8 * i, 8);
        std::memcpy(&hi, src + 8 * i + 8, 8);
        const uint64_t w = (lo >> shift) | (hi << (64 - shift));
        std::memcpy(dst + 8 * i, &w, 8);
      }
      dst[31] &= 0x3f;
    }
  }
}

void fr32Unpad(const uint8_t* in, uint8_t* out, size_t chunks) {
  for (size_t c = 0; c < chunks; ++c, in += 128, out += 127) {
    // Rebuild the 1016-bit payload: node k contributes 254 bits at 254 * k.
    uint8_t buf[128 + 8] = {};
    for (int k = 0; k < 4; ++k) {
      const uint8_t* node = in + 32 * k;
      const int shift = k == 0 ? 0 : 8 - 2 * k;
      uint8_t* dst = k == 0 ? buf : buf + 32 * k - 1;
      for (int i = 0; i < 32; ++i) {
        uint8_t byte = node[i];
        if (i == 31) byte &= 0x3f;
        const unsigned v = static_cast<unsigned>(byte) << shift;
        dst[i] |= static_cast<uint8_t>(v);
        dst[i + 1] |= static_cast<uint8_t>(v >> 8);
      }
    }
    std::memcpy(out, buf, 127);
  }
}

}  // namespace fil::proofs
