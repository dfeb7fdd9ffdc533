// Unsigned varints (LEB128) as multiformats uses them: CIDs, multihash,
// multiaddr, ID addresses, CAR framing, libp2p length prefixes.
//
// Decoding enforces the multiformats rules: at most 9 bytes (values below
// 2^63) and minimal encoding (no trailing 0x80 0x00 padding).
#pragma once

#include <cstdint>

#include "fil/base/bytes.h"
#include "fil/base/encoding_error.h"

namespace fil {

inline constexpr size_t kMaxVarintBytes = 9;

void putUvarint(Bytes& out, uint64_t value);
Bytes encodeUvarint(uint64_t value);
size_t uvarintSize(uint64_t value);

struct DecodedUvarint {
  uint64_t value;
  size_t size;  // bytes consumed
};

// Decodes a varint from the start of `in`. kTruncated when the input ends
// inside the varint (a streaming reader can wait for more bytes then).
[[nodiscard]] Result<DecodedUvarint> decodeUvarint(BytesView in);

// Reads a varint from the front of `in` and advances `in` past it.
[[nodiscard]] Result<uint64_t> readUvarint(BytesView& in);

}  // namespace fil
