// Household export in the exchange template (.csv or .xlsx), and the blank
// template itself.
//
// The export streams Store::ScanHouseholds (ordered by household number)
// into CsvWriter (UTF-8 with BOM, CRLF) or XlsxWriter, one row per person,
// values formatted exactly as the importer reads them (amounts with
// FormatYuan, ISO dates, Chinese labels, 是/否), so export → import is a
// no-op. Income columns cover 2020–2025 plus any other year present in the
// data. Full ID numbers are written: the CLI runs with province rights;
// masking by role arrives with accounts.
//
// A .csv is written to "<path>.tmp" and renamed on success; an .xlsx exists
// only after a successful close. An .xlsx sheet holds at most 1,048,575 data
// rows: larger exports must use .csv or a --division scope.
// Thread-safety: one thread per call.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/division.h"
#include "domain/registry.h"
#include "storage/store.h"

namespace zx {

struct ExportOptions {
  DivisionScope scope = DivisionScope::All();
  /// Draw a progress bar on stderr (only when stderr is a TTY).
  bool progress = true;
};

struct ExportSummary {
  std::int64_t households = 0;
  std::int64_t persons = 0;
  std::vector<int> years;  // income years written as columns
};

/// Exports every household in scope to `out_path` (.csv or .xlsx by extension).
Result<ExportSummary> ExportHouseholds(Store& store, const std::string& out_path,
                                       const ExportOptions& options);

/// Appends one row per member of `record` in template layout for `years`.
void FormatHouseholdRows(const HouseholdRecord& record, const std::vector<int>& years,
                         std::vector<std::vector<std::string>>* rows);

/// Writes the blank template (header for 2020–2025; an .xlsx also gets a
/// second sheet "填写说明" describing every column).
Status WriteBlankTemplate(const std::string& out_path);

/// Most data rows an .xlsx sheet can hold (1,048,576 rows minus the header).
inline constexpr std::int64_t kMaxXlsxDataRows = 1048575;

}  // namespace zx
