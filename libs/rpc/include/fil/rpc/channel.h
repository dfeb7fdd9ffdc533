// A stream of values from a channel-returning API method (ChainNotify,
// SyncIncomingBlocks). The producer pushes and closes; the consumer takes
// values in order. Over WebSocket each value travels as an
// "xrpc.ch.val" notification and the end as "xrpc.ch.close", as
// go-jsonrpc does; in-process both ends share the queue.
//
// Thread-safe. The buffer is bounded: a producer that outpaces a slow
// consumer blocks in push() (or gets false from tryPush), so memory never
// grows without bound; closing wakes everyone.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace fil::rpc {

template <typename T>
class Channel {
 public:
  explicit Channel(size_t capacity = 256) : state_(std::make_shared<State>(capacity)) {}

  // Blocks while the buffer is full. False once the channel is closed (the
  // consumer went away): the producer should stop.
  bool push(T value) const {
    std::unique_lock lock(state_->mutex);
    state_->not_full.wait(lock, [&] { return state_->closed || state_->queue.size() < state_->capacity; });
    if (state_->closed) return false;
    state_->queue.push_back(std::move(value));
    state_->not_empty.notify_one();
    return true;
  }

  // The next value; nullopt when the channel is closed and drained, or when
  // `timeout` passes first (then timedOut() is true).
  std::optional<T> next(std::chrono::milliseconds timeout = std::chrono::hours(24 * 365)) const {
    std::unique_lock lock(state_->mutex);
    state_->timed_out = !state_->not_empty.wait_for(lock, timeout, [&] { return state_->closed || !state_->queue.empty(); });
    if (state_->queue.empty()) return std::nullopt;
    T value = std::move(state_->queue.front());
    state_->queue.pop_front();
    state_->not_full.notify_one();
    return value;
  }

  bool timedOut() const {
    std::lock_guard lock(state_->mutex);
    return state_->timed_out;
  }

  // Ends the stream for both sides. Values already queued can still be taken.
  void close() const {
    std::lock_guard lock(state_->mutex);
    state_->closed = true;
    state_->not_empty.notify_all();
    state_->not_full.notify_all();
  }

  bool closed() const {
    std::lock_guard lock(state_->mutex);
    return state_->closed && state_->queue.empty();
  }

 private:
  struct State {
    explicit State(size_t c) : capacity(c) {}
    std::mutex mutex;
    std::condition_variable not_empty;
    std::condition_variable not_full;
    std::deque<T> queue;
    size_t capacity;
    bool closed = false;
    bool timed_out = false;
  };
  std::shared_ptr<State> state_;
};

template <typename T>
struct IsChannel : std::false_type {};
template <typename T>
struct IsChannel<Channel<T>> : std::true_type {
  using Value = T;
};

}  // namespace fil::rpc
