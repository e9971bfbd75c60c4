// One row source over the two spreadsheet formats the exchange accepts:
// .csv (CsvReader: UTF-8 with or without BOM, GBK/GB18030 detected) and
// .xlsx (XlsxReader, first worksheet). The format is chosen by the file
// extension; anything else is refused with a Chinese message.
//
// Row numbers are what the user sees: the spreadsheet row for .xlsx, the
// line where the record starts for .csv; the header is row 1.
// Thread-safety: one thread per reader.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace zx {

enum class TableFormat { kCsv, kXlsx };

/// The format for `path` by its extension (case-insensitive), or
/// kInvalidArgument naming the accepted extensions.
Result<TableFormat> TableFormatForPath(const std::string& path);

class TableReader {
 public:
  static Result<std::unique_ptr<TableReader>> Open(const std::string& path);
  virtual ~TableReader() = default;

  /// Next record (cells are raw UTF-8, not normalised); false at the end.
  virtual Result<bool> Next(std::vector<std::string>* cells) = 0;
  /// Row number of the last record, as the user sees it (header = 1).
  virtual std::int64_t row() const = 0;
  /// Fraction of the input consumed in [0, 1], or -1 when unknown.
  virtual double progress() const = 0;
  /// "UTF-8", "GB18030/GBK", "XLSX".
  virtual std::string encoding_name() const = 0;
  virtual TableFormat format() const = 0;
};

/// True if every cell is blank after NormalizeField (such rows are skipped).
bool IsBlankRow(const std::vector<std::string>& cells);

/// The file name part of a path ("a/b/x.csv" → "x.csv").
std::string BaseName(std::string_view path);

}  // namespace zx
