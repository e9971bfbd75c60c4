#include "domain/monitoring_lines.h"

#include <fmt/format.h>

#include <charconv>
#include <vector>

#include "common/csv.h"
#include "common/text.h"

namespace zx {
namespace {

constexpr int kMinYear = 2000;
constexpr int kMaxYear = 2100;

Status LineError(const std::string& path, std::int64_t line, std::string_view what) {
  return InvalidArgument(fmt::format("监测范围文件 {} 第 {} 行：{}", path, line, what));
}

}  // namespace

Result<std::map<int, MonitoringLine>> LoadMonitoringLines(const std::string& path) {
  auto reader_or = CsvReader::Open(path);
  if (!reader_or.ok()) return reader_or.status().WithContext("读取监测范围文件失败：");
  CsvReader& reader = **reader_or;

  std::vector<std::string> fields;
  ASSIGN_OR_RETURN(bool has_header, reader.Next(&fields));
  if (!has_header) return InvalidArgument(fmt::format("监测范围文件 {} 为空，缺少表头 year,line_yuan,status,source", path));
  const std::vector<std::string> expected_header = {"year", "line_yuan", "status", "source"};
  std::vector<std::string> header;
  for (const std::string& field : fields) header.emplace_back(TrimText(field));
  if (header != expected_header) {
    return LineError(path, reader.line_number(), "表头应为 year,line_yuan,status,source");
  }

  std::map<int, MonitoringLine> lines;
  while (true) {
    auto more_or = reader.Next(&fields);
    if (!more_or.ok()) return more_or.status().WithContext(fmt::format("监测范围文件 {}：", path));
    if (!*more_or) break;
    const std::int64_t line_number = reader.line_number();
    bool blank = true;
    for (const std::string& field : fields) blank = blank && TrimText(field).empty();
    if (blank) continue;
    if (fields.size() != expected_header.size()) {
      return LineError(path, line_number, fmt::format("应有 4 列，实际 {} 列", fields.size()));
    }

    MonitoringLine entry;
    std::string year_text = NormalizeField(fields[0]);
    auto [end, ec] = std::from_chars(year_text.data(), year_text.data() + year_text.size(), entry.year);
    if (ec != std::errc() || end != year_text.data() + year_text.size() || entry.year < kMinYear ||
        entry.year > kMaxYear) {
      return LineError(path, line_number,
                       fmt::format("年度“{}”无效，应为 {} 至 {} 之间的整数", year_text, kMinYear, kMaxYear));
    }
    auto line_or = ParseYuan(NormalizeField(fields[1]));
    if (!line_or.ok()) return LineError(path, line_number, "监测范围金额无效：" + line_or.status().message());
    entry.line = *line_or;
    if (entry.line <= 0) return LineError(path, line_number, "监测范围金额必须大于零");
    std::string status = NormalizeField(fields[2]);
    if (status == "official") {
      entry.official = true;
    } else if (status == "example") {
      entry.official = false;
    } else {
      return LineError(path, line_number, fmt::format("状态“{}”无效，应为 official（正式）或 example（示例）", status));
    }
    entry.source = std::string(TrimText(fields[3]));  // keep full-width punctuation
    if (entry.source.empty()) return LineError(path, line_number, "来源（source）不能为空");
    if (lines.contains(entry.year)) {
      return LineError(path, line_number, fmt::format("{} 年的监测范围重复出现", entry.year));
    }
    lines.emplace(entry.year, std::move(entry));
  }
  return lines;
}

std::string DefaultMonitoringLinesPath() { return std::string(ZX_DATA_DIR) + "/policy/monitoring_lines.csv"; }

Result<std::map<int, MonitoringLine>> LoadDefaultMonitoringLines() {
  return LoadMonitoringLines(DefaultMonitoringLinesPath());
}

std::map<int, Fen> MonitoringLineAmounts(const std::map<int, MonitoringLine>& lines) {
  std::map<int, Fen> amounts;
  for (const auto& [year, line] : lines) amounts.emplace(year, line.line);
  return amounts;
}

}  // namespace zx
