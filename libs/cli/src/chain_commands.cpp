// `lotus chain ...` (Lotus cli/chain.go).
#include <cmath>

#include "fil/base/hex.h"
#include "fil/chain/network.h"
#include "fil/cli/full_node_commands.h"
#include "full_node_session.h"

namespace fil::cli {
namespace {

// Go's %0.2f, which prints NaN and infinities as "NaN", "+Inf", "-Inf".
std::string goFixed2(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{:.2f}", v);
}

void addHead(CLI::App& chain, const CliContext& ctx) {
  auto* cmd = chain.add_subcommand("head", "Print chain head");
  auto height = std::make_shared<bool>(false);
  cmd->add_flag("--height", *height, "print just the epoch number of the chain head");
  cmd->callback([&ctx, height] {
    FullNodeSession node(ctx);
    const auto head = check(node.api().chainHead());
    if (*height) {
      outf(ctx, "{}\n", head.height());
      return;
    }
    for (const auto& c : head.cids()) outf(ctx, "{}\n", c.toString());
  });
}

void addGetBlock(CLI::App& chain, const CliContext& ctx) {
  auto* cmd = chain.add_subcommand("get-block", "Get a block and print its details");
  cmd->alias("getblock");
  struct Args {
    std::string cid;
    bool raw = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("blockCid", args->cid, "the block")->required();
  cmd->add_flag("--raw", args->raw, "print just the raw block header");
  cmd->callback([&ctx, args] {
    FullNodeSession node(ctx);
    auto& api = node.api();
    const cid::Cid block = parseCid(args->cid);
    const auto header = checkAs(api.chainGetBlock(block), "get block failed");
    if (args->raw) {
      outf(ctx, "{}\n", jsonIndent(header));
      return;
    }
    const auto messages = checkAs(api.chainGetBlockMessages(block), "failed to get messages");
    const auto parent_messages = checkAs(api.chainGetParentMessages(block), "failed to get parent messages");
    // Lotus only warns when the receipts cannot be read, and prints null.
    const auto receipts = api.chainGetParentReceipts(block);
    codec::Json out = codec::toJson(header);
    out["BlsMessages"] = codec::toJson(messages.bls_messages);
    out["SecpkMessages"] = codec::toJson(messages.secpk_messages);
    out["ParentReceipts"] = receipts ? codec::toJson(*receipts) : codec::Json(nullptr);
    std::vector<cid::Cid> parent_cids;
    for (const auto& m : parent_messages) parent_cids.push_back(m.cid);
    out["ParentMessages"] = codec::toJson(parent_cids);
    outf(ctx, "{}\n", out.dump(2));
  });
}

void addReadObj(CLI::App& chain, const CliContext& ctx) {
  auto* cmd = chain.add_subcommand("read-obj", "Read the raw bytes of an object");
  auto object = std::make_shared<std::string>();
  cmd->add_option("objectCid", *object, "the object")->required();
  cmd->callback([&ctx, object] {
    FullNodeSession node(ctx);
    outf(ctx, "{}\n", toHex(check(node.api().chainReadObj(parseCid(*object)))));
  });
}

void addGetMessage(CLI::App& chain, const CliContext& ctx) {
  auto* cmd = chain.add_subcommand("getmessage", "Get and print a message by its cid");
  cmd->alias("get-message");
  cmd->alias("get-msg");
  auto message = std::make_shared<std::string>();
  cmd->add_option("messageCid", *message, "the message")->required();
  cmd->callback([&ctx, message] {
    FullNodeSession node(ctx);
    const auto c = parseCid(*message);
    const Bytes bytes = checkAs(node.api().chainReadObj(c), "failed to read object");
    // As Lotus: the object is an unsigned message, or else a signed one.
    if (auto unsigned_message = codec::decode<primitives::Message>(bytes)) {
      outf(ctx, "{}\n", jsonIndent(*unsigned_message));
      return;
    }
    const auto signed_message =
        checkAs(codec::decode<primitives::SignedMessage>(bytes), "failed to decode object as a message");
    outf(ctx, "{}\n", jsonIndent(signed_message));
  });
}

void printGasStats(const CliContext& ctx, api::FullNodeApi& api, const std::vector<chain::TipSet>& oldest_first) {
  // The CLI cannot ask the node for it; every network of ours has Lotus's
  // 10 billion block gas limit.
  const int64_t block_gas_limit = chain::devnetParams().block_gas_limit;
  for (size_t i = 0; i < oldest_first.size(); ++i) {
    const auto& ts = oldest_first[i];
    const auto& base_fee = ts.blocks().front().parent_base_fee;
    outf(ctx, "{}: {} blocks (baseFee: {} -> maxFee: {})\n", ts.height(), ts.blocks().size(),
         primitives::toDecimal(base_fee), primitives::formatFil(base_fee * block_gas_limit));
    for (const auto& b : ts.blocks()) {
      const auto messages = check(api.chainGetBlockMessages(b.cid()));
      int64_t limit_sum = 0;
      primitives::BigInt premium_sum = 0;
      for (const auto& m : messages.bls_messages) {
        limit_sum += m.gas_limit;
        premium_sum += m.gas_premium;
      }
      for (const auto& m : messages.secpk_messages) {
        limit_sum += m.message.gas_limit;
        premium_sum += m.message.gas_premium;
      }
      const size_t count = messages.bls_messages.size() + messages.secpk_messages.size();
      const primitives::BigInt avg_premium = count > 0 ? primitives::BigInt(premium_sum / count) : primitives::BigInt(0);
      outf(ctx, "\t{}: \t{} msgs, gasLimit: {} / {} ({}%), avgPremium: {}\n", b.miner.toString(), count, limit_sum,
           block_gas_limit,
           goFixed2(100 * static_cast<double>(limit_sum) / static_cast<double>(block_gas_limit)),
           primitives::toDecimal(avg_premium));
    }
    if (i + 1 < oldest_first.size()) {
      const auto child = oldest_first[i + 1].blocks().front().cid();
      const auto messages = check(api.chainGetParentMessages(child));
      int64_t limit_sum = 0;
      for (const auto& m : messages) limit_sum += m.message.gas_limit;
      const auto receipts = check(api.chainGetParentReceipts(child));
      int64_t gas_used = 0;
      for (const auto& r : receipts) gas_used += r.gas_used;
      const double efficiency = 100 * static_cast<double>(gas_used) / static_cast<double>(limit_sum);
      const double capacity = 100 * static_cast<double>(limit_sum) / static_cast<double>(block_gas_limit);
      outf(ctx, "\ttipset: \t{} msgs, {} ({}%) / {} ({}%)\n", messages.size(), gas_used, goFixed2(efficiency),
           limit_sum, goFixed2(capacity));
    }
    print(ctx, "\n");
  }
}

void addList(CLI::App& chain, const CliContext& ctx) {
  auto* cmd = chain.add_subcommand("list", "View a segment of the chain");
  cmd->alias("love");
  struct Args {
    uint64_t height = 0;
    int count = 30;
    std::string format = "<epoch>: (<time>) <blocks>";
    bool gas_stats = false;
  };
  auto args = std::make_shared<Args>();
  auto* height = cmd->add_option("--epoch,--height", args->height, "the newest epoch to list (default: current head)");
  cmd->add_option("--count", args->count, "how many tipsets to list")->capture_default_str();
  cmd->add_option("--format", args->format,
                  "specify the format to print out tipsets using placeholders: <epoch>, <time>, <blocks>, <weight>, "
                  "<tipset>, <json_tipset>")
      ->capture_default_str();
  cmd->add_flag("--gas-stats", args->gas_stats, "view gas statistics for the chain");
  cmd->callback([&ctx, args, height] {
    FullNodeSession node(ctx);
    auto& api = node.api();
    auto head = height->count() > 0
                    ? check(api.chainGetTipSetByHeight(static_cast<chain::ChainEpoch>(args->height), chain::TipSetKey()))
                    : check(api.chainHead());
    if (args->count < 1) return;
    std::vector<chain::TipSet> newest_first{head};
    for (int i = 1; i < args->count && head.height() != 0; ++i) {
      head = check(api.chainGetTipSet(head.parents()));
      newest_first.push_back(head);
    }
    const std::vector<chain::TipSet> oldest_first(newest_first.rbegin(), newest_first.rend());
    if (args->gas_stats) {
      printGasStats(ctx, api, oldest_first);
      return;
    }
    for (const auto& ts : oldest_first) outf(ctx, "{}\n", formatTipSet(args->format, ts));
  });
}

}  // namespace

void addChainCommands(CLI::App& app, const CliContext& ctx) {
  auto* chain = app.add_subcommand("chain", "Interact with filecoin blockchain");
  chain->require_subcommand(1);
  addHead(*chain, ctx);
  addGetBlock(*chain, ctx);
  addReadObj(*chain, ctx);
  addNotBuiltList(*chain, {{"delete-obj", "Delete an object from the chain blockstore"},
                           {"stat-obj", "Collect size and ipld link counts for objs"}});
  addGetMessage(*chain, ctx);
  addNotBuiltList(*chain, {{"sethead", "manually set the local nodes head tipset (Caution: normally only used for recovery)"}});
  addList(*chain, ctx);
  addNotBuiltList(*chain, {{"get", "Get chain DAG node by path"},
                           {"bisect", "bisect chain for an event"},
                           {"export", "export chain to a car file"},
                           {"export-range", "export chain to a car file"},
                           {"slash-consensus", "Report consensus fault"},
                           {"gas-price", "Estimate gas prices"},
                           {"inspect-usage", "Inspect block space usage of a given tipset"},
                           {"decode", "decode various types"},
                           {"encode", "encode various types"},
                           {"disputer", "interact with the window post disputer"},
                           {"prune", "splitstore gc"}});
}

}  // namespace fil::cli
