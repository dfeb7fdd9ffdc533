// A Datastore held in memory, for tests and scratch work. Snapshots and
// queries share the current map and copy it on the next write (copy on
// write), so they are cheap to take and never see later writes.
#pragma once

#include <memory>

#include "fil/store/datastore.h"

namespace fil::store {

std::unique_ptr<Datastore> makeMemoryDatastore();

}  // namespace fil::store
