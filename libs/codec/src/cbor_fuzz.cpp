// Fuzz target: the DAG-CBOR decoder must reject or accept without crashing,
// and anything it accepts must re-encode to exactly the input (canonical
// form is unique) and survive a DAG-JSON round trip.
#include <cstdint>
#include <cstdlib>

#include "fil/codec/dag_json.h"
#include "fil/codec/value.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const fil::BytesView bytes(data, size);
  auto value = fil::codec::decode<fil::codec::Value>(bytes);
  if (!value) return 0;
  if (fil::codec::encode(*value) != fil::toBytes(bytes)) std::abort();
  auto back = fil::codec::fromDagJson(fil::codec::toDagJson(*value));
  if (!back || !(*back == *value)) std::abort();
  return 0;
}
