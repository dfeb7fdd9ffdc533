// Test helper: named golden values from a tests/vectors file, one
// "name value [comment...]" per line, '#' starting a comment line.
#pragma once

#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#include "fil/testing/paths.h"

namespace fil::store::testing {

inline std::map<std::string, std::string> readNamedVectors(const std::string& relative) {
  std::map<std::string, std::string> out;
  std::istringstream in(fil::testing::readSourceFile(relative));
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string name, value;
    if (fields >> name >> value) out[name] = value;
  }
  return out;
}

// The value named `name`; throws (failing the test) if the file lacks it.
inline std::string vector(const std::map<std::string, std::string>& vectors, const std::string& name) {
  auto it = vectors.find(name);
  if (it == vectors.end()) throw std::runtime_error("no vector named " + name);
  return it->second;
}

}  // namespace fil::store::testing
