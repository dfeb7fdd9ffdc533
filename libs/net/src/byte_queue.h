// A FIFO of bytes kept as the chunks they arrived in, so appending and
// consuming never move bytes already queued. view() joins the chunks when a
// caller needs them contiguous (protocol negotiation, short messages).
#pragma once

#include <cstring>
#include <deque>
#include <vector>

#include "fil/base/bytes.h"

namespace fil::net {

class ByteQueue {
 public:
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // All queued bytes, contiguous (joining chunks if there are several).
  BytesView view() const {
    if (chunks_.empty()) return {};
    if (chunks_.size() > 1) join();
    return BytesView(chunks_.front()).subspan(head_);
  }

  void append(BytesView data) {
    if (data.empty()) return;
    // Small pieces share the last chunk rather than each taking an allocation.
    if (!chunks_.empty() && data.size() <= kSmall && chunks_.back().size() + data.size() <= chunks_.back().capacity()) {
      fil::append(chunks_.back(), data);
    } else {
      Bytes chunk;
      if (!spare_.empty() && spare_.back().capacity() >= data.size()) {
        chunk = std::move(spare_.back());  // reused: fresh memory would page-fault
        spare_.pop_back();
      } else {
        chunk.reserve(std::max(data.size(), kSmall));
      }
      fil::append(chunk, data);
      chunks_.push_back(std::move(chunk));
    }
    size_ += data.size();
  }

  // Copies up to out.size() bytes out and consumes them.
  size_t read(MutableBytesView out) {
    size_t copied = 0;
    while (copied < out.size() && !chunks_.empty()) {
      const Bytes& front = chunks_.front();
      const size_t n = std::min(out.size() - copied, front.size() - head_);
      std::memcpy(out.data() + copied, front.data() + head_, n);
      copied += n;
      drop(n);
    }
    return copied;
  }

  void consume(size_t n) {
    while (n > 0 && !chunks_.empty()) {
      const size_t m = std::min(n, chunks_.front().size() - head_);
      drop(m);
      n -= m;
    }
  }

  void clear() {
    chunks_.clear();
    head_ = 0;
    size_ = 0;
  }
  void shrink() {
    if (empty()) std::deque<Bytes>().swap(chunks_);
    spare_.clear();
  }

 private:
  static constexpr size_t kSmall = 4096;
  static constexpr size_t kSpares = 4;

  void drop(size_t n) {
    head_ += n;
    size_ -= n;
    if (head_ == chunks_.front().size()) {
      if (spare_.size() < kSpares) {
        spare_.push_back(std::move(chunks_.front()));
        spare_.back().clear();
      }
      chunks_.pop_front();
      head_ = 0;
    }
  }

  void join() const {
    Bytes all;
    all.reserve(size_);
    for (size_t i = 0; i < chunks_.size(); ++i) {
      fil::append(all, BytesView(chunks_[i]).subspan(i == 0 ? head_ : 0));
    }
    chunks_.clear();
    chunks_.push_back(std::move(all));
    head_ = 0;
  }

  mutable std::deque<Bytes> chunks_;
  std::vector<Bytes> spare_;  // emptied chunks kept for reuse
  mutable size_t head_ = 0;  // consumed bytes of the front chunk
  size_t size_ = 0;
};

}  // namespace fil::net
