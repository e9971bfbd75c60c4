#include "analytics/mpi_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <variant>
#include <vector>

#include "common/csv.h"
#include "common/money.h"
#include "common/xlsx.h"

namespace zx {

namespace {

// A table cell: text, an integer, a ratio, or empty (an undefined ratio).
using Cell = std::variant<std::monostate, std::string, std::int64_t, double>;

struct Table {
  std::string title;  // sheet name / CSV section title
  std::vector<std::string> header;
  std::vector<std::vector<Cell>> rows;
};

Cell OptionalRatio(const std::optional<double>& value) {
  if (!value) return std::monostate{};
  return *value;
}

nlohmann::ordered_json OptionalJson(const std::optional<double>& value) {
  if (!value) return nullptr;
  return *value;
}

std::string CellText(const Cell& cell) {
  if (std::holds_alternative<std::string>(cell)) return std::get<std::string>(cell);
  if (std::holds_alternative<std::int64_t>(cell)) return std::to_string(std::get<std::int64_t>(cell));
  if (std::holds_alternative<double>(cell)) return fmt::format("{}", std::get<double>(cell));
  return "";
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string ScopeCodeText(const MpiReportContext& context) {
  return context.scope_code == 0 ? "" : std::to_string(context.scope_code);
}

std::vector<Table> BuildTables(const MpiResult& result, const MpiReportContext& context) {
  const MpiSpec& spec = result.spec;
  const MpiMeasures& total = result.total;
  std::vector<Table> tables;

  Table overall{"总体", {"项目", "值"}, {}};
  auto add = [&overall](std::string key, Cell value) {
    overall.rows.push_back({std::move(key), std::move(value)});
  };
  add("数据库", context.database);
  add("统计范围", context.scope_name + (context.scope_code == 0 ? "" : "（" + ScopeCodeText(context) + "）"));
  add("年度", std::int64_t{spec.year});
  add("监测标准（元/人·年）",
      FormatYuan(spec.monitoring_line) + (spec.monitoring_line_official ? "" : "（示例值）"));
  add("贫困临界值 k", spec.k_text);
  add("农户数（有在世成员）", total.households);
  add("缺少该年收入的农户数", total.households_without_income);
  add("人口数 n", total.persons);
  add("多维贫困人口数 q", total.poor_persons);
  add("发生率 H", total.headcount_ratio);
  add("平均剥夺强度 A", total.intensity);
  add("多维贫困指数 MPI", total.mpi);
  tables.push_back(std::move(overall));

  if (result.by != MpiGrouping::kNone) {
    Table groups{"分组",
                 {result.by == MpiGrouping::kPrefecture ? "市州" : "县（市、区）", "代码", "农户数",
                  "人口数 n", "多维贫困人口数 q", "发生率 H", "平均剥夺强度 A", "多维贫困指数 MPI", "贡献率"},
                 {}};
    for (const MpiSubgroupResult& group : result.subgroups) {
      groups.rows.push_back({group.name, std::to_string(group.code), group.measures.households,
                             group.measures.persons, group.measures.poor_persons,
                             group.measures.headcount_ratio, group.measures.intensity, group.measures.mpi,
                             OptionalRatio(group.contribution)});
    }
    tables.push_back(std::move(groups));
  }

  Table indicators{"指标",
                   {"指标", "指标名称", "权重", "权重（原文）", "未删减剥夺人数", "未删减剥夺发生率",
                    "删减后剥夺人数", "删减后剥夺发生率 h_j(k)", "贡献率"},
                   {}};
  for (const MpiIndicatorResult& indicator : total.indicators) {
    indicators.rows.push_back({indicator.id, indicator.name, indicator.weight, indicator.weight_text,
                               indicator.uncensored_persons, indicator.uncensored_ratio,
                               indicator.censored_persons, indicator.censored_ratio,
                               OptionalRatio(indicator.contribution)});
  }
  tables.push_back(std::move(indicators));
  return tables;
}

Status WriteCsv(const std::vector<Table>& tables, const std::string& path) {
  ASSIGN_OR_RETURN(auto writer, CsvWriter::Create(path));
  bool first = true;
  for (const Table& table : tables) {
    if (!first) RETURN_IF_ERROR(writer->WriteRow({}));
    first = false;
    RETURN_IF_ERROR(writer->WriteRow({"[" + table.title + "]"}));
    RETURN_IF_ERROR(writer->WriteRow(table.header));
    for (const std::vector<Cell>& row : table.rows) {
      std::vector<std::string> fields;
      fields.reserve(row.size());
      for (const Cell& cell : row) fields.push_back(CellText(cell));
      RETURN_IF_ERROR(writer->WriteRow(fields));
    }
  }
  return writer->Close();
}

Status WriteXlsx(const std::vector<Table>& tables, const std::string& path) {
  ASSIGN_OR_RETURN(auto writer, XlsxWriter::Create(path));
  for (const Table& table : tables) {
    RETURN_IF_ERROR(writer->AddSheet(table.title, table.header));
    for (const std::vector<Cell>& row : table.rows) {
      std::vector<std::string> texts;
      texts.reserve(row.size());
      for (const Cell& cell : row) {
        texts.push_back(std::holds_alternative<std::string>(cell) ? std::get<std::string>(cell) : "");
      }
      ASSIGN_OR_RETURN(std::int64_t row_number, writer->AppendRow(texts));
      for (size_t column = 0; column < row.size(); ++column) {
        const Cell& cell = row[column];
        if (std::holds_alternative<std::int64_t>(cell)) {
          RETURN_IF_ERROR(writer->WriteNumber(row_number - 1, static_cast<int>(column),
                                              static_cast<double>(std::get<std::int64_t>(cell))));
        } else if (std::holds_alternative<double>(cell)) {
          RETURN_IF_ERROR(
              writer->WriteNumber(row_number - 1, static_cast<int>(column), std::get<double>(cell)));
        }
      }
    }
    for (size_t column = 0; column < table.header.size(); ++column) {
      RETURN_IF_ERROR(writer->SetColumnWidth(static_cast<int>(column), column == 0 ? 24 : 16));
    }
  }
  return writer->Close();
}

std::string Percent(double ratio) { return fmt::format("{:.2f}%", 100 * ratio); }

}  // namespace

std::string_view MpiGroupingName(MpiGrouping by) {
  switch (by) {
    case MpiGrouping::kPrefecture:
      return "prefecture";
    case MpiGrouping::kCounty:
      return "county";
    case MpiGrouping::kNone:
      break;
  }
  return "none";
}

nlohmann::ordered_json MpiResultToJson(const MpiResult& result, const MpiReportContext& context) {
  const MpiSpec& spec = result.spec;
  const MpiMeasures& total = result.total;
  nlohmann::ordered_json out;
  out["database"] = context.database;
  out["scope"] = {{"code", context.scope_code == 0 ? nlohmann::ordered_json(nullptr)
                                                   : nlohmann::ordered_json(context.scope_code)},
                  {"name", context.scope_name}};
  out["year"] = spec.year;
  out["monitoring_line_fen"] = spec.monitoring_line;
  out["monitoring_line_example"] = !spec.monitoring_line_official;
  out["reference_date"] = spec.reference_date.ToIso();
  out["k"] = spec.k;
  out["k_text"] = spec.k_text;
  out["by"] = std::string(MpiGroupingName(result.by));
  out["households"] = total.households;
  out["households_without_income"] = total.households_without_income;
  out["persons"] = total.persons;
  out["poor_persons"] = total.poor_persons;
  out["H"] = total.headcount_ratio;
  out["A"] = total.intensity;
  out["MPI"] = total.mpi;
  nlohmann::ordered_json indicators = nlohmann::ordered_json::array();
  for (const MpiIndicatorResult& indicator : total.indicators) {
    indicators.push_back({{"id", indicator.id},
                          {"name", indicator.name},
                          {"weight", indicator.weight},
                          {"weight_text", indicator.weight_text},
                          {"uncensored_persons", indicator.uncensored_persons},
                          {"uncensored_headcount_ratio", indicator.uncensored_ratio},
                          {"censored_persons", indicator.censored_persons},
                          {"censored_headcount_ratio", indicator.censored_ratio},
                          {"contribution", OptionalJson(indicator.contribution)}});
  }
  out["indicators"] = indicators;
  nlohmann::ordered_json groups = nlohmann::ordered_json::array();
  for (const MpiSubgroupResult& group : result.subgroups) {
    groups.push_back({{"code", group.code},
                      {"name", group.name},
                      {"households", group.measures.households},
                      {"persons", group.measures.persons},
                      {"poor_persons", group.measures.poor_persons},
                      {"H", group.measures.headcount_ratio},
                      {"A", group.measures.intensity},
                      {"MPI", group.measures.mpi},
                      {"contribution", OptionalJson(group.contribution)}});
  }
  out["subgroups"] = groups;
  return out;
}

Status WriteMpiResult(const MpiResult& result, const MpiReportContext& context, const std::string& path) {
  const std::string extension = Lower(std::filesystem::path(path).extension().string());
  if (extension == ".json") {
    const std::string tmp = path + ".tmp";
    {
      std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
      if (!file) return Unavailable(fmt::format("无法写入文件 {}", path));
      file << MpiResultToJson(result, context).dump(2) << "\n";
      file.close();
      if (!file) {
        std::error_code ignored;
        std::filesystem::remove(tmp, ignored);
        return Unavailable(fmt::format("写入文件 {} 失败（磁盘已满？）", path));
      }
    }
    std::error_code error;
    std::filesystem::rename(tmp, path, error);
    if (error) return Unavailable(fmt::format("无法写入文件 {}：{}", path, error.message()));
    return Status::Ok();
  }
  if (extension == ".csv") return WriteCsv(BuildTables(result, context), path);
  if (extension == ".xlsx") return WriteXlsx(BuildTables(result, context), path);
  return InvalidArgument(
      fmt::format("--out：不支持的输出格式“{}”（{}），应为 .csv、.xlsx 或 .json", extension, path));
}

std::string FormatMpiSummary(const MpiResult& result, const MpiReportContext& context) {
  const MpiSpec& spec = result.spec;
  const MpiMeasures& total = result.total;
  std::string out;
  out += fmt::format("多维贫困指数（Alkire–Foster）：{} 年，统计范围 {}\n", spec.year, context.scope_name);
  out += fmt::format("收入指标按 {} 年监测标准 {} 元{}；贫困临界值 k = {}\n", spec.year,
                     FormatYuanGrouped(spec.monitoring_line),
                     spec.monitoring_line_official ? "" : "（示例值）", spec.k_text);
  out += fmt::format("农户 {} 户，在世人口 n = {} 人，多维贫困人口 q = {} 人\n", total.households,
                     total.persons, total.poor_persons);
  if (total.households_without_income > 0) {
    out += fmt::format("注意：{} 户缺少 {} 年收入数据，收入指标按未剥夺计\n", total.households_without_income,
                       spec.year);
  }
  out += fmt::format("发生率 H = {:.4f}（{}），平均剥夺强度 A = {:.4f}，MPI = H×A = {:.4f}\n",
                     total.headcount_ratio, Percent(total.headcount_ratio), total.intensity, total.mpi);
  out += "各指标删减后剥夺发生率及贡献率：\n";
  for (const MpiIndicatorResult& indicator : total.indicators) {
    out += fmt::format("  {}（权重 {}）：未删减 {}，删减后 {}，贡献率 {}\n", indicator.name,
                       indicator.weight_text, Percent(indicator.uncensored_ratio),
                       Percent(indicator.censored_ratio),
                       indicator.contribution ? Percent(*indicator.contribution) : "-");
  }
  if (result.by != MpiGrouping::kNone) {
    out += fmt::format("按{}分组（{} 组）：\n", result.by == MpiGrouping::kPrefecture ? "市州" : "县",
                       result.subgroups.size());
    for (const MpiSubgroupResult& group : result.subgroups) {
      out += fmt::format("  {}（{}）：n = {}，H = {:.4f}，A = {:.4f}，MPI = {:.4f}，贡献率 {}\n", group.name,
                         group.code, group.measures.persons, group.measures.headcount_ratio,
                         group.measures.intensity, group.measures.mpi,
                         group.contribution ? Percent(*group.contribution) : "-");
    }
  }
  return out;
}

}  // namespace zx
