// A growable byte buffer whose new space is left uninitialised: the hot
// paths (decrypting, encrypting) overwrite it at once, so zeroing it first,
// as std::vector does, would be a wasted pass over every byte.
#pragma once

#include <cstring>
#include <memory>

#include "fil/base/bytes.h"

namespace fil::net {

class RawBuffer {
 public:
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  uint8_t* data() { return data_.get(); }
  BytesView view() const { return BytesView(data_.get(), size_); }
  void clear() { size_ = 0; }

  // Appends n bytes of unspecified content and returns where they start.
  uint8_t* extend(size_t n) {
    if (size_ + n > capacity_) {
      const size_t capacity = std::max(size_ + n, capacity_ * 2);
      std::unique_ptr<uint8_t[]> bigger(new uint8_t[capacity]);
      if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_);
      data_ = std::move(bigger);
      capacity_ = capacity;
    }
    uint8_t* at = data_.get() + size_;
    size_ += n;
    return at;
  }
  void shrinkTo(size_t n) { size_ = std::min(size_, n); }

 private:
  std::unique_ptr<uint8_t[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace fil::net
