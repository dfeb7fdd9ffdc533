#include "fil/store/io.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "fil/base/varint.h"

namespace fil::store {

Result<size_t> MemorySource::read(MutableBytesView out) {
  const size_t n = std::min(out.size(), data_.size() - pos_);
  if (n == 0) return 0;  // the views may be empty (null data pointers)
  std::memcpy(out.data(), data_.data() + pos_, n);
  pos_ += n;
  return n;
}

Result<std::unique_ptr<FileSource>> FileSource::open(FileSystem& fs, const std::string& path) {
  FIL_ASSIGN_OR_RETURN(auto file, fs.openForRead(path));
  return std::unique_ptr<FileSource>(new FileSource(path, std::move(file)));
}

Result<size_t> FileSource::read(MutableBytesView out) {
  FIL_ASSIGN_OR_RETURN(size_t n, file_->readAt(offset_, out));
  offset_ += n;
  return n;
}

Status FileSink::write(BytesView data) {
  if (buffer_.size() + data.size() > limit_) {
    FIL_TRY(finish());
    if (data.size() >= limit_) return file_.append(data);
  }
  append(buffer_, data);
  return ok();
}

Status FileSink::finish() {
  if (buffer_.empty()) return ok();
  FIL_TRY(file_.append(buffer_));
  buffer_.clear();
  return ok();
}

SourceReader::SourceReader(ByteSource& source, size_t buffer_bytes) : source_(source), buffer_(buffer_bytes) {}

Result<bool> SourceReader::fill() {
  if (pos_ < end_) return true;
  FIL_ASSIGN_OR_RETURN(size_t n, source_.read(buffer_));
  pos_ = 0;
  end_ = n;
  return n > 0;
}

Result<bool> SourceReader::atEnd() {
  FIL_ASSIGN_OR_RETURN(bool more, fill());
  return !more;
}

Status SourceReader::readExact(MutableBytesView out) {
  size_t done = 0;
  while (done < out.size()) {
    FIL_ASSIGN_OR_RETURN(bool more, fill());
    if (!more) {
      return fail(StoreError::kTruncated, fmt::format("input ends at offset {} with {} of {} bytes still to read",
                                                      offset_, out.size() - done, out.size()));
    }
    const size_t n = std::min(out.size() - done, end_ - pos_);
    std::memcpy(out.data() + done, buffer_.data() + pos_, n);
    pos_ += n;
    done += n;
    offset_ += n;
  }
  return ok();
}

Result<Bytes> SourceReader::readBytes(size_t n) {
  // Grows with the data actually read, so a corrupt length on a short input
  // fails with kTruncated instead of allocating what it claims.
  constexpr size_t kStep = 1 << 20;
  Bytes out;
  out.reserve(std::min(n, kStep));
  while (out.size() < n) {
    const size_t done = out.size();
    const size_t step = std::min(kStep, n - done);
    out.resize(done + step);
    if (auto r = readExact(MutableBytesView(out).subspan(done, step)); !r) {
      if (!r.error().is(StoreError::kTruncated)) return fail(std::move(r).error());
      return fail(StoreError::kTruncated, fmt::format("input ends at offset {} inside an item of {} bytes", offset_, n));
    }
  }
  return out;
}

Result<uint8_t> SourceReader::readByte() {
  uint8_t b = 0;
  FIL_TRY(readExact(MutableBytesView(&b, 1)));
  return b;
}

Result<uint64_t> SourceReader::readUvarint() {
  const uint64_t start = offset_;
  Bytes bytes;
  for (size_t i = 0; i < kMaxVarintBytes; ++i) {
    FIL_ASSIGN_OR_RETURN(uint8_t b, readByte());
    bytes.push_back(b);
    if ((b & 0x80) == 0) break;
  }
  auto decoded = decodeUvarint(bytes);
  if (!decoded || decoded->size != bytes.size()) {
    return fail(StoreError::kMalformed, fmt::format("bad varint at offset {}{}", start,
                                                    decoded ? "" : ": " + decoded.error().message()));
  }
  return decoded->value;
}

Status SourceReader::skip(uint64_t n) {
  while (n > 0) {
    FIL_ASSIGN_OR_RETURN(bool more, fill());
    if (!more) return fail(StoreError::kTruncated, fmt::format("input ends at offset {} while skipping", offset_));
    const size_t step = static_cast<size_t>(std::min<uint64_t>(n, end_ - pos_));
    pos_ += step;
    offset_ += step;
    n -= step;
  }
  return ok();
}

}  // namespace fil::store
