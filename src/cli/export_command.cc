// `zhenxing export --db FILE households --out PATH.(csv|xlsx) [--division CODE]`
// `zhenxing export --template --out PATH.(csv|xlsx)`
//
// Writes the households in scope in the exchange template (see
// exchange/household_export.h), or the blank template. The database must
// already exist. Full ID numbers are exported (province rights; masking by
// role comes with accounts).
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "cli/command.h"
#include "domain/division.h"
#include "exchange/household_export.h"
#include "storage/store.h"

namespace zx::cli {

Result<DivisionScope> ParseDivisionScope(const std::string& text, const DivisionTable& divisions);

namespace {

struct ExportArgs {
  std::string db;
  std::string entity;
  std::string out;
  std::string division;
  bool template_only = false;
};

void RunExport(const ExportArgs& args) {
  if (args.template_only) {
    Status written = WriteBlankTemplate(args.out);
    if (!written.ok()) {
      ReportError(written);
      return;
    }
    std::cout << "已写出空白模板：" << args.out << "\n";
    return;
  }
  if (args.entity != "households") {
    ReportError(InvalidArgument(args.entity.empty()
                                    ? "请指定导出的数据类别：households（农户）"
                                    : "不支持导出“" + args.entity + "”：目前只能导出 households（农户）"));
    return;
  }
  if (args.db.empty()) {
    ReportError(InvalidArgument("请用 --db 指定数据库文件"));
    return;
  }
  std::error_code ec;
  if (!std::filesystem::exists(args.db, ec)) {
    ReportError(NotFound("数据库文件不存在：" + args.db));
    return;
  }
  Result<DivisionTable> divisions = DivisionTable::LoadDefault();
  if (!divisions.ok()) {
    ReportError(divisions.status());
    return;
  }
  ExportOptions options;
  Result<DivisionScope> scope = ParseDivisionScope(args.division, *divisions);
  if (!scope.ok()) {
    ReportError(scope.status());
    return;
  }
  options.scope = *scope;
  Result<std::unique_ptr<Store>> store = OpenStore(args.db, *divisions);
  if (!store.ok()) {
    ReportError(store.status());
    return;
  }
  Result<ExportSummary> summary = ExportHouseholds(**store, args.out, options);
  if (!summary.ok()) {
    ReportError(summary.status());
    return;
  }
  std::cout << "导出完成：" << args.out << "（" << summary->households << " 户 " << summary->persons
            << " 人，收入年度 " << summary->years.front() << "–" << summary->years.back() << "）\n";
}

void RegisterExportCommand(CLI::App& app) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* sub = app.add_subcommand("export", "按导入模板导出农户及家庭成员（.csv 或 .xlsx）");
  sub->add_option("--db", args->db, "数据库文件（必须已存在）");
  sub->add_option("entity", args->entity, "导出的数据类别：households（农户）");
  sub->add_option("--out", args->out, "输出文件（.csv 或 .xlsx）")->required();
  sub->add_option("--division", args->division, "只导出该区划范围（区划代码）");
  sub->add_flag("--template", args->template_only, "只写出空白模板（不需要数据库）");
  sub->callback([args] { RunExport(*args); });
}

}  // namespace

ZX_REGISTER_COMMAND(RegisterExportCommand);

}  // namespace zx::cli
