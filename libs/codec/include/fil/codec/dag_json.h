// DAG-JSON (IPLD codec 0x0129) for generic values.
//
// Bytes are {"/":{"bytes":"<base64, standard alphabet, unpadded>"}}, CIDs
// {"/":"<cid>"}, map keys sorted bytewise, no whitespace. Parsing refuses
// duplicate keys, a "/" link or bytes form whose CID or base64 is invalid,
// and numbers out of the CBOR range; other maps with a "/" key are ordinary
// maps (as @ipld/dag-json reads them).
#pragma once

#include <string>
#include <string_view>

#include "fil/base/error.h"
#include "fil/codec/value.h"

namespace fil::codec {

enum class DagJsonError { kSyntax = 1, kInvalidValue, kDuplicateKey, kTooDeep };
std::string_view describe(DagJsonError e);

}  // namespace fil::codec

FIL_REGISTER_ERROR(fil::codec::DagJsonError, "dag-json");

namespace fil::codec {

std::string toDagJson(const Value& value);
[[nodiscard]] Result<Value> fromDagJson(std::string_view text, size_t max_depth = 64);

}  // namespace fil::codec
