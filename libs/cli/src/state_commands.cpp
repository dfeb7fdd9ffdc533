// `lotus state [--tipset T] ...` (Lotus cli/state.go, cli/clicommands/state.go
// and the miner-info of cli/spcli/info.go).
#include <algorithm>
#include <charconv>
#include <map>

#include "fil/base/hex.h"
#include "fil/cid/multiaddr.h"
#include "fil/cli/full_node_commands.h"
#include "fil/config/values.h"
#include "fil/vm/actor.h"
#include "full_node_session.h"

namespace fil::cli {
namespace {

using primitives::Address;
using TipSetFlag = std::shared_ptr<std::string>;

// Lotus's buildconstants.MessageConfidence.
constexpr uint64_t kMessageConfidence = 5;
// Lotus's api.LookbackNoLimit.
constexpr chain::ChainEpoch kLookbackNoLimit = -1;
// Our actors keep builtin-actors v12's code CIDs (fil/vm/actor.h), which
// Lotus names "fil/12/<name>".
constexpr int kActorsVersion = 12;

std::string actorNameByCode(const cid::Cid& code) {
  const auto type = vm::actorTypeOf(code);
  if (!type) return "<unknown>";
  return fmt::format("fil/{}/{}", kActorsVersion, vm::actorTypeName(*type));
}

// One-address command: `lotus state NAME ADDRESS`.
CLI::App* addressCommand(CLI::App& state, const std::string& name, const std::string& description,
                         const std::string& arg, std::shared_ptr<std::string> address) {
  auto* cmd = state.add_subcommand(name, description);
  cmd->add_option(arg, *address, arg)->required();
  return cmd;
}

void addPower(CLI::App& state, const CliContext& ctx, TipSetFlag tipset) {
  auto miner = std::make_shared<std::string>();
  auto* cmd = state.add_subcommand("power", "Query network or miner power");
  cmd->add_option("minerAddress", *miner, "minerAddress (optional)");
  cmd->callback([&ctx, tipset, miner] {
    FullNodeSession node(ctx);
    auto& api = node.api();
    const auto ts = node.loadTipSet(*tipset);
    Address maddr;
    if (!miner->empty()) {
      maddr = parseAddress(*miner);
      const auto actor = check(api.stateGetActor(maddr, ts.key()));
      if (vm::actorTypeOf(actor.code) != vm::ActorType::kMiner) {
        failCommand("provided address does not correspond to a miner actor");
      }
    }
    const auto power = check(api.stateMinerPower(maddr, ts.key()));
    const auto& total = power.total_power.quality_adj_power;
    if (!miner->empty()) {
      const auto& mine = power.miner_power.quality_adj_power;
      outf(ctx, "{}({}) / {}({}) ~= {:.4f}%\n", primitives::toDecimal(mine), sizeStr(mine),
           primitives::toDecimal(total), sizeStr(total), percentOf(mine, total));
    } else {
      outf(ctx, "{}({})\n", primitives::toDecimal(total), sizeStr(total));
    }
  });
}

void addListMiners(CLI::App& state, const CliContext& ctx, TipSetFlag tipset) {
  auto sort_by = std::make_shared<std::string>();
  auto* cmd = state.add_subcommand("list-miners", "list all miners in the network");
  cmd->add_option("--sort-by", *sort_by, "criteria to sort miners by (none, num-deals)");
  cmd->callback([&ctx, tipset, sort_by] {
    FullNodeSession node(ctx);
    auto& api = node.api();
    const auto ts = node.loadTipSet(*tipset);
    auto miners = check(api.stateListMiners(ts.key()));
    if (*sort_by == "num-deals") {
      // Deals that made it into a sector, per provider (Lotus's getDealsCounts).
      std::map<Address, int> counts;
      for (const auto& [id, deal] : check(api.stateMarketDeals(chain::TipSetKey()))) {
        if (deal.state.sector_start_epoch != -1) ++counts[deal.proposal.provider];
      }
      std::stable_sort(miners.begin(), miners.end(),
                       [&](const Address& a, const Address& b) { return counts[a] > counts[b]; });
      for (size_t i = 0; i < 50 && i < miners.size(); ++i) {
        outf(ctx, "{} {}\n", miners[i].toString(), counts[miners[i]]);
      }
      return;
    }
    if (!sort_by->empty() && *sort_by != "none") failCommand("unrecognized sorting order");
    for (const auto& m : miners) outf(ctx, "{}\n", m.toString());
  });
}

void addGetActor(CLI::App& state, const CliContext& ctx, TipSetFlag tipset) {
  auto address = std::make_shared<std::string>();
  auto* cmd = addressCommand(state, "get-actor", "Print actor information", "actorAddress", address);
  cmd->callback([&ctx, tipset, address] {
    FullNodeSession node(ctx);
    const Address a = parseAddress(*address);
    const auto ts = node.loadTipSet(*tipset);
    const auto actor = check(node.api().stateGetActor(a, ts.key()));
    outf(ctx, "Address:\t{}\n", a.toString());
    outf(ctx, "Balance:\t{}\n", primitives::formatFil(actor.balance));
    outf(ctx, "Nonce:\t\t{}\n", actor.nonce);
    outf(ctx, "Code:\t\t{} ({})\n", actor.code.toString(), actorNameByCode(actor.code));
    outf(ctx, "Head:\t\t{}\n", actor.head.toString());
    if (actor.delegated_address) outf(ctx, "Delegated address:\t\t{}\n", actor.delegated_address->toString());
  });
}

void addLookup(CLI::App& state, const CliContext& ctx, TipSetFlag tipset) {
  auto address = std::make_shared<std::string>();
  auto reverse = std::make_shared<bool>(false);
  auto* cmd = addressCommand(state, "lookup", "Find corresponding ID address", "address", address);
  cmd->add_flag("--reverse,-r", *reverse, "Perform reverse lookup");
  cmd->callback([&ctx, tipset, address, reverse] {
    FullNodeSession node(ctx);
    const Address a = parseAddress(*address);
    const auto ts = node.loadTipSet(*tipset);
    const Address found = *reverse ? check(node.api().stateAccountKey(a, ts.key()))
                                   : check(node.api().stateLookupId(a, ts.key()));
    outf(ctx, "{}\n", found.toString());
  });
}

void addSectorSize(CLI::App& state, const CliContext& ctx, TipSetFlag tipset) {
  auto miner = std::make_shared<std::string>();
  auto* cmd = addressCommand(state, "sector-size", "Look up miners sector size", "minerAddress", miner);
  cmd->callback([&ctx, tipset, miner] {
    FullNodeSession node(ctx);
    const Address a = parseAddress(*miner);
    const auto ts = node.loadTipSet(*tipset);
    const auto info = check(node.api().stateMinerInfo(a, ts.key()));
    outf(ctx, "{} ({})\n", sizeStr(info.sector_size), info.sector_size);
  });
}

void addGetDeal(CLI::App& state, const CliContext& ctx, TipSetFlag tipset) {
  auto deal = std::make_shared<std::string>();
  auto* cmd = state.add_subcommand("get-deal", "View on-chain deal info");
  cmd->add_option("dealId", *deal, "the deal ID")->required();
  cmd->callback([&ctx, tipset, deal] {
    FullNodeSession node(ctx);
    uint64_t id = 0;
    const auto [end, ec] = std::from_chars(deal->data(), deal->data() + deal->size(), id);
    if (ec != std::errc() || end != deal->data() + deal->size()) {
      failCommand("parsing deal ID: '" + *deal + "' is not a deal number");
    }
    const auto ts = node.loadTipSet(*tipset);
    outf(ctx, "{}\n", jsonIndent(check(node.api().stateMarketStorageDeal(id, ts.key()))));
  });
}

// Lotus's printMsg: where the message was executed and its receipt. (The
// "Decoded return value" line needs each actor method's return type, which
// the CLI does not have.)
void printMsgLookup(const CliContext& ctx, const cid::Cid& asked, const api::MsgLookup& lookup) {
  if (lookup.message != asked) outf(ctx, "Message was replaced: {}\n", lookup.message.toString());
  outf(ctx, "Executed in tipset: {}\n", cidList(lookup.tipset.cids()));
  outf(ctx, "Exit Code: {}\n", static_cast<int64_t>(lookup.receipt.exit_code));
  outf(ctx, "Gas Used: {}\n", lookup.receipt.gas_used);
  outf(ctx, "Return: {}\n", toHex(lookup.receipt.return_value));
  if (lookup.receipt.events_root) outf(ctx, "Events Root: {}\n", lookup.receipt.events_root->toString());
}

void addWaitSearch(CLI::App& state, const CliContext& ctx) {
  struct Args {
    std::string message;
    std::string timeout = "10m";
  };
  auto wait_args = std::make_shared<Args>();
  auto* wait = state.add_subcommand("wait-msg", "Wait for a message to appear on chain");
  wait->alias("wait-message");
  wait->add_option("messageCid", wait_args->message, "the message")->required();
  wait->add_option("--timeout", wait_args->timeout, "how long to wait (Go duration)")->capture_default_str();
  wait->callback([&ctx, wait_args] {
    const auto timeout = checkAs(config::parseDuration(wait_args->timeout), "--timeout");
    if (timeout.value <= std::chrono::nanoseconds::zero()) failCommand("--timeout must be positive");
    const auto message = parseCid(wait_args->message);
    rpc::ClientOptions options;
    options.call_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(timeout.value);
    FullNodeSession node(ctx, options);
    auto lookup = node.api().stateWaitMsg(message, kMessageConfidence, kLookbackNoLimit, true);
    if (!lookup && lookup.error().is(rpc::RpcError::kTimeout)) {
      failCommand(fmt::format("timed out after {} waiting for message {}", wait_args->timeout, message.toString()));
    }
    printMsgLookup(ctx, message, check(std::move(lookup)));
  });

  auto search_message = std::make_shared<std::string>();
  auto* search = state.add_subcommand("search-msg", "Search to see whether a message has appeared on chain");
  search->alias("search-message");
  search->add_option("messageCid", *search_message, "the message")->required();
  search->callback([&ctx, search_message] {
    FullNodeSession node(ctx);
    const auto message = parseCid(*search_message);
    const auto lookup = check(node.api().stateSearchMsg(chain::TipSetKey(), message, kLookbackNoLimit, true));
    if (!lookup) failCommand("failed to find message: " + message.toString());
    printMsgLookup(ctx, message, *lookup);
  });
}

void addMinerInfo(CLI::App& state, const CliContext& ctx, TipSetFlag tipset) {
  auto miner = std::make_shared<std::string>();
  auto* cmd = addressCommand(state, "miner-info", "Retrieve miner information", "minerAddress", miner);
  cmd->callback([&ctx, tipset, miner] {
    FullNodeSession node(ctx);
    auto& api = node.api();
    const auto ts = node.loadTipSet(*tipset);
    const Address a = parseAddress(*miner);
    const auto info = check(api.stateMinerInfo(a, ts.key()));
    const auto available =
        checkAs(api.stateMinerAvailableBalance(a, ts.key()), "getting miner available balance");
    outf(ctx, "Available Balance: {}\n", primitives::formatFil(available));
    outf(ctx, "Owner:\t{}\n", info.owner.toString());
    outf(ctx, "Worker:\t{}\n", info.worker.toString());
    for (size_t i = 0; i < info.control_addresses.size(); ++i) {
      outf(ctx, "Control {}: \t{}\n", i, info.control_addresses[i].toString());
    }
    if (info.beneficiary.defined()) {
      outf(ctx, "Beneficiary:\t{}\n", info.beneficiary.toString());
      if (info.beneficiary != info.owner && info.beneficiary_term) {
        outf(ctx, "Beneficiary Quota:\t{}\n", primitives::toDecimal(info.beneficiary_term->quota));
        outf(ctx, "Beneficiary Used Quota:\t{}\n", primitives::toDecimal(info.beneficiary_term->used_quota));
        outf(ctx, "Beneficiary Expiration:\t{}\n", info.beneficiary_term->expiration);
      }
    }
    if (const auto& pending = info.pending_beneficiary_term) {
      print(ctx, "Pending Beneficiary Term:\n");
      outf(ctx, "New Beneficiary:\t{}\n", pending->new_beneficiary.toString());
      outf(ctx, "New Quota:\t{}\n", primitives::toDecimal(pending->new_quota));
      outf(ctx, "New Expiration:\t{}\n", pending->new_expiration);
      outf(ctx, "Approved By Beneficiary:\t{}\n", pending->approved_by_beneficiary);
      outf(ctx, "Approved By Nominee:\t{}\n", pending->approved_by_nominee);
    }
    outf(ctx, "PeerID:\t{}\n", info.peer_id ? info.peer_id->toString() : "<nil>");
    print(ctx, "Multiaddrs:\t");
    for (const auto& bytes : info.multiaddrs) {
      const auto ma = checkAs(cid::Multiaddr::fromBytes(bytes), "undecodable listen address");
      outf(ctx, "{} ", ma.toString());
    }
    print(ctx, "\n");
    outf(ctx, "Consensus Fault End:\t{}\n", info.consensus_fault_elapsed);
    outf(ctx, "SectorSize:\t{} ({})\n", sizeStr(info.sector_size), info.sector_size);
    const auto power = check(api.stateMinerPower(a, ts.key()));
    outf(ctx, "Byte Power:   {} / {} ({:.4f}%)\n", sizeStr(power.miner_power.raw_byte_power),
         sizeStr(power.total_power.raw_byte_power),
         percentOf(power.miner_power.raw_byte_power, power.total_power.raw_byte_power));
    outf(ctx, "Actual Power: {} / {} ({:.4f}%)\n", deciStr(power.miner_power.quality_adj_power),
         deciStr(power.total_power.quality_adj_power),
         percentOf(power.miner_power.quality_adj_power, power.total_power.quality_adj_power));
    print(ctx, "\n");
    const auto deadline = checkAs(api.stateMinerProvingDeadline(a, ts.key()), "getting miner info");
    outf(ctx, "Proving Period Start:\t{}\n",
         epochTime(deadline.current_epoch, deadline.period_start, node.blockDelay()));
  });
}

void addMarket(CLI::App& state, const CliContext& ctx, TipSetFlag tipset) {
  auto* market = state.add_subcommand("market", "Inspect the storage market actor");
  market->require_subcommand(1);
  auto address = std::make_shared<std::string>();
  auto* balance = addressCommand(*market, "balance", "Get the market balance (locked and escrowed) for a given account",
                                 "address", address);
  balance->callback([&ctx, tipset, address] {
    FullNodeSession node(ctx);
    const auto ts = node.loadTipSet(*tipset);
    const Address a = parseAddress(*address);
    const auto b = check(node.api().stateMarketBalance(a, ts.key()));
    outf(ctx, "Escrow: {}\n", primitives::formatFil(b.escrow));
    outf(ctx, "Locked: {}\n", primitives::formatFil(b.locked));
  });
  addNotBuiltList(*market, {{"proposal-pending", "check if a given proposal CID is pending in the market actor"}});
}

void addNetworkVersion(CLI::App& state, const CliContext& ctx, TipSetFlag tipset) {
  state.add_subcommand("network-version", "Returns the network version")->callback([&ctx, tipset] {
    FullNodeSession node(ctx);
    const auto ts = node.loadTipSet(*tipset);
    outf(ctx, "Network Version: {}\n", check(node.api().stateNetworkVersion(ts.key())));
  });
}

void addProvingDeadline(CLI::App& state, const CliContext& ctx, TipSetFlag tipset) {
  auto miner = std::make_shared<std::string>();
  auto* cmd = addressCommand(state, "miner-proving-deadline",
                             "Retrieve information about a given miner's proving deadline", "minerAddress", miner);
  cmd->callback([&ctx, tipset, miner] {
    FullNodeSession node(ctx);
    const Address a = parseAddress(*miner);
    const auto ts = node.loadTipSet(*tipset);
    const auto d = checkAs(node.api().stateMinerProvingDeadline(a, ts.key()), "getting miner info");
    outf(ctx, "Period Start:\t{}\n", d.period_start);
    outf(ctx, "Index:\t\t{}\n", d.index);
    outf(ctx, "Open:\t\t{}\n", d.open);
    outf(ctx, "Close:\t\t{}\n", d.close);
    outf(ctx, "Challenge:\t{}\n", d.challenge);
    outf(ctx, "FaultCutoff:\t{}\n", d.fault_cutoff);
  });
}

}  // namespace

void addStateCommands(CLI::App& app, const CliContext& ctx) {
  auto* state = app.add_subcommand("state", "Interact with and query filecoin chain state");
  state->require_subcommand(1);
  auto tipset = std::make_shared<std::string>();
  state->add_option("--tipset", *tipset,
                    "specify tipset to call method on (pass comma separated array of cids, or @<height>)");
  addPower(*state, ctx, tipset);
  addNotBuiltList(*state, {{"sectors", "Query the active sector set of a miner (use --all for the full sector set)"},
                           {"list-actors", "list all actors in the network"}});
  addListMiners(*state, ctx, tipset);
  addNotBuiltList(*state, {{"circulating-supply", "Get the exact current circulating supply of Filecoin"},
                           {"sector", "Get miner sector info"}});
  addGetActor(*state, ctx, tipset);
  addLookup(*state, ctx, tipset);
  addNotBuiltList(*state, {{"replay", "Replay a particular message"}});
  addSectorSize(*state, ctx, tipset);
  addNotBuiltList(*state, {{"read-state", "View a json representation of an actors state"},
                           {"list-messages", "list messages on chain matching given criteria"},
                           {"compute-state", "Perform state computations"},
                           {"call", "Invoke a method on an actor locally"}});
  addGetDeal(*state, ctx, tipset);
  addWaitSearch(*state, ctx);
  addMinerInfo(*state, ctx, tipset);
  addMarket(*state, ctx, tipset);
  addNotBuiltList(*state, {{"exec-trace", "Get the execution trace of a given message"}});
  addNetworkVersion(*state, ctx, tipset);
  addProvingDeadline(*state, ctx, tipset);
  addNotBuiltList(*state, {{"actor-cids", "Returns the built-in actor bundle manifest ID & system actor cids"}});
  // `lotus state power --tipset X` reads as `lotus state --tipset X power`.
  for (auto* sub : state->get_subcommands({})) sub->fallthrough();
}

}  // namespace fil::cli
