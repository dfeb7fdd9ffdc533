// A set of unsigned 64-bit integers (sector numbers, partition indexes) as
// Filecoin stores them: RLE+ bytes (go-bitfield). In memory it is a sorted
// list of disjoint half-open runs, so set algebra is linear in the runs.
//
//   auto faults = BitField::fromIndexes({3, 4, 5, 9});
//   auto recovered = faults.subtract(BitField::fromIndexes({4}));
//   Bytes rle = recovered.encode();        // CBOR carries these bytes
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <utility>
#include <vector>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/codec/cbor.h"

namespace fil::primitives {

// go-bitfield refuses larger encodings: a bitfield of this size already
// expands to megabytes of runs.
inline constexpr size_t kMaxBitFieldBytes = 32 << 10;

class BitField {
 public:
  struct Run {
    uint64_t start;
    uint64_t end;  // exclusive
    friend bool operator==(const Run&, const Run&) = default;
  };

  BitField() = default;
  static BitField fromIndexes(std::vector<uint64_t> indexes);
  static BitField fromIndexes(std::initializer_list<uint64_t> indexes) {
    return fromIndexes(std::vector<uint64_t>(indexes));
  }
  // [start, start + count).
  static BitField range(uint64_t start, uint64_t count);

  // RLE+ decoding, refusing what go-bitfield refuses and any form its
  // encoder would not produce (so that every accepted encoding re-encodes to
  // the same bytes): a wrong version, a trailing zero byte, non-minimal run
  // lengths, runs beyond 2^64, more than kMaxBitFieldBytes.
  [[nodiscard]] static Result<BitField> decode(BytesView rle);
  Bytes encode() const;

  bool has(uint64_t i) const;
  void set(uint64_t i);
  void unset(uint64_t i);
  uint64_t count() const;
  bool empty() const { return runs_.empty(); }
  std::optional<uint64_t> first() const;
  std::optional<uint64_t> last() const;

  BitField unite(const BitField& other) const;
  BitField intersect(const BitField& other) const;
  BitField subtract(const BitField& other) const;
  bool contains(const BitField& other) const;  // other is a subset
  // The members at ranks [skip, skip + count), as go-bitfield's Slice.
  [[nodiscard]] Result<BitField> slice(uint64_t skip, uint64_t count) const;

  // Stops early when `fn` returns false.
  void forEach(const std::function<bool(uint64_t)>& fn) const;
  // Every member; refuses sets over `limit` members rather than allocate.
  [[nodiscard]] Result<std::vector<uint64_t>> indexes(uint64_t limit = 1 << 20) const;

  const std::vector<Run>& runs() const { return runs_; }
  // go-bitfield's JSON: lengths of alternating runs, starting with a run of
  // absent members (0 when the first member is 0).
  std::vector<uint64_t> runLengths() const;
  [[nodiscard]] static Result<BitField> fromRunLengths(const std::vector<uint64_t>& lengths);

  friend bool operator==(const BitField&, const BitField&) = default;

 private:
  explicit BitField(std::vector<Run> runs) : runs_(std::move(runs)) {}
  std::vector<Run> runs_;  // sorted, disjoint, non-adjacent, non-empty
};

}  // namespace fil::primitives

template <>
struct fil::codec::CborCodec<fil::primitives::BitField> {
  static void encode(CborEncoder& e, const primitives::BitField& b) { e.writeBytes(b.encode()); }
  static Status decode(CborDecoder& d, primitives::BitField& out);
};
