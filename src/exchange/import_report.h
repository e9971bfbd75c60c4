// The import error report: every problem found in an import file, with the
// file, the row and column the user sees, the header, the offending value
// and a Chinese message. Kinds are stable (tests assert them, never the
// wording). The list keeps the first `max_errors` problems; counts per kind
// are always complete.
//
// The report is printed (first ~50 errors + counts per kind) and written as
// an .xlsx: sheet "错误清单" (文件, 行, 列, 字段, 值, 问题) and sheet "有误行",
// a copy of every input row that has an error, bad cells filled red with the
// message as a comment, columns in the input's order plus a last column
// "原行号" with the row number in the input.
// Thread-safety: one thread per report.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace zx {

/// Stable error kinds.
enum class ImportErrorKind : std::uint8_t {
  kUnsupportedFile,        // extension is not .csv/.xlsx
  kUnreadableFile,         // cannot open, bad encoding, malformed record
  kEmptyFile,              // no header or no data rows
  kMissingColumn,          // a required column is absent
  kUnknownColumn,          // a header that is not in the template
  kDuplicateColumn,        // the same column twice
  kEmptyValue,             // a required cell is blank
  kBadIdNumber,            // ID length/characters/date/address code
  kIdChecksum,             // ID check character wrong
  kIdBirthDateMismatch,    // 出生日期 disagrees with the ID
  kIdSexMismatch,          // 性别 disagrees with the ID
  kUnknownDivision,        // 所在村代码 not in the division table
  kNotVillage,             // 所在村代码 is a division above village level
  kOutsideScope,           // village outside the --division scope
  kBadNumber,              // an integer or amount does not parse / out of range
  kNegativeMoney,          // an amount below zero
  kBadDate,                // a date does not parse
  kBadValue,               // not one of the allowed labels (是/否, enums)
  kDuplicateId,            // the same 证件号码 twice in the file
  kInconsistentHousehold,  // a household-level cell differs between rows of one household
  kNoHead,                 // no living 户主 in a household
  kMultipleHeads,          // more than one living 户主
  kStoreRejected,          // the database refused the write (e.g. person in another household)
};

/// English identifier ("id_checksum"), stable, for logs and tests.
std::string_view ImportErrorKindCode(ImportErrorKind kind);
/// Chinese name for counts per kind ("证件号码校验位错误").
std::string_view ImportErrorKindLabel(ImportErrorKind kind);

struct ImportIssue {
  ImportErrorKind kind = ImportErrorKind::kBadValue;
  std::int64_t row = 0;  // as the user sees it (header = 1); 0 = the whole file
  int column = -1;       // 0-based column in the input; -1 = no single column
  std::string header;    // the column's header text
  std::string value;     // the offending value as found in the file
  std::string message;   // Chinese, says what is wrong
};

class ImportReport {
 public:
  static constexpr size_t kDefaultMaxErrors = 10000;

  explicit ImportReport(std::string file_name, size_t max_errors = kDefaultMaxErrors);

  void AddError(ImportIssue issue);
  void AddWarning(std::string message);

  bool has_errors() const { return error_count_ > 0; }
  /// All errors found, including those beyond the kept list.
  std::int64_t error_count() const { return error_count_; }
  /// The first max_errors errors, in the order found.
  const std::vector<ImportIssue>& errors() const { return errors_; }
  bool truncated() const { return error_count_ > static_cast<std::int64_t>(errors_.size()); }
  const std::map<ImportErrorKind, std::int64_t>& counts_by_kind() const { return counts_; }
  std::int64_t CountOf(ImportErrorKind kind) const;
  const std::vector<std::string>& warnings() const { return warnings_; }
  const std::string& file_name() const { return file_name_; }

  /// Errors sorted by row then column (file-level first). Stable.
  std::vector<ImportIssue> SortedErrors() const;

  /// Text for the terminal: the first `limit` errors (sorted), then counts
  /// per kind, then the truncation note if any.
  std::string FormatText(size_t limit = 50) const;

  /// Writes the .xlsx report to `report_path`. `source_path` is re-read to
  /// copy the rows that have errors (pass "" to skip the copy, e.g. when the
  /// file could not be read at all).
  Status WriteXlsx(const std::string& report_path, const std::string& source_path) const;

  /// "第 12 行 C 列“户类型”" — where an issue is, for messages.
  static std::string Location(const ImportIssue& issue);

 private:
  std::string file_name_;
  size_t max_errors_;
  std::vector<ImportIssue> errors_;
  std::int64_t error_count_ = 0;
  std::map<ImportErrorKind, std::int64_t> counts_;
  std::vector<std::string> warnings_;
};

/// `<dir>/<stem>.错误报告.xlsx` next to the input file.
std::string DefaultReportPath(const std::string& input_path);

}  // namespace zx
