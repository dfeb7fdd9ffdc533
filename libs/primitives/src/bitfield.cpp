#include "fil/primitives/bitfield.h"

#include <algorithm>

#include <fmt/format.h>

#include "fil/base/varint.h"
#include "fil/primitives/primitives_error.h"

namespace fil::primitives {
namespace {

// Bits written least significant first within each byte.
class BitWriter {
 public:
  void put(uint64_t value, int bits) {
    for (int i = 0; i < bits; ++i) {
      if (bit_ % 8 == 0) out_.push_back(0);
      if ((value >> i) & 1) out_.back() |= static_cast<uint8_t>(1u << (bit_ % 8));
      ++bit_;
    }
  }
  Bytes finish() {
    while (!out_.empty() && out_.back() == 0) out_.pop_back();
    return std::move(out_);
  }

 private:
  Bytes out_;
  uint64_t bit_ = 0;
};

// Reading past the end yields zeros, as go-bitfield's reader does: the
// stream ends with an implicit run of length zero.
class BitReader {
 public:
  explicit BitReader(BytesView in) : in_(in) {}
  uint64_t get(int bits) {
    uint64_t v = 0;
    for (int i = 0; i < bits; ++i, ++bit_) {
      const uint64_t byte = bit_ / 8;
      if (byte < in_.size() && ((in_[byte] >> (bit_ % 8)) & 1)) v |= uint64_t{1} << i;
    }
    return v;
  }
  bool exhausted() const { return bit_ >= in_.size() * 8; }

 private:
  BytesView in_;
  uint64_t bit_ = 0;
};

Error decodeError(std::string message) { return Error(PrimitivesError::kInvalidPayload, "RLE+: " + std::move(message)); }

std::vector<BitField::Run> normalise(std::vector<BitField::Run> runs) {
  std::sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.start < b.start; });
  std::vector<BitField::Run> out;
  for (const auto& r : runs) {
    if (r.start >= r.end) continue;
    if (!out.empty() && r.start <= out.back().end) {
      out.back().end = std::max(out.back().end, r.end);
    } else {
      out.push_back(r);
    }
  }
  return out;
}

}  // namespace

BitField BitField::fromIndexes(std::vector<uint64_t> indexes) {
  std::sort(indexes.begin(), indexes.end());
  std::vector<Run> runs;
  for (uint64_t i : indexes) {
    if (!runs.empty() && i < runs.back().end) continue;  // duplicate
    if (!runs.empty() && i == runs.back().end && i != UINT64_MAX) {
      runs.back().end = i + 1;
    } else {
      runs.push_back({i, i + 1});
    }
  }
  return BitField(std::move(runs));
}

BitField BitField::range(uint64_t start, uint64_t count) {
  if (count == 0) return {};
  return BitField({{start, start + count}});
}

Bytes BitField::encode() const {
  BitWriter w;
  w.put(0, 2);  // version
  if (runs_.empty()) {
    w.put(0, 1);
    return w.finish();
  }
  const bool starts_set = runs_.front().start == 0;
  w.put(starts_set ? 1 : 0, 1);
  auto put_run = [&](uint64_t length) {
    if (length == 1) {
      w.put(1, 1);
    } else if (length < 16) {
      w.put(2, 2);
      w.put(length, 4);
    } else {
      w.put(0, 2);
      for (uint8_t b : encodeUvarint(length)) w.put(b, 8);
    }
  };
  uint64_t position = 0;
  for (const auto& r : runs_) {
    if (r.start > position) put_run(r.start - position);  // absent members
    put_run(r.end - r.start);
    position = r.end;
  }
  return w.finish();
}

Result<BitField> BitField::decode(BytesView rle) {
  if (rle.size() > kMaxBitFieldBytes) {
    return fail(decodeError(fmt::format("{} bytes, more than the {} allowed", rle.size(), kMaxBitFieldBytes)));
  }
  if (!rle.empty() && rle.back() == 0) return fail(decodeError("not minimally encoded (trailing zero byte)"));
  BitReader r(rle);
  if (r.get(2) != 0) return fail(decodeError("unknown version"));
  bool value = r.get(1) == 1;
  std::vector<Run> runs;
  uint64_t position = 0;
  for (;;) {
    uint64_t length = 0;
    if (r.get(1) == 1) {
      length = 1;
    } else if (r.get(1) == 1) {
      length = r.get(4);
    } else {
      // LEB128 varint, 8 bits per byte from the bit stream.
      uint64_t shift = 0;
      for (int i = 0;; ++i) {
        if (i == 10) return fail(decodeError("run length varint too long"));
        const uint64_t byte = r.get(8);
        if (i == 9 && byte > 1) return fail(decodeError("run length overflows 64 bits"));
        length |= (byte & 0x7f) << shift;
        shift += 7;
        if ((byte & 0x80) == 0) break;
      }
      if (length == 0 && !r.exhausted()) return fail(decodeError("zero-length run before the end"));
    }
    if (length == 0) break;
    if (UINT64_MAX - position < length) return fail(decodeError("runs add up to more than 2^64"));
    if (value) runs.push_back({position, position + length});
    position += length;
    value = !value;
  }
  BitField out(std::move(runs));
  // One spelling per set: anything our (and go-bitfield's) encoder would
  // not have written is refused, so CIDs of state never depend on who wrote it.
  if (!equal(out.encode(), rle)) return fail(decodeError("not in canonical form"));
  return out;
}

bool BitField::has(uint64_t i) const {
  auto it = std::upper_bound(runs_.begin(), runs_.end(), i, [](uint64_t v, const Run& r) { return v < r.start; });
  return it != runs_.begin() && i < std::prev(it)->end;
}

void BitField::set(uint64_t i) { *this = unite(fromIndexes({i})); }
void BitField::unset(uint64_t i) { *this = subtract(fromIndexes({i})); }

uint64_t BitField::count() const {
  uint64_t n = 0;
  for (const auto& r : runs_) n += r.end - r.start;
  return n;
}

std::optional<uint64_t> BitField::first() const {
  if (runs_.empty()) return std::nullopt;
  return runs_.front().start;
}

std::optional<uint64_t> BitField::last() const {
  if (runs_.empty()) return std::nullopt;
  return runs_.back().end - 1;
}

BitField BitField::unite(const BitField& other) const {
  std::vector<Run> all = runs_;
  all.insert(all.end(), other.runs_.begin(), other.runs_.end());
  return BitField(normalise(std::move(all)));
}

BitField BitField::intersect(const BitField& other) const {
  std::vector<Run> out;
  size_t i = 0, j = 0;
  while (i < runs_.size() && j < other.runs_.size()) {
    const uint64_t start = std::max(runs_[i].start, other.runs_[j].start);
    const uint64_t end = std::min(runs_[i].end, other.runs_[j].end);
    if (start < end) out.push_back({start, end});
    if (runs_[i].end < other.runs_[j].end) {
      ++i;
    } else {
      ++j;
    }
  }
  return BitField(normalise(std::move(out)));
}

BitField BitField::subtract(const BitField& other) const {
  std::vector<Run> out;
  size_t j = 0;
  for (Run r : runs_) {
    while (j < other.runs_.size() && other.runs_[j].end <= r.start) ++j;
    size_t k = j;
    while (k < other.runs_.size() && other.runs_[k].start < r.end) {
      if (other.runs_[k].start > r.start) out.push_back({r.start, other.runs_[k].start});
      r.start = std::max(r.start, other.runs_[k].end);
      if (r.start >= r.end) break;
      ++k;
    }
    if (r.start < r.end) out.push_back(r);
  }
  return BitField(normalise(std::move(out)));
}

bool BitField::contains(const BitField& other) const { return other.subtract(*this).empty(); }

Result<BitField> BitField::slice(uint64_t skip, uint64_t count) const {
  std::vector<Run> out;
  uint64_t remaining_skip = skip;
  uint64_t remaining = count;
  for (const auto& r : runs_) {
    if (remaining == 0) break;
    const uint64_t size = r.end - r.start;
    if (remaining_skip >= size) {
      remaining_skip -= size;
      continue;
    }
    const uint64_t start = r.start + remaining_skip;
    const uint64_t take = std::min(remaining, r.end - start);
    out.push_back({start, start + take});
    remaining -= take;
    remaining_skip = 0;
  }
  if (remaining > 0) {
    return fail(PrimitivesError::kInvalidPayload,
                fmt::format("bitfield slice [{}, {}) is beyond its {} members", skip, skip + count, this->count()));
  }
  return BitField(std::move(out));
}

void BitField::forEach(const std::function<bool(uint64_t)>& fn) const {
  for (const auto& r : runs_) {
    for (uint64_t i = r.start; i < r.end; ++i) {
      if (!fn(i)) return;
    }
  }
}

Result<std::vector<uint64_t>> BitField::indexes(uint64_t limit) const {
  const uint64_t n = count();
  if (n > limit) {
    return fail(PrimitivesError::kInvalidPayload, fmt::format("bitfield has {} members, more than {}", n, limit));
  }
  std::vector<uint64_t> out;
  out.reserve(n);
  forEach([&](uint64_t i) {
    out.push_back(i);
    return true;
  });
  return out;
}

std::vector<uint64_t> BitField::runLengths() const {
  std::vector<uint64_t> out;
  uint64_t position = 0;
  for (const auto& r : runs_) {
    out.push_back(r.start - position);
    out.push_back(r.end - r.start);
    position = r.end;
  }
  return out;
}

Result<BitField> BitField::fromRunLengths(const std::vector<uint64_t>& lengths) {
  std::vector<Run> runs;
  uint64_t position = 0;
  for (size_t i = 0; i < lengths.size(); ++i) {
    if (UINT64_MAX - position < lengths[i]) {
      return fail(PrimitivesError::kInvalidPayload, "bitfield run lengths add up to more than 2^64");
    }
    if (i % 2 == 1) runs.push_back({position, position + lengths[i]});
    position += lengths[i];
  }
  return BitField(normalise(std::move(runs)));
}

}  // namespace fil::primitives

namespace fil::codec {

Status CborCodec<primitives::BitField>::decode(CborDecoder& d, primitives::BitField& out) {
  FIL_ASSIGN_OR_RETURN(auto bytes, d.readBytes());
  auto b = primitives::BitField::decode(bytes);
  if (!b) return fail(d.error(CborError::kInvalidValue, b.error().message()));
  out = std::move(*b);
  return ok();
}

}  // namespace fil::codec
