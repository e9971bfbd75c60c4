// `zhenxing import --db FILE households PATH.(csv|xlsx) [--report PATH] [--division CODE]`
//
// Reads and validates the whole file first (see exchange/household_import.h).
// On any error nothing is written: the first 50 errors and the counts per
// kind go to stderr, the full report to an .xlsx (default
// "<input stem>.错误报告.xlsx" beside the input), exit status 1. On success
// every household is written in one transaction and the inserted / updated /
// unchanged counts are printed. The database is created if it does not
// exist yet (with the default division table), but only once the file has
// passed validation.
#include <iostream>
#include <memory>
#include <string>

#include "cli/command.h"
#include "domain/division.h"
#include "exchange/household_import.h"
#include "exchange/import_report.h"
#include "exchange/table_reader.h"
#include "storage/store.h"

namespace zx::cli {
namespace {

struct ImportArgs {
  std::string db;
  std::string entity;
  std::string path;
  std::string report_path;
  std::string division;
};

}  // namespace

/// Parses --division: a 12-digit code, or a shorter prefix (2, 4, 6 or 9
/// digits) padded with zeros. Shared with export_command.cc.
Result<DivisionScope> ParseDivisionScope(const std::string& text, const DivisionTable& divisions) {
  if (text.empty()) return DivisionScope::All();
  const bool digits =
      !text.empty() && text.size() <= 12 && text.find_first_not_of("0123456789") == std::string::npos;
  if (!digits)
    return InvalidArgument("--division 应为区划代码（12 位数字，或 2/4/6/9 位前缀），而不是“" + text + "”");
  std::string padded = text + std::string(12 - text.size(), '0');
  const DivisionCode code = std::stoll(padded);
  const Division* division = divisions.Find(code);
  if (division == nullptr) return NotFound("区划代码 " + padded + " 不存在");
  return DivisionScope::Of(code, division->level);
}

namespace {

void RunImport(const ImportArgs& args) {
  if (args.entity != "households") {
    ReportError(InvalidArgument("不支持导入“" + args.entity + "”：目前只能导入 households（农户）"));
    return;
  }
  Result<DivisionTable> divisions = DivisionTable::LoadDefault();
  if (!divisions.ok()) {
    ReportError(divisions.status());
    return;
  }
  ImportOptions options;
  Result<DivisionScope> scope = ParseDivisionScope(args.division, *divisions);
  if (!scope.ok()) {
    ReportError(scope.status());
    return;
  }
  options.scope = *scope;

  ImportReport report(BaseName(args.path));
  ParsedHouseholds parsed;
  ReadHouseholdFile(args.path, *divisions, options, &report, &parsed);
  for (const std::string& warning : report.warnings()) std::cerr << "提示：" << warning << "\n";

  auto fail_with_report = [&](const std::string& headline) {
    std::cerr << headline << "\n" << report.FormatText(50);
    bool has_cells = false;
    for (const ImportIssue& issue : report.errors()) has_cells = has_cells || issue.row > 0;
    if (has_cells) {
      const std::string report_path =
          args.report_path.empty() ? DefaultReportPath(args.path) : args.report_path;
      Status written = report.WriteXlsx(report_path, args.path);
      if (written.ok()) {
        std::cerr << "完整错误报告（有误单元格已标红并附批注）：" << report_path << "\n";
      } else {
        std::cerr << "错误报告未能写出：" << written.message() << "\n";
      }
    }
    SetExitCode(1);
  };

  if (report.has_errors()) {
    fail_with_report("导入失败：文件“" + report.file_name() + "”共有 " +
                     std::to_string(report.error_count()) + " 处错误，未导入任何数据。");
    return;
  }

  Result<std::unique_ptr<Store>> store = OpenStore(args.db, *divisions);
  if (!store.ok()) {
    ReportError(store.status());
    return;
  }
  Result<WriteCounts> counts = WriteHouseholds(**store, parsed, options, &report);
  if (!counts.ok()) {
    fail_with_report("导入失败：数据库拒绝写入，未导入任何数据。");
    return;
  }
  std::cout << "导入完成：" << report.file_name() << "（" << parsed.encoding << "，" << parsed.data_rows
            << " 行，" << parsed.records.size() << " 户 " << parsed.persons << " 人）\n"
            << "新增 " << counts->inserted << " 户，更新 " << counts->updated << " 户，未变化 "
            << counts->unchanged << " 户\n";
}

void RegisterImportCommand(CLI::App& app) {
  auto args = std::make_shared<ImportArgs>();
  CLI::App* sub =
      app.add_subcommand("import", "从 .csv 或 .xlsx 模板导入农户及家庭成员（有任何错误则不导入）");
  sub->add_option("--db", args->db, "数据库文件（不存在时在校验通过后创建）")->required();
  sub->add_option("entity", args->entity, "导入的数据类别：households（农户）")->required();
  sub->add_option("path", args->path, "导入文件（.csv 或 .xlsx）")->required();
  sub->add_option("--report", args->report_path,
                  "错误报告 .xlsx 的路径（默认：输入文件旁的 <文件名>.错误报告.xlsx）");
  sub->add_option("--division", args->division, "只允许该区划范围内的村（区划代码）");
  sub->callback([args] { RunImport(*args); });
}

}  // namespace

ZX_REGISTER_COMMAND(RegisterImportCommand);

}  // namespace zx::cli
