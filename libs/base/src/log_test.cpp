#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fil/base/log.h"

namespace fil::log {
namespace {

TEST(Log, PerSubsystemLevels) {
  auto& rpc = get("test-rpc");
  auto& chain = get("test-chain");
  ASSERT_TRUE(setLevel("test-rpc", "debug"));
  ASSERT_TRUE(setLevel("test-chain", "WARN"));
  EXPECT_TRUE(rpc.should_log(spdlog::level::debug));
  EXPECT_FALSE(chain.should_log(spdlog::level::info));
  EXPECT_TRUE(chain.should_log(spdlog::level::warn));
  EXPECT_EQ(&get("test-rpc"), &rpc);  // same logger on every call

  auto names = subsystems();
  EXPECT_NE(std::find(names.begin(), names.end(), "test-rpc"), names.end());
}

TEST(Log, RejectsUnknownLevelAndSubsystem) {
  auto bad_level = setLevel("test-rpc", "loud");
  ASSERT_FALSE(bad_level);
  EXPECT_TRUE(bad_level.error().is(LogError::kUnknownLevel));
  EXPECT_TRUE(setLevel("no-such-subsystem", "info").error().is(LogError::kUnknownSubsystem));
}

TEST(Log, JsonLinesToFile) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("fil-log-test-" + std::to_string(::getpid()) + ".log");
  ASSERT_TRUE(configure({.format = Format::kJson, .file = path.string(), .default_level = "info"}));
  get("test-json").info("hello \"quoted\"\nline");
  get("test-json").debug("not shown");
  get("test-json").flush();
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  const std::string s = text.str();
  EXPECT_NE(s.find(R"("level":"info")"), std::string::npos) << s;
  EXPECT_NE(s.find(R"("logger":"test-json")"), std::string::npos) << s;
  EXPECT_NE(s.find(R"("msg":"hello \"quoted\"\nline")"), std::string::npos) << s;
  EXPECT_EQ(s.find("not shown"), std::string::npos);
  ASSERT_TRUE(configure({}));
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace fil::log
