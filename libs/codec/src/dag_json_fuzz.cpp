// Fuzz target: the DAG-JSON parser; what parses must survive CBOR and back.
#include <cstdint>
#include <cstdlib>

#include "fil/codec/dag_json.h"
#include "fil/codec/value.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto value = fil::codec::fromDagJson(fil::asString(fil::BytesView(data, size)));
  if (!value) return 0;
  auto again = fil::codec::decode<fil::codec::Value>(fil::codec::encode(*value));
  if (!again || !(*again == *value)) std::abort();
  return 0;
}
