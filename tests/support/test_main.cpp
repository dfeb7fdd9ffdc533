// The main of every unit-test binary: quiet logs unless asked for.
#include <cstdlib>

#include <gtest/gtest.h>

#include "fil/base/log.h"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (std::getenv("GOLOG_LOG_LEVEL") == nullptr) {
    (void)fil::log::configure({.default_level = "error"});
  } else {
    (void)fil::log::configureFromEnv();
  }
  return RUN_ALL_TESTS();
}
