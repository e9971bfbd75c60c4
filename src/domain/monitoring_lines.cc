#include "domain/monitoring_lines.h"

namespace zx {

std::map<int, MonitoringLine> MonitoringLinesOf(const Policy& policy) {
  std::map<int, MonitoringLine> lines;
  for (const auto& [year, year_policy] : policy.years) {
    lines.emplace(year, MonitoringLine{.year = year,
                                       .line = year_policy.monitoring_line,
                                       .official = year_policy.official,
                                       .source = year_policy.source});
  }
  return lines;
}

Result<std::map<int, MonitoringLine>> LoadMonitoringLines(const std::string& path) {
  ASSIGN_OR_RETURN(Policy policy, LoadPolicy(path));
  return MonitoringLinesOf(policy);
}

std::string DefaultMonitoringLinesPath() { return DefaultPolicyPath(); }

Result<std::map<int, MonitoringLine>> LoadDefaultMonitoringLines() {
  return LoadMonitoringLines(DefaultMonitoringLinesPath());
}

std::map<int, Fen> MonitoringLineAmounts(const std::map<int, MonitoringLine>& lines) {
  std::map<int, Fen> amounts;
  for (const auto& [year, line] : lines) amounts.emplace(year, line.line);
  return amounts;
}

}  // namespace zx
