// Byte buffers and views used across the project.
//
// Bytes owns; BytesView borrows and must not outlive what it points into.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fil {

using Bytes = std::vector<uint8_t>;
using BytesView = std::span<const uint8_t>;
using MutableBytesView = std::span<uint8_t>;

template <size_t N>
using ByteArray = std::array<uint8_t, N>;

// Views a string's characters as bytes (no copy).
inline BytesView asBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// Views bytes as characters (no copy).
inline std::string_view asString(BytesView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

inline Bytes toBytes(std::string_view s) { return Bytes(s.begin(), s.end()); }
inline Bytes toBytes(BytesView b) { return Bytes(b.begin(), b.end()); }

inline void append(Bytes& out, BytesView more) { out.insert(out.end(), more.begin(), more.end()); }

inline bool equal(BytesView a, BytesView b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

// Compares in lexicographic byte order, shorter first on a common prefix.
int compare(BytesView a, BytesView b);

// Constant-time comparison for secrets (MACs, tokens).
bool equalConstantTime(BytesView a, BytesView b);

// Big-endian / little-endian fixed-width integers.
void putU32BE(Bytes& out, uint32_t v);
void putU64BE(Bytes& out, uint64_t v);
void putU32LE(Bytes& out, uint32_t v);
void putU64LE(Bytes& out, uint64_t v);
uint32_t readU32BE(const uint8_t* p);
uint64_t readU64BE(const uint8_t* p);
uint32_t readU32LE(const uint8_t* p);
uint64_t readU64LE(const uint8_t* p);

}  // namespace fil
