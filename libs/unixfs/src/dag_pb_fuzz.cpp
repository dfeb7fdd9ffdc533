// Fuzz target: dag-pb and UnixFS decoding. Anything the dag-pb decoder
// accepts must decode again from its canonical re-encoding to the same node;
// the UnixFS message inside must re-encode without loss.
#include <cstdint>
#include <cstdlib>

#include "fil/unixfs/dag_pb.h"
#include "fil/unixfs/unixfs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fil::unixfs;
  const fil::BytesView bytes(data, size);
  auto node = decodePbNode(bytes);
  if (node) {
    auto again = decodePbNode(encodePbNode(*node));
    if (!again || !(*again == *node)) std::abort();
  }
  auto unixfs = decodeUnixfsData(bytes);
  if (unixfs) {
    auto again = decodeUnixfsData(encodeUnixfsData(*unixfs));
    if (!again || !(*again == *unixfs)) std::abort();
  }
  return 0;
}
