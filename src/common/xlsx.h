// Reading and writing .xlsx workbooks.
//
// XlsxReader streams one worksheet's rows (minizip + expat): shared strings
// are loaded once, the sheet XML is parsed incrementally, so large exports do
// not need the whole sheet in memory. Cells come back as UTF-8 text: shared
// and inline strings as is, numbers in their shortest exact decimal form
// ("6700", "1234.5"), booleans as "TRUE"/"FALSE", and numbers formatted as
// dates (built-in date formats 14–22 and custom formats with y/m/d) as ISO
// "YYYY-MM-DD". Long digit strings stored as numbers (ID numbers typed into
// Excel) lose precision in Excel itself; the reader returns what is stored.
//
// XlsxWriter wraps libxlsxwriter: sheets, a bold frozen header row, text and
// number cells, and cells marked as errors (red fill + a comment), used for
// import error reports.
//
// Thread-safety: one thread per reader/writer.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace zx {

class XlsxReader {
 public:
  /// Opens a workbook and its first worksheet (or the sheet named `sheet`).
  static Result<std::unique_ptr<XlsxReader>> Open(const std::string& path, const std::string& sheet = "");
  /// From memory (tests, fuzzing, uploads); the data is copied.
  static Result<std::unique_ptr<XlsxReader>> FromBuffer(std::string_view data, const std::string& sheet = "");
  virtual ~XlsxReader() = default;

  /// Names of all worksheets, in workbook order.
  virtual const std::vector<std::string>& sheet_names() const = 0;
  /// Next non-empty row, cells placed by column (gaps are empty strings,
  /// trailing empties trimmed). Returns false at the end.
  virtual Result<bool> Next(std::vector<std::string>* cells) = 0;
  /// 1-based spreadsheet row number of the last returned row.
  virtual std::int64_t row_number() const = 0;
};

/// "A", "B", ..., "Z", "AA" for 0-based column index.
std::string ColumnLetter(int column_index);

class XlsxWriter {
 public:
  static Result<std::unique_ptr<XlsxWriter>> Create(const std::string& path);
  virtual ~XlsxWriter() = default;

  /// Starts a new sheet and makes it current; writes `header` in bold in
  /// row 1 and freezes it.
  virtual Status AddSheet(const std::string& name, const std::vector<std::string>& header) = 0;
  /// Appends a row of text cells to the current sheet. Returns its 1-based row number.
  virtual Result<std::int64_t> AppendRow(const std::vector<std::string>& cells) = 0;
  /// Writes a number cell (0-based row/column in sheet coordinates, row 0 = header).
  virtual Status WriteNumber(std::int64_t row, int column, double value) = 0;
  /// Marks an existing cell as erroneous: red fill and a comment with `message`.
  virtual Status MarkError(std::int64_t row, int column, const std::string& text,
                           const std::string& message) = 0;
  virtual Status SetColumnWidth(int column, double width) = 0;
  /// Writes the file. Nothing is on disk before Close succeeds.
  virtual Status Close() = 0;
};

}  // namespace zx
