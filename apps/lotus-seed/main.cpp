// lotus-seed: seals genesis sectors and edits genesis templates, as Lotus's.
//
//   lotus-seed [--sector-dir ~/.genesis-sectors] pre-seal --sector-size 2KiB --num-sectors 2 --miner-addr t01000
//       seals the sectors with the proofs library and writes, under the
//       sector dir, the sector files and pre-seal-t01000.json /
//       pre-seal-t01000.key (the worker key, hex of its JSON)
//   lotus-seed genesis new [--network-name NAME] localnet.json
//   lotus-seed genesis add-miner localnet.json ~/.genesis-sectors/pre-seal-t01000.json
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "fil/base/log.h"
#include "fil/proofs/registered_proof.h"
#include "fil/store/filesystem.h"
#include "fil/vm/genesis.h"
#include "fil/vm/preseal.h"

namespace {

using namespace fil;
namespace fs = std::filesystem;

class Failure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <typename T>
T check(Result<T> r, std::string_view what) {
  if (!r) throw Failure(fmt::format("{}: {}", what, r.error().message()));
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

// "~/x" as the shell would expand it (Lotus's homedir.Expand).
fs::path expandHome(const std::string& path) {
  if (path == "~" || path.starts_with("~/")) {
    const char* home = std::getenv("HOME");
    if (home == nullptr || *home == '\0') throw Failure("cannot expand " + path + ": HOME is not set");
    return fs::path(home) / path.substr(std::min<size_t>(2, path.size()));
  }
  return path;
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Failure(fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void writeFile(const fs::path& path, const std::string& text) {
  check(store::writeFileAtomic(store::defaultFileSystem(), path.string(), asBytes(text), 0644),
        "writing " + path.string());
}

struct PreSealFlags {
  std::string miner_addr = "t01000";
  std::string sector_size = "2KiB";
  std::string ticket_preimage = "lotus is fire";
  uint64_t num_sectors = 1;
  uint64_t sector_offset = 0;
  std::string key;
  bool fake_sectors = false;
  unsigned threads = 1;
};

void preSeal(const std::string& sector_dir, const PreSealFlags& f) {
  if (f.fake_sectors) throw Failure("--fake-sectors is not supported: sectors are always really sealed");
  vm::genesis::PreSealOptions o;
  o.miner = check(primitives::Address::parse(f.miner_addr), "--miner-addr");
  if (!o.miner.isId()) throw Failure(fmt::format("--miner-addr {} must be an ID address (t0...)", f.miner_addr));
  const uint64_t size = check(proofs::parseSectorSize(f.sector_size), "--sector-size");
  o.proof = check(proofs::sealProofForSectorSize(size), "--sector-size");
  o.sectors = f.num_sectors;
  o.sector_offset = f.sector_offset;
  o.ticket_preimage = f.ticket_preimage;
  o.root = expandHome(sector_dir);
  o.threads = f.threads;
  if (!f.key.empty()) {
    std::string hex = readFile(expandHome(f.key));
    while (!hex.empty() && std::isspace(static_cast<unsigned char>(hex.back()))) hex.pop_back();
    o.key = check(primitives::keyInfoFromHex(hex), "--key " + f.key);
  }
  fmt::print(stderr, "pre-sealing {} sector(s) of {} for {} in {}\n", o.sectors, f.sector_size, f.miner_addr,
             o.root.string());
  const auto result = check(vm::genesis::preSeal(o), "pre-seal");
  for (const auto& s : result.miner.sectors) {
    fmt::print("sector {}: CommR {} CommD {}\n", s.sector_id, s.comm_r.toString(), s.comm_d.toString());
  }
  check(vm::genesis::writePreSealFiles(o.root, o.miner, result), "writing the pre-seal manifest");
  fmt::print("wrote {}\n", (o.root / ("pre-seal-" + o.miner.toString() + ".json")).string());
}

// Lotus names an unnamed network "localnet-<uuid>".
std::string defaultNetworkName() { return "localnet-" + vm::genesis::randomUuid(); }

void genesisNew(const std::string& path, const std::string& network_name) {
  auto t = vm::genesis::newTemplate(network_name.empty() ? defaultNetworkName() : network_name);
  writeFile(expandHome(path), check(vm::genesis::templateToJson(t), "encoding the template"));
}

void genesisAddMiner(const std::string& template_path, const std::string& preseal_path, int64_t balance_fil) {
  const fs::path tp = expandHome(template_path);
  auto t = check(vm::genesis::templateFromJson(readFile(tp)), "reading " + tp.string());
  const fs::path pp = expandHome(preseal_path);
  auto miners = check(vm::genesis::minersFromJson(readFile(pp)), "reading " + pp.string());
  check(vm::genesis::addMiners(t, miners, balance_fil), "adding miners");
  writeFile(tp, check(vm::genesis::templateToJson(t), "encoding the template"));
  for (const auto& [name, m] : miners) {
    fmt::print(stderr, "added miner {} to {}; its owner {} gets {} FIL\n", name, tp.string(), m.owner.toString(),
               balance_fil);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (auto configured = fil::log::configureFromEnv(); !configured) {
    std::fprintf(stderr, "ERROR: %s\n", configured.error().message().c_str());
    return 1;
  }
  CLI::App app("Seal sectors for genesis miner", "lotus-seed");
  app.require_subcommand(1);
  app.set_version_flag("--version,-v", "lotus-seed version 0.1.0");
  std::string sector_dir = "~/.genesis-sectors";
  app.add_option("--sector-dir", sector_dir, "where the pre-sealed sectors and manifest go")->capture_default_str();

  PreSealFlags ps;
  auto* pre_seal = app.add_subcommand("pre-seal", "Seal sectors for genesis miner");
  pre_seal->add_option("--miner-addr", ps.miner_addr, "specify the future address of your miner")->capture_default_str();
  pre_seal->add_option("--sector-size", ps.sector_size, "specify size of sectors to pre-seal")->capture_default_str();
  pre_seal->add_option("--ticket-preimage", ps.ticket_preimage, "set the ticket preimage for sealing randomness")
      ->capture_default_str();
  pre_seal->add_option("--num-sectors", ps.num_sectors, "select number of sectors to pre-seal")->capture_default_str();
  pre_seal->add_option("--sector-offset", ps.sector_offset, "how many sector ids to skip when starting to seal")
      ->capture_default_str();
  pre_seal->add_option("--key", ps.key, "(optional) key to use for signing / owner/worker addresses");
  pre_seal->add_flag("--fake-sectors", ps.fake_sectors, "not supported: sectors are always sealed");
  pre_seal->add_option("--threads", ps.threads, "sealing threads")->capture_default_str();
  pre_seal->callback([&] { preSeal(sector_dir, ps); });

  auto* genesis = app.add_subcommand("genesis", "manipulate lotus genesis template");
  genesis->require_subcommand(1);
  std::string new_path, network_name;
  auto* gnew = genesis->add_subcommand("new", "create new genesis template");
  gnew->add_option("genesis-file", new_path, "the template to write")->required();
  gnew->add_option("--network-name", network_name, "network name (default localnet-<uuid>)");
  gnew->callback([&] { genesisNew(new_path, network_name); });

  std::string add_template, add_preseal;
  int64_t balance_fil = 50'000'000;
  auto* add = genesis->add_subcommand("add-miner", "add genesis miner");
  add->add_option("genesis-file", add_template, "the template to edit")->required();
  add->add_option("preseal-file", add_preseal, "pre-seal manifest (pre-seal-t01000.json)")->required();
  add->add_option("--balance", balance_fil, "FIL given to each miner's owner")->capture_default_str();
  add->callback([&] { genesisAddMiner(add_template, add_preseal, balance_fil); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const Failure& e) {
    std::fprintf(stderr, "ERROR: %s\n", e.what());
    return 1;
  }
  return 0;
}
