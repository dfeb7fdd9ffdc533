#include "fil/base/error.h"

#include <cstring>

namespace fil {

std::string_view describe(GenericError e) {
  switch (e) {
    case GenericError::kInvalidArgument: return "invalid argument";
    case GenericError::kOutOfRange: return "out of range";
    case GenericError::kIo: return "I/O error";
    case GenericError::kNotFound: return "not found";
    case GenericError::kAlreadyExists: return "already exists";
    case GenericError::kPermission: return "permission denied";
    case GenericError::kCancelled: return "cancelled";
    case GenericError::kTimeout: return "timed out";
    case GenericError::kInternal: return "internal error";
  }
  return "unknown generic error";
}

Error errnoError(std::string_view what, int errno_value) {
  GenericError kind = GenericError::kIo;
  switch (errno_value) {
    case ENOENT: kind = GenericError::kNotFound; break;
    case EEXIST: kind = GenericError::kAlreadyExists; break;
    case EACCES:
    case EPERM: kind = GenericError::kPermission; break;
    case ETIMEDOUT: kind = GenericError::kTimeout; break;
    case ECANCELED: kind = GenericError::kCancelled; break;
    default: break;
  }
  return Error(kind, std::string(what) + ": " + std::strerror(errno_value));
}

}  // namespace fil
