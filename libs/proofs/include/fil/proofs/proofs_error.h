// Errors of the proofs library.
#pragma once

#include <string_view>

#include "fil/base/error.h"

namespace fil::proofs {

enum class ProofsError {
  kInvalidPieceSize = 1,  // a size that is not a valid (padded/unpadded) piece size
  kInvalidCommitment,     // a CID or bytes that are not a Filecoin commitment
  kPieceTooSmall,         // payload below the minimum
  kPiecesDoNotFit,        // pieces exceed the sector
  kUnsupportedProof,      // a registered proof we do not implement
  kInvalidProof,          // a proof that does not verify
  kMalformedProof,        // proof bytes that do not decode
  kCorruptFile,           // a sector/cache/parent-cache file with the wrong size or content
  kMissingFile,           // a sector/cache file that should exist does not
  kFaultySectors,         // PoSt over sectors whose files are missing or corrupt
  kCancelled,             // the caller cancelled the operation
  kInvalidInput,          // other bad arguments (ticket length, ranges...)
  kIo,                    // reading or writing a file failed
};
std::string_view describe(ProofsError e);

}  // namespace fil::proofs

FIL_REGISTER_ERROR(fil::proofs::ProofsError, "proofs");
