// `lotus send` (Lotus cli/send.go with its services.go PublishMessage):
// estimate gas, then either MpoolPushMessage (the node assigns the nonce and
// signs) or, with --nonce, WalletSignMessage and MpoolPush.
#include "fil/base/hex.h"
#include "fil/cli/full_node_commands.h"
#include "full_node_session.h"

namespace fil::cli {
namespace {

struct SendArgs {
  std::string target;
  std::string amount;
  std::string from;
  std::string gas_premium = "0";
  std::string gas_feecap = "0";
  int64_t gas_limit = 0;
  uint64_t nonce = 0;
  uint64_t method = 0;
  std::string params_hex;
  bool force = false;
};

primitives::TokenAmount parseAttoFil(const std::string& text, const std::string& flag) {
  return checkAs(primitives::parseDecimal(text), "--" + flag + " '" + text + "' is not a whole number of attoFIL");
}

}  // namespace

void addSendCommand(CLI::App& app, const CliContext& ctx) {
  auto args = std::make_shared<SendArgs>();
  auto* cmd = app.add_subcommand("send", "Send funds between accounts");
  cmd->add_option("targetAddress", args->target, "the recipient")->required();
  cmd->add_option("amount", args->amount, "FIL to send: 1, 0.5, \"10 FIL\", \"100 attofil\"")->required();
  cmd->add_option("--from", args->from, "optionally specify the account to send funds from");
  auto* premium = cmd->add_option("--gas-premium", args->gas_premium, "specify gas price to use in AttoFIL")
                      ->capture_default_str();
  auto* feecap =
      cmd->add_option("--gas-feecap", args->gas_feecap, "specify gas fee cap to use in AttoFIL")->capture_default_str();
  auto* limit = cmd->add_option("--gas-limit", args->gas_limit, "specify gas limit")->capture_default_str();
  auto* nonce = cmd->add_option("--nonce", args->nonce, "specify the nonce to use")->capture_default_str();
  cmd->add_option("--method", args->method, "specify method to invoke")->capture_default_str();
  auto* params = cmd->add_option("--params-hex", args->params_hex, "specify invocation parameters in hex");
  auto* force = cmd->add_flag("--force", args->force, "Deprecated: use global 'force-send'");
  cmd->callback([&ctx, args, premium, feecap, limit, nonce, params, force] {
    if (force->count() > 0) print(ctx, "'force' flag is deprecated, use global flag 'force-send'\n");
    FullNodeSession node(ctx);
    auto& api = node.api();

    primitives::Message message;
    auto to = primitives::Address::parse(args->target);
    if (!to) failCommand("failed to parse target address: " + to.error().message());
    message.to = *to;
    message.value = checkAs(primitives::parseFil(args->amount), "failed to parse amount");
    message.from = args->from.empty() ? checkAs(api.walletDefaultAddress(), "failed to get default address")
                                      : parseAddress(args->from);
    if (params->count() > 0) {
      message.params = checkAs(fromHex(args->params_hex), "failed to decode hex params");
    }
    message.method = args->method;
    outf(ctx, "Sending message from: {}\nSending message to: {}\nUsing Method: {}\n", message.from.toString(),
         message.to.toString(), message.method);

    if (premium->count() > 0) message.gas_premium = parseAttoFil(args->gas_premium, "gas-premium");
    if (feecap->count() > 0) message.gas_fee_cap = parseAttoFil(args->gas_feecap, "gas-feecap");
    if (limit->count() > 0) message.gas_limit = args->gas_limit;
    const bool valid_nonce = nonce->count() > 0;
    if (valid_nonce) message.nonce = args->nonce;

    // Lotus estimates the gas fields left at zero, then hands the message
    // to the node (MpoolCheckMessages, which Lotus runs unless forced, is
    // not in this node's API).
    message = checkAs(api.gasEstimateMessageGas(message, std::nullopt, chain::TipSetKey()),
                      "publishing message: estimating gas");
    primitives::SignedMessage signed_message;
    if (valid_nonce) {
      signed_message = checkAs(api.walletSignMessage(message.from, message), "publishing message");
      checkAs(api.mpoolPush(signed_message), "publishing message");
    } else {
      signed_message = checkAs(api.mpoolPushMessage(message, std::nullopt), "publishing message");
    }
    outf(ctx, "{}\n", signed_message.cid().toString());
  });
}

}  // namespace fil::cli
