// Byte streams for readers and writers of large files (CAR files, backups,
// UnixFS imports) so that nothing needs the whole file in memory.
//
//   FIL_ASSIGN_OR_RETURN(auto in, FileSource::open(fs, path));
//   SourceReader reader(*in);
//   FIL_ASSIGN_OR_RETURN(uint64_t n, reader.readUvarint());
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/store/filesystem.h"

namespace fil::store {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to out.size() bytes; returns 0 only at the end of the stream.
  [[nodiscard]] virtual Result<size_t> read(MutableBytesView out) = 0;
};

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  // Writes all of `data` or fails.
  [[nodiscard]] virtual Status write(BytesView data) = 0;
};

// Reads a borrowed buffer, which must outlive the source.
class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(BytesView data) : data_(data) {}
  Result<size_t> read(MutableBytesView out) override;

 private:
  BytesView data_;
  size_t pos_ = 0;
};

class MemorySink final : public ByteSink {
 public:
  Status write(BytesView data) override {
    append(data_, data);
    return ok();
  }
  const Bytes& data() const { return data_; }
  Bytes take() && { return std::move(data_); }

 private:
  Bytes data_;
};

// Reads a file from the start, through the filesystem seam.
class FileSource final : public ByteSource {
 public:
  [[nodiscard]] static Result<std::unique_ptr<FileSource>> open(FileSystem& fs, const std::string& path);
  Result<size_t> read(MutableBytesView out) override;
  const std::string& path() const { return path_; }
  [[nodiscard]] Result<uint64_t> size() { return file_->size(); }

 private:
  FileSource(std::string path, std::unique_ptr<ReadableFile> file) : path_(std::move(path)), file_(std::move(file)) {}
  std::string path_;
  std::unique_ptr<ReadableFile> file_;
  uint64_t offset_ = 0;
};

// Appends to a WritableFile through a buffer; finish() flushes the buffer
// (and does not sync or close the file).
class FileSink final : public ByteSink {
 public:
  explicit FileSink(WritableFile& file, size_t buffer_bytes = 1 << 20) : file_(file), limit_(buffer_bytes) {}
  Status write(BytesView data) override;
  [[nodiscard]] Status finish();

 private:
  WritableFile& file_;
  size_t limit_;
  Bytes buffer_;
};

// Buffered reading of a ByteSource for parsers, with the offset consumed so
// far for error messages.
class SourceReader {
 public:
  explicit SourceReader(ByteSource& source, size_t buffer_bytes = 64 * 1024);

  // Whether the stream has no more bytes (reads ahead to find out).
  [[nodiscard]] Result<bool> atEnd();
  // Reads exactly out.size() bytes; StoreError::kTruncated if the stream ends first.
  [[nodiscard]] Status readExact(MutableBytesView out);
  [[nodiscard]] Result<Bytes> readBytes(size_t n);
  [[nodiscard]] Result<uint8_t> readByte();
  // A multiformats unsigned varint (minimal, at most 9 bytes).
  [[nodiscard]] Result<uint64_t> readUvarint();
  [[nodiscard]] Status skip(uint64_t n);
  uint64_t offset() const { return offset_; }

 private:
  [[nodiscard]] Result<bool> fill();  // false at the end of the stream
  ByteSource& source_;
  Bytes buffer_;
  size_t pos_ = 0;
  size_t end_ = 0;
  uint64_t offset_ = 0;
};

}  // namespace fil::store
