// Household import from the exchange template (.csv or .xlsx).
//
// ReadHouseholdFile reads the whole file in one pass, validating every row
// and collecting ALL problems in an ImportReport (capped list, complete
// counts); it groups member rows into HouseholdRecords by 户编号 (rows of
// one household need not be adjacent). WriteHouseholds then writes them with
// ONE Store::UpsertHouseholds call (one transaction). Callers must not write
// when the report has errors: nothing is imported unless the whole file is
// clean. ImportHouseholds does both steps with that rule.
//
// The file is authoritative for the households it contains: their household
// fields, their member list and every income year that has columns in the
// file. Income years that have no column at all in the file keep their
// stored values (they are merged from the store before writing), so a file
// with only 2024 income does not wipe 2020–2023.
//
// Memory: the parsed records of the whole file are held (≈ 0.4 KB per
// person); the raw rows are not (the error report re-reads the file).
// Thread-safety: one thread per call.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/date.h"
#include "common/status.h"
#include "domain/division.h"
#include "domain/registry.h"
#include "exchange/import_report.h"
#include "storage/store.h"

namespace zx {

struct ImportOptions {
  /// Only villages inside this scope may appear in the file (--division).
  DivisionScope scope = DivisionScope::All();
  /// "Today" for birth-date checks; a zero date means the system date.
  Date today;
  /// Draw progress bars on stderr (they draw only when stderr is a TTY).
  bool progress = true;
};

/// What a clean (or partially clean) file contains.
struct ParsedHouseholds {
  std::vector<HouseholdRecord> records;  // in order of first appearance; members in file order
  std::vector<int> years;                // income years that have columns in the file, ascending
  std::int64_t data_rows = 0;            // non-blank rows after the header
  std::int64_t persons = 0;
  std::string encoding;  // "UTF-8", "GB18030/GBK", "XLSX"
};

/// Reads and validates `path`. Problems go into `report`; `out` holds what
/// could be parsed and is meaningful for writing only if the report has no
/// errors. Never fails for bad input (that is what the report is for).
void ReadHouseholdFile(const std::string& path, const DivisionTable& divisions, const ImportOptions& options,
                       ImportReport* report, ParsedHouseholds* out);

/// Merges stored income years the file has no columns for, then upserts
/// every record in one transaction. A store error is added to `report`
/// (kStoreRejected) and returned.
Result<WriteCounts> WriteHouseholds(Store& store, ParsedHouseholds& parsed, const ImportOptions& options,
                                    ImportReport* report);

/// ReadHouseholdFile, then WriteHouseholds only if the report is clean.
/// Returns kInvalidArgument (nothing written) when the file has errors.
Result<WriteCounts> ImportHouseholds(const std::string& path, const DivisionTable& divisions, Store& store,
                                     const ImportOptions& options, ImportReport* report);

/// The system date (local time), for ImportOptions::today.
Date TodayLocal();

}  // namespace zx
