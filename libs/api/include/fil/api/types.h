// Small value types shared by the API method tables.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "fil/codec/reflect.h"

namespace fil::api {

// Lotus's api.Version: major << 16 | minor << 8 | patch.
constexpr uint32_t apiVersion(uint8_t major, uint8_t minor, uint8_t patch) {
  return (uint32_t{major} << 16) | (uint32_t{minor} << 8) | patch;
}
inline constexpr uint32_t kFullApiVersion0 = apiVersion(1, 5, 0);
inline constexpr uint32_t kFullApiVersion1 = apiVersion(2, 3, 0);
inline constexpr uint32_t kMinerApiVersion0 = apiVersion(1, 5, 0);

struct ApiVersion {
  std::string version;      // "1.23.3+filstack"
  uint32_t api_version = 0;
  uint64_t block_delay = 0;  // seconds
  friend bool operator==(const ApiVersion&, const ApiVersion&) = default;
};
FIL_CBOR_MAP(ApiVersion, (version, "Version"), (api_version, "APIVersion"), (block_delay, "BlockDelay"))

// A point in time, as Go's time.Time marshals to JSON (RFC 3339, nanoseconds).
struct Timestamp {
  std::chrono::system_clock::time_point time;
  friend bool operator==(const Timestamp&, const Timestamp&) = default;
};

// Go's struct{}: the value type of notification-only channels (Closing).
struct Empty {
  friend bool operator==(const Empty&, const Empty&) = default;
};

struct AlertType {
  std::string system;
  std::string subsystem;
};
FIL_CBOR_MAP(AlertType, (system, "System"), (subsystem, "Subsystem"))

struct Alert {
  AlertType type;
  bool active = false;
};
FIL_CBOR_MAP(Alert, (type, "Type"), (active, "Active"))

// A JSON document passed through as is (the OpenRPC description, Lotus's
// ReturnDec and ExecutionTrace); empty text is JSON null.
struct JsonDocument {
  std::string text;
  friend bool operator==(const JsonDocument&, const JsonDocument&) = default;
};

}  // namespace fil::api
