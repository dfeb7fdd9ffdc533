// Shared pieces of lotus-shed's commands. Each command group lives in its
// own <group>_cmd.cpp with a register function called from main.cpp.
#pragma once

#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>

#include "fil/base/error.h"

namespace fil::shed {

// Thrown by a command to end with "ERROR: <message>" on stderr and exit 1.
// Exceptions stay inside the program's entry layer; libraries return Results.
class CommandFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Unwraps a Result or ends the command with its error.
template <typename T>
T check(Result<T> r) {
  if (!r) throw CommandFailure(r.error().message());
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

[[noreturn]] inline void failCommand(const std::string& message) { throw CommandFailure(message); }

// The argument if given, otherwise all of standard input (Lotus's shed
// commands take their input either way).
std::string argumentOrStdin(const std::string& argument, bool given);

void registerEncodingCommands(CLI::App& app);  // base16, base32, base64
void registerKeyInfoCommands(CLI::App& app);   // keyinfo new|info
void registerAddressCommands(CLI::App& app);   // address
void registerCidCommands(CLI::App& app);       // cid
void registerCborCommands(CLI::App& app);      // cbor to-json|from-json
void registerMessageCommands(CLI::App& app);   // msg
void registerCommPCommands(CLI::App& app);     // commp
void registerMineCommands(CLI::App& app);      // devnet-mine
void registerBackupCommands(CLI::App& app);    // backup inspect
void registerCarCommands(CLI::App& app);       // car inspect|create|extract
void registerP2pCommands(CLI::App& app);       // p2p listen|ping|echo

}  // namespace fil::shed
