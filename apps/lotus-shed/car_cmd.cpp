// lotus-shed car inspect FILE | car create FILE OUT.car | car extract FILE.car OUT
//
// inspect prints what go-car's `car inspect` prints (version, roots, block
// counts per codec and hash, sizes) and checks every block against its CID;
// create imports a file as UnixFS (Lotus `client import` defaults) and writes
// its DAG as a CARv1 in depth-first order, printing the root CID; extract
// writes the UnixFS file under the root of a CAR back out.
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "command.h"
#include "fil/store/car.h"
#include "fil/unixfs/file_blockstore.h"
#include "fil/unixfs/unixfs.h"

namespace fil::shed {

namespace {

struct MinMax {
  uint64_t min = std::numeric_limits<uint64_t>::max();
  uint64_t max = 0;
  uint64_t total = 0;
  void add(uint64_t v) {
    min = std::min(min, v);
    max = std::max(max, v);
    total += v;
  }
  std::string show(uint64_t count) const {
    if (count == 0) return "- / - / -";
    return fmt::format("{} / {} / {}", min, total / count, max);
  }
};

void inspect(const std::string& path) {
  auto& fs = store::defaultFileSystem();
  auto in = check(store::FileSource::open(fs, path));
  store::CarReadOptions options;
  options.allow_unverifiable = true;
  auto reader = check(store::CarReader::open(*in, options));
  const auto& header = reader->header();

  uint64_t blocks = 0, verified = 0;
  MinMax block_len, cid_len;
  std::map<std::string, uint64_t> codecs, hashes;
  // An identity root carries its block in the CID itself.
  std::map<cid::Cid, bool> roots_present;
  for (const auto& r : header.roots) roots_present[r] = r.hash().code() == cid::HashCode::kIdentity;
  std::optional<Error> failure;
  while (true) {
    auto block = reader->next();
    if (!block) {
      failure = std::move(block).error();
      break;
    }
    if (!*block) break;
    const auto& b = **block;
    ++blocks;
    if (b.verified) ++verified;
    block_len.add(b.data.size());
    cid_len.add(b.cid.toBytes().size());
    ++codecs[std::string(cid::codecName(b.cid.codec()))];
    ++hashes[std::string(cid::hashName(b.cid.hash().code()))];
    if (auto it = roots_present.find(b.cid); it != roots_present.end()) it->second = true;
  }

  fmt::print("Version: {}\n", header.version);
  if (header.version == 2) {
    fmt::print("Data offset: {}\nData size: {}\nIndex offset: {}\n", header.data_offset, header.data_size,
               header.index_offset);
  }
  fmt::print("Roots:{}\n", header.roots.empty() ? " (none)" : "");
  for (const auto& r : header.roots) fmt::print("  {}\n", r.toString());
  bool all_roots = true;
  for (const auto& [r, present] : roots_present) all_roots = all_roots && present;
  fmt::print("Root blocks present in data: {}\n", header.roots.empty() ? "-" : (all_roots ? "Yes" : "No"));
  fmt::print("Block count: {}\n", blocks);
  fmt::print("Min / average / max block length (bytes): {}\n", block_len.show(blocks));
  fmt::print("Min / average / max CID length (bytes): {}\n", cid_len.show(blocks));
  fmt::print("Block count per codec:\n");
  for (const auto& [name, n] : codecs) fmt::print("\t{}: {}\n", name, n);
  fmt::print("CID count per multihash:\n");
  for (const auto& [name, n] : hashes) fmt::print("\t{}: {}\n", name, n);
  if (failure) {
    fmt::print("Verification: FAILED after {} good blocks\n", blocks);
    std::fflush(stdout);
    failCommand(failure->message());
  }
  if (verified == blocks) {
    fmt::print("Verification: all {} blocks match their CIDs\n", blocks);
  } else {
    fmt::print("Verification: {} blocks match their CIDs; {} use hash functions this tool cannot recompute\n", verified,
               blocks - verified);
  }
}

// Refuses to write over the file being read.
void checkDistinct(const std::string& in, const std::string& out) {
  std::error_code ec;
  if (std::filesystem::equivalent(in, out, ec)) failCommand(out + " is the input file; choose another output");
}

cid::HashCode parseHash(const std::string& name) {
  if (name == "blake2b-256") return cid::HashCode::kBlake2b256;
  if (name == "sha2-256") return cid::HashCode::kSha2_256;
  failCommand("unknown hash '" + name + "': use blake2b-256 or sha2-256");
}

void create(const std::string& path, const std::string& out_path, const unixfs::ImportOptions& options) {
  auto& fs = store::defaultFileSystem();
  checkDistinct(path, out_path);
  auto info = check(fs.stat(path));
  if (info.is_directory) failCommand(path + " is a directory; car create imports one file");
  auto file = check(fs.openForRead(path));
  unixfs::FileBackedBlockstore blocks(*file);
  auto source = check(store::FileSource::open(fs, path));
  const auto imported = check(unixfs::importFile(*source, options, blocks));

  // Through a temporary file, so that a failure leaves no partial CAR.
  const std::string tmp = store::temporaryPathFor(out_path);
  auto out = check(fs.openForWrite(tmp, store::OpenMode::kCreateExclusive, 0644));
  auto written = [&]() -> Status {
    store::FileSink sink(*out);
    FIL_TRY(unixfs::writeCarDag(blocks, imported.root, sink));
    FIL_TRY(sink.finish());
    FIL_TRY(out->sync());
    FIL_TRY(out->close());
    FIL_TRY(fs.rename(tmp, out_path));
    return fs.syncDirectory(store::parentDirectory(out_path));
  }();
  if (!written) {
    out.reset();
    (void)fs.removeFile(tmp);
    failCommand("writing " + out_path + ": " + written.error().message());
  }
  fmt::print("{}\n", imported.root.toString());
}

void extract(const std::string& car_path, const std::string& out_path, const std::string& root_text) {
  auto& fs = store::defaultFileSystem();
  checkDistinct(car_path, out_path);
  auto blocks = check(store::CarFileBlockstore::open(fs, car_path));
  cid::Cid root;
  if (!root_text.empty()) {
    root = check(cid::Cid::parse(root_text));
  } else {
    if (blocks->header().roots.size() != 1) {
      failCommand(fmt::format("{} has {} roots; name the one to extract with --root", car_path,
                              blocks->header().roots.size()));
    }
    root = blocks->header().roots[0];
  }
  const std::string tmp = store::temporaryPathFor(out_path);
  auto out = check(fs.openForWrite(tmp, store::OpenMode::kCreateExclusive, 0644));
  auto written = [&]() -> Result<uint64_t> {
    store::FileSink sink(*out);
    FIL_ASSIGN_OR_RETURN(uint64_t n, unixfs::exportFile(*blocks, root, sink));
    FIL_TRY(sink.finish());
    FIL_TRY(out->sync());
    FIL_TRY(out->close());
    FIL_TRY(fs.rename(tmp, out_path));
    return n;
  }();
  if (!written) {
    out.reset();
    (void)fs.removeFile(tmp);
    failCommand("extracting " + root.toString() + ": " + written.error().message());
  }
  fmt::print("{} bytes of {} written to {}\n", *written, root.toString(), out_path);
}

}  // namespace

void registerCarCommands(CLI::App& app) {
  auto* car = app.add_subcommand("car", "work with CAR files");
  car->require_subcommand(1);

  auto* inspect_cmd = car->add_subcommand("inspect", "print a CAR file's roots and blocks, checking every block");
  auto file = std::make_shared<std::string>();
  inspect_cmd->add_option("file", *file, "CAR file (v1 or v2)")->required();
  inspect_cmd->callback([file] { inspect(*file); });

  auto* create_cmd = car->add_subcommand("create", "import a file as UnixFS and write its DAG as a CAR; prints the root CID");
  auto input = std::make_shared<std::string>();
  auto output = std::make_shared<std::string>();
  auto options = std::make_shared<unixfs::ImportOptions>();
  auto hash = std::make_shared<std::string>("blake2b-256");
  create_cmd->add_option("file", *input, "file to import")->required();
  create_cmd->add_option("out", *output, "CAR file to write")->required();
  create_cmd->add_option("--chunk-size", options->chunk_size, "bytes per leaf")->capture_default_str();
  create_cmd->add_option("--max-links", options->max_links, "links per node")->capture_default_str();
  create_cmd->add_option("--hash", *hash, "blake2b-256 (Lotus) or sha2-256 (IPFS)")->capture_default_str();
  create_cmd->add_option("--inline-limit", options->inline_limit, "blocks up to this size get identity CIDs (0: none)")
      ->capture_default_str();
  create_cmd->add_flag("--raw-leaves,!--no-raw-leaves", options->raw_leaves, "leaves as raw blocks")
      ->capture_default_str();
  create_cmd->add_option("--cid-version", options->cid_version, "0 or 1")->capture_default_str();
  create_cmd->callback([input, output, options, hash] {
    options->hash = parseHash(*hash);
    create(*input, *output, *options);
  });

  auto* extract_cmd = car->add_subcommand("extract", "write the UnixFS file under a CAR's root to OUT");
  auto car_file = std::make_shared<std::string>();
  auto out_file = std::make_shared<std::string>();
  auto root = std::make_shared<std::string>();
  extract_cmd->add_option("file", *car_file, "CAR file")->required();
  extract_cmd->add_option("out", *out_file, "file to write")->required();
  extract_cmd->add_option("--root", *root, "CID to extract (default: the CAR's only root)");
  extract_cmd->callback([car_file, out_file, root] { extract(*car_file, *out_file, *root); });
}

}  // namespace fil::shed
