// `zhenxing stats --db FILE [--json] [--division CODE]`: the registry summary
// (division counts, households, living persons, ex-poor households and
// persons, households below each year's monitoring line).
//
// Text output is a short Chinese summary for people (used by `make run`);
// --json prints one JSON object:
//   {"database", "scope": {"code", "name", "level"},
//    "prefectures", "counties", "townships", "villages",
//    "households", "persons", "ex_poor_households", "ex_poor_persons",
//    "below_line_households": {"2021": n, ...},
//    "monitoring_lines": {"2021": {"line_yuan": 6000, "line_fen": 600000,
//                                  "example": false, "source": "..."}, ...}}
// The database must exist: stats never creates one.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/command.h"
#include "cli/division_option.h"
#include "domain/code_tables.h"
#include "domain/division.h"
#include "domain/monitoring_lines.h"
#include "storage/store.h"

namespace zx::cli {

namespace {

struct StatsOptions {
  std::string db;
  bool json = false;
  std::int64_t division = 0;
};

std::string Grouped(std::int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (size_t digit_idx = 0; digit_idx < digits.size(); ++digit_idx) {
    if (digit_idx > 0 && (digits.size() - digit_idx) % 3 == 0) out += ',';
    out += digits[digit_idx];
  }
  return value < 0 ? "-" + out : out;
}

std::string Percent(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return "-";
  return fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

nlohmann::ordered_json YuanJson(Fen fen) {
  if (fen % kFenPerYuan == 0) return fen / kFenPerYuan;
  return static_cast<double>(fen) / static_cast<double>(kFenPerYuan);
}

Status RunStats(const StatsOptions& options) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(options.db, error)) {
    return NotFound(
        fmt::format("数据库文件 {} 不存在（stats 不会创建数据库，请先运行 zhenxing demo 或 zhenxing import）",
                    options.db));
  }
  // An existing database already holds its division table: nothing to load.
  ASSIGN_OR_RETURN(auto store, OpenStore(options.db, DivisionTable()));

  DivisionScope scope = DivisionScope::All();
  std::optional<Division> scope_division;
  if (options.division != 0) {
    ASSIGN_OR_RETURN(scope_division, FindDivisionInStore(*store, options.division, options.db));
    scope = DivisionScope::Of(scope_division->code, scope_division->level);
  }

  auto lines_or = LoadDefaultMonitoringLines();
  if (!lines_or.ok()) return lines_or.status();
  const std::map<int, MonitoringLine>& lines = *lines_or;
  ASSIGN_OR_RETURN(RegistryStats stats, store->ComputeStats(scope, MonitoringLineAmounts(lines)));

  if (options.json) {
    nlohmann::ordered_json out;
    out["database"] = options.db;
    if (scope_division) {
      out["scope"] = {{"code", scope_division->code},
                      {"name", scope_division->name},
                      {"level", static_cast<int>(scope_division->level)}};
    } else {
      out["scope"] = {{"code", nullptr}, {"name", "全部"}, {"level", nullptr}};
    }
    out["prefectures"] = stats.prefectures;
    out["counties"] = stats.counties;
    out["townships"] = stats.townships;
    out["villages"] = stats.villages;
    out["households"] = stats.households;
    out["persons"] = stats.persons;
    out["ex_poor_households"] = stats.ex_poor_households;
    out["ex_poor_persons"] = stats.ex_poor_persons;
    nlohmann::ordered_json below = nlohmann::ordered_json::object();
    for (const auto& [year, count] : stats.below_line_households) below[std::to_string(year)] = count;
    out["below_line_households"] = below;
    nlohmann::ordered_json monitoring = nlohmann::ordered_json::object();
    for (const auto& [year, line] : lines) {
      monitoring[std::to_string(year)] = {{"line_yuan", YuanJson(line.line)},
                                          {"line_fen", line.line},
                                          {"example", !line.official},
                                          {"source", line.source}};
    }
    out["monitoring_lines"] = monitoring;
    std::cout << out.dump(2) << "\n";
    return Status::Ok();
  }

  std::cout << "数据库：" << options.db << "\n";
  std::cout << "统计范围："
            << (scope_division ? fmt::format("{}（{}，{}）", scope_division->name, scope_division->code,
                                             Label(scope_division->level))
                               : std::string("全部"))
            << "\n";
  std::cout << fmt::format("行政区划：市州 {} 个，县级 {} 个，乡镇级 {} 个，村级 {} 个\n",
                           Grouped(stats.prefectures), Grouped(stats.counties), Grouped(stats.townships),
                           Grouped(stats.villages));
  std::cout << fmt::format("农户：{} 户，在世家庭成员 {} 人\n", Grouped(stats.households),
                           Grouped(stats.persons));
  std::cout << fmt::format("脱贫户：{} 户（{}），在世脱贫人口 {} 人\n", Grouped(stats.ex_poor_households),
                           Percent(stats.ex_poor_households, stats.households),
                           Grouped(stats.ex_poor_persons));
  std::cout << "家庭年人均纯收入低于监测范围的农户：\n";
  for (const auto& [year, line] : lines) {
    const std::int64_t count =
        stats.below_line_households.count(year) ? stats.below_line_households.at(year) : 0;
    std::cout << fmt::format("  {} 年  监测范围 {} 元{}  {} 户（{}）\n", year, FormatYuanGrouped(line.line),
                             line.official ? "" : "（示例值）", Grouped(count),
                             Percent(count, stats.households));
  }
  bool any_example = false;
  for (const auto& [year, line] : lines) any_example = any_example || !line.official;
  if (any_example) {
    std::cout
        << "注：标注“示例值”的年度监测范围为演示用，并非官方标准，正式使用前请由管理员按省里公布的标准设置（"
        << DefaultMonitoringLinesPath() << "）。\n";
  }
  return Status::Ok();
}

void RegisterStatsCommand(CLI::App& app) {
  auto options = std::make_shared<StatsOptions>();
  CLI::App* stats =
      app.add_subcommand("stats", "显示数据库概况：区划、农户、人口、脱贫人口、低于监测范围的农户");
  stats->add_option("--db", options->db, "数据库文件（必须已存在）")->required();
  stats->add_flag("--json", options->json, "以一个 JSON 对象输出");
  stats->add_option("--division", options->division, "只统计这个行政区划（12 位代码，如 630121000000）");
  stats->footer(
      "JSON 字段：prefectures, counties, townships, villages, households, persons（在世成员）,\n"
      "ex_poor_households, ex_poor_persons, below_line_households（按年度）, monitoring_lines（按年度，\n"
      "含 line_yuan、example 是否为示例值）。退出码：成功 0，参数错误 1，其他错误 2。");
  stats->callback([options] {
    Status status = RunStats(*options);
    if (!status.ok()) ReportError(status);
  });
}

}  // namespace

ZX_REGISTER_COMMAND(RegisterStatsCommand);

}  // namespace zx::cli
