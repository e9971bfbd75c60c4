// Columnar household and person data for ONE year, the input of the rule
// evaluator: one vector per catalog field (field_catalog.h) for N households,
// and the living members flattened with household offsets.
//
// Invariants: every household column has `size` entries; person_begin has
// size + 1 non-decreasing entries and person_begin[size] == persons.size;
// persons.household[p] is the household of person p, and persons of one
// household are contiguous. Deceased members are not in PersonColumns (they
// are counted in the household fields deceased_members / head_deceased and
// excluded from living_size and from every aggregate).
// Thread-safety: value types; read-only use from many threads is safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/money.h"
#include "domain/registry.h"
#include "rules/field_catalog.h"

namespace zx::rules {

/// One typed column. Values are widened to int64 on load.
class Column {
 public:
  enum class Width : std::uint8_t { kI64, kI32, kU8 };

  explicit Column(Width width = Width::kI64) : width_(width) {}
  Width width() const { return width_; }
  std::size_t size() const;
  void Reserve(std::size_t n);
  void Append(std::int64_t value);
  std::int64_t At(std::size_t idx) const;
  /// out[k] = value(begin + k) for k < n.
  void LoadInto(std::size_t begin, std::size_t n, std::int64_t* out) const;
  /// out[k] = value(base + index[k]) for k < n.
  void GatherInto(std::size_t base, const std::uint32_t* index, std::size_t n, std::int64_t* out) const;
  /// The values as bytes in this machine's layout (column snapshots).
  std::string_view RawBytes() const;
  /// Replaces the values by those in `bytes` (as produced by RawBytes for
  /// this width); false, leaving the column unchanged, when the length is not
  /// a multiple of the value size.
  bool AssignRaw(std::string_view bytes);
  /// Replaces the values by `values`, taken over without a copy when the
  /// column's width is that of the element type (I64, I32, U8; otherwise
  /// they are converted one by one).
  void AssignValues(std::vector<std::int64_t>&& values);
  void AssignValues(std::vector<std::int32_t>&& values);
  void AssignValues(std::vector<std::uint8_t>&& values);

 private:
  Width width_;
  std::vector<std::int64_t> i64_;
  std::vector<std::int32_t> i32_;
  std::vector<std::uint8_t> u8_;
};

/// Storage width suitable for a type: money → 64 bit, int/date → 32, bool/enum → 8.
Column::Width WidthFor(Type type);

struct HouseholdColumns {
  int year = 0;
  Date reference_date;
  std::size_t size = 0;
  std::vector<Column> fields;                 // indexed by HouseholdField (numeric ones)
  std::vector<std::string> household_number;  // the string field
  std::vector<std::uint32_t> person_begin;    // size + 1 offsets into PersonColumns
};

struct PersonColumns {
  std::size_t size = 0;
  std::vector<Column> fields;            // indexed by PersonField
  std::vector<std::uint32_t> household;  // household index of each person
};

struct ColumnarData {
  HouseholdColumns households;
  PersonColumns persons;
};

/// Builds the columns of `year` from registry records. Income fields are 0
/// and has_income_year is false when the record has no entry for the year;
/// per_capita_net_income is net_income / living_size truncated toward zero
/// (as HouseholdRecord::PerCapitaNetIncome), or 0 without living members.
/// `age` is the completed age on `reference_date`.
ColumnarData BuildColumns(const std::vector<HouseholdRecord>& records, int year, const Date& reference_date);

/// An empty data set with all columns present (for appending).
ColumnarData EmptyColumns(int year, const Date& reference_date);

/// The households `rows` (ascending indices into `data`) with their persons,
/// as a new data set of the same year: rules evaluate on it exactly as on
/// those households of `data`.
ColumnarData SelectHouseholds(const ColumnarData& data, const std::vector<std::uint32_t>& rows);

/// Appends one record (used by BuildColumns; handy for streaming loads).
void AppendRecord(const HouseholdRecord& record, ColumnarData* data);

/// One person linked in a department file, as the feed-person scope sees it
/// (FeedPersonField; docs/formats/rules.md).
struct FeedPersonRow {
  Fen out_of_pocket_12m = 0;  // amounts of the 12 months ending on as_of
  Fen max_total_cost = 0;     // largest total cost of one row (0 without one)
  Fen max_amount = 0;         // largest amount of one row (0 without one)
  std::int64_t rows = 0;      // the person's rows in the file
  bool ex_poor = false;       // the household is ex-poor (monitored)
  bool deceased = false;      // registered as deceased
  Date as_of;                 // the as-of date
  Date window_start;          // first day of the 12-month window
};

/// Feed-person data: the FeedPersonField columns occupy the household column
/// slots (HouseholdColumns::fields indexed by FeedPersonField), one "household"
/// per person, no members and no household numbers. Rules compiled with
/// RuleScope::kFeedPerson for `year` and `reference_date` evaluate on it with
/// EvaluateAll / Explain like household rules.
ColumnarData EmptyFeedPersonColumns(int year, const Date& reference_date);
void AppendFeedPerson(const FeedPersonRow& row, ColumnarData* data);
ColumnarData BuildFeedPersonColumns(const std::vector<FeedPersonRow>& rows, int year,
                                    const Date& reference_date);

/// The same data as whole arrays, one entry per person (all of one length;
/// as_of and window_start are the same for everyone): the arrays become
/// the columns without a copy (what the signals of a 5-million-row file use).
struct FeedPersonArrays {
  std::vector<Fen> out_of_pocket_12m;
  std::vector<Fen> max_total_cost;
  std::vector<Fen> max_amount;
  std::vector<std::int32_t> rows;
  std::vector<std::uint8_t> ex_poor;
  std::vector<std::uint8_t> deceased;
  Date as_of;
  Date window_start;

  std::size_t size() const { return rows.size(); }
  void Reserve(std::size_t n);
  void Append(const FeedPersonRow& row);
  /// Entry `idx` as a row.
  FeedPersonRow At(std::size_t idx) const;
};
ColumnarData BuildFeedPersonColumns(FeedPersonArrays arrays, int year, const Date& reference_date);
/// Person `idx` of feed-person data, read back.
FeedPersonRow FeedPersonAt(const ColumnarData& data, std::size_t idx);

}  // namespace zx::rules
