// The process's libsecp256k1 context, shared by ECDSA and ECVRF (internal).
#pragma once

#include <secp256k1.h>

namespace fil::crypto::detail {

// Created and randomised against side channels once; after that
// libsecp256k1 allows concurrent use.
const secp256k1_context* secp256k1Context();

}  // namespace fil::crypto::detail
