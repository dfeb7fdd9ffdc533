// FR32 padding: every 254 bits of payload become one 32-byte node whose top
// two bits are zero, so that each node is a BLS12-381 field element. Bits
// are taken little-endian (bit 0 of byte 0 first); 127 bytes become 128.
//
//   fr32Pad(in, out, chunks);      // chunks * 127 bytes -> chunks * 128
//   fr32Unpad(out, back, chunks);  // and back
//
// Sizes: a padded piece is a power of two of at least 128 bytes; its
// unpadded ("payload") size is padded * 127 / 128.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fil::proofs {

inline constexpr size_t kFr32UnpaddedChunk = 127;
inline constexpr size_t kFr32PaddedChunk = 128;
inline constexpr size_t kNodeSize = 32;

inline constexpr uint64_t toPaddedSize(uint64_t unpadded) { return unpadded + unpadded / 127; }
inline constexpr uint64_t toUnpaddedSize(uint64_t padded) { return padded - padded / 128; }

// A valid padded piece size: a power of two, at least 128 bytes.
inline constexpr bool isValidPaddedPieceSize(uint64_t padded) {
  return padded >= 128 && (padded & (padded - 1)) == 0;
}
inline constexpr bool isValidUnpaddedPieceSize(uint64_t unpadded) {
  return unpadded % 127 == 0 && isValidPaddedPieceSize(toPaddedSize(unpadded));
}

// The smallest padded piece size (power of two, >= 128) holding `payload`
// bytes once FR32-padded.
uint64_t paddedPieceSizeFor(uint64_t payload);

// Pads `chunks` blocks of 127 bytes into blocks of 128 bytes. `in` and `out`
// must not overlap.
void fr32Pad(const uint8_t* in, uint8_t* out, size_t chunks);
// The inverse; the top two bits of each node are ignored.
void fr32Unpad(const uint8_t* in, uint8_t* out, size_t chunks);

}  // namespace fil::proofs
