// Errors of the DAG-CBOR codec. Every rejection says what and where.
#pragma once

#include <string_view>

#include "fil/base/error.h"

namespace fil::codec {

enum class CborError {
  kTruncated = 1,       // input ends inside an item
  kWrongType,           // e.g. a text string where a byte string belongs
  kNonCanonical,        // longer integer/length form than needed, unsorted or duplicate map keys
  kIndefiniteLength,    // DAG-CBOR forbids indefinite-length items
  kTooDeep,             // nesting deeper than the limit
  kTooLarge,            // a length beyond the input or the limit
  kInvalidUtf8,
  kUnsupported,         // simple values, tags other than 42, non-64-bit floats, NaN/Inf
  kInvalidCid,          // tag 42 content is not 0x00 + a CID
  kTrailingBytes,
  kOutOfRange,          // integer does not fit the field's type
  kWrongLength,         // tuple with the wrong number of fields, fixed bytes of the wrong size
  kInvalidValue,        // well-formed CBOR that the type refuses
};
std::string_view describe(CborError e);

}  // namespace fil::codec

FIL_REGISTER_ERROR(fil::codec::CborError, "cbor");
