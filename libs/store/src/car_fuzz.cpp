// Fuzz target: the CAR reader (v1 and v2, with hash verification) must
// accept or refuse any bytes without crashing, and every block it accepts as
// verified must really match its CID.
#include <cstdint>
#include <cstdlib>

#include "fil/store/blockstore.h"
#include "fil/store/car.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fil::store;
  MemorySource source(fil::BytesView(data, size));
  CarReadOptions options;
  options.allow_unverifiable = true;
  auto reader = CarReader::open(source, options);
  if (!reader) return 0;
  for (int i = 0; i < 100000; ++i) {
    auto block = (*reader)->next();
    if (!block || !*block) break;
    if ((*block)->verified && !verifyBlock((*block)->cid, (*block)->data)) std::abort();
  }
  return 0;
}
