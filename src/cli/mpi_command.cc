// `zhenxing mpi --db FILE --year Y [--k K] [--by prefecture|county]
//               [--division CODE] [--policy FILE] --out PATH.(csv|xlsx|json)`
//
// Alkire–Foster multidimensional poverty over the living persons of the
// households in scope (analytics/mpi.h; output format and arithmetic in
// docs/formats/mpi.md). Streams the database; prints a Chinese summary.
// Exit codes: 0 success, 1 bad arguments (k, year, --by, --out, division),
// 2 other errors.
#include <fmt/format.h>

#include <cctype>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "analytics/mpi.h"
#include "analytics/mpi_report.h"
#include "cli/command.h"
#include "cli/division_option.h"
#include "domain/division.h"
#include "domain/policy.h"
#include "storage/store.h"

namespace zx::cli {
namespace {

struct MpiArgs {
  std::string db;
  int year = 0;
  std::string k;
  std::string by;
  std::string division;
  std::string policy;
  std::string out;
};

Status CheckOutPath(const std::string& out) {
  std::string extension = std::filesystem::path(out).extension().string();
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (extension == ".csv" || extension == ".xlsx" || extension == ".json") return Status::Ok();
  return InvalidArgument(fmt::format("--out：输出文件 {} 的扩展名应为 .csv、.xlsx 或 .json", out));
}

Status RunMpi(const MpiArgs& args) {
  RETURN_IF_ERROR(CheckOutPath(args.out));
  ASSIGN_OR_RETURN(MpiGrouping by, ParseMpiGrouping(args.by));
  ASSIGN_OR_RETURN(Policy policy, LoadPolicy(args.policy.empty() ? DefaultPolicyPath() : args.policy));
  Result<MpiSpec> spec = MakeMpiSpec(policy, args.year, args.k);
  if (!spec.ok()) {
    // A year missing from the policy is a bad argument here.
    if (spec.status().code() == StatusCode::kNotFound)
      return InvalidArgument("--year：" + spec.status().message());
    return spec.status();
  }

  std::error_code error;
  if (!std::filesystem::is_regular_file(args.db, error)) {
    return NotFound(fmt::format(
        "数据库文件 {} 不存在（mpi 不会创建数据库，请先运行 zhenxing demo 或 zhenxing import）", args.db));
  }
  ASSIGN_OR_RETURN(auto store, OpenStore(args.db, DivisionTable()));

  MpiReportContext context;
  context.database = args.db;
  context.scope_name = "全部";
  DivisionScope scope = DivisionScope::All();
  if (!args.division.empty()) {
    const bool digits =
        args.division.size() <= 12 && args.division.find_first_not_of("0123456789") == std::string::npos;
    if (!digits) {
      return InvalidArgument("--division 应为区划代码（12 位数字，或 2/4/6/9 位前缀），而不是“" +
                             args.division + "”");
    }
    const DivisionCode code = std::stoll(args.division + std::string(12 - args.division.size(), '0'));
    ASSIGN_OR_RETURN(Division division, FindDivisionInStore(*store, code, args.db));
    scope = DivisionScope::Of(division.code, division.level);
    context.scope_code = division.code;
    context.scope_name = division.name;
  }

  ASSIGN_OR_RETURN(MpiResult result, ComputeMpi(*store, scope, *spec, by));
  RETURN_IF_ERROR(WriteMpiResult(result, context, args.out));
  std::cout << FormatMpiSummary(result, context);
  std::cout << "结果已写出：" << args.out << "\n";
  return Status::Ok();
}

void RegisterMpiCommand(CLI::App& app) {
  auto args = std::make_shared<MpiArgs>();
  CLI::App* sub =
      app.add_subcommand("mpi", "计算多维贫困指数（Alkire–Foster）：发生率 H、强度 A、MPI、指标与分组贡献率");
  sub->add_option("--db", args->db, "数据库文件（必须已存在）")->required();
  sub->add_option("--year", args->year, "年度（政策文件中须有该年的监测标准）")->required();
  sub->add_option("--k", args->k, "贫困临界值，分数或小数，0 < k ≤ 1（默认取政策文件，1/3）");
  sub->add_option("--by", args->by, "分组：prefecture（按市州）或 county（按县）");
  sub->add_option("--division", args->division, "只统计这个行政区划（区划代码，如 630121000000）");
  sub->add_option("--policy", args->policy, "政策文件（默认 data/policy/qinghai.toml）");
  sub->add_option("--out", args->out, "输出文件（.csv、.xlsx 或 .json）")->required();
  sub->footer("输出格式与计算方法见 docs/formats/mpi.md。退出码：成功 0，参数错误 1，其他错误 2。");
  sub->callback([args] {
    Status status = RunMpi(*args);
    if (!status.ok()) ReportError(status);
  });
}

}  // namespace

ZX_REGISTER_COMMAND(RegisterMpiCommand);

}  // namespace zx::cli
