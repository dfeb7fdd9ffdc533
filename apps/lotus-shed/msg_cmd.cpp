// lotus-shed msg <hex|base64>: decode a Message or SignedMessage, print it in
// Lotus's JSON with its CID and, for a signed one, whether the signature
// verifies. Laid out as Lotus's `lotus-shed msg` prints it.
#include <cstdio>

#include <fmt/format.h>

#include "command.h"
#include "fil/base/base64.h"
#include "fil/base/hex.h"
#include "fil/primitives/json.h"
#include "fil/primitives/message.h"

namespace fil::shed {
namespace {

std::string_view signatureTypeName(primitives::SignatureType t) {
  switch (t) {
    case primitives::SignatureType::kSecp256k1: return "secp256k1";
    case primitives::SignatureType::kBls: return "bls";
    case primitives::SignatureType::kDelegated: return "delegated";
  }
  return "unknown";
}

// Hex first (some hex strings are also valid base64), then base64 and base64url.
Result<Bytes> decodeInput(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  if (text.size() > 1 && text[0] == '0' && text[1] == 'x') text = text.substr(2);
  if (auto b = fromHex(text)) return b;
  if (auto b = fromBase64(text)) return b;
  if (auto b = fromBase64(text, Base64Alphabet::kUrl)) return b;
  return fail(GenericError::kInvalidArgument, "message is neither hex nor base64");
}

void printUnsigned(const primitives::Message& m) {
  const Bytes bytes = codec::encode(m);
  fmt::print("Unsigned:\nCID: {}\nHEX: {}\nB64: {}\nJSON: {}\n\n", m.cid().toString(), toHex(bytes), toBase64(bytes),
             codec::toJson(m).dump(2));
  fmt::print("---\nMessage Details:\n");
  const primitives::TokenAmount max_fees = m.gas_fee_cap * m.gas_limit;
  fmt::print("Value: {}\n", primitives::formatFil(m.value));
  fmt::print("Max Fees: {}\n", primitives::formatFil(max_fees));
  fmt::print("Max Total Cost: {}\n", primitives::formatFil(max_fees + m.value));
  fmt::print("Method: {}\n", m.method);
  fmt::print("Params (hex): {}\n", toHex(m.params));
}

}  // namespace

void registerMessageCommands(CLI::App& app) {
  auto* cmd = app.add_subcommand("msg", "decode a message (CBOR in hex or base64) and check its signature");
  cmd->alias("message");
  auto input = std::make_shared<std::string>();
  cmd->add_option("message", *input, "the message's CBOR in hex or base64")->required();
  cmd->callback([input] {
    const Bytes bytes = check(decodeInput(*input));
    if (auto sm = codec::decode<primitives::SignedMessage>(bytes)) {
      fmt::print("Signed:\nCID: {}\nHEX: {}\nB64: {}\nJSON: {}\n\n", sm->cid().toString(), toHex(bytes),
                 toBase64(bytes), codec::toJson(*sm).dump(2));
      fmt::print("---\nSigned Message Details:\n");
      fmt::print("Signature(hex): {}\n", toHex(sm->signature.data));
      fmt::print("Signature(b64): {}\n", toBase64(sm->signature.data));
      fmt::print("Signature type: {} ({})\n", static_cast<int>(sm->signature.type), signatureTypeName(sm->signature.type));
      const auto valid = sm->verify();
      fmt::print("Signature valid: {}\n", valid ? "true" : "false (" + valid.error().message() + ")");
      fmt::print("-------\n");
      printUnsigned(sm->message);
      if (!valid) std::exit(2);  // scripts can tell a bad signature from a good one
      return;
    }
    auto m = codec::decode<primitives::Message>(bytes);
    if (!m) failCommand("not a Message or SignedMessage: " + m.error().message());
    printUnsigned(*m);
  });
}

}  // namespace fil::shed
