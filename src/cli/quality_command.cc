// `zhenxing quality --db FILE [--division CODE] [--out report.xlsx]` and
// `zhenxing kpi --db FILE --year Y [--division CODE] [--out kpi.xlsx]`.
//
// quality runs the data-quality checks of the monitoring cases
// (workflow/quality.h), prints the findings per check and optionally writes
// a workbook with a summary sheet and one sheet per check.
// kpi computes the year's indicators (workflow/kpi.h) per child division and
// month, prints the year's figures and optionally writes a workbook (year
// summary, months, measure amounts by category).
// Definitions: docs/kpi-quality.md. Exit codes: 0 success, 1 bad arguments,
// 2 other errors.
#include <fmt/format.h>

#include <cctype>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/division_option.h"
#include "common/money.h"
#include "common/xlsx.h"
#include "domain/policy.h"
#include "storage/case_store.h"
#include "storage/store.h"
#include "workflow/kpi.h"
#include "workflow/quality.h"

namespace zx::cli {
namespace {

struct CommonArgs {
  std::string db;
  std::string division;
  std::string policy;
  std::string out;
  std::string as_of;  // YYYY-MM-DD, Beijing end of day; "" = now
  int year = 0;
};

struct Opened {
  std::unique_ptr<Store> registry;
  std::unique_ptr<CaseStore> cases;
  Policy policy;
  DivisionScope scope = DivisionScope::All();
  std::string scope_name = "全部";
  std::map<DivisionCode, std::string> names;
  std::int64_t now = 0;
};

Status CheckXlsxOut(const std::string& out) {
  if (out.empty()) return Status::Ok();
  std::string extension = std::filesystem::path(out).extension().string();
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (extension == ".xlsx") return Status::Ok();
  return InvalidArgument(fmt::format("--out：输出文件 {} 的扩展名应为 .xlsx", out));
}

Result<Opened> Open(const CommonArgs& args) {
  RETURN_IF_ERROR(CheckXlsxOut(args.out));
  Opened opened;
  if (args.as_of.empty()) {
    opened.now = static_cast<std::int64_t>(std::time(nullptr));
  } else {
    Result<Date> date = ParseDate(args.as_of);
    if (!date.ok()) return InvalidArgument("--as-of：" + date.status().message());
    opened.now = (date->ToDays() + 1) * kSecondsPerDay - kKpiUtcOffsetSeconds - 1;
  }
  ASSIGN_OR_RETURN(opened.policy, LoadPolicy(args.policy.empty() ? DefaultPolicyPath() : args.policy));
  std::error_code error;
  if (!std::filesystem::is_regular_file(args.db, error)) {
    return NotFound(
        fmt::format("数据库文件 {} 不存在（请先运行 zhenxing demo 或 zhenxing import）", args.db));
  }
  ASSIGN_OR_RETURN(opened.registry, OpenStore(args.db, DivisionTable()));
  ASSIGN_OR_RETURN(opened.cases, OpenCaseStore(args.db));
  if (!args.division.empty()) {
    const bool digits =
        args.division.size() <= 12 && args.division.find_first_not_of("0123456789") == std::string::npos;
    if (!digits) {
      return InvalidArgument("--division 应为区划代码（12 位数字，或 2/4/6/9 位前缀），而不是“" +
                             args.division + "”");
    }
    const DivisionCode code = std::stoll(args.division + std::string(12 - args.division.size(), '0'));
    ASSIGN_OR_RETURN(Division division, FindDivisionInStore(*opened.registry, code, args.db));
    opened.scope = DivisionScope::Of(division.code, division.level);
    opened.scope_name = division.name;
  }
  ASSIGN_OR_RETURN(std::vector<Division> divisions, opened.registry->ListDivisions(opened.scope));
  for (const Division& division : divisions) opened.names[division.code] = division.name;
  return opened;
}

// Writes a number into the cell of the row just appended (1-based row number).
Status Number(XlsxWriter& writer, std::int64_t row_number, int column, double value) {
  return writer.WriteNumber(row_number - 1, column, value);
}

// ---------------------------------------------------------------------------
// quality

Status WriteQualityWorkbook(const QualityReport& report, const Opened& opened, const std::string& out) {
  ASSIGN_OR_RETURN(auto writer, XlsxWriter::Create(out));
  RETURN_IF_ERROR(writer->AddSheet("汇总", {"检查项代码", "检查项", "问题数"}));
  for (const QualityCheck& check : report.checks) {
    ASSIGN_OR_RETURN(std::int64_t row, writer->AppendRow({check.code, check.label, ""}));
    RETURN_IF_ERROR(Number(*writer, row, 2, static_cast<double>(check.findings.size())));
  }
  RETURN_IF_ERROR(writer->SetColumnWidth(1, 40));
  for (const QualityCheck& check : report.checks) {
    // Sheet names: the label (Excel allows 31 characters; ours are shorter).
    RETURN_IF_ERROR(writer->AddSheet(check.label, {"户编号", "村代码", "村名称", "案件编号", "说明"}));
    for (const QualityFinding& finding : check.findings) {
      auto name = opened.names.find(finding.village_code);
      ASSIGN_OR_RETURN(
          std::int64_t row,
          writer->AppendRow({finding.household_number, std::to_string(finding.village_code),
                             name == opened.names.end() ? std::string() : name->second, "", finding.detail}));
      RETURN_IF_ERROR(Number(*writer, row, 3, static_cast<double>(finding.case_id)));
    }
    RETURN_IF_ERROR(writer->SetColumnWidth(0, 22));
    RETURN_IF_ERROR(writer->SetColumnWidth(1, 15));
    RETURN_IF_ERROR(writer->SetColumnWidth(4, 70));
  }
  return writer->Close();
}

Status RunQuality(const CommonArgs& args) {
  ASSIGN_OR_RETURN(Opened opened, Open(args));
  ASSIGN_OR_RETURN(QualityReport report, RunQualityChecks(*opened.cases, *opened.registry, opened.policy,
                                                          opened.scope, opened.now));
  std::cout << fmt::format("数据质量检查：{}（{}），检查案件 {} 件，统计时点 {}\n", opened.scope_name,
                           args.db, report.cases_checked, KpiDateOf(opened.now).ToIso());
  for (const QualityCheck& check : report.checks) {
    std::cout << fmt::format("  {:<28} {:>6} 条  {}\n", check.code, check.findings.size(), check.label);
    constexpr size_t kShown = 3;
    for (size_t finding_idx = 0; finding_idx < check.findings.size() && finding_idx < kShown; ++finding_idx) {
      const QualityFinding& finding = check.findings[finding_idx];
      std::cout << fmt::format("      户 {} 案件 #{}：{}\n", finding.household_number, finding.case_id,
                               finding.detail);
    }
    if (check.findings.size() > kShown) {
      std::cout << fmt::format("      …… 另有 {} 条{}\n", check.findings.size() - kShown,
                               args.out.empty() ? "（用 --out 导出全部）" : "");
    }
  }
  std::cout << fmt::format("合计 {} 条问题\n", report.TotalFindings());
  if (!args.out.empty()) {
    RETURN_IF_ERROR(WriteQualityWorkbook(report, opened, args.out));
    std::cout << "结果已写出：" << args.out << "\n";
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------
// kpi

std::string Percent(double ratio) { return ratio < 0 ? "—" : fmt::format("{:.1f}%", ratio * 100); }
std::string SignedPercent(double ratio) { return fmt::format("{:+.1f}%", ratio * 100); }
std::string Days(double days) { return days < 0 ? "—" : fmt::format("{:.1f}", days); }

const std::vector<std::string>& FigureHeader() {
  static const std::vector<std::string> header = {
      "新立案件",
      "识别决定",
      "纳入监测",
      "不予纳入",
      "线索至决定天数中位数",
      "线索至决定平均天数",
      "15天内决定数",
      "15天内决定占比",
      "超期未决识别案件",
      "新增监测户",
      "其中返贫再纳入",
      "期末监测户",
      "期末有措施户",
      "措施覆盖率",
      "帮扶消除",
      "自然消除",
      "累计纳入监测",
      "累计消除",
      "风险消除率",
      "新增措施数",
      "措施金额（元）",
      "产业措施金额（元）",
      "产业占比",
  };
  return header;
}

// Numbers of one period in FigureHeader order; ratios as fractions, -1 → blank.
std::vector<double> FigureValues(const KpiFigures& f) {
  return {static_cast<double>(f.cases_opened),
          static_cast<double>(f.identification_decisions),
          static_cast<double>(f.identified),
          static_cast<double>(f.rejected),
          f.median_decision_days,
          f.mean_decision_days,
          static_cast<double>(f.decided_within_limit),
          f.share_within_limit,
          static_cast<double>(f.overdue_open_identification),
          static_cast<double>(f.newly_monitored),
          static_cast<double>(f.re_entries),
          static_cast<double>(f.monitored_at_end),
          static_cast<double>(f.monitored_with_measure),
          f.measure_coverage,
          static_cast<double>(f.eliminated_assisted),
          static_cast<double>(f.eliminated_natural),
          static_cast<double>(f.ever_monitored),
          static_cast<double>(f.eliminated_to_date),
          f.elimination_rate,
          static_cast<double>(f.measures_started),
          static_cast<double>(f.measure_amount) / kFenPerYuan,
          static_cast<double>(f.industry_amount) / kFenPerYuan,
          f.industry_share};
}

Status AppendFigures(XlsxWriter& writer, std::vector<std::string> leading, const KpiFigures& figures,
                     std::vector<double> trailing = {}) {
  const std::vector<double> values = FigureValues(figures);
  const int first = static_cast<int>(leading.size());
  leading.resize(leading.size() + values.size() + trailing.size());
  ASSIGN_OR_RETURN(std::int64_t row, writer.AppendRow(leading));
  for (size_t value_idx = 0; value_idx < values.size(); ++value_idx) {
    if (values[value_idx] < 0) continue;  // "not applicable": left blank
    RETURN_IF_ERROR(Number(writer, row, first + static_cast<int>(value_idx), values[value_idx]));
  }
  for (size_t value_idx = 0; value_idx < trailing.size(); ++value_idx) {
    RETURN_IF_ERROR(
        Number(writer, row, first + static_cast<int>(values.size() + value_idx), trailing[value_idx]));
  }
  return Status::Ok();
}

Status WriteKpiWorkbook(const KpiReport& report, const Opened& opened, const std::string& out) {
  ASSIGN_OR_RETURN(auto writer, XlsxWriter::Create(out));
  std::vector<std::string> year_header = {"区划代码", "区划名称"};
  for (const std::string& column : FigureHeader()) year_header.push_back(column);
  for (const char* column :
       {"脱贫户上年人均纯收入（元）", "脱贫户本年人均纯收入（元）", "脱贫户收入增长",
        "全体农户上年人均纯收入（元）", "全体农户本年人均纯收入（元）", "全体农户收入增长"}) {
    year_header.push_back(column);
  }
  RETURN_IF_ERROR(writer->AddSheet(fmt::format("{}年度", report.year), year_header));
  for (const KpiRow& row : report.rows) {
    std::vector<double> income;
    for (const IncomeGrowth* growth : {&row.ex_poor_income, &row.rural_income}) {
      income.push_back(static_cast<double>(growth->per_capita_previous) / kFenPerYuan);
      income.push_back(static_cast<double>(growth->per_capita_current) / kFenPerYuan);
      income.push_back(growth->growth);
    }
    RETURN_IF_ERROR(
        AppendFigures(*writer, {std::to_string(row.division_code), row.division_name}, row.year, income));
  }
  RETURN_IF_ERROR(writer->SetColumnWidth(1, 24));

  std::vector<std::string> month_header = {"区划代码", "区划名称", "月份"};
  for (const std::string& column : FigureHeader()) month_header.push_back(column);
  RETURN_IF_ERROR(writer->AddSheet("分月", month_header));
  for (const KpiRow& row : report.rows) {
    for (int month = 1; month <= 12; ++month) {
      RETURN_IF_ERROR(AppendFigures(
          *writer, {std::to_string(row.division_code), row.division_name, KpiMonthLabel(report.year, month)},
          row.months[month - 1]));
    }
  }
  RETURN_IF_ERROR(writer->SetColumnWidth(1, 24));

  RETURN_IF_ERROR(
      writer->AddSheet("措施金额分类", {"区划代码", "区划名称", "措施类别代码", "措施类别", "金额（元）"}));
  for (const KpiRow& row : report.rows) {
    for (const auto& [code, amount] : row.year.amount_by_category) {
      ASSIGN_OR_RETURN(std::int64_t line,
                       writer->AppendRow({std::to_string(row.division_code), row.division_name, code,
                                          std::string(opened.policy.measures.NameOf(code)), ""}));
      RETURN_IF_ERROR(Number(*writer, line, 4, static_cast<double>(amount) / kFenPerYuan));
    }
  }
  RETURN_IF_ERROR(writer->AddSheet("说明", {"说明"}));
  for (const std::string& note : report.notes) RETURN_IF_ERROR(writer->AppendRow({note}).status());
  RETURN_IF_ERROR(writer->AppendRow({"各项指标的定义见 docs/kpi-quality.md"}).status());
  RETURN_IF_ERROR(writer->SetColumnWidth(0, 120));
  return writer->Close();
}

Status RunKpi(const CommonArgs& args) {
  ASSIGN_OR_RETURN(Opened opened, Open(args));
  ASSIGN_OR_RETURN(KpiReport report, ComputeKpis(*opened.cases, *opened.registry, opened.policy, opened.scope,
                                                 args.year, opened.now));
  std::cout << fmt::format("{} 年监测帮扶指标：{}（{}），统计时点 {}\n", report.year, opened.scope_name,
                           args.db, KpiDateOf(opened.now).ToIso());
  for (const KpiRow& row : report.rows) {
    const KpiFigures& y = row.year;
    std::cout << fmt::format(
        "{}\n  新立案件 {}，识别决定 {}（纳入 {}，不予纳入 {}），线索至决定中位 {} 天、平均 {} 天，15天内 "
        "{}；"
        "超期未决 {}\n  新增监测户 {}（返贫再纳入 {}），期末监测户 {}，措施覆盖率 {}；消除 {}（帮扶 {}，自然 "
        "{}），"
        "风险消除率 {}\n  措施金额 {} 元，产业占比 {}",
        row.division_name, y.cases_opened, y.identification_decisions, y.identified, y.rejected,
        Days(y.median_decision_days), Days(y.mean_decision_days), Percent(y.share_within_limit),
        y.overdue_open_identification, y.newly_monitored, y.re_entries, y.monitored_at_end,
        Percent(y.measure_coverage), y.eliminated_assisted + y.eliminated_natural, y.eliminated_assisted,
        y.eliminated_natural, Percent(y.elimination_rate), FormatYuanGrouped(y.measure_amount),
        Percent(y.industry_share));
    if (row.ex_poor_income.available || row.rural_income.available) {
      std::cout << fmt::format("；人均纯收入增长：脱贫户 {}（{} 元），全体农户 {}（{} 元）",
                               row.ex_poor_income.available ? SignedPercent(row.ex_poor_income.growth) : "—",
                               FormatYuanGrouped(row.ex_poor_income.per_capita_current),
                               row.rural_income.available ? SignedPercent(row.rural_income.growth) : "—",
                               FormatYuanGrouped(row.rural_income.per_capita_current));
    }
    std::cout << "\n";
  }
  for (const std::string& note : report.notes) std::cout << "注：" << note << "\n";
  if (!args.out.empty()) {
    RETURN_IF_ERROR(WriteKpiWorkbook(report, opened, args.out));
    std::cout << "结果已写出：" << args.out << "\n";
  }
  return Status::Ok();
}

void AddCommonOptions(CLI::App* sub, CommonArgs* args) {
  sub->add_option("--db", args->db, "数据库文件（必须已存在）")->required();
  sub->add_option("--division", args->division, "只统计这个行政区划（区划代码，如 630121000000）");
  sub->add_option("--policy", args->policy, "政策文件（默认 data/policy/qinghai.toml）");
  sub->add_option("--as-of", args->as_of,
                  "统计时点：该日（北京时间）结束时，格式 YYYY-MM-DD（默认当前时间）");
  sub->add_option("--out", args->out, "输出 Excel 文件（.xlsx）");
  sub->footer("指标与检查项的定义见 docs/kpi-quality.md。退出码：成功 0，参数错误 1，其他错误 2。");
}

void RegisterQualityCommands(CLI::App& app) {
  auto quality_args = std::make_shared<CommonArgs>();
  CLI::App* quality =
      app.add_subcommand("quality", "监测案件数据质量检查（过早消除、无帮扶措施、收入低于标准却消除等）");
  AddCommonOptions(quality, quality_args.get());
  quality->callback([quality_args] {
    Status status = RunQuality(*quality_args);
    if (!status.ok()) ReportError(status);
  });

  auto kpi_args = std::make_shared<CommonArgs>();
  CLI::App* kpi =
      app.add_subcommand("kpi", "监测帮扶年度指标：识别时效、措施覆盖率、风险消除率、收入增长、产业资金占比");
  AddCommonOptions(kpi, kpi_args.get());
  kpi->add_option("--year", kpi_args->year, "统计年度")->required();
  kpi->callback([kpi_args] {
    Status status = RunKpi(*kpi_args);
    if (!status.ok()) ReportError(status);
  });
}

}  // namespace

ZX_REGISTER_COMMAND(RegisterQualityCommands);

}  // namespace zx::cli
