// Monitoring lines (监测范围, DOMAIN.md §3): the per-capita annual net income
// line, set by the province for each year. Qinghai's 2021 and 2022 lines are
// official; other years are examples an administrator replaces, and every
// display of them must say so.
//
// File format (data/policy/monitoring_lines.csv, UTF-8, header required):
//   year,line_yuan,status,source
//   2021,6000,official,<where the figure comes from>
// `status` is `official` or `example`; `line_yuan` is a yuan amount (parsed
// like every money field, stored as fen); each year appears at most once.
//
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>

#include "common/money.h"
#include "common/status.h"

namespace zx {

struct MonitoringLine {
  int year = 0;
  Fen line = 0;           // fen per person per year
  bool official = false;  // false: an example value, to be labelled as such
  std::string source;

  bool operator==(const MonitoringLine&) const = default;
};

/// Loads a monitoring-line CSV. Errors name the file and line (Chinese).
Result<std::map<int, MonitoringLine>> LoadMonitoringLines(const std::string& path);

/// Loads ZX_DATA_DIR/policy/monitoring_lines.csv.
Result<std::map<int, MonitoringLine>> LoadDefaultMonitoringLines();

/// Path of the default file.
std::string DefaultMonitoringLinesPath();

/// year → line in fen, the form Store::ComputeStats takes.
std::map<int, Fen> MonitoringLineAmounts(const std::map<int, MonitoringLine>& lines);

}  // namespace zx
