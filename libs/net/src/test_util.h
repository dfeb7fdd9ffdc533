// Running coroutine tests on an io_context, and a log sink tests read.
#pragma once

#include <chrono>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <spdlog/sinks/base_sink.h>

#include "async.h"
#include "fil/base/log.h"
#include "fil/net/host.h"

namespace fil::net::testing {

// Assertions that end a coroutine rather than a function.
#define CO_ASSERT_TRUE(cond)                            \
  do {                                                  \
    if (!(cond)) {                                      \
      ADD_FAILURE() << "expected true: " #cond;         \
      co_return;                                        \
    }                                                   \
  } while (false)
#define CO_ASSERT_OK(result)                                                         \
  do {                                                                               \
    const auto& co_assert_result_ = (result);                                        \
    if (!co_assert_result_) {                                                        \
      ADD_FAILURE() << #result " failed: " << co_assert_result_.error().message();   \
      co_return;                                                                     \
    }                                                                                \
  } while (false)

// Runs `body` on `io` until it finishes; fails the test after `limit`.
template <typename Body>
void run(asio::io_context& io, Body body, std::chrono::seconds limit = std::chrono::seconds(30)) {
  bool done = false;
  std::exception_ptr error;
  if (io.stopped()) io.restart();  // it stops whenever it runs out of work
  asio::co_spawn(io, body(), [&](std::exception_ptr e) {
    done = true;
    error = e;
  });
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done && std::chrono::steady_clock::now() < deadline) io.run_one_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(done) << "test coroutine did not finish within " << limit.count() << " s";
  if (error) std::rethrow_exception(error);
}

// Keeps running `io` for `d` (lets background tasks such as identify finish).
inline void runFor(asio::io_context& io, std::chrono::milliseconds d) {
  const auto deadline = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < deadline) io.run_one_for(std::chrono::milliseconds(10));
}

// Collects what the "net" logger writes (at debug level and up) while it
// lives, instead of printing it.
class LogCapture {
 public:
  LogCapture() : sink_(std::make_shared<Sink>()) {
    auto& logger = log::get("net");
    saved_sinks_ = logger.sinks();
    saved_level_ = logger.level();
    logger.sinks().assign(1, sink_);
    logger.set_level(spdlog::level::debug);
  }
  ~LogCapture() {
    auto& logger = log::get("net");
    logger.sinks() = saved_sinks_;
    logger.set_level(saved_level_);
  }
  // Lines at warning level or above that contain `text`.
  size_t warnings(std::string_view text) const {
    std::lock_guard lock(sink_->lines_mutex);
    size_t n = 0;
    for (const auto& [level, line] : sink_->lines) {
      if (level >= spdlog::level::warn && line.find(text) != std::string::npos) ++n;
    }
    return n;
  }
  std::string all() const {
    std::lock_guard lock(sink_->lines_mutex);
    std::string out;
    for (const auto& [level, line] : sink_->lines) out += line + "\n";
    return out;
  }

 private:
  struct Sink : spdlog::sinks::base_sink<std::mutex> {
    void sink_it_(const spdlog::details::log_msg& msg) override {
      std::lock_guard lock(lines_mutex);
      lines.emplace_back(msg.level, std::string(msg.payload.data(), msg.payload.size()));
    }
    void flush_() override {}
    std::mutex lines_mutex;
    std::vector<std::pair<spdlog::level::level_enum, std::string>> lines;
  };
  std::shared_ptr<Sink> sink_;
  std::vector<spdlog::sink_ptr> saved_sinks_;
  spdlog::level::level_enum saved_level_;
};

inline HostConfig loopbackConfig() {
  HostConfig c;
  c.listen_addresses = {"/ip4/127.0.0.1/tcp/0"};
  return c;
}

// The host's first listen address with /p2p/<id> appended.
inline cid::Multiaddr fullAddress(const Host& host) {
  return host.listenAddresses().at(0).encapsulate(
      *cid::Multiaddr::parse("/p2p/" + host.id().toString()));
}

}  // namespace fil::net::testing
