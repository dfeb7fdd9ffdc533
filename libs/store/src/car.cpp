#include "fil/store/car.h"

#include <fmt/format.h>

#include "fil/base/varint.h"
#include "fil/store/blockstore.h"
#include "fil/codec/cbor_decoder.h"
#include "fil/codec/cbor_encoder.h"

namespace fil::store {

namespace {

constexpr uint64_t kV2PragmaSize = 11;   // varint(10) + {"version": 2}
constexpr uint64_t kV2HeaderSize = 40;   // characteristics (16) + 3 x u64

struct DecodedHeader {
  uint64_t version = 0;
  std::optional<std::vector<cid::Cid>> roots;
};

Result<DecodedHeader> decodeHeader(BytesView bytes, uint64_t offset) {
  auto bad = [&](const std::string& what) {
    return fail(StoreError::kMalformed, fmt::format("CAR header at offset {}: {}", offset, what));
  };
  codec::CborDecoder d(bytes);
  auto entries = d.readMapHeader();
  if (!entries) return bad(entries.error().message());
  DecodedHeader h;
  bool have_version = false;
  for (uint64_t i = 0; i < *entries; ++i) {
    auto key = d.readText();
    if (!key) return bad(key.error().message());
    if (*key == "version") {
      if (have_version) return bad("\"version\" appears twice");
      auto v = d.readUint();
      if (!v) return bad("version: " + v.error().message());
      h.version = *v;
      have_version = true;
    } else if (*key == "roots") {
      if (h.roots) return bad("\"roots\" appears twice");
      auto n = d.readArrayHeader();
      if (!n) return bad("roots: " + n.error().message());
      std::vector<cid::Cid> roots;
      for (uint64_t r = 0; r < *n; ++r) {
        auto c = d.readCid();
        if (!c) return bad("roots: " + c.error().message());
        roots.push_back(std::move(*c));
      }
      h.roots = std::move(roots);
    } else {
      if (auto skipped = d.skip(); !skipped) return bad(skipped.error().message());
    }
  }
  if (auto end = d.expectEnd(); !end) return bad(end.error().message());
  if (!have_version) return bad("no \"version\"");
  return h;
}

}  // namespace

Result<std::unique_ptr<CarReader>> CarReader::open(ByteSource& source, CarReadOptions options) {
  std::unique_ptr<CarReader> reader(new CarReader(source, options));
  FIL_TRY(reader->readHeaders());
  return reader;
}

Status CarReader::readHeaders() {
  auto readOne = [&]() -> Result<DecodedHeader> {
    const uint64_t at = reader_.offset();
    FIL_ASSIGN_OR_RETURN(bool empty, reader_.atEnd());
    if (empty) return fail(StoreError::kTruncated, "empty file: a CAR starts with a header");
    FIL_ASSIGN_OR_RETURN(uint64_t length, reader_.readUvarint());
    if (length == 0) return fail(StoreError::kMalformed, fmt::format("CAR header at offset {} has length 0", at));
    if (length > options_.max_header_bytes) {
      return fail(StoreError::kTooLarge, fmt::format("CAR header at offset {} claims {} bytes, more than the {} allowed",
                                                     at, length, options_.max_header_bytes));
    }
    auto bytes = reader_.readBytes(static_cast<size_t>(length));
    if (!bytes) return fail(std::move(bytes).error().withContext("reading the CAR header"));
    return decodeHeader(*bytes, at);
  };

  FIL_ASSIGN_OR_RETURN(DecodedHeader outer, readOne());
  if (outer.version == 1) {
    if (!outer.roots) return fail(StoreError::kMalformed, "CARv1 header has no \"roots\"");
    header_.version = 1;
    header_.roots = std::move(*outer.roots);
    return ok();
  }
  if (outer.version != 2) {
    return fail(StoreError::kUnsupported, fmt::format("CAR version {} is not supported (1 and 2 are)", outer.version));
  }
  if (reader_.offset() != kV2PragmaSize) {
    return fail(StoreError::kMalformed, "CARv2 pragma is not the 11 bytes the format defines");
  }
  header_.version = 2;
  Bytes v2(kV2HeaderSize);
  if (auto r = reader_.readExact(v2); !r) return fail(std::move(r).error().withContext("reading the CARv2 header"));
  header_.data_offset = readU64LE(v2.data() + 16);
  header_.data_size = readU64LE(v2.data() + 24);
  header_.index_offset = readU64LE(v2.data() + 32);
  if (header_.data_offset < kV2PragmaSize + kV2HeaderSize ||
      header_.data_offset + header_.data_size < header_.data_offset) {
    return fail(StoreError::kMalformed, fmt::format("CARv2 data offset {} / size {} are impossible",
                                                    header_.data_offset, header_.data_size));
  }
  FIL_TRY(reader_.skip(header_.data_offset - reader_.offset()));
  payload_end_ = header_.data_offset + header_.data_size;
  FIL_ASSIGN_OR_RETURN(DecodedHeader inner, readOne());
  if (inner.version != 1 || !inner.roots) {
    return fail(StoreError::kMalformed, "the payload of a CARv2 must start with a CARv1 header");
  }
  if (reader_.offset() > *payload_end_) {
    return fail(StoreError::kMalformed, "the CARv1 header runs past the CARv2 data size");
  }
  header_.roots = std::move(*inner.roots);
  return ok();
}

Result<std::optional<CarBlock>> CarReader::next() {
  const uint64_t at = reader_.offset();
  if (payload_end_) {
    if (at == *payload_end_) return std::optional<CarBlock>();
  } else {
    FIL_ASSIGN_OR_RETURN(bool end, reader_.atEnd());
    if (end) return std::optional<CarBlock>();
  }
  auto length = reader_.readUvarint();
  if (!length) return fail(std::move(length).error().withContext(fmt::format("CAR section at offset {}", at)));
  if (*length == 0) return fail(StoreError::kMalformed, fmt::format("CAR section at offset {} has length 0", at));
  if (*length > options_.max_section_bytes) {
    return fail(StoreError::kTooLarge, fmt::format("CAR section at offset {} claims {} bytes, more than the {} allowed",
                                                   at, *length, options_.max_section_bytes));
  }
  if (payload_end_ && reader_.offset() + *length > *payload_end_) {
    return fail(StoreError::kMalformed, fmt::format("CAR section at offset {} runs past the CARv2 data size", at));
  }
  auto section = reader_.readBytes(static_cast<size_t>(*length));
  if (!section) return fail(std::move(section).error().withContext(fmt::format("CAR section at offset {}", at)));

  BytesView rest(*section);
  auto c = cid::Cid::read(rest);
  if (!c) {
    return fail(StoreError::kMalformed, fmt::format("CAR section at offset {}: bad CID: {}", at, c.error().message()));
  }
  const uint64_t data_offset = reader_.offset() - rest.size();
  CarBlock block{std::move(*c), Bytes(rest.begin(), rest.end()), at, data_offset, false};
  if (options_.verify) {
    auto verified = verifyBlock(block.cid, block.data);
    if (verified) {
      block.verified = true;
    } else if (!(verified.error().is(StoreError::kUnsupported) && options_.allow_unverifiable)) {
      return fail(std::move(verified).error().withContext(fmt::format("CAR section at offset {}", at)));
    }
  }
  return std::optional<CarBlock>(std::move(block));
}

Bytes encodeCarHeader(const std::vector<cid::Cid>& roots) {
  codec::CborEncoder e;
  e.writeMapHeader(2);
  e.writeText("roots");
  e.writeArrayHeader(roots.size());
  for (const auto& r : roots) e.writeCid(r);
  e.writeText("version");
  e.writeUint(1);
  const Bytes body = std::move(e).take();
  Bytes out = encodeUvarint(body.size());
  append(out, body);
  return out;
}

Result<CarWriter> CarWriter::create(ByteSink& sink, const std::vector<cid::Cid>& roots) {
  CarWriter writer(sink);
  const Bytes header = encodeCarHeader(roots);
  FIL_TRY(sink.write(header));
  writer.bytes_ = header.size();
  return writer;
}

Status CarWriter::put(const cid::Cid& c, BytesView data) {
  const Bytes cid_bytes = c.toBytes();
  Bytes prefix = encodeUvarint(cid_bytes.size() + data.size());
  append(prefix, cid_bytes);
  FIL_TRY(sink_->write(prefix));
  FIL_TRY(sink_->write(data));
  bytes_ += prefix.size() + data.size();
  ++blocks_;
  return ok();
}

Result<std::unique_ptr<CarFileBlockstore>> CarFileBlockstore::open(FileSystem& fs, const std::string& path,
                                                                   CarReadOptions options) {
  FIL_ASSIGN_OR_RETURN(auto file, fs.openForRead(path));
  std::unique_ptr<CarFileBlockstore> store(new CarFileBlockstore(path, std::move(file)));
  FIL_ASSIGN_OR_RETURN(auto source, FileSource::open(fs, path));
  auto reader = CarReader::open(*source, options);
  if (!reader) return fail(std::move(reader).error().withContext(path));
  store->header_ = (*reader)->header();
  while (true) {
    auto block = (*reader)->next();
    if (!block) return fail(std::move(block).error().withContext(path));
    if (!*block) break;
    store->index_.try_emplace((*block)->cid.hash().toBytes(), Extent{(*block)->data_offset, (*block)->data.size()});
  }
  return store;
}

Result<Bytes> CarFileBlockstore::get(const cid::Cid& c) const {
  if (c.hash().code() == cid::HashCode::kIdentity) return c.hash().digest();
  auto it = index_.find(c.hash().toBytes());
  if (it == index_.end()) return fail(StoreError::kNotFound, fmt::format("block {} is not in {}", c.toString(), path_));
  Bytes data(it->second.size);
  FIL_ASSIGN_OR_RETURN(size_t n, file_->readAt(it->second.offset, data));
  if (n != data.size()) {
    return fail(StoreError::kTruncated, fmt::format("{} shrank since it was opened (block {})", path_, c.toString()));
  }
  return data;
}

Result<bool> CarFileBlockstore::has(const cid::Cid& c) const {
  return c.hash().code() == cid::HashCode::kIdentity || index_.contains(c.hash().toBytes());
}

Status CarFileBlockstore::put(const cid::Cid&, BytesView) {
  return fail(StoreError::kUnsupported, path_ + " is opened read only");
}

Status CarFileBlockstore::putMany(const std::vector<Block>&) {
  return fail(StoreError::kUnsupported, path_ + " is opened read only");
}

}  // namespace fil::store
