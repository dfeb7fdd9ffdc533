#include "fil/proofs/thread_pool.h"

#include <memory>

namespace fil::proofs {

ThreadPool::ThreadPool(unsigned threads) {
  for (unsigned i = 0; i < std::max(1u, threads); ++i) workers_.emplace_back([this] { run(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::submit(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
}

void ThreadPool::run() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

void ThreadPool::parallelFor(uint64_t count, const std::function<void(uint64_t)>& fn) {
  if (count == 0) return;
  struct State {
    std::atomic<uint64_t> next{0};
    uint64_t done = 0;
    std::mutex mutex;
    std::condition_variable cv;
  };
  auto state = std::make_shared<State>();
  // Helpers hold the state, so one that starts after the work is done finds
  // nothing left and leaves; the caller waits for the work, not the helpers.
  auto worker = [state, count, &fn] {
    for (;;) {
      const uint64_t i = state->next.fetch_add(1);
      if (i >= count) return;
      fn(i);
      std::lock_guard lock(state->mutex);
      if (++state->done == count) state->cv.notify_all();
    }
  };
  const uint64_t helpers = std::min<uint64_t>(count - 1, workers_.size());
  for (uint64_t h = 0; h < helpers; ++h) {
    // A helper must not touch `fn` after the caller returned: it only calls
    // fn for an index it claimed, and the caller waits for every index.
    submit(worker);
  }
  worker();
  std::unique_lock lock(state->mutex);
  state->cv.wait(lock, [&] { return state->done == count; });
}

}  // namespace fil::proofs
