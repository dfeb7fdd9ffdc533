#include "fil/codec/cbor_error.h"

namespace fil::codec {

std::string_view describe(CborError e) {
  switch (e) {
    case CborError::kTruncated: return "truncated CBOR";
    case CborError::kWrongType: return "unexpected CBOR type";
    case CborError::kNonCanonical: return "non-canonical CBOR";
    case CborError::kIndefiniteLength: return "indefinite-length CBOR item";
    case CborError::kTooDeep: return "CBOR nested too deeply";
    case CborError::kTooLarge: return "CBOR length too large";
    case CborError::kInvalidUtf8: return "CBOR text is not valid UTF-8";
    case CborError::kUnsupported: return "CBOR item not allowed in DAG-CBOR";
    case CborError::kInvalidCid: return "invalid CID in CBOR";
    case CborError::kTrailingBytes: return "bytes after the CBOR item";
    case CborError::kOutOfRange: return "CBOR integer out of range";
    case CborError::kWrongLength: return "CBOR item has the wrong length";
    case CborError::kInvalidValue: return "invalid value";
  }
  return "unknown CBOR error";
}

}  // namespace fil::codec
