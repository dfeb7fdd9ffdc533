// lotus-shed devnet-mine: runs the block production library (libs/miner/
// mining) against a full node, for a devnet whose miner is not run by
// `lotus-miner run` yet. It mines with the genesis miner's pre-sealed
// sectors and the worker key held by the node's wallet (imported here when
// --worker-key is given), and logs each block it makes.
#include <signal.h>

#include <cstdio>
#include <thread>

#include <fmt/format.h>

#include "command.h"
#include "fil/api/full_node_client.h"
#include "fil/chain/network.h"
#include "fil/cli/context.h"
#include "fil/mining/block_producer.h"
#include "fil/primitives/key_info.h"
#include "fil/rpc/api_info.h"
#include "fil/rpc/client.h"
#include "fil/store/filesystem.h"

namespace fil::shed {
namespace {

struct MineFlags {
  std::string miner = "t01000";
  std::string sector_dir;
  std::string worker_key;
  std::string network = "devnet";
  std::string repo = "~/.lotus";
};

void runMiner(const MineFlags& flags) {
  // Before any thread starts, so that SIGINT/SIGTERM reach sigwait below.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  const chain::NetworkParams& net = [&]() -> const chain::NetworkParams& {
    if (flags.network == "devnet") return chain::devnetParams();
    if (flags.network == "test-devnet") return chain::fastDevnetParams();
    failCommand("unknown --network '" + flags.network + "' (devnet, test-devnet)");
  }();
  const auto miner = check(primitives::Address::parse(flags.miner));
  if (!miner.isId()) failCommand("--miner must be an ID address such as t01000");
  if (flags.sector_dir.empty()) failCommand("--sector-dir is required (where lotus-seed pre-seal put the sectors)");

  const auto info = check(rpc::findApiInfo({.type = rpc::NodeType::kFullNode,
                                            .api_flag = std::nullopt,
                                            .repo = cli::expandHome(flags.repo)}));
  auto client = check(rpc::Client::connect(info));
  api::FullNodeClient node(*client);

  if (!flags.worker_key.empty()) {
    const auto text = check(store::readFile(store::defaultFileSystem(), cli::expandHome(flags.worker_key).string()));
    std::string hex(text.begin(), text.end());
    while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r' || hex.back() == ' ')) hex.pop_back();
    const auto key = check(primitives::keyInfoFromHex(hex));
    const auto address = check(node.walletImport(key));
    std::printf("imported worker key %s into the node's wallet\n", address.toString().c_str());
    if (!node.walletDefaultAddress()) {  // none yet: the devnet's funds are the owner's (Lotus's --as-default)
      check(node.walletSetDefault(address));
      std::printf("%s is the wallet's default address\n", address.toString().c_str());
    }
  }

  mining::BlockProducer producer(node, {.miner = miner, .network = &net},
                                 mining::localWinningProver(cli::expandHome(flags.sector_dir)));
  producer.start();
  std::printf("mining for %s with the sectors in %s (Ctrl-C stops)\n", miner.toString().c_str(),
              flags.sector_dir.c_str());
  std::fflush(stdout);
  int sig = 0;
  sigwait(&set, &sig);
  producer.stop();
  const auto stats = producer.stats();
  std::printf("stopped: %llu rounds, %llu blocks submitted, %llu errors%s\n",
              static_cast<unsigned long long>(stats.rounds), static_cast<unsigned long long>(stats.submitted),
              static_cast<unsigned long long>(stats.errors),
              stats.last_error.empty() ? "" : (" (last: " + stats.last_error + ")").c_str());
}

}  // namespace

void registerMineCommands(CLI::App& app) {
  auto flags = std::make_shared<MineFlags>();
  auto* cmd = app.add_subcommand("devnet-mine", "mine blocks on a devnet with a pre-sealed genesis miner");
  cmd->add_option("--miner", flags->miner, "the miner actor")->capture_default_str();
  cmd->add_option("--sector-dir", flags->sector_dir, "lotus-seed's --sector-dir (sealed/ and cache/)");
  cmd->add_option("--worker-key", flags->worker_key, "import this pre-seal-<miner>.key into the node's wallet first");
  cmd->add_option("--network", flags->network, "network parameters: devnet or test-devnet")->capture_default_str();
  cmd->add_option("--repo", flags->repo, "the full node's repo (LOTUS_PATH), when FULLNODE_API_INFO is not set")
      ->envname("LOTUS_PATH")
      ->capture_default_str();
  cmd->callback([flags] { runMiner(*flags); });
}

}  // namespace fil::shed
