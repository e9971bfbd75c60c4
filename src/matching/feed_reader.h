// Streaming reader of one department export (CSV in UTF-8/GBK/GB18030, or
// XLSX) against a feed profile (feed_profile.h).
//
// Open() reads only the header row and maps it to the profile's fields; a
// file whose header lacks a required column, names one field twice, or is not
// legible text (wrong encoding) is refused with a Chinese reason. Next()
// then yields one parsed row at a time — the file is never held in memory.
// A malformed cell never makes a row vanish: the problem is recorded in
// FeedRow::issues (row, column, reason); a row whose event date or amount
// cannot be read, or that has neither name nor ID number, is marked
// rejected and the caller reports it; the rest of the file goes on. Only
// damage that makes the rest of the file unreadable (bytes invalid in the
// detected encoding, an unterminated quote) ends reading with an error that
// names the line.
//
// Thread-safety: one thread per reader.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/csv.h"
#include "common/date.h"
#include "common/money.h"
#include "common/status.h"
#include "matching/feed_profile.h"

namespace zx::matching {

/// A problem with one cell (or a whole row when column is empty).
struct RowIssue {
  std::int64_t row = 0;  // 1-based data row
  std::string column;    // the file's header text
  std::string reason;    // Chinese
  bool operator==(const RowIssue&) const = default;
};

/// One data row. The string views point into the reader and stay valid
/// until the next call to Next().
struct FeedRow {
  std::int64_t row = 0;  // 1-based data row (the header is not counted)
  std::string_view name;
  std::string_view id_number;
  std::string_view category;
  std::string_view detail;
  bool has_birth_date = false;
  Date birth_date;
  int sex = 0;                 // 0 unknown, 1 male, 2 female
  std::int64_t area_code = 0;  // 6-digit county code; 0 unknown
  bool has_event_date = false;
  Date event_date;
  bool has_amount = false;
  Fen amount = 0;
  bool has_total_cost = false;
  Fen total_cost = 0;
  bool rejected = false;
  std::vector<RowIssue> issues;
};

class FeedReader {
 public:
  /// Opens `path` (.csv/.txt or .xlsx) and checks its header against `profile`.
  static Result<std::unique_ptr<FeedReader>> Open(const std::string& path, const FeedProfile& profile,
                                                  const CsvReadOptions& csv_options = {});
  /// CSV from memory (tests, fuzzing). `data` must outlive the reader.
  static Result<std::unique_ptr<FeedReader>> FromCsvBuffer(std::string_view data, const FeedProfile& profile,
                                                           const CsvReadOptions& csv_options = {});
  /// XLSX from memory (tests, fuzzing).
  static Result<std::unique_ptr<FeedReader>> FromXlsxBuffer(std::string_view data,
                                                            const FeedProfile& profile);
  virtual ~FeedReader() = default;

  /// Next data row; false at the end.
  virtual Result<bool> Next(FeedRow* row) = 0;
  /// Headers of the file that map to no field (shown, not an error).
  virtual const std::vector<std::string>& ignored_headers() const = 0;
  /// "UTF-8", "GB18030/GBK", "XLSX".
  virtual std::string encoding_name() const = 0;
  /// Fraction consumed in [0, 1], -1 when unknown.
  virtual double progress() const = 0;
};

/// The row parsing of FeedReader over cells that are already split: the
/// parallel CSV path of compare.cc parses its chunks with it, FeedReader
/// its rows, so both give the same rows, issues and rejections.
/// Thread-safety: one thread per parser (it keeps a scratch buffer).
class FeedRowParser {
 public:
  /// `columns` as MatchHeader returns them for `header`.
  FeedRowParser(const FeedProfile& profile, std::vector<std::string> header,
                const std::array<int, kFeedFieldCount>& columns);
  /// Whether every cell is empty after trimming (such rows are skipped and
  /// not counted).
  static bool IsBlank(std::span<const std::string_view> cells);
  /// Parses data row `row_number`; the views in `row` point into `cells`.
  void Parse(std::span<const std::string_view> cells, std::int64_t row_number, FeedRow* row);

 private:
  std::string_view Cell(FeedField field) const;
  const std::string& HeaderOf(FeedField field) const;
  void AddIssue(FeedRow* row, FeedField field, std::string reason);
  std::string_view Normalized(std::string_view cell);
  void ParseDateField(FeedRow* row, FeedField field, bool* has, Date* out, bool reject);
  void ParseMoneyField(FeedRow* row, FeedField field, bool* has, Fen* out, bool reject);

  const FeedProfile& profile_;
  std::vector<std::string> header_;
  std::array<int, kFeedFieldCount> columns_{};
  bool amount_required_ = false;
  std::span<const std::string_view> cells_;
  std::string scratch_;
};

/// Maps header cells to the profile's fields: result[f] is the column index
/// of field f or -1. Refuses (InvalidArgument, Chinese) missing required
/// columns, duplicate fields and illegible headers. Exposed for tests.
Result<std::array<int, kFeedFieldCount>> MatchHeader(const std::vector<std::string>& header,
                                                     const FeedProfile& profile,
                                                     std::vector<std::string>* ignored);

}  // namespace zx::matching
