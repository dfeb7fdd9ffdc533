#include "fil/codec/json.h"

namespace fil::codec {

std::string_view describe(JsonError e) {
  switch (e) {
    case JsonError::kWrongType: return "JSON value has the wrong type";
    case JsonError::kInvalidValue: return "invalid JSON value";
    case JsonError::kMissingField: return "JSON field missing";
  }
  return "unknown JSON error";
}

}  // namespace fil::codec
