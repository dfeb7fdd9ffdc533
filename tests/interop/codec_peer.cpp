// A line-oriented peer for the interop tests: the Node.js side sends one
// request per line and reads one answer per line, so thousands of values
// cross in one process. Answers are "ok <fields...>" or "err <message>".
//
//   cbor <hex>                 decode DAG-CBOR -> "ok <re-encoded hex> <DAG-JSON>"
//   json <DAG-JSON>            parse -> "ok <DAG-CBOR hex> <our DAG-JSON>"
//   cid <text>                 -> "ok <bytes hex> <canonical text>"
//   cidbytes <hex>             -> "ok <canonical text>"
//   cidof <codec> <hash> <hex> -> "ok <cid text>" (hash: sha2-256 | blake2b-256)
//   mb <prefix char> <hex>     -> "ok <multibase text>"
//   mbdecode <text>            -> "ok <hex>"
//   addr <text>                -> "ok <bytes hex> <mainnet text>"
//   addrbytes <hex>            -> "ok <mainnet text>"
//   newaddr <kind> <arg>       -> "ok <mainnet text>" (kind: id <n> | secp256k1|actor|bls <hex> | delegated <ns>:<hex>)
#include <iostream>
#include <sstream>
#include <string>

#include "fil/base/hex.h"
#include "fil/cid/cid.h"
#include "fil/codec/dag_json.h"
#include "fil/codec/value.h"
#include "fil/primitives/address.h"

namespace {

using namespace fil;
using primitives::Address;
using primitives::Network;

std::string rest(std::istringstream& in) {
  std::string s;
  std::getline(in >> std::ws, s);
  return s;
}

template <typename T>
T need(Result<T> r) {
  if (!r) throw std::runtime_error(r.error().message());
  return std::move(*r);
}

std::string handle(const std::string& line) {
  std::istringstream in(line);
  std::string verb;
  in >> verb;
  if (verb == "cbor") {
    const auto value = need(codec::decode<codec::Value>(need(fromHex(rest(in)))));
    return toHex(codec::encode(value)) + " " + codec::toDagJson(value);
  }
  if (verb == "json") {
    const auto value = need(codec::fromDagJson(rest(in)));
    return toHex(codec::encode(value)) + " " + codec::toDagJson(value);
  }
  if (verb == "cid") {
    const auto c = need(cid::Cid::parse(rest(in)));
    return toHex(c.toBytes()) + " " + c.toString();
  }
  if (verb == "cidbytes") return need(cid::Cid::fromBytes(need(fromHex(rest(in))))).toString();
  if (verb == "cidof") {
    uint64_t codec_code = 0;
    std::string hash, hex;
    in >> codec_code >> hash >> hex;
    const auto data = need(fromHex(hex));
    const auto h = hash == "sha2-256" ? cid::HashCode::kSha2_256 : cid::HashCode::kBlake2b256;
    return cid::Cid::compute(static_cast<cid::Codec>(codec_code), data, h).toString();
  }
  if (verb == "mb") {
    std::string prefix, hex;
    in >> prefix >> hex;
    return cid::multibaseEncode(static_cast<cid::Multibase>(prefix.at(0)), need(fromHex(hex)));
  }
  if (verb == "mbdecode") return toHex(need(cid::multibaseDecode(rest(in))).bytes);
  if (verb == "addr") {
    const auto a = need(Address::parse(rest(in)));
    return toHex(a.toBytes()) + " " + a.toString(Network::kMainnet);
  }
  if (verb == "addrbytes") return need(Address::fromBytes(need(fromHex(rest(in))))).toString(Network::kMainnet);
  if (verb == "newaddr") {
    std::string kind, arg;
    in >> kind >> arg;
    Address a;
    if (kind == "id") {
      a = Address::id(std::stoull(arg));
    } else if (kind == "secp256k1") {
      a = need(Address::secp256k1(need(fromHex(arg))));
    } else if (kind == "actor") {
      a = Address::actor(need(fromHex(arg)));
    } else if (kind == "bls") {
      a = need(Address::bls(need(fromHex(arg))));
    } else if (kind == "delegated") {
      const auto colon = arg.find(':');
      a = need(Address::delegated(std::stoull(arg.substr(0, colon)), need(fromHex(arg.substr(colon + 1)))));
    } else {
      throw std::runtime_error("unknown address kind " + kind);
    }
    return a.toString(Network::kMainnet);
  }
  throw std::runtime_error("unknown verb " + verb);
}

}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    try {
      const std::string answer = handle(line);
      std::cout << "ok " << answer << '\n';
    } catch (const std::exception& e) {
      std::string message = e.what();
      for (auto& c : message) {
        if (c == '\n') c = ' ';
      }
      std::cout << "err " << message << '\n';
    }
    std::cout.flush();
  }
  return 0;
}
