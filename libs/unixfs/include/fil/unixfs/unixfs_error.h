// Errors of the UnixFS library (dag-pb nodes, UnixFS metadata, import and
// export).
#pragma once

#include <string_view>

#include "fil/base/error.h"

namespace fil::unixfs {

enum class UnixfsError {
  kMalformed = 1,   // bytes that are not a valid dag-pb node / UnixFS message
  kUnsupported,     // a node type or codec this exporter does not handle
  kSizeMismatch,    // sizes recorded in a node disagree with its children
  kTooDeep,         // a DAG deeper than any file import makes
  kInvalidOption,   // import options that cannot produce a valid DAG
};
std::string_view describe(UnixfsError e);

}  // namespace fil::unixfs

FIL_REGISTER_ERROR(fil::unixfs::UnixfsError, "unixfs");
