// Precompiled for every test binary: the heavy headers nearly all of them use.
#pragma once
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <spdlog/logger.h>
#include <tl/expected.hpp>
