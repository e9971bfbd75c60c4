// Monitoring lines (监测范围, DOMAIN.md §3): the per-capita annual net income
// line, set by the province for each year. Qinghai's 2021 and 2022 lines are
// official; other years are examples an administrator replaces, and every
// display of them must say so.
//
// The lines live in the policy file (data/policy/qinghai.toml, one
// [[years]] table per year, docs/formats/policy.md); this is the narrow view
// of it that `zhenxing stats`, `zhenxing demo` and the generator report need.
//
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>

#include "common/money.h"
#include "common/status.h"
#include "domain/policy.h"

namespace zx {

struct MonitoringLine {
  int year = 0;
  Fen line = 0;           // fen per person per year
  bool official = false;  // false: an example value, to be labelled as such
  std::string source;

  bool operator==(const MonitoringLine&) const = default;
};

/// Loads the policy file at `path` (LoadPolicy, fully validated) and returns
/// its monitoring lines. Errors name the file, line and column (Chinese).
Result<std::map<int, MonitoringLine>> LoadMonitoringLines(const std::string& path);

/// Loads the lines of DefaultMonitoringLinesPath().
Result<std::map<int, MonitoringLine>> LoadDefaultMonitoringLines();

/// Path of the default file: the default policy file, DefaultPolicyPath().
std::string DefaultMonitoringLinesPath();

/// The monitoring lines of a loaded policy.
std::map<int, MonitoringLine> MonitoringLinesOf(const Policy& policy);

/// year → line in fen, the form Store::ComputeStats takes.
std::map<int, Fen> MonitoringLineAmounts(const std::map<int, MonitoringLine>& lines);

}  // namespace zx
