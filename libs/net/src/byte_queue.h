// A FIFO of bytes in one contiguous buffer: appended at the back, consumed
// from the front, compacted when the consumed prefix outgrows what is left.
#pragma once

#include <cstring>

#include "fil/base/bytes.h"

namespace fil::net {

class ByteQueue {
 public:
  size_t size() const { return buffer_.size() - head_; }
  bool empty() const { return size() == 0; }
  BytesView view() const { return BytesView(buffer_).subspan(head_); }

  void append(BytesView data) {
    if (head_ > 0 && head_ >= size()) compact();
    buffer_.insert(buffer_.end(), data.begin(), data.end());
  }

  // Copies up to out.size() bytes out and consumes them.
  size_t read(MutableBytesView out) {
    const size_t n = std::min(out.size(), size());
    if (n > 0) std::memcpy(out.data(), buffer_.data() + head_, n);
    consume(n);
    return n;
  }

  void consume(size_t n) {
    head_ += n;
    if (head_ == buffer_.size()) clear();
  }

  void clear() {
    buffer_.clear();
    head_ = 0;
  }

  // Gives back memory once a burst has been drained.
  void shrink() {
    if (empty()) Bytes().swap(buffer_);
  }

 private:
  void compact() {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
  Bytes buffer_;
  size_t head_ = 0;
};

}  // namespace fil::net
