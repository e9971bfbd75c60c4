#include "common/csv.h"

#include <fcntl.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <fmt/format.h>
#include <iconv.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "common/csv_internal.h"
#include "common/text_internal.h"

namespace zx {
namespace {

// Bytes read from the source at a time. Large enough that system calls and
// buffer compaction are noise; small enough that memory stays flat.
constexpr size_t kDefaultBlockBytes = 1 << 20;
// Bytes examined to decide between UTF-8 and GB18030.
constexpr size_t kDetectionBytes = 1 << 20;
// Bytes examined to find the header line's delimiter.
constexpr size_t kHeaderScanBytes = 64 << 10;
// Longest multi-byte sequence in UTF-8 and in GB18030.
constexpr size_t kMaxSequenceBytes = 4;

std::string OpenErrorMessage(const std::string& path, int error) {
  switch (error) {
    case ENOENT:
      return fmt::format("文件不存在：{}", path);
    case EACCES:
      return fmt::format("没有读取文件的权限：{}", path);
    case EISDIR:
      return fmt::format("这是一个目录而不是文件：{}", path);
    default:
      return fmt::format("无法读取文件：{}（系统错误 {}）", path, error);
  }
}

// A growable byte buffer that, unlike std::string, does not zero-fill what
// read() is about to overwrite.
class ByteBuffer {
 public:
  size_t size() const { return size_; }
  char* data() { return data_.get(); }
  const char* data() const { return data_.get(); }
  char operator[](size_t index) const { return data_[index]; }
  void clear() { size_ = 0; }
  void EraseFront(size_t count) {
    std::memmove(data_.get(), data_.get() + count, size_ - count);
    size_ -= count;
  }
  void resize(size_t size) {
    if (size > capacity_) {
      const size_t capacity = std::max(size, capacity_ * 2);
      std::unique_ptr<char[]> grown(new char[capacity]);
      if (size_ > 0) std::memcpy(grown.get(), data_.get(), size_);
      data_ = std::move(grown);
      capacity_ = capacity;
    }
    size_ = size;
  }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

// First byte in [p, end) that ends an unquoted field (delimiter, CR, LF).
inline const char* FindFieldEnd(const char* p, const char* end, char delimiter, const bool* stop) {
#if defined(__SSE2__)
  const __m128i delimiters = _mm_set1_epi8(delimiter);
  const __m128i carriage_returns = _mm_set1_epi8('\r');
  const __m128i line_feeds = _mm_set1_epi8('\n');
  while (end - p >= 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hits =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, delimiters), _mm_cmpeq_epi8(block, carriage_returns)),
                     _mm_cmpeq_epi8(block, line_feeds));
    const int mask = _mm_movemask_epi8(hits);
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#else
  (void)delimiter;
#endif
  while (p < end && !stop[static_cast<unsigned char>(*p)]) ++p;
  return p;
}

// Where raw bytes come from.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  /// Reads up to `size` bytes; 0 means end of input.
  virtual Result<size_t> Read(char* dst, size_t size) = 0;
  virtual std::int64_t total() const = 0;
  /// Bytes still to come if known exactly, else -1 (lets buffers be sized
  /// to small inputs).
  virtual std::int64_t remaining() const { return -1; }
};

class FileSource final : public ByteSource {
 public:
  FileSource(int fd, std::string path, std::int64_t total) : fd_(fd), path_(std::move(path)), total_(total) {}
  ~FileSource() override { ::close(fd_); }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  Result<size_t> Read(char* dst, size_t size) override {
    for (;;) {
      const ssize_t got = ::read(fd_, dst, size);
      if (got >= 0) return static_cast<size_t>(got);
      if (errno == EINTR) continue;
      return Unavailable(fmt::format("读取文件时出错：{}（系统错误 {}）", path_, errno));
    }
  }
  std::int64_t total() const override { return total_; }

 private:
  int fd_;
  std::string path_;
  std::int64_t total_;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string_view data) : data_(data) {}
  Result<size_t> Read(char* dst, size_t size) override {
    const size_t count = std::min(size, data_.size() - offset_);
    if (count > 0) std::memcpy(dst, data_.data() + offset_, count);
    offset_ += count;
    return count;
  }
  std::int64_t total() const override { return static_cast<std::int64_t>(data_.size()); }
  std::int64_t remaining() const override { return static_cast<std::int64_t>(data_.size() - offset_); }

 private:
  std::string_view data_;
  size_t offset_ = 0;
};

enum class ParseOutcome { kRecord, kEmptyLine, kNeedMore, kUnterminatedQuote };

class CsvReaderImpl final : public CsvReader {
 public:
  CsvReaderImpl(std::unique_ptr<ByteSource> source, const CsvReadOptions& options, size_t block_bytes)
      : source_(std::move(source)),
        options_(options),
        chunk_bytes_(std::max<size_t>(block_bytes, 2 * kMaxSequenceBytes)) {}

  ~CsvReaderImpl() override {
    if (converter_ != reinterpret_cast<iconv_t>(-1)) iconv_close(converter_);
  }
  CsvReaderImpl(const CsvReaderImpl&) = delete;
  CsvReaderImpl& operator=(const CsvReaderImpl&) = delete;

  Status Init() {
    // Pull in the detection sample; it stays in raw_ and is decoded later.
    const size_t sample_bytes = options_.force_encoding ? 3 : kDetectionBytes;
    while (raw_.size() < sample_bytes && !source_eof_) RETURN_IF_ERROR(ReadRaw(sample_bytes - raw_.size()));
    const bool has_bom = raw_.size() >= 3 && std::memcmp(raw_.data(), "\xEF\xBB\xBF", 3) == 0;
    if (options_.force_encoding) {
      encoding_ = options_.encoding;
      if (encoding_ != TextEncoding::kGb18030 && has_bom) raw_pos_ = 3;
    } else if (has_bom) {
      encoding_ = TextEncoding::kUtf8Bom;
      raw_pos_ = 3;
    } else {
      bool truncated = false;
      const size_t valid = Utf8ValidPrefix(raw_.data(), raw_.size(), &truncated);
      const bool utf8 = valid == raw_.size() || (truncated && !source_eof_);
      encoding_ = utf8 ? TextEncoding::kUtf8 : TextEncoding::kGb18030;
    }
    if (encoding_ == TextEncoding::kGb18030) {
      converter_ = iconv_open("UTF-8", "GB18030");
      if (converter_ == reinterpret_cast<iconv_t>(-1)) {
        return Internal("系统缺少 GB18030 编码转换支持（glibc iconv），无法读取 GBK/GB18030 文件");
      }
    }
    return Status::Ok();
  }

  Result<bool> Next(std::vector<std::string>* fields) override {
    if (!header_scanned_) RETURN_IF_ERROR(ScanHeader());
    for (;;) {
      const bool final = AllInputDecoded();
      if (final && pos_ == size_) return false;
      size_t consumed = 0;
      std::int64_t newlines = 0;
      const ParseOutcome outcome = TryParse(fields, final, &consumed, &newlines);
      switch (outcome) {
        case ParseOutcome::kRecord:
        case ParseOutcome::kEmptyLine:
          if (consumed > options_.max_record_bytes) return TooLong(line_);
          pos_ += consumed;
          record_line_ = line_;
          line_ += newlines;
          if (outcome == ParseOutcome::kEmptyLine) continue;
          ++record_number_;
          return true;
        case ParseOutcome::kUnterminatedQuote:
          return InvalidArgument(fmt::format("第 {} 行：引号未闭合", line_));
        case ParseOutcome::kNeedMore:
          if (size_ - pos_ > options_.max_record_bytes) return TooLong(line_);
          if (!decode_error_.ok()) return decode_error_;
          RETURN_IF_ERROR(Fill());
          if (!decode_error_.ok() && size_ == pos_) return decode_error_;
          break;
      }
    }
  }

  std::int64_t line_number() const override { return record_line_; }
  std::int64_t record_number() const override { return record_number_; }
  TextEncoding encoding() const override { return encoding_; }
  std::int64_t bytes_read() const override {
    return source_bytes_ - static_cast<std::int64_t>(raw_.size() - raw_pos_);
  }
  std::int64_t total_bytes() const override { return source_->total(); }

 private:
  Status TooLong(std::int64_t line) const {
    return ResourceExhausted(fmt::format("第 {} 行：一条记录超过 {} 字节的上限（可能是引号未闭合）", line,
                                         options_.max_record_bytes));
  }

  bool AllInputDecoded() const { return source_eof_ && raw_pos_ == raw_.size() && decode_error_.ok(); }

  // Appends up to `want` bytes from the source to raw_.
  Status ReadRaw(size_t want) {
    if (raw_pos_ > 0 && raw_pos_ == raw_.size()) {
      raw_.clear();
      raw_pos_ = 0;
    } else if (raw_pos_ > 0 && raw_pos_ >= raw_.size() / 2) {
      raw_.EraseFront(raw_pos_);
      raw_pos_ = 0;
    }
    const std::int64_t remaining = source_->remaining();
    if (remaining >= 0 && static_cast<std::uint64_t>(remaining) < want) want = static_cast<size_t>(remaining);
    if (want == 0) {
      source_eof_ = true;
      return Status::Ok();
    }
    const size_t old_size = raw_.size();
    raw_.resize(old_size + want);
    Result<size_t> got = source_->Read(raw_.data() + old_size, want);
    if (!got.ok()) {
      raw_.resize(old_size);
      return got.status();
    }
    raw_.resize(old_size + *got);
    source_bytes_ += static_cast<std::int64_t>(*got);
    if (*got == 0) source_eof_ = true;
    return Status::Ok();
  }

  void EnsureBufferRoom(size_t extra) {
    if (pos_ > 0) {
      std::memmove(buf_.data(), buf_.data() + pos_, size_ - pos_);
      size_ -= pos_;
      pos_ = 0;
    }
    if (buf_.size() < size_ + extra) buf_.resize(std::max(size_ + extra, buf_.size() * 2));
  }

  // Line of the first byte not yet decoded (where a decoding error sits).
  std::int64_t LineAtBufferEnd() const {
    return line_ + std::count(buf_.data() + pos_, buf_.data() + size_, '\n');
  }

  // Decodes one more chunk of input into buf_. Sets decode_error_ when the
  // input has bytes that are not valid in the detected encoding.
  Status Fill() {
    if (raw_.size() - raw_pos_ < chunk_bytes_ && !source_eof_) RETURN_IF_ERROR(ReadRaw(chunk_bytes_));
    const size_t available = raw_.size() - raw_pos_;
    const size_t chunk = std::min(chunk_bytes_, available);
    if (chunk == 0) return Status::Ok();
    const bool last_chunk = source_eof_ && chunk == available;
    if (encoding_ == TextEncoding::kGb18030) return DecodeGb18030(chunk, last_chunk);
    EnsureBufferRoom(chunk);
    std::memcpy(buf_.data() + size_, raw_.data() + raw_pos_, chunk);
    bool truncated = false;
    const size_t valid = Utf8ValidPrefix(buf_.data() + size_, chunk, &truncated);
    size_ += valid;
    raw_pos_ += valid;
    if (valid < chunk && (!truncated || last_chunk)) {
      const auto bad_byte = static_cast<unsigned char>(raw_[raw_pos_]);
      decode_error_ = InvalidArgument(
          truncated ? fmt::format("第 {} 行：文件末尾的字符不完整（文件可能被截断）", LineAtBufferEnd())
                    : fmt::format("第 {} 行：含有不是 UTF-8 编码的字节（0x{:02X}），请确认文件编码"
                                  "（支持 UTF-8、GBK、GB18030）",
                                  LineAtBufferEnd(), bad_byte));
    }
    return Status::Ok();
  }

  Status DecodeGb18030(size_t chunk, bool last_chunk) {
    EnsureBufferRoom(chunk * 2 + 16);
    char* in = raw_.data() + raw_pos_;
    size_t in_left = chunk;
    for (;;) {
      char* out = buf_.data() + size_;
      size_t out_left = buf_.size() - size_;
      const size_t rc = iconv(converter_, &in, &in_left, &out, &out_left);
      const int error = rc == static_cast<size_t>(-1) ? errno : 0;
      size_ = static_cast<size_t>(out - buf_.data());
      raw_pos_ = static_cast<size_t>(in - raw_.data());
      if (error == E2BIG) {
        buf_.resize(buf_.size() * 2);
        continue;
      }
      if (error == EILSEQ || (error == EINVAL && (last_chunk || in_left >= kMaxSequenceBytes))) {
        decode_error_ = InvalidArgument(
            error == EINVAL
                ? fmt::format("第 {} 行：文件末尾的字符不完整（文件可能被截断）", LineAtBufferEnd())
                : fmt::format("第 {} 行：含有无法按 GB18030/GBK 编码识别的字节（0x{:02X}），"
                              "请确认文件编码（支持 UTF-8、GBK、GB18030）",
                              LineAtBufferEnd(), static_cast<unsigned char>(*in)));
      } else if (error != 0 && error != EINVAL) {
        return Internal(fmt::format("GB18030 编码转换失败（系统错误 {}）", error));
      }
      return Status::Ok();
    }
  }

  // Detects the delimiter from the header line (outside quotes).
  Status ScanHeader() {
    header_scanned_ = true;
    for (;;) {
      const bool has_line = size_ > pos_ && std::memchr(buf_.data() + pos_, '\n', size_ - pos_) != nullptr;
      if (has_line || size_ - pos_ >= kHeaderScanBytes || AllInputDecoded() || !decode_error_.ok()) break;
      RETURN_IF_ERROR(Fill());
    }
    size_t commas = 0, semicolons = 0, tabs = 0;
    bool in_quotes = false;
    for (size_t idx = pos_; idx < size_; ++idx) {
      const char c = buf_[idx];
      if (c == '"') {
        in_quotes = !in_quotes;
      } else if (!in_quotes) {
        if (c == '\n' || c == '\r') break;
        commas += c == ',';
        semicolons += c == ';';
        tabs += c == '\t';
      }
    }
    delimiter_ = ',';
    if (semicolons > commas && semicolons >= tabs) delimiter_ = ';';
    if (tabs > commas && tabs > semicolons) delimiter_ = '\t';
    std::fill(std::begin(stop_), std::end(stop_), false);
    stop_[static_cast<unsigned char>(delimiter_)] = true;
    stop_[static_cast<unsigned char>('\r')] = true;
    stop_[static_cast<unsigned char>('\n')] = true;
    return Status::Ok();
  }

  // Parses one record at pos_ without committing. `final` says no more
  // input will arrive, so the end of the buffer ends the record.
  ParseOutcome TryParse(std::vector<std::string>* fields, bool final, size_t* consumed,
                        std::int64_t* newlines) {
    const char* const begin = buf_.data() + pos_;
    const char* const end = buf_.data() + size_;
    const char* p = begin;
    size_t field_count = 0;
    bool any_quoted = false;
    std::int64_t lines = 0;
    for (;;) {
      if (field_count == fields->size()) fields->emplace_back();
      std::string& field = (*fields)[field_count++];
      if (p < end && *p == '"') {
        any_quoted = true;
        field.clear();
        ++p;
        for (;;) {
          const auto* quote = static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(end - p)));
          if (quote == nullptr) return final ? ParseOutcome::kUnterminatedQuote : ParseOutcome::kNeedMore;
          lines += std::count(p, quote, '\n');
          field.append(p, quote);
          p = quote + 1;
          if (p == end) {
            if (!final) return ParseOutcome::kNeedMore;
            break;
          }
          if (*p != '"') break;
          field.push_back('"');
          ++p;
        }
        // Text after the closing quote is kept literally, as Excel does.
        const char* rest = p;
        p = FindFieldEnd(p, end, delimiter_, stop_);
        field.append(rest, p);
      } else {
        const char* start = p;
        p = FindFieldEnd(p, end, delimiter_, stop_);
        field.assign(start, p);
      }
      if (p == end) {
        if (!final) return ParseOutcome::kNeedMore;
        break;
      }
      if (*p == delimiter_) {
        ++p;
        continue;
      }
      if (*p == '\r') {
        if (p + 1 == end && !final) return ParseOutcome::kNeedMore;
        ++p;
        if (p < end && *p == '\n') ++p;
      } else {
        ++p;
      }
      ++lines;
      break;
    }
    fields->resize(field_count);
    *consumed = static_cast<size_t>(p - begin);
    *newlines = lines;
    if (field_count == 1 && !any_quoted && (*fields)[0].empty()) return ParseOutcome::kEmptyLine;
    return ParseOutcome::kRecord;
  }

  std::unique_ptr<ByteSource> source_;
  CsvReadOptions options_;
  size_t chunk_bytes_;
  TextEncoding encoding_ = TextEncoding::kUtf8;
  iconv_t converter_ = reinterpret_cast<iconv_t>(-1);

  // Raw bytes read but not yet decoded: raw_[raw_pos_, end).
  ByteBuffer raw_;
  size_t raw_pos_ = 0;
  bool source_eof_ = false;
  std::int64_t source_bytes_ = 0;
  Status decode_error_;  // pending; reported once the records before it are returned

  // Decoded UTF-8 not yet parsed: buf_[pos_, size_).
  std::vector<char> buf_;
  size_t pos_ = 0;
  size_t size_ = 0;

  bool header_scanned_ = false;
  char delimiter_ = ',';
  bool stop_[256] = {};
  std::int64_t line_ = 1;         // line at pos_
  std::int64_t record_line_ = 0;  // line where the last record started
  std::int64_t record_number_ = 0;
};

Result<std::unique_ptr<CsvReader>> MakeReader(std::unique_ptr<ByteSource> source,
                                              const CsvReadOptions& options, size_t block_bytes) {
  auto reader = std::make_unique<CsvReaderImpl>(std::move(source), options, block_bytes);
  RETURN_IF_ERROR(reader->Init());
  return std::unique_ptr<CsvReader>(std::move(reader));
}

bool NeedsQuoting(std::string_view field) {
  for (const char c : field) {
    if (c == ',' || c == '"' || c == '\r' || c == '\n') return true;
  }
  return false;
}

void AppendEscapedField(std::string_view field, std::string& out) {
  if (!NeedsQuoting(field)) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (std::size_t quote = field.find('"'); quote != std::string_view::npos; quote = field.find('"')) {
    out.append(field.substr(0, quote + 1));
    out.push_back('"');
    field.remove_prefix(quote + 1);
  }
  out.append(field);
  out.push_back('"');
}

}  // namespace

std::string_view TextEncodingName(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kUtf8:
      return "UTF-8";
    case TextEncoding::kUtf8Bom:
      return "UTF-8 (BOM)";
    case TextEncoding::kGb18030:
      return "GB18030/GBK";
  }
  return "UTF-8";
}

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path, const CsvReadOptions& options) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Unavailable(OpenErrorMessage(path, errno));
  struct stat info {};
  if (::fstat(fd, &info) != 0 || S_ISDIR(info.st_mode)) {
    const int error = S_ISDIR(info.st_mode) ? EISDIR : errno;
    ::close(fd);
    return Unavailable(OpenErrorMessage(path, error));
  }
  const std::int64_t total = S_ISREG(info.st_mode) ? static_cast<std::int64_t>(info.st_size) : -1;
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  auto source = std::make_unique<FileSource>(fd, path, total);
  Result<std::unique_ptr<CsvReader>> reader = MakeReader(std::move(source), options, kDefaultBlockBytes);
  if (!reader.ok()) return reader.status().WithContext(fmt::format("文件 {}：", path));
  return reader;
}

Result<std::unique_ptr<CsvReader>> CsvReader::FromBuffer(std::string_view data,
                                                         const CsvReadOptions& options) {
  return MakeReader(std::make_unique<MemorySource>(data), options, kDefaultBlockBytes);
}

Result<std::unique_ptr<CsvReader>> CsvReaderFromBufferForTesting(std::string_view data,
                                                                 const CsvReadOptions& options,
                                                                 size_t block_bytes) {
  return MakeReader(std::make_unique<MemorySource>(data), options, block_bytes);
}

// ---------------------------------------------------------------- writer

namespace {
constexpr size_t kWriterFlushBytes = 1 << 16;
}  // namespace

Result<std::unique_ptr<CsvWriter>> CsvWriter::Create(const std::string& path, bool with_bom) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    const int error = errno;
    switch (error) {
      case ENOENT:
        return Unavailable(fmt::format("无法创建文件：{}（目录不存在）", path));
      case EACCES:
        return Unavailable(fmt::format("没有写入文件的权限：{}", path));
      default:
        return Unavailable(fmt::format("无法创建文件：{}（系统错误 {}）", path, error));
    }
  }
  std::unique_ptr<CsvWriter> writer(new CsvWriter(file));
  if (with_bom) writer->buffer_.append("\xEF\xBB\xBF");
  return writer;
}

CsvWriter::~CsvWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

Status CsvWriter::WriteRow(const std::vector<std::string>& fields) {
  if (file_ == nullptr) return FailedPrecondition("CSV 文件已关闭，不能再写入");
  for (size_t field_idx = 0; field_idx < fields.size(); ++field_idx) {
    if (field_idx > 0) buffer_.push_back(',');
    AppendEscapedField(fields[field_idx], buffer_);
  }
  // A single empty field would be an empty line, which readers skip.
  if (fields.size() == 1 && fields[0].empty()) buffer_.append("\"\"");
  buffer_.append("\r\n");
  if (buffer_.size() >= kWriterFlushBytes) {
    if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
      return Unavailable("写入 CSV 文件失败（磁盘可能已满）");
    }
    buffer_.clear();
  }
  return Status::Ok();
}

Status CsvWriter::Close() {
  if (file_ == nullptr) return FailedPrecondition("CSV 文件已关闭");
  bool ok = std::fwrite(buffer_.data(), 1, buffer_.size(), file_) == buffer_.size();
  buffer_.clear();
  ok = std::fflush(file_) == 0 && ok;
  ok = std::fclose(file_) == 0 && ok;
  file_ = nullptr;
  if (!ok) return Unavailable("写入 CSV 文件失败（磁盘可能已满）");
  return Status::Ok();
}

void CsvWriter::AppendEscaped(std::string_view field, std::string* out) { AppendEscapedField(field, *out); }

std::string CsvWriter::Escape(std::string_view field) {
  std::string out;
  out.reserve(field.size() + 2);
  AppendEscapedField(field, out);
  return out;
}

}  // namespace zx
