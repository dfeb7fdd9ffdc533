// Fuzz target: API info strings (environment variables, repo files) never
// crash the parser; what parses yields a dialable URL and prints back.
#include <cstdint>
#include <cstdlib>

#include "fil/rpc/api_info.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto info = fil::rpc::parseApiInfo(text)) {
    if (!info->dialUrl("v0")) std::abort();
    auto again = fil::rpc::parseApiInfo(info->toString());
    if (!again || again->addr != info->addr || again->token != info->token) std::abort();
  }
  (void)fil::rpc::parseApiInfoMulti(text);
  return 0;
}
