// Streaming CSV reading and writing (RFC 4180 dialect as Excel writes it).
//
// The reader never holds the whole file: it reads in blocks, so 5-million-row
// department exports are fine. Input encodings: UTF-8 with or without BOM,
// GBK and GB18030 (detected: BOM → UTF-8; otherwise the first 1 MiB is
// checked as UTF-8 and, failing that, decoded as GB18030, a superset of GBK).
// Every field is returned as UTF-8. Delimiter: ',' by default; ';' and tab are
// detected from the header line. Quoted fields may contain delimiters,
// doubled quotes and newlines.
//
// Thread-safety: one thread per reader/writer.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace zx {

enum class TextEncoding { kUtf8, kUtf8Bom, kGb18030 };

/// "UTF-8", "UTF-8 (BOM)", "GB18030/GBK".
std::string_view TextEncodingName(TextEncoding encoding);

struct CsvReadOptions {
  /// Force an encoding instead of detecting it.
  bool force_encoding = false;
  TextEncoding encoding = TextEncoding::kUtf8;
  /// A row longer than this many bytes is an error (protects memory).
  size_t max_record_bytes = 1 << 20;
};

class CsvReader {
 public:
  /// Opens a file. Fails with a Chinese message if it cannot be read.
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path, const CsvReadOptions& options = {});
  /// Reads from memory (tests, fuzzing, uploads). `data` must outlive the reader.
  static Result<std::unique_ptr<CsvReader>> FromBuffer(std::string_view data,
                                                       const CsvReadOptions& options = {});
  virtual ~CsvReader() = default;

  /// Reads the next record into `fields` (UTF-8, not trimmed). Returns false
  /// at end of file. A malformed record (unterminated quote, bad bytes in
  /// the detected encoding, over-long record) is an error naming the line.
  virtual Result<bool> Next(std::vector<std::string>* fields) = 0;
  /// 1-based line number where the last returned record started.
  virtual std::int64_t line_number() const = 0;
  /// 1-based index of the last returned record (header = 1).
  virtual std::int64_t record_number() const = 0;
  virtual TextEncoding encoding() const = 0;
  /// Bytes consumed so far and total size (for progress bars; total -1 if unknown).
  virtual std::int64_t bytes_read() const = 0;
  virtual std::int64_t total_bytes() const = 0;
};

/// Writes UTF-8 CSV with a BOM (so Excel opens it correctly), CRLF line
/// ends, quoting fields that need it.
class CsvWriter {
 public:
  static Result<std::unique_ptr<CsvWriter>> Create(const std::string& path, bool with_bom = true);
  ~CsvWriter();
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  Status WriteRow(const std::vector<std::string>& fields);
  /// Flushes and closes; reports write errors (disk full).
  Status Close();

  /// Quotes one field if needed.
  static std::string Escape(std::string_view field);
  /// Escape, appended to `out`.
  static void AppendEscaped(std::string_view field, std::string* out);

 private:
  explicit CsvWriter(std::FILE* file) : file_(file) {}
  std::FILE* file_;
  std::string buffer_;
};

}  // namespace zx
