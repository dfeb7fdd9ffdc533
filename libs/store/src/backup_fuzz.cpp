// Fuzz target: the Lotus backup reader must accept or refuse any bytes
// without crashing; what it accepts must restore into an empty datastore and
// a backup of that datastore must read back with the same keys.
#include <cstdint>
#include <cstdlib>
#include <map>

#include "fil/store/backup.h"
#include "fil/store/memory_datastore.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fil::store;
  BackupReadOptions options;
  options.allow_truncated_log = size > 0 && (data[0] & 1);
  options.max_item_bytes = 1 << 20;
  auto ds = makeMemoryDatastore();
  MemorySource source(fil::BytesView(data, size));
  auto restored = restoreBackup(source, *ds, {}, options);
  if (!restored) {
    if (!*isEmpty(*ds)) std::abort();  // a refused backup restores nothing
    return 0;
  }
  MemorySink out;
  if (!writeBackup(*ds, out)) std::abort();
  size_t keys = 0;
  MemorySource again(out.data());
  auto reread = readBackup(again, [&](const BackupEntry& e) {
    if (*ds->get(Key(e.key)) != e.value) std::abort();
    ++keys;
    return fil::ok();
  });
  if (!reread || reread->log_entries != 0) std::abort();
  return 0;
}
