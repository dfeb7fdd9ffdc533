#include "fil/proofs/graph.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "fil/base/hex.h"
#include "fil/crypto/sha256.h"

namespace fil::proofs {

namespace {

// ---------------------------------------------------------------------------
// ChaCha8 as rand_chacha's ChaCha8Rng: the 32-byte seed is the key, 64-bit
// block counter from 0, stream 0; u64 outputs take two consecutive words,
// low word first.
class ChaCha8 {
 public:
  explicit ChaCha8(const uint8_t* seed32) {
    input_[0] = 0x61707865;
    input_[1] = 0x3320646e;
    input_[2] = 0x79622d32;
    input_[3] = 0x6b206574;
    for (int i = 0; i < 8; ++i) input_[4 + i] = readU32LE(seed32 + 4 * i);
    input_[12] = input_[13] = input_[14] = input_[15] = 0;
  }

  uint64_t nextU64() {
    const uint64_t lo = nextU32();
    const uint64_t hi = nextU32();
    return lo | (hi << 32);
  }

 private:
  static uint32_t rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }
  static void quarter(uint32_t* x, int a, int b, int c, int d) {
    x[a] += x[b]; x[d] = rotl(x[d] ^ x[a], 16);
    x[c] += x[d]; x[b] = rotl(x[b] ^ x[c], 12);
    x[a] += x[b]; x[d] = rotl(x[d] ^ x[a], 8);
    x[c] += x[d]; x[b] = rotl(x[b] ^ x[c], 7);
  }
  uint32_t nextU32() {
    if (index_ == 16) refill();
    return block_[index_++];
  }
  void refill() {
    uint32_t x[16];
    std::memcpy(x, input_, sizeof(x));
    for (int i = 0; i < 4; ++i) {  // 8 rounds
      quarter(x, 0, 4, 8, 12);
      quarter(x, 1, 5, 9, 13);
      quarter(x, 2, 6, 10, 14);
      quarter(x, 3, 7, 11, 15);
      quarter(x, 0, 5, 10, 15);
      quarter(x, 1, 6, 11, 12);
      quarter(x, 2, 7, 8, 13);
      quarter(x, 3, 4, 9, 14);
    }
    for (int i = 0; i < 16; ++i) block_[i] = x[i] + input_[i];
    if (++input_[12] == 0) ++input_[13];
    index_ = 0;
  }
  uint32_t input_[16];
  uint32_t block_[16];
  int index_ = 16;
};

// ---------------------------------------------------------------------------
// BLAKE2b-512 of a 16-byte message, first 8 digest bytes read big-endian:
// the Feistel round function of rust-fil-proofs (blake2b_simd::blake2b).
constexpr uint64_t kBlakeIv[8] = {0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL,
                                  0xa54ff53a5f1d36f1ULL, 0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
                                  0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL};
constexpr uint8_t kSigma[12][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4}, {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13}, {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11}, {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5}, {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3}};

inline uint64_t rotr64(uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }

uint64_t blake2b512First8BigEndian(uint64_t m0, uint64_t m1) {
  uint64_t m[16] = {m0, m1};
  uint64_t h[8];
  std::memcpy(h, kBlakeIv, sizeof(h));
  h[0] ^= 0x01010000ULL ^ 64;  // digest length 64, no key, fanout 1, depth 1
  uint64_t v[16];
  std::memcpy(v, h, sizeof(h));
  std::memcpy(v + 8, kBlakeIv, sizeof(kBlakeIv));
  v[12] ^= 16;  // bytes hashed
  v[14] = ~v[14];  // last block
  auto g = [&](int a, int b, int c, int d, uint64_t x, uint64_t y) {
    v[a] = v[a] + v[b] + x; v[d] = rotr64(v[d] ^ v[a], 32);
    v[c] = v[c] + v[d];     v[b] = rotr64(v[b] ^ v[c], 24);
    v[a] = v[a] + v[b] + y; v[d] = rotr64(v[d] ^ v[a], 16);
    v[c] = v[c] + v[d];     v[b] = rotr64(v[b] ^ v[c], 63);
  };
  for (int r = 0; r < 12; ++r) {
    const uint8_t* s = kSigma[r];
    g(0, 4, 8, 12, m[s[0]], m[s[1]]);
    g(1, 5, 9, 13, m[s[2]], m[s[3]]);
    g(2, 6, 10, 14, m[s[4]], m[s[5]]);
    g(3, 7, 11, 15, m[s[6]], m[s[7]]);
    g(0, 5, 10, 15, m[s[8]], m[s[9]]);
    g(1, 6, 11, 12, m[s[10]], m[s[11]]);
    g(2, 7, 8, 13, m[s[12]], m[s[13]]);
    g(3, 4, 9, 14, m[s[14]], m[s[15]]);
  }
  const uint64_t h0 = h[0] ^ v[0] ^ v[8];
  return __builtin_bswap64(h0);  // digest bytes 0..8 are h0 little-endian
}

ByteArray<32> domainSeed(std::string_view tag, const PoRepId& porep_id) {
  crypto::Sha256 h;
  h.update(asBytes(tag)).update(porep_id);
  return h.finish();
}

}  // namespace

StackedGraph::StackedGraph(uint64_t nodes, const PoRepId& porep_id, ApiVersion api_version)
    : nodes_(nodes), api_version_(api_version) {
  const auto drg = domainSeed("Filecoin_DRSample", porep_id);
  std::memcpy(drg_seed_, drg.data(), 28);
  const auto feistel = domainSeed("Filecoin_Feistel", porep_id);
  for (int i = 0; i < 4; ++i) feistel_keys_[i] = readU64LE(feistel.data() + 8 * i);
  // The permutation domain: nodes * 8 rounded up to a power of four, split
  // into two halves of equal bits.
  const uint64_t elements = nodes * kExpansionDegree;
  uint64_t next_pow4 = 4, log4 = 1;
  while (next_pow4 < elements) {
    next_pow4 *= 4;
    ++log4;
  }
  left_mask_ = ((uint64_t{1} << log4) - 1) << log4;
  right_mask_ = (uint64_t{1} << log4) - 1;
  half_bits_ = log4;
}

void StackedGraph::baseParents(uint64_t node, uint32_t* out) const {
  if (node < 2) {
    std::fill(out, out + kBaseDegree, 0);
    return;
  }
  uint8_t seed[32];
  std::memcpy(seed, drg_seed_, 28);
  const auto n32 = static_cast<uint32_t>(node);
  for (int i = 0; i < 4; ++i) seed[28 + i] = static_cast<uint8_t>(n32 >> (8 * i));
  ChaCha8 rng(seed);
  constexpr uint64_t kMPrime = kBaseDegree - 1;
  const uint64_t metagraph_node = node * kMPrime;
  const auto n_buckets = static_cast<uint64_t>(std::ceil(std::log2(static_cast<double>(metagraph_node))));
  // V1_0 puts the predecessor last, later versions first.
  uint32_t* random = api_version_ == ApiVersion::kV1_0 ? out : out + 1;
  for (uint64_t i = 0; i < kMPrime; ++i) {
    const uint64_t bucket = rng.nextU64() % n_buckets + 1;
    const uint64_t largest = std::min(metagraph_node, uint64_t{1} << bucket);
    const uint64_t smallest = std::max<uint64_t>(2, largest >> 1);
    const uint64_t distance = smallest + rng.nextU64() % (largest - smallest + 1);
    const auto parent = static_cast<uint32_t>((metagraph_node - distance) / kMPrime);
    random[i] = parent == node ? static_cast<uint32_t>(node - 1) : parent;
  }
  out[api_version_ == ApiVersion::kV1_0 ? kMPrime : 0] = static_cast<uint32_t>(node - 1);
}

uint64_t StackedGraph::feistelPermute(uint64_t index) const {
  const uint64_t elements = nodes_ * kExpansionDegree;
  auto encode = [&](uint64_t x) {
    uint64_t left = (x & left_mask_) >> half_bits_;
    uint64_t right = x & right_mask_;
    for (int round = 0; round < 3; ++round) {
      const uint64_t f = blake2b512First8BigEndian(__builtin_bswap64(right), __builtin_bswap64(feistel_keys_[round]));
      const uint64_t next_right = left ^ (f & right_mask_);
      left = right;
      right = next_right;
    }
    return (left << half_bits_) | right;
  };
  uint64_t u = encode(index);
  while (u >= elements) u = encode(u);  // cycle-walk back into the domain
  return u;
}

void StackedGraph::expanderParents(uint64_t node, uint32_t* out) const {
  for (uint64_t i = 0; i < kExpansionDegree; ++i) {
    const uint64_t transformed = feistelPermute(node * kExpansionDegree + i);
    // V1_0 truncated to 32 bits before dividing (wrong for 64 GiB, kept).
    out[i] = api_version_ == ApiVersion::kV1_0
                 ? static_cast<uint32_t>(transformed) / static_cast<uint32_t>(kExpansionDegree)
                 : static_cast<uint32_t>(transformed / kExpansionDegree);
  }
}

// ---------------------------------------------------------------------------

bool generateParents(const StackedGraph& graph, uint32_t* out, unsigned threads, const ProgressFn& progress) {
  const uint64_t nodes = graph.nodes();
  threads = std::max(1u, threads);
  constexpr uint64_t kBatch = 1 << 14;
  std::atomic<uint64_t> next{0}, done{0};
  std::atomic<bool> cancelled{false};
  uint64_t reported = 0;  // written by the reporting (calling) thread only
  auto work = [&](bool reporter) {
    for (;;) {
      const uint64_t begin = next.fetch_add(kBatch);
      if (begin >= nodes || cancelled.load()) return;
      const uint64_t end = std::min(nodes, begin + kBatch);
      for (uint64_t n = begin; n < end; ++n) graph.parents(n, out + n * kTotalParents);
      const uint64_t total_done = done.fetch_add(end - begin) + (end - begin);
      if (reporter && progress) {
        reported = total_done;
        if (!progress(total_done, nodes)) cancelled = true;
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, false);
  work(true);
  for (auto& t : pool) t.join();
  // The reporter may have finished before the other threads' last batches
  // (for a small graph, before doing any): report completion once.
  if (!cancelled.load() && progress && reported != nodes) progress(nodes, nodes);
  return !cancelled.load();
}

ParentCache::ParentCache(ParentCache&& o) noexcept { *this = std::move(o); }

ParentCache& ParentCache::operator=(ParentCache&& o) noexcept {
  if (this != &o) {
    if (mapping_ != nullptr) munmap(mapping_, mapping_size_);
    data_ = std::exchange(o.data_, nullptr);
    nodes_ = std::exchange(o.nodes_, 0);
    mapping_ = std::exchange(o.mapping_, nullptr);
    mapping_size_ = std::exchange(o.mapping_size_, 0);
    memory_ = std::move(o.memory_);
  }
  return *this;
}

ParentCache::~ParentCache() {
  if (mapping_ != nullptr) munmap(mapping_, mapping_size_);
}

ParentCache ParentCache::inMemory(const StackedGraph& graph, unsigned threads) {
  ParentCache c;
  c.nodes_ = graph.nodes();
  c.memory_ = std::make_unique<uint32_t[]>(c.nodes_ * kTotalParents);
  generateParents(graph, c.memory_.get(), threads, {});
  c.data_ = c.memory_.get();
  return c;
}

std::filesystem::path ParentCache::defaultDir() {
  if (const char* env = std::getenv("FIL_PROOFS_PARENT_CACHE"); env != nullptr && *env != '\0') return env;
  return "/var/tmp/filecoin-parents";
}

std::string ParentCache::fileName(const SealProofInfo& info) {
  // rust-fil-proofs cache.rs cache_path(): SHA-256 of the hasher name, the
  // graph identifier, the Feistel keys and the entry count.
  const StackedGraph graph(info.nodes(), porepId(info.proof), info.api_version);
  crypto::Sha256 h;
  h.update(asBytes("poseidon_hasher"));
  h.update(asBytes(fmt::format("stacked_graph::StackedGraph{{expansion_degree: 8 base_graph: "
                               "drgraph::BucketGraph{{size: {}; degree: 6; hasher: poseidon_hasher}} }}",
                               info.nodes())));
  const auto feistel = domainSeed("Filecoin_Feistel", porepId(info.proof));
  h.update(feistel);
  Bytes entries;
  putU32LE(entries, static_cast<uint32_t>(info.nodes()));
  h.update(entries);
  return fmt::format("v28-sdr-parent-{}.cache", toHex(h.finish()));
}

namespace {

Result<std::string> fileDigest(const uint8_t* data, size_t size) {
  crypto::Sha256 h;
  constexpr size_t kStep = size_t{64} << 20;
  for (size_t off = 0; off < size; off += kStep) h.update(BytesView(data + off, std::min(kStep, size - off)));
  return toHex(h.finish());
}

}  // namespace

Result<ParentCache> ParentCache::open(const std::filesystem::path& dir, const SealProofInfo& info, bool verify,
                                      unsigned threads, const ProgressFn& progress) {
  namespace fs = std::filesystem;
  const uint64_t nodes = info.nodes();
  const size_t size = nodes * kTotalParents * 4;
  const fs::path path = dir / fileName(info);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return fail(errnoError("creating parent cache directory " + dir.string(), ec.value()));

  if (!fs::exists(path)) {
    // Generate into a private temporary file, check, then rename: a crash
    // never leaves a partial cache under the real name.
    const fs::path tmp = dir / fmt::format("{}.tmp-{}", path.filename().string(), getpid());
    const int fd = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return fail(errnoError("creating " + tmp.string(), errno));
    if (ftruncate(fd, static_cast<off_t>(size)) != 0) {
      const int err = errno;
      ::close(fd);
      fs::remove(tmp, ec);
      return fail(errnoError("sizing " + tmp.string(), err));
    }
    void* map = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    ::close(fd);
    if (map == MAP_FAILED) {
      fs::remove(tmp, ec);
      return fail(errnoError("mapping " + tmp.string(), errno));
    }
    const StackedGraph graph(nodes, porepId(info.proof), info.api_version);
    const bool complete = generateParents(graph, static_cast<uint32_t*>(map), threads, progress);
    std::string digest;
    if (complete) digest = *fileDigest(static_cast<const uint8_t*>(map), size);
    const bool synced = complete && msync(map, size, MS_SYNC) == 0;
    munmap(map, size);
    if (!complete) {
      fs::remove(tmp, ec);
      return fail(ProofsError::kCancelled, "parent cache generation cancelled");
    }
    if (digest != info.parent_cache_digest) {
      fs::remove(tmp, ec);
      return fail(ProofsError::kCorruptFile,
                  fmt::format("generated parent cache for {} has digest {}, not the published {}",
                              sealProofName(info.proof), digest, info.parent_cache_digest));
    }
    if (!synced) {
      fs::remove(tmp, ec);
      return fail(errnoError("syncing " + tmp.string(), errno));
    }
    fs::rename(tmp, path, ec);
    if (ec) return fail(errnoError("renaming " + tmp.string(), ec.value()));
  }

  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(errnoError("opening " + path.string(), errno));
  struct stat st {};
  if (fstat(fd, &st) != 0 || static_cast<uint64_t>(st.st_size) != size) {
    ::close(fd);
    return fail(ProofsError::kCorruptFile,
                fmt::format("parent cache {} has {} bytes, expected {}; delete it to regenerate", path.string(),
                            st.st_size, size));
  }
  void* map = mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return fail(errnoError("mapping " + path.string(), errno));
  ParentCache c;
  c.mapping_ = map;
  c.mapping_size_ = size;
  c.data_ = static_cast<const uint32_t*>(map);
  c.nodes_ = nodes;
  if (verify) {
    const auto digest = *fileDigest(static_cast<const uint8_t*>(map), size);
    if (digest != info.parent_cache_digest) {
      return fail(ProofsError::kCorruptFile,
                  fmt::format("parent cache {} has digest {}, not the published {}; delete it to regenerate",
                              path.string(), digest, info.parent_cache_digest));
    }
  }
  return c;
}

}  // namespace fil::proofs
