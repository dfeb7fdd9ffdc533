// `lotus mpool ...` (Lotus cli/mpool.go).
#include <algorithm>
#include <map>
#include <set>

#include "fil/cli/full_node_commands.h"
#include "full_node_session.h"

namespace fil::cli {
namespace {

using primitives::Address;
using primitives::SignedMessage;

// The wallet's addresses, for --local.
std::set<Address> localAddresses(api::FullNodeApi& api) {
  const auto list = checkAs(api.walletList(), "getting local addresses");
  return {list.begin(), list.end()};
}

std::optional<Address> addressFlag(const std::string& text, const std::string& name) {
  if (text.empty()) return std::nullopt;
  auto a = Address::parse(text);
  if (!a) failCommand(fmt::format("given '{}' address \"{}\" was invalid: {}", name, text, a.error().message()));
  return *a;
}

void addPending(CLI::App& mpool, const CliContext& ctx) {
  struct Args {
    bool local = false;
    bool cids = false;
    std::string to;
    std::string from;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = mpool.add_subcommand("pending", "Get pending messages");
  cmd->add_flag("--local", args->local, "print pending messages for addresses in local wallet only");
  cmd->add_flag("--cids", args->cids, "only print cids of messages in output");
  cmd->add_option("--to", args->to, "return messages to a given address");
  cmd->add_option("--from", args->from, "return messages from a given address");
  cmd->callback([&ctx, args] {
    FullNodeSession node(ctx);
    auto& api = node.api();
    const auto to = addressFlag(args->to, "to");
    const auto from = addressFlag(args->from, "from");
    std::optional<std::set<Address>> local;
    if (args->local) local = localAddresses(api);
    for (const auto& m : check(api.mpoolPending(chain::TipSetKey()))) {
      if (local && !local->contains(m.message.from)) continue;
      if (to && m.message.to != *to) continue;
      if (from && m.message.from != *from) continue;
      outf(ctx, "{}\n", args->cids ? m.cid().toString() : jsonIndent(m));
    }
  });
}

void addStat(CLI::App& mpool, const CliContext& ctx) {
  struct Args {
    bool local = false;
    int basefee_lookback = 60;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = mpool.add_subcommand("stat", "print mempool stats");
  cmd->add_flag("--local", args->local, "print stats for addresses in local wallet only");
  cmd->add_option("--basefee-lookback", args->basefee_lookback, "number of blocks to look back for minimum basefee")
      ->capture_default_str();
  cmd->callback([&ctx, args] {
    FullNodeSession node(ctx);
    auto& api = node.api();
    const auto head = checkAs(api.chainHead(), "getting chain head");
    const primitives::TokenAmount current_base_fee = head.blocks().front().parent_base_fee;
    primitives::TokenAmount min_base_fee = current_base_fee;
    auto ts = head;
    // Lotus walks on past genesis and fails on a chain younger than the
    // lookback; genesis is where the base fee history starts, so stop there.
    for (int i = 0; i < args->basefee_lookback && ts.height() > 0; ++i) {
      ts = checkAs(api.chainGetTipSet(ts.parents()), "walking chain");
      min_base_fee = std::min(min_base_fee, ts.blocks().front().parent_base_fee);
    }
    std::optional<std::set<Address>> local;
    if (args->local) local = localAddresses(api);

    std::map<Address, std::map<uint64_t, SignedMessage>> buckets;
    for (auto& m : check(api.mpoolPending(chain::TipSetKey()))) {
      if (local && !local->contains(m.message.from)) continue;
      buckets[m.message.from][m.message.nonce] = m;
    }
    struct Stat {
      std::string address;
      uint64_t past = 0, cur = 0, future = 0, below_current = 0, below_past = 0;
      primitives::BigInt gas_limit = 0;
    };
    std::vector<Stat> stats;
    for (const auto& [address, messages] : buckets) {
      auto actor = api.stateGetActor(address, head.key());
      if (!actor) {
        outf(ctx, "{}, err: {}\n", address.toString(), actor.error().message());
        continue;
      }
      // The first nonce after the run of consecutive pending nonces.
      uint64_t next = actor->nonce;
      while (messages.contains(next)) ++next;
      Stat s{address.toString()};
      for (const auto& [nonce, m] : messages) {
        if (nonce < actor->nonce) {
          ++s.past;
        } else if (nonce > next) {
          ++s.future;
        } else {
          ++s.cur;
        }
        if (m.message.gas_fee_cap < current_base_fee) ++s.below_current;
        if (m.message.gas_fee_cap < min_base_fee) ++s.below_past;
        s.gas_limit += static_cast<uint64_t>(m.message.gas_limit);
      }
      stats.push_back(std::move(s));
    }
    std::sort(stats.begin(), stats.end(), [](const Stat& a, const Stat& b) { return a.address < b.address; });
    Stat total;
    const auto line = [&](const Stat& s) {
      return fmt::format("Nonce past: {}, cur: {}, future: {}; FeeCap cur: {}, min-{}: {}, gasLimit: {}\n", s.past,
                         s.cur, s.future, s.below_current, args->basefee_lookback, s.below_past,
                         primitives::toDecimal(s.gas_limit));
    };
    for (const auto& s : stats) {
      total.past += s.past;
      total.cur += s.cur;
      total.future += s.future;
      total.below_current += s.below_current;
      total.below_past += s.below_past;
      total.gas_limit += s.gas_limit;
      outf(ctx, "{}: {}", s.address, line(s));
    }
    print(ctx, "-----\n");
    outf(ctx, "total: {}", line(total));
  });
}

void addFind(CLI::App& mpool, const CliContext& ctx) {
  struct Args {
    std::string from;
    std::string to;
    int64_t method = 0;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = mpool.add_subcommand("find", "find a message in the mempool");
  cmd->add_option("--from", args->from, "search for messages with given 'from' address");
  cmd->add_option("--to", args->to, "search for messages with given 'to' address");
  auto* method = cmd->add_option("--method", args->method, "search for messages with given method");
  cmd->callback([&ctx, args, method] {
    FullNodeSession node(ctx);
    const auto pending = check(node.api().mpoolPending(chain::TipSetKey()));
    const auto to = addressFlag(args->to, "to");
    const auto from = addressFlag(args->from, "from");
    std::vector<SignedMessage> found;
    for (const auto& m : pending) {
      if (to && m.message.to != *to) continue;
      if (from && m.message.from != *from) continue;
      if (method->count() > 0 && static_cast<int64_t>(m.message.method) != args->method) continue;
      found.push_back(m);
    }
    outf(ctx, "{}\n", jsonIndent(found));
  });
}

}  // namespace

void addMpoolCommands(CLI::App& app, const CliContext& ctx) {
  auto* mpool = app.add_subcommand("mpool", "Manage message pool");
  mpool->require_subcommand(1);
  addPending(*mpool, ctx);
  addNotBuiltList(*mpool, {{"sub", "Subscribe to mpool changes"}});
  addStat(*mpool, ctx);
  addNotBuiltList(*mpool, {{"replace", "replace a message in the mempool"}});
  addFind(*mpool, ctx);
  addNotBuiltList(*mpool, {{"config", "get or set current mpool configuration"},
                           {"gas-perf", "Check gas performance of messages in mempool"},
                           {"manage", "manage the mpool"}});
}

}  // namespace fil::cli
