// Small pieces for writing the stack as C++20 coroutines on one io_context:
// a wake-up signal, a deadline that fires a callback, and co_return forms of
// FIL_TRY. Everything here runs on the io_context's thread only.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "fil/base/error.h"

namespace fil::net {

namespace asio = boost::asio;
template <typename T>
using Awaitable = asio::awaitable<T>;
inline constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

// Returns the error of a Result-valued expression from the enclosing coroutine.
#define FIL_CO_TRY(expr)                                                                   \
  do {                                                                                     \
    auto&& fil_co_try_result_ = (expr);                                                    \
    if (!fil_co_try_result_) {                                                             \
      co_return ::tl::unexpected<::fil::Error>(std::move(fil_co_try_result_).error());     \
    }                                                                                      \
  } while (false)

#define FIL_CO_ASSIGN_OR_RETURN(decl, expr) \
  FIL_CO_ASSIGN_OR_RETURN_IMPL(FIL_CONCAT(fil_co_result_, __COUNTER__), decl, expr)
#define FIL_CO_ASSIGN_OR_RETURN_IMPL(tmp, decl, expr)                   \
  auto tmp = (expr);                                                    \
  if (!tmp) {                                                           \
    co_return ::tl::unexpected<::fil::Error>(std::move(tmp).error());   \
  }                                                                     \
  decl = std::move(*tmp)

// Wakes every coroutine waiting on it. Waiters re-check their condition
// after waking (a wake-up says "something changed", not what). Whoever owns
// a Signal notifies it before destroying it, so no waiter is left behind.
class Signal {
 public:
  Awaitable<void> wait() {
    return asio::async_initiate<const asio::use_awaitable_t<>&, void()>(
        [this](auto handler) {
          asio::any_io_executor executor = asio::get_associated_executor(handler);
          waiters_.push_back(Waiter{std::move(executor), std::move(handler)});
        },
        asio::use_awaitable);
  }
  // Resumes the waiters later, from the executor, never inside this call.
  void notifyAll() {
    if (waiters_.empty()) return;
    auto waiters = std::move(waiters_);
    waiters_.clear();
    for (auto& w : waiters) {
      asio::post(w.executor, [handler = std::move(w.handler)]() mutable { std::move(handler)(); });
    }
  }
  bool hasWaiters() const { return !waiters_.empty(); }

 private:
  struct Waiter {
    asio::any_io_executor executor;
    asio::any_completion_handler<void()> handler;
  };
  std::vector<Waiter> waiters_;
};

// Calls a function once `timeout` after start() unless cancelled, restarted
// or destroyed first. Used to bound an operation by closing what it waits on.
class Deadline {
 public:
  explicit Deadline(const asio::any_io_executor& executor) : timer_(executor) {}
  ~Deadline() { cancel(); }
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  void start(std::chrono::steady_clock::duration timeout, std::function<void()> on_expiry) {
    const uint64_t generation = ++state_->generation;
    state_->on_expiry = std::move(on_expiry);
    timer_.expires_after(timeout);
    timer_.async_wait([state = state_, generation](const boost::system::error_code& ec) {
      // A cancel() after the timer fired but before this ran bumps the generation.
      if (ec || state->generation != generation) return;
      auto f = std::move(state->on_expiry);
      state->on_expiry = nullptr;
      if (f) f();
    });
  }
  void cancel() {
    ++state_->generation;
    state_->on_expiry = nullptr;
    timer_.cancel();
  }

 private:
  struct State {
    uint64_t generation = 0;
    std::function<void()> on_expiry;
  };
  std::shared_ptr<State> state_ = std::make_shared<State>();
  asio::steady_timer timer_;
};

// Waits `d` on the current executor.
inline Awaitable<void> sleepFor(std::chrono::steady_clock::duration d) {
  asio::steady_timer timer(co_await asio::this_coro::executor, d);
  co_await timer.async_wait(kUseTuple);
}

}  // namespace fil::net
