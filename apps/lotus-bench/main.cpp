// lotus-bench: sealing and commP benchmarks on real sector sizes, as Lotus's.
//
//   lotus-bench sealing --sector-size 2KiB|8MiB|512MiB [--storage-dir DIR]
//       AddPiece -> PreCommit1 -> PreCommit2 -> Commit1 -> verify ->
//       WindowPoSt -> verify, each phase's wall time, CPU time (all threads)
//       and peak resident memory (the high-water mark reset before each
//       phase).
//   lotus-bench commp FILE
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <random>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "fil/proofs/commp.h"
#include "fil/proofs/fr32.h"
#include "fil/proofs/sealer.h"

namespace {

using namespace fil;
using namespace fil::proofs;
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

// The peak resident memory of one phase: Linux resets the high-water mark
// (VmHWM) when "5" is written to /proc/self/clear_refs. Where that is not
// possible the process's peak so far (getrusage) is reported instead.
bool resetPeakRss() {
  FILE* f = std::fopen("/proc/self/clear_refs", "w");
  if (f == nullptr) return false;
  const bool ok = std::fputs("5", f) >= 0;
  return std::fclose(f) == 0 && ok;
}

uint64_t peakRssMiB() {
  if (FILE* f = std::fopen("/proc/self/status", "r")) {
    char line[256];
    uint64_t kib = 0;
    bool found = false;
    while (std::fgets(line, sizeof line, f) != nullptr) {
      if (std::sscanf(line, "VmHWM: %" SCNu64 " kB", &kib) == 1) {
        found = true;
        break;
      }
    }
    std::fclose(f);
    if (found) return kib / 1024;
  }
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<uint64_t>(u.ru_maxrss) / 1024;
}

// User + system CPU seconds of the whole process (all threads).
double cpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct Phase {
  std::string name;
  double seconds;
  double cpu_seconds;  // beside the wall time: on a shared machine the two part
  uint64_t rss_mib;
};

template <typename F>
auto timed(std::vector<Phase>& phases, std::string name, F&& f) {
  fmt::print(stderr, "{}...\n", name);
  resetPeakRss();
  const double cpu_start = cpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  auto result = f();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  phases.push_back({std::move(name), s, cpuSeconds() - cpu_start, peakRssMiB()});
  fmt::print(stderr, "{}: {:.3f} s ({:.3f} s CPU), peak RSS {} MiB\n", phases.back().name, s,
             phases.back().cpu_seconds, phases.back().rss_mib);
  return result;
}

void runSealing(const std::string& size_text, std::string storage_dir, unsigned threads) {
  const uint64_t sector_size = check(parseSectorSize(size_text), "sector size");
  const auto proof = check(sealProofForSectorSize(sector_size), "sector size");
  const auto info = check(sealProofInfo(proof), "proof");
  const bool temporary = storage_dir.empty();
  if (temporary) storage_dir = fs::temp_directory_path() / fmt::format("lotus-bench-{}", getpid());
  ThreadPool pool(threads);
  LocalSealer sealer(fs::path(storage_dir) / "store", ParentCache::defaultDir(), pool);
  const SectorRef sector{1000, 1, proof};
  std::mt19937_64 rng(1);
  Ticket ticket;
  InteractiveSeed seed;
  PoStRandomness randomness;
  for (auto* a : {&ticket, &seed, &randomness}) {
    for (auto& b : *a) b = static_cast<uint8_t>(rng());
  }
  int last_percent = -1;
  std::string last_step;
  JobContext ctx;
  ctx.progress = [&](std::string_view step, uint64_t done, uint64_t total) {
    const int percent = total == 0 ? 100 : static_cast<int>(done * 100 / total);
    if (step == last_step && percent / 10 == last_percent / 10) return;
    last_step = std::string(step);
    last_percent = percent;
    fmt::print(stderr, "  {} {}%\n", step, percent);
  };
  std::vector<Phase> phases;
  const uint64_t piece_size = fil::proofs::toUnpaddedSize(sector_size);
  std::mt19937_64 data_rng(2);
  uint64_t produced = 0;
  const ByteReader random_data = [&](MutableBytesView out) -> Result<size_t> {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(out.size(), piece_size - produced));
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(data_rng() >> 24);
    produced += n;
    return n;
  };
  const auto piece = timed(phases, "AddPiece", [&] {
    return check(sealer.addPiece(sector, {}, piece_size, random_data, ctx), "AddPiece");
  });
  const std::vector<PieceInfo> pieces = {piece};
  // The parent cache is generated once per sector size and then shared;
  // its time is reported on its own, as Lotus's benchmarks do.
  timed(phases, "parent cache", [&] {
    check(ParentCache::open(ParentCache::defaultDir(), info, false, threads), "parent cache");
    return 0;
  });
  const auto pc1 = timed(phases, "PreCommit1", [&] { return check(sealer.preCommit1(sector, ticket, pieces, ctx), "PreCommit1"); });
  const auto cids = timed(phases, "PreCommit2", [&] { return check(sealer.preCommit2(sector, pc1, ctx), "PreCommit2"); });
  const auto c1 = timed(phases, "Commit1", [&] { return check(sealer.commit1(sector, ticket, seed, cids, ctx), "Commit1"); });
  const SealVerifyInfo vi{proof, proverIdFromActorId(sector.miner_id), sector.number, ticket, seed, cids.comm_r, cids.comm_d};
  timed(phases, "verify seal", [&] {
    check(verifySeal(vi, c1), "verify seal");
    return 0;
  });
  timed(phases, "Finalize", [&] {
    check(sealer.finalize(sector, false, ctx), "Finalize");
    return 0;
  });
  const std::vector<PublicSectorInfo> pub = {{proof, sector.number, cids.comm_r}};
  const auto window = timed(phases, "WindowPoSt", [&] {
    return check(sealer.generateWindowPoSt(sector.miner_id, pub, randomness, nullptr), "WindowPoSt");
  });
  timed(phases, "verify WindowPoSt", [&] {
    check(verifyWindowPoSt(check(windowPoStProofFor(proof), "proof"), randomness, proverIdFromActorId(sector.miner_id),
                           pub, window),
          "verify WindowPoSt");
    return 0;
  });
  if (temporary) {
    std::error_code ec;
    fs::remove_all(storage_dir, ec);
  }
  fmt::print("results {} ({}), {} threads\n", sectorSizeString(sector_size), sealProofName(proof), threads);
  fmt::print("comm_d: {}\ncomm_r: {}\n", pieceCid(cids.comm_d).toString(), sealedCid(cids.comm_r).toString());
  fmt::print("seal proof: {} bytes, WindowPoSt proof: {} bytes\n", c1.size(), window[0].proof_bytes.size());
  for (const auto& p : phases) {
    fmt::print("{:<18} {:>10.3f} s  {:>10.3f} s CPU   peak RSS {} MiB\n", p.name + ":", p.seconds, p.cpu_seconds,
               p.rss_mib);
  }
}

void runCommP(const std::string& path) {
  const auto start = std::chrono::steady_clock::now();
  const auto p = check(commPOfFile(path), "commp");
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("CommP CID:    {}\nPayload size: {}\nPiece size:   {}\n", pieceCid(p.commitment).toString(), p.payload_size,
             p.padded_size);
  fmt::print("Time:         {:.3f} s ({:.1f} MiB/s of payload)\n", s, static_cast<double>(p.payload_size) / (1 << 20) / s);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Benchmark performance of lotus on your hardware", "lotus-bench");
  app.require_subcommand(1);
  auto* sealing = app.add_subcommand("sealing", "benchmark seal and winning/window post");
  std::string sector_size = "512MiB", storage_dir;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  sealing->add_option("--sector-size", sector_size, "size of the sectors: 2KiB, 8MiB, 512MiB")->capture_default_str();
  sealing->add_option("--storage-dir", storage_dir, "where sector files go (default: a temporary directory)");
  sealing->add_option("--threads", threads, "threads for the CPU work")->capture_default_str();
  auto* commp = app.add_subcommand("commp", "compute the piece CID of a file");
  std::string file;
  commp->add_option("file", file, "the file")->required();
  try {
    app.parse(argc, argv);
    if (*sealing) runSealing(sector_size, storage_dir, threads);
    if (*commp) runCommP(file);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const Failure& e) {
    std::fprintf(stderr, "ERROR: %s\n", e.what());
    return 1;
  }
  return 0;
}
