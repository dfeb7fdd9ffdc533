// lotus-shed cbor to-json [hex] | cbor from-json [json]
#include <cstdio>

#include "command.h"
#include "fil/base/hex.h"
#include "fil/codec/dag_json.h"
#include "fil/codec/value.h"

namespace fil::shed {
namespace {

std::string trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

void registerCborCommands(CLI::App& app) {
  auto* cbor = app.add_subcommand("cbor", "convert between DAG-CBOR (hex) and DAG-JSON");
  cbor->require_subcommand(1);

  auto* to_json = cbor->add_subcommand("to-json", "DAG-CBOR hex -> DAG-JSON");
  auto hex_input = std::make_shared<std::string>();
  auto* hex_arg = to_json->add_option("hex", *hex_input, "hex of one DAG-CBOR item (default: standard input)");
  to_json->callback([hex_input, hex_arg] {
    const Bytes bytes = check(fromHex(trim(argumentOrStdin(*hex_input, hex_arg->count() > 0))));
    const auto value = check(codec::decode<codec::Value>(bytes));
    std::printf("%s\n", codec::toDagJson(value).c_str());
  });

  auto* from_json = cbor->add_subcommand("from-json", "DAG-JSON -> DAG-CBOR hex");
  auto json_input = std::make_shared<std::string>();
  auto* json_arg = from_json->add_option("json", *json_input, "DAG-JSON text (default: standard input)");
  from_json->callback([json_input, json_arg] {
    const auto value = check(codec::fromDagJson(argumentOrStdin(*json_input, json_arg->count() > 0)));
    std::printf("%s\n", toHex(codec::encode(value)).c_str());
  });
}

}  // namespace fil::shed
