// `lotus sync status|wait`, `lotus net id` and `lotus info` (Lotus
// cli/sync.go, cli/net.go, cli/info.go).
#include "fil/cli/full_node_commands.h"
#include "full_node_session.h"

namespace fil::cli {
namespace {

using std::chrono::seconds;

int64_t unixSeconds(TimePoint t) {
  return std::chrono::duration_cast<seconds>(t.time_since_epoch()).count();
}

// Lotus's SyncWait: redraws the busiest worker's progress every quarter
// second until the head is less than a block time old (or forever with
// --watch).
void syncWait(const CliContext& ctx, FullNodeSession& node, bool watch) {
  auto& api = node.api();
  constexpr auto kTick = std::chrono::milliseconds(250);
  constexpr uint64_t kTicksPerSecond = 4;
  constexpr uint64_t kSamples = 8;
  const uint64_t first_applied = check(api.syncState()).vm_applied;
  uint64_t applied = 0;
  uint64_t last_applied = 0;
  int last_lines = 0;
  Eta eta(10);
  for (uint64_t i = 0;; ++i) {
    const auto state = check(api.syncState());
    for (int l = 0; l < last_lines; ++l) print(ctx, "\r\x1b[2K\x1b[A");
    last_lines = 0;
    // Lotus waits for a sync worker to show up; this node may run none, so
    // the head's age alone decides then.
    if (!state.active_syncs.empty()) {
      size_t working = state.active_syncs.size() - 1;
      for (size_t w = 0; w < state.active_syncs.size(); ++w) {
        const auto stage = state.active_syncs[w].stage;
        if (stage != api::SyncStage::kSyncComplete && stage != api::SyncStage::kIdle) working = w;
      }
      const auto& ss = state.active_syncs[working];
      chain::ChainEpoch base_height = 0;
      chain::ChainEpoch target_height = 0;
      int64_t height_diff = 0;
      if (ss.base) {
        base_height = ss.base->height();
        height_diff = ss.base->height();
      }
      if (ss.target) {
        target_height = ss.target->height();
        height_diff = ss.target->height() - height_diff;
      } else {
        height_diff = 0;
      }
      const int64_t todo = target_height - ss.height;
      outf(ctx, "Worker: {}; Base: {}; Target: {} (diff: {})\n", ss.worker_id, base_height, target_height, height_diff);
      outf(ctx, "State: {}; Current Epoch: {}; Todo: {}, ETA: {}\n", api::syncStageName(ss.stage), ss.height, todo,
           eta.update(todo, ctx.now()));
      last_lines = 2;
    }
    if (i % kSamples == 0) {
      last_applied = applied;
      applied = state.vm_applied - first_applied;
    }
    if (i > 0) {
      outf(ctx, "Validated {} messages ({} per second)\n", state.vm_applied - first_applied,
           (applied - last_applied) * kTicksPerSecond / kSamples);
      ++last_lines;
    }
    const bool done = node.isSyncDone(ctx.now());
    if (!watch && done) {
      print(ctx, "\nDone!\n");
      return;
    }
    ctx.out->flush();
    ctx.pause(kTick);
  }
}

void addSync(CLI::App& app, const CliContext& ctx) {
  auto* sync = app.add_subcommand("sync", "Inspect or interact with the chain syncer");
  sync->require_subcommand(1);
  sync->add_subcommand("status", "check sync status")->callback([&ctx] {
    FullNodeSession node(ctx);
    print(ctx, syncStatusText(check(node.api().syncState()), ctx.now()));
  });
  auto watch = std::make_shared<bool>(false);
  auto* wait = sync->add_subcommand("wait", "Wait for sync to be complete");
  wait->add_flag("--watch", *watch, "don't exit after node is synced");
  wait->callback([&ctx, watch] {
    FullNodeSession node(ctx);
    syncWait(ctx, node, *watch);
  });
  addNotBuiltList(*sync, {{"mark-bad", "Mark the given block as bad, will prevent syncing to a chain that contains it"},
                          {"unmark-bad", "Unmark the given block as bad, makes it possible to sync to a chain containing it"},
                          {"check-bad", "check if the given block was marked bad, and for what reason"},
                          {"checkpoint", "mark a certain tipset as checkpointed; the node will never fork away from this tipset"}});
}

void addNet(CLI::App& app, const CliContext& ctx) {
  auto* net = app.add_subcommand("net", "Manage P2P Network");
  net->require_subcommand(1);
  addNotBuiltList(*net, {{"peers", "Print peers"},
                         {"ping", "Ping peers"},
                         {"connect", "Connect to a peer"},
                         {"disconnect", "Disconnect from a peer"},
                         {"listen", "List listen addresses"}});
  net->add_subcommand("id", "Get node identity")->callback([&ctx] {
    FullNodeSession node(ctx);
    outf(ctx, "{}\n", check(node.api().id()).toString());
  });
  addNotBuiltList(*net, {{"find-peer", "Find the addresses of a given peerID"},
                         {"scores", "Print peers' pubsub scores"},
                         {"reachability", "Print information about reachability from the internet"},
                         {"bandwidth", "Print bandwidth usage information"},
                         {"block", "Manage network connection gating rules"},
                         {"stat", "Report resource usage for a scope"},
                         {"limit", "Get or set resource limits for a scope"},
                         {"protect", "Add one or more peer IDs to the list of protected peer connections"},
                         {"unprotect", "Remove one or more peer IDs from the list of protected peer connections."},
                         {"list-protected", "List the peer IDs with protected connection."}});
}

// Lotus's SyncBasefeeCheck: how far the head is behind now, and the base fee.
std::string syncBasefeeText(const chain::TipSet& head, uint64_t block_delay, TimePoint now) {
  const int64_t age = unixSeconds(now) - static_cast<int64_t>(head.minTimestamp());
  std::string out;
  if (age < static_cast<int64_t>(block_delay * 3 / 2)) {
    out = "[sync ok]";
  } else if (age < static_cast<int64_t>(block_delay * 5)) {
    out = fmt::format("[sync slow ({} behind)]", goDuration(seconds(age)));
  } else {
    out = fmt::format("[sync behind! ({} behind)]", goDuration(seconds(age)));
  }
  return out + fmt::format(" [basefee {}]", primitives::formatFilShort(head.minTicketBlock().parent_base_fee));
}

void addInfo(CLI::App& app, const CliContext& ctx) {
  app.add_subcommand("info", "Print node info")->callback([&ctx] {
    FullNodeSession node(ctx);
    auto& api = node.api();
    const auto network = check(api.stateNetworkName());
    const auto start = check(node.common().startTime());
    const auto now = ctx.now();
    outf(ctx, "Network: {}\n", network);
    outf(ctx, "StartTime: {} (started at {})\n",
         goDuration(std::chrono::duration_cast<seconds>(now - start.time)), goUtcTime(start.time));
    const auto head = check(api.chainHead());
    outf(ctx, "Chain: {} [epoch {}]\n", syncBasefeeText(head, node.blockDelay(), now), head.height());
    // Lotus's "Peers to:" and "Chain health:" lines come from NodeStatus,
    // which this node's API does not have yet.
    if (const auto alerts = node.common().logAlerts(); !alerts) {
      outf(ctx, "ERROR: getting alerts: {}\n", alerts.error().message());
    } else {
      const auto active = std::count_if(alerts->begin(), alerts->end(), [](const api::Alert& a) { return a.active; });
      if (active > 0) outf(ctx, "\u26a0 {} Active alerts (check lotus log alerts)\n", active);
    }
    print(ctx, "\n");

    if (const auto default_address = api.walletDefaultAddress()) {
      print(ctx, "Default address: \n");
      const auto balance = check(api.walletBalance(*default_address));
      outf(ctx, "      {} [{}]\n", default_address->toString(), primitives::formatFilShort(balance));
    } else {
      print(ctx, "Default address: address not set\n");
    }
    print(ctx, "\n");

    const auto addresses = check(api.walletList());
    primitives::TokenAmount total = 0;
    for (const auto& a : addresses) total += check(api.walletBalance(a));
    outf(ctx, "Wallet: {} {}\n", addresses.size(), addresses.size() <= 1 ? "address" : "addresses");
    outf(ctx, "      Total balance: {}\n", primitives::formatFilShort(total));
    primitives::TokenAmount locked = 0;
    primitives::TokenAmount available = 0;
    for (const auto& a : addresses) {
      auto balance = api.stateMarketBalance(a, chain::TipSetKey());
      if (!balance) {
        if (isActorNotFound(balance.error())) continue;
        check(std::move(balance));
      }
      locked += balance->locked;
      available += balance->escrow;
    }
    outf(ctx, "      Market locked: {}\n", primitives::formatFilShort(locked));
    outf(ctx, "      Market available: {}\n", primitives::formatFilShort(available));
    // Lotus goes on with payment channels and bandwidth, which this node's
    // API does not serve yet.
  });
}

}  // namespace

void addSyncCommands(CLI::App& app, const CliContext& ctx) { addSync(app, ctx); }
void addNetCommands(CLI::App& app, const CliContext& ctx) { addNet(app, ctx); }
void addInfoCommand(CLI::App& app, const CliContext& ctx) { addInfo(app, ctx); }

void addFullNodeCommands(CLI::App& app, const CliContext& ctx) {
  addSendCommand(app, ctx);
  addWalletCommands(app, ctx);
  addInfoCommand(app, ctx);
  addMpoolCommands(app, ctx);
  addStateCommands(app, ctx);
  addChainCommands(app, ctx);
  addNetCommands(app, ctx);
  addSyncCommands(app, ctx);
}

}  // namespace fil::cli
