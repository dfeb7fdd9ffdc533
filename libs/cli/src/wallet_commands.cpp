// `lotus wallet ...` (Lotus cli/wallet.go).
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "fil/base/base64.h"
#include "fil/base/hex.h"
#include "fil/cli/full_node_commands.h"
#include "fil/vm/actor.h"
#include "full_node_session.h"

namespace fil::cli {
namespace {

using primitives::Address;
using primitives::KeyInfo;

std::string trimSpace(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n\v\f");
  if (first == std::string_view::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n\v\f");
  return std::string(s.substr(first, last - first + 1));
}

// FRC-0102: what `wallet sign` and `verify` sign unless --raw, so that a
// signature of user text can never pass for a message signature.
Bytes frc0102Envelope(const Bytes& message) {
  const std::string prefix = fmt::format("\x19" "Filecoin Signed Message:\n{}", message.size());
  Bytes out(prefix.begin(), prefix.end());
  out.insert(out.end(), message.begin(), message.end());
  return out;
}

// Reads the key text for `wallet import` from stdin as Lotus does: one line,
// typed without echo when stdin is a terminal.
std::string readKeyFromInput(const CliContext& ctx) {
  const bool terminal = ctx.in == &std::cin && isatty(STDIN_FILENO) != 0;
  termios saved{};
  if (terminal) {
    print(ctx, "Enter private key(not display in the terminal): ");
    ctx.out->flush();
    if (tcgetattr(STDIN_FILENO, &saved) == 0) {
      termios quiet = saved;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(*ctx.in, line));
  if (terminal) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    print(ctx, "\n");
  }
  if (!got && line.empty()) failCommand("reading the key from stdin: no input");
  return line;
}

KeyInfo parseKey(const std::string& input, const std::string& format, const std::string& type) {
  if (format == "hex-lotus") return checkAs(primitives::keyInfoFromHex(trimSpace(input)), "decoding hex-lotus key");
  if (format == "json-lotus") return checkAs(primitives::keyInfoFromJson(input), "decoding json-lotus key");
  if (format == "gfc-json") {
    const auto j = nlohmann::json::parse(input, nullptr, false);
    const auto* keys = j.is_object() && j.contains("KeyInfo") ? &j["KeyInfo"] : nullptr;
    if (keys == nullptr || !keys->is_array() || keys->empty() || !(*keys)[0].is_object()) {
      failCommand("failed to parse go-filecoin key: expected {\"KeyInfo\": [{\"PrivateKey\": ..., \"SigType\": ...}]}");
    }
    const auto& key = (*keys)[0];
    if (!key.contains("PrivateKey") || !key["PrivateKey"].is_string()) {
      failCommand("failed to parse go-filecoin key: no base64 PrivateKey");
    }
    KeyInfo ki;
    ki.private_key = checkAs(fromBase64(key["PrivateKey"].get<std::string>()), "failed to parse go-filecoin key");
    const int sig_type = key.contains("SigType") && key["SigType"].is_number_integer() ? key["SigType"].get<int>() : 0;
    switch (sig_type) {
      case 1: ki.type = primitives::kKeyTypeSecp256k1; break;
      case 2: ki.type = primitives::kKeyTypeBls; break;
      case 3: ki.type = primitives::kKeyTypeDelegated; break;
      default: failCommand(fmt::format("unrecognized key type: {}", sig_type));
    }
    return ki;
  }
  if (format == "hex-eth") {
    if (type != primitives::kKeyTypeSecp256k1 && type != primitives::kKeyTypeDelegated) {
      failCommand(fmt::format("--type for hex-eth format must be 'secp256k1' or 'delegated', got: \"{}\"", type));
    }
    std::string hex = trimSpace(input);
    if (hex.starts_with("0x") || hex.starts_with("0X")) hex.erase(0, 2);
    Bytes pk = checkAs(fromHex(hex), "decoding hex private key");
    if (pk.size() != 32) failCommand(fmt::format("expected 32-byte private key, got {} bytes", pk.size()));
    return KeyInfo{type, std::move(pk)};
  }
  failCommand("unrecognized format: " + format);
}

void addNew(CLI::App& wallet, const CliContext& ctx) {
  auto* cmd = wallet.add_subcommand("new", "Generate a new key of the given type");
  auto type = std::make_shared<std::string>();
  cmd->add_option("type", *type, "bls|secp256k1|delegated (default secp256k1)");
  cmd->callback([&ctx, type] {
    FullNodeSession node(ctx);
    const Address a = check(node.api().walletNew(type->empty() ? std::string(primitives::kKeyTypeSecp256k1) : *type));
    outf(ctx, "{}\n", a.toString());
  });
}

void addList(CLI::App& wallet, const CliContext& ctx) {
  struct Flags {
    bool addr_only = false;
    bool id = false;
    bool market = false;
  };
  auto flags = std::make_shared<Flags>();
  auto* cmd = wallet.add_subcommand("list", "List wallet address");
  cmd->add_flag("--addr-only,-a", flags->addr_only, "Only print addresses");
  cmd->add_flag("--id,-i", flags->id, "Output ID addresses");
  cmd->add_flag("--market,-m", flags->market, "Output market balances");
  cmd->callback([&ctx, flags] {
    FullNodeSession node(ctx);
    auto& api = node.api();
    const auto addresses = check(api.walletList());
    // As Lotus: an error means no default key is set.
    const auto default_address = api.walletDefaultAddress();

    TableWriter table({TableWriter::col("Address"), TableWriter::col("ID"), TableWriter::col("Balance"),
                       TableWriter::col("Market(Avail)"), TableWriter::col("Market(Locked)"),
                       TableWriter::col("Nonce"), TableWriter::col("Default"), TableWriter::newLineCol("Error")});
    for (const auto& a : addresses) {
      if (flags->addr_only) {
        outf(ctx, "{}\n", a.toString());
        continue;
      }
      auto actor = api.stateGetActor(a, chain::TipSetKey());
      if (!actor) {
        if (!isActorNotFound(actor.error())) {
          table.write({{"Address", a.toString()}, {"Error", actor.error().message()}});
          continue;
        }
        actor = vm::Actor{};  // not on chain yet: zero balance and nonce
      }
      std::vector<std::pair<std::string, std::string>> row = {
          {"Address", a.toString()}, {"Balance", primitives::formatFil(actor->balance)}, {"Nonce", std::to_string(actor->nonce)}};
      if (default_address && *default_address == a) row.emplace_back("Default", "X");
      if (flags->id) {
        const auto id = api.stateLookupId(a, chain::TipSetKey());
        row.emplace_back("ID", id ? id->toString() : "n/a");
      }
      if (flags->market) {
        if (const auto balance = api.stateMarketBalance(a, chain::TipSetKey())) {
          row.emplace_back("Market(Avail)", primitives::formatFil(balance->escrow - balance->locked));
          row.emplace_back("Market(Locked)", primitives::formatFil(balance->locked));
        }
      }
      table.write(row);
    }
    if (!flags->addr_only) print(ctx, table.flush());
  });
}

void addBalance(CLI::App& wallet, const CliContext& ctx) {
  auto* cmd = wallet.add_subcommand("balance", "Get account balance");
  auto address = std::make_shared<std::string>();
  cmd->add_option("address", *address, "the account (default: the wallet's default address)");
  cmd->callback([&ctx, address] {
    FullNodeSession node(ctx);
    const Address a = address->empty() ? check(node.api().walletDefaultAddress()) : parseAddress(*address);
    const auto balance = check(node.api().walletBalance(a));
    const bool in_sync = node.isSyncDone(ctx.now());
    if (balance == 0 && !in_sync) {
      outf(ctx, "{} (warning: may display 0 if chain sync in progress)\n", primitives::formatFil(balance));
    } else {
      outf(ctx, "{}\n", primitives::formatFil(balance));
    }
  });
}

void addDefault(CLI::App& wallet, const CliContext& ctx) {
  wallet.add_subcommand("default", "Get default wallet address")->callback([&ctx] {
    FullNodeSession node(ctx);
    outf(ctx, "{}\n", check(node.api().walletDefaultAddress()).toString());
  });
  auto* set = wallet.add_subcommand("set-default", "Set default wallet address");
  auto address = std::make_shared<std::string>();
  set->add_option("address", *address, "the new default address")->required();
  set->callback([&ctx, address] {
    FullNodeSession node(ctx);
    const Address a = parseAddress(*address);
    outf(ctx, "Default address set to: {}\n", a.toString());
    check(node.api().walletSetDefault(a));
  });
}

void addExport(CLI::App& wallet, const CliContext& ctx) {
  struct Args {
    std::string address;
    std::string format = "hex-lotus";
  };
  auto args = std::make_shared<Args>();
  auto* cmd = wallet.add_subcommand("export", "export keys");
  cmd->add_option("address", args->address, "the address whose key to export")->required();
  cmd->add_option("--format", args->format,
                  "output format: 'hex-lotus' (hex-encoded JSON KeyInfo), 'json-lotus' (JSON KeyInfo), 'hex-eth' "
                  "(raw 32-byte private key as hex, Ethereum-compatible; secp256k1 and delegated keys only)")
      ->capture_default_str();
  cmd->callback([&ctx, args] {
    FullNodeSession node(ctx);
    const Address a = parseAddress(args->address);
    const KeyInfo key = check(node.api().walletExport(a));
    if (args->format == "hex-lotus") {
      outf(ctx, "{}\n", primitives::keyInfoToHex(key));
    } else if (args->format == "json-lotus") {
      outf(ctx, "{}\n", primitives::keyInfoToJson(key));
    } else if (args->format == "hex-eth") {
      if (key.type != primitives::kKeyTypeSecp256k1 && key.type != primitives::kKeyTypeDelegated) {
        failCommand("hex-eth format requires a secp256k1 or delegated key, got: " + key.type);
      }
      if (key.private_key.size() != 32) {
        failCommand(fmt::format("expected 32-byte private key, got {} bytes", key.private_key.size()));
      }
      outf(ctx, "0x{}\n", toHex(key.private_key));
    } else {
      failCommand("unrecognized format: " + args->format);
    }
  });
}

void addImport(CLI::App& wallet, const CliContext& ctx) {
  struct Args {
    std::string path;
    std::string format = "hex-lotus";
    std::string type = "delegated";
    bool as_default = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = wallet.add_subcommand("import", "import keys");
  cmd->add_option("path", args->path, "file holding the key (read from stdin if omitted or '-')");
  cmd->add_option("--format", args->format,
                  "input format: 'hex-lotus' (hex-encoded JSON KeyInfo), 'json-lotus' (JSON KeyInfo), 'gfc-json' "
                  "(go-filecoin JSON), 'hex-eth' (raw 32-byte private key as hex; key type set via --type)")
      ->capture_default_str();
  cmd->add_option("--type", args->type, "key type for raw private-key formats such as 'hex-eth': 'secp256k1' or 'delegated'")
      ->capture_default_str();
  cmd->add_flag("--as-default", args->as_default, "import the given key as your new default key");
  cmd->callback([&ctx, args] {
    FullNodeSession node(ctx);
    std::string input;
    if (args->path.empty() || args->path == "-") {
      input = readKeyFromInput(ctx);
    } else {
      std::ifstream file(args->path, std::ios::binary);
      if (!file) failCommand("open " + args->path + ": cannot read the file");
      input.assign(std::istreambuf_iterator<char>(file), {});
    }
    const KeyInfo key = parseKey(input, args->format, args->type);
    const Address a = check(node.api().walletImport(key));
    if (args->as_default) checkAs(node.api().walletSetDefault(a), "failed to set default key");
    outf(ctx, "imported key {} successfully!\n", a.toString());
  });
}

void addSignVerify(CLI::App& wallet, const CliContext& ctx) {
  struct Args {
    std::string address;
    std::string message;
    std::string signature;
    bool raw = false;
  };
  auto sign_args = std::make_shared<Args>();
  auto* sign = wallet.add_subcommand("sign", "sign a message");
  sign->add_option("address", sign_args->address, "signing address")->required();
  sign->add_option("hexMessage", sign_args->message, "the message, hex")->required();
  sign->add_flag("--raw", sign_args->raw, "sign raw bytes without FRC-0102 envelope (not recommended)");
  sign->callback([&ctx, sign_args] {
    FullNodeSession node(ctx);
    const Address a = parseAddress(sign_args->address);
    Bytes message = parseHex(sign_args->message, "message");
    if (!sign_args->raw) message = frc0102Envelope(message);
    auto signature = node.api().walletSign(a, message);
    if (!signature) {
      const auto actor = node.api().stateGetActor(a, chain::TipSetKey());
      if (actor && vm::actorTypeOf(actor->code) == vm::ActorType::kMultisig) {
        failCommand(
            "specified signer address is a multisig actor, it doesn’t have keys to sign transactions. To send a "
            "message with a multisig, signers of the multisig need to propose and approve transactions.");
      }
      failCommand("failed to sign message: " + signature.error().message());
    }
    Bytes out{static_cast<uint8_t>(signature->type)};
    out.insert(out.end(), signature->data.begin(), signature->data.end());
    outf(ctx, "{}\n", toHex(out));
  });

  auto verify_args = std::make_shared<Args>();
  auto* verify = wallet.add_subcommand("verify", "verify the signature of a message");
  verify->add_option("address", verify_args->address, "signing address")->required();
  verify->add_option("hexMessage", verify_args->message, "the message, hex")->required();
  verify->add_option("signature", verify_args->signature, "the signature, hex (type byte then data)")->required();
  verify->add_flag("--raw", verify_args->raw, "verify raw bytes without FRC-0102 envelope (not recommended)");
  verify->callback([&ctx, verify_args] {
    FullNodeSession node(ctx);
    const Address a = parseAddress(verify_args->address);
    Bytes message = parseHex(verify_args->message, "message");
    if (!verify_args->raw) message = frc0102Envelope(message);
    const Bytes sig_bytes = parseHex(verify_args->signature, "signature");
    if (sig_bytes.empty()) failCommand("invalid signature bytes (too short)");
    if (sig_bytes[0] < 1 || sig_bytes[0] > 3) failCommand(fmt::format("invalid signature type {}", sig_bytes[0]));
    const primitives::Signature signature{static_cast<primitives::SignatureType>(sig_bytes[0]),
                                          Bytes(sig_bytes.begin() + 1, sig_bytes.end())};
    if (check(node.api().walletVerify(a, message, signature))) {
      print(ctx, "valid\n");
      return;
    }
    print(ctx, "invalid\n");
    failCommand("CLI Verify called with invalid signature");
  });
}

void addDelete(CLI::App& wallet, const CliContext& ctx) {
  auto* cmd = wallet.add_subcommand("delete", "Soft delete an address from the wallet - hard deletion needed for permanent removal");
  auto address = std::make_shared<std::string>();
  cmd->add_option("address", *address, "the address to delete")->required();
  cmd->callback([&ctx, address] {
    FullNodeSession node(ctx);
    const Address a = parseAddress(*address);
    outf(ctx, "Soft deleting address: {}\n", a.toString());
    print(ctx, "Hard deletion of the address in `~/.lotus/keystore` is needed for permanent removal\n");
    check(node.api().walletDelete(a));
  });
}

void addMarket(CLI::App& wallet, const CliContext& ctx) {
  auto* market = wallet.add_subcommand("market", "Interact with market balances");
  market->require_subcommand(1);
  struct Args {
    std::string amount;
    std::string from;
    std::string address;
  };
  auto args = std::make_shared<Args>();
  auto* add = market->add_subcommand("add", "Add funds to the Storage Market Actor");
  add->add_option("amount", args->amount, "amount (FIL)")->required();
  add->add_option("--from,-f", args->from,
                  "Specify address to move funds from, otherwise it will use the default wallet address");
  add->add_option("--address,-a", args->address,
                  "Market address to move funds to (account or miner actor address, defaults to --from address)");
  add->callback([&ctx, args] {
    FullNodeSession node(ctx);
    const auto amount = checkAs(primitives::parseFil(args->amount), "parsing 'amount' argument");
    const Address from = args->from.empty() ? checkAs(node.api().walletDefaultAddress(), "getting default wallet address")
                                            : parseAddress(args->from);
    const Address target = args->address.empty() ? from : parseAddress(args->address);
    outf(ctx, "Submitting Add Balance message for amount {} for address {}\n", primitives::formatFil(amount),
         target.toString());
    const auto message = checkAs(node.api().marketAddBalance(from, target, amount), "add balance error");
    outf(ctx, "AddBalance message cid: {}\n", message.toString());
  });
  addNotBuiltList(*market, {{"withdraw", "Withdraw funds from the Storage Market Actor"}});
}

}  // namespace

void addWalletCommands(CLI::App& app, const CliContext& ctx) {
  auto* wallet = app.add_subcommand("wallet", "Manage wallet");
  wallet->require_subcommand(1);
  addNew(*wallet, ctx);
  addList(*wallet, ctx);
  addBalance(*wallet, ctx);
  addExport(*wallet, ctx);
  addImport(*wallet, ctx);
  addDefault(*wallet, ctx);
  addSignVerify(*wallet, ctx);
  addDelete(*wallet, ctx);
  addMarket(*wallet, ctx);
}

}  // namespace fil::cli
