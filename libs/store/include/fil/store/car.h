// CAR files (content-addressed archives): a stream of blocks with a header
// naming the DAG roots.
//
// CARv1: varint(len) + DAG-CBOR {"roots": [CID...], "version": 1}, then
// sections varint(len) + CID bytes + block bytes. CARv2 (read only) wraps a
// CARv1 payload: an 11-byte pragma, a 40-byte header (characteristics, data
// offset, data size, index offset, little-endian u64s), the payload, an index.
//
//   FIL_ASSIGN_OR_RETURN(auto in, FileSource::open(fs, path));
//   FIL_ASSIGN_OR_RETURN(auto car, CarReader::open(*in));
//   while (true) {
//     FIL_ASSIGN_OR_RETURN(auto block, car->next());   // hash checked
//     if (!block) break;
//     ...
//   }
//
//   FIL_ASSIGN_OR_RETURN(auto writer, CarWriter::create(sink, {root}));
//   FIL_TRY(writer.put(cid, data));
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/cid/cid.h"
#include "fil/store/blockstore.h"
#include "fil/store/filesystem.h"
#include "fil/store/io.h"

namespace fil::store {

struct CarReadOptions {
  // Re-hash every block and refuse one that does not match its CID.
  bool verify = true;
  // With verify: let blocks whose hash function cannot be recomputed here
  // through unverified (CarBlock::verified is false) instead of failing.
  bool allow_unverifiable = false;
  // Limits as go-car's defaults, so a corrupt length cannot ask for gigabytes.
  uint64_t max_header_bytes = 32ull << 20;
  uint64_t max_section_bytes = 8ull << 20;
};

struct CarHeader {
  uint64_t version = 1;  // 1 or 2 (the outer format)
  std::vector<cid::Cid> roots;
  // CARv2 only: where the CARv1 payload lies in the file, and the index.
  uint64_t data_offset = 0;
  uint64_t data_size = 0;
  uint64_t index_offset = 0;
};

struct CarBlock {
  cid::Cid cid;
  Bytes data;
  uint64_t offset = 0;       // of the section in the file
  uint64_t data_offset = 0;  // of the block's bytes in the file
  bool verified = false;     // the data was re-hashed and matched
};

class CarReader {
 public:
  // Reads the header(s); `source` must outlive the reader.
  [[nodiscard]] static Result<std::unique_ptr<CarReader>> open(ByteSource& source, CarReadOptions options = {});

  const CarHeader& header() const { return header_; }
  // The next block, or nullopt at the end of the payload. Errors name the
  // offset: kTruncated, kMalformed, kTooLarge, kCorrupt (hash mismatch).
  [[nodiscard]] Result<std::optional<CarBlock>> next();

 private:
  CarReader(ByteSource& source, CarReadOptions options) : reader_(source), options_(options) {}
  [[nodiscard]] Status readHeaders();

  SourceReader reader_;
  CarReadOptions options_;
  CarHeader header_;
  std::optional<uint64_t> payload_end_;  // CARv2: the offset where blocks stop
};

// The CARv1 header bytes (with their varint length prefix) for `roots`.
Bytes encodeCarHeader(const std::vector<cid::Cid>& roots);

class CarWriter {
 public:
  // Writes the header; `sink` must outlive the writer.
  [[nodiscard]] static Result<CarWriter> create(ByteSink& sink, const std::vector<cid::Cid>& roots);
  // Writes one section. The caller vouches that `data` matches `cid`.
  [[nodiscard]] Status put(const cid::Cid& cid, BytesView data);
  uint64_t bytesWritten() const { return bytes_; }
  uint64_t blocksWritten() const { return blocks_; }

 private:
  explicit CarWriter(ByteSink& sink) : sink_(&sink) {}
  ByteSink* sink_;
  uint64_t bytes_ = 0;
  uint64_t blocks_ = 0;
};

// A read-only Blockstore over a CAR file (v1 or v2): opening reads the file
// once, checking every block against its CID and noting where it lies; get()
// then reads the block straight from the file. Memory is one index entry per
// block, not the blocks.
class CarFileBlockstore final : public Blockstore {
 public:
  [[nodiscard]] static Result<std::unique_ptr<CarFileBlockstore>> open(FileSystem& fs, const std::string& path,
                                                                       CarReadOptions options = {});
  const CarHeader& header() const { return header_; }
  size_t size() const { return index_.size(); }

  Result<Bytes> get(const cid::Cid& cid) const override;
  Result<bool> has(const cid::Cid& cid) const override;
  // kUnsupported: the file is read only.
  Status put(const cid::Cid& cid, BytesView data) override;
  Status putMany(const std::vector<Block>& blocks) override;

 private:
  struct Extent {
    uint64_t offset;
    uint64_t size;
  };
  CarFileBlockstore(std::string path, std::unique_ptr<ReadableFile> file) : path_(std::move(path)), file_(std::move(file)) {}
  std::string path_;
  std::unique_ptr<ReadableFile> file_;
  CarHeader header_;
  std::map<Bytes, Extent> index_;  // multihash bytes -> block bytes in the file
};

}  // namespace fil::store
