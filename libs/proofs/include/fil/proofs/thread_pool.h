// A fixed pool of worker threads for the CPU-heavy parts of sealing and
// proving, and the cancellation and progress plumbing every phase takes.
//
//   ThreadPool pool(4);
//   pool.parallelFor(chunks, [&](uint64_t i) { hashChunk(i); });
//
// parallelFor runs on the pool's threads and the caller's, and returns when
// every index is done; it may be called from inside a pool task (the caller
// then does what no free worker picks up), so phases can nest.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

namespace fil::proofs {

class ThreadPool {
 public:
  explicit ThreadPool(unsigned threads = std::max(1u, std::thread::hardware_concurrency()));
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  unsigned size() const { return static_cast<unsigned>(workers_.size()); }
  void submit(std::function<void()> task);
  void parallelFor(uint64_t count, const std::function<void(uint64_t)>& fn);

 private:
  void run();
  std::vector<std::thread> workers_;
  std::deque<std::function<void()>> queue_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
};

// Set by whoever wants a running phase to stop; phases poll it between
// chunks of work and return ProofsError::kCancelled.
class CancelToken {
 public:
  void cancel() { cancelled_.store(true); }
  bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> cancelled_{false};
};

// Progress of a phase: (step name, done, total) in the step's own units.
using PhaseProgress = std::function<void(std::string_view step, uint64_t done, uint64_t total)>;

// What a phase gets besides its inputs.
struct JobContext {
  ThreadPool* pool = nullptr;          // required
  const CancelToken* cancel = nullptr;  // optional
  PhaseProgress progress;               // optional
  bool cancelled() const { return cancel != nullptr && cancel->cancelled(); }
  void report(std::string_view step, uint64_t done, uint64_t total) const {
    if (progress) progress(step, done, total);
  }
};

}  // namespace fil::proofs
