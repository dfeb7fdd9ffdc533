// A stream of values from a channel-returning API method (ChainNotify,
// SyncIncomingBlocks). The producer pushes and closes; the consumer either
// takes values in order with next() or, as the RPC server does, attaches a
// sink that receives each value as it is pushed. Over WebSocket each value
// travels as an "xrpc.ch.val" notification and the end as "xrpc.ch.close",
// as go-jsonrpc does.
//
// Thread-safe. The queue is bounded: a producer that outpaces a slow
// consumer blocks in push(), so memory never grows without bound. A sink
// that returns false (its connection is gone or too far behind) closes the
// channel; push() then returns false and the producer should stop.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>

namespace fil::rpc {

template <typename T>
class Channel {
 public:
  using Sink = std::function<bool(T&&)>;
  using OnClose = std::function<void()>;

  explicit Channel(size_t capacity = 256) : state_(std::make_shared<State>(capacity)) {}

  // Delivers `value`; blocks while a queue without a sink is full. False
  // once the channel is closed.
  bool push(T value) const {
    std::unique_lock lock(state_->mutex);
    for (;;) {
      if (state_->closed) return false;
      if (state_->sink && !state_->draining) {
        auto sink = state_->sink;
        lock.unlock();  // the sink may take its own locks
        if (sink(std::move(value))) return true;
        close();
        return false;
      }
      if (!state_->draining && state_->queue.size() < state_->capacity) {
        state_->queue.push_back(std::move(value));
        state_->not_empty.notify_one();
        return true;
      }
      state_->not_full.wait(lock);
    }
  }

  // Queues `value` without blocking; false when the queue is full or the
  // channel closed (an I/O thread must never wait on a slow consumer).
  // With a sink attached (the server's, which never blocks), the value goes
  // to the sink as push() would send it.
  bool tryPush(T value) const {
    std::unique_lock lock(state_->mutex);
    if (state_->closed) return false;
    if (state_->sink && !state_->draining) {
      auto sink = state_->sink;
      lock.unlock();
      if (sink(std::move(value))) return true;
      close();
      return false;
    }
    if (state_->queue.size() >= state_->capacity) return false;
    state_->queue.push_back(std::move(value));
    state_->not_empty.notify_one();
    return true;
  }

  // The next value; nullopt when the channel is closed and drained, or when
  // `timeout` passes first.
  std::optional<T> next(std::chrono::milliseconds timeout = std::chrono::hours(24 * 365)) const {
    std::unique_lock lock(state_->mutex);
    state_->not_empty.wait_for(lock, timeout, [&] { return state_->closed || !state_->queue.empty(); });
    if (state_->queue.empty()) return std::nullopt;
    T value = std::move(state_->queue.front());
    state_->queue.pop_front();
    state_->not_full.notify_one();
    return value;
  }

  // Hands every value (those queued first, in order) to `sink` from now on,
  // and calls `on_close` once when the channel closes (at once if it has).
  void setSink(Sink sink, OnClose on_close) const {
    std::unique_lock lock(state_->mutex);
    state_->on_close = std::move(on_close);
    // Drain what is queued before producers may call the sink directly, so
    // values keep their order; producers wait while draining.
    state_->draining = true;
    while (!state_->queue.empty()) {
      std::deque<T> queued;
      queued.swap(state_->queue);
      lock.unlock();
      for (auto& v : queued) {
        if (!sink(std::move(v))) {
          close();
          return;
        }
      }
      lock.lock();
    }
    state_->sink = std::move(sink);
    state_->draining = false;
    const bool closed = state_->closed;
    lock.unlock();
    state_->not_full.notify_all();
    if (closed) fireOnClose();
  }

  // Ends the stream for both sides. Values already queued can still be taken.
  void close() const {
    {
      std::lock_guard lock(state_->mutex);
      if (state_->closed) return;
      state_->closed = true;
    }
    state_->not_empty.notify_all();
    state_->not_full.notify_all();
    fireOnClose();
  }

  bool isClosed() const {
    std::lock_guard lock(state_->mutex);
    return state_->closed;
  }

 private:
  void fireOnClose() const {
    OnClose callback;
    {
      std::lock_guard lock(state_->mutex);
      callback.swap(state_->on_close);
    }
    if (callback) callback();
  }

  struct State {
    explicit State(size_t c) : capacity(c) {}
    std::mutex mutex;
    std::condition_variable not_empty;
    std::condition_variable not_full;
    std::deque<T> queue;
    size_t capacity;
    bool closed = false;
    bool draining = false;
    Sink sink;
    OnClose on_close;
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
