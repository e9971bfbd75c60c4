// `zhenxing compare --db FILE --feed KIND --file PATH [--out links.csv]
//  [--division CODE] [--uploader NAME] [--as-of DATE] [--dry-run|--no-store]
//  [--id-only] [--alerts-out alerts.csv]`:
// links every row of a department file to registry persons (exact ID,
// upgraded 15-digit ID, repaired ID, probabilistic), raises signals (alerts
// for screening) and eligibility anomalies (review items, never automatic
// changes), stores the result with provenance, and prints a Chinese summary.
// Re-running the same file changes nothing. Format: docs/formats/feeds.md.
// Exit codes: 0 success; 1 any error (refused header or encoding, missing
// database, unknown feed).
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/division_option.h"
#include "common/csv.h"
#include "common/progress.h"
#include "domain/division.h"
#include "domain/policy.h"
#include "matching/compare.h"
#include "matching/feed_profile.h"
#include "matching/name_normalizer.h"
#include "storage/store.h"

namespace zx::cli {
namespace {

struct CompareArgs {
  std::string db;
  std::string feed;
  std::string file;
  std::string out;
  std::int64_t division = 0;
  std::string uploader;
  std::string as_of;
  bool dry_run = false;
  bool id_only = false;
  std::string alerts_out;
  int max_issues = 20;
};

std::string DefaultUploader() {
  const char* user = std::getenv("USER");
  return user != nullptr && *user != '\0' ? std::string(user) : std::string("命令行");
}

Status RunCompareCommand(const CompareArgs& args) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(args.db, error)) {
    return NotFound(fmt::format(
        "数据库文件 {} 不存在（compare 不会创建数据库，请先运行 zhenxing demo 或 zhenxing import）",
        args.db));
  }
  ASSIGN_OR_RETURN(matching::FeedProfiles profiles, matching::LoadDefaultFeedProfiles());
  ASSIGN_OR_RETURN(const matching::FeedProfile* profile, profiles.Find(args.feed));
  ASSIGN_OR_RETURN(Policy policy, LoadDefaultPolicy());
  ASSIGN_OR_RETURN(auto normalizer, matching::NameNormalizer::CreateDefault());

  matching::CompareOptions options;
  options.db = args.db;
  options.file = args.file;
  options.out = args.out;
  options.uploader = args.uploader.empty() ? DefaultUploader() : args.uploader;
  options.store = !args.dry_run;
  options.linker.id_only = args.id_only;
  options.release_in_background = true;
  matching::SignalResult signals;
  if (!args.alerts_out.empty()) options.signals_out = &signals;
  std::string scope_name = "全部";
  if (args.division != 0) {
    ASSIGN_OR_RETURN(auto store, OpenStore(args.db, DivisionTable()));
    ASSIGN_OR_RETURN(Division division, FindDivisionInStore(*store, args.division, args.db));
    options.scope = DivisionScope::Of(division.code, division.level);
    scope_name = fmt::format("{}（{}）", division.name, division.code);
  }
  if (!args.as_of.empty()) {
    Result<Date> as_of = ParseDate(args.as_of);
    if (!as_of.ok()) return InvalidArgument(fmt::format("--as-of “{}”不是有效日期", args.as_of));
    options.as_of = *as_of;
  }
  ProgressBar bar("读取部门数据", 1000);
  options.progress = [&bar](double fraction) {
    if (fraction >= 0) bar.Set(static_cast<std::int64_t>(fraction * 1000));
  };
  ASSIGN_OR_RETURN(matching::CompareSummary summary,
                   matching::RunCompare(options, *profile, policy, *normalizer));
  bar.Finish();
  if (!args.alerts_out.empty() && !summary.already_stored) {
    ASSIGN_OR_RETURN(auto writer, CsvWriter::Create(args.alerts_out, false));
    RETURN_IF_ERROR(writer->WriteRow({"kind", "id_number", "household_number", "village_code", "value_fen",
                                      "threshold_fen", "row", "detail"}));
    std::vector<std::string> fields(8);
    for (const FeedFinding& alert : signals.alerts) {
      fields[0] = alert.kind;
      fields[1] = alert.id_number;
      fields[2] = alert.household_number;
      fields[3] = std::to_string(alert.village_code);
      fields[4] = std::to_string(alert.value);
      fields[5] = std::to_string(alert.threshold);
      fields[6] = std::to_string(alert.row);
      fields[7] = alert.detail;
      RETURN_IF_ERROR(writer->WriteRow(fields));
    }
    RETURN_IF_ERROR(writer->Close());
  }

  std::cout << fmt::format("部门数据比对：{}（{}），文件 {}，范围：{}\n", profile->name, profile->department,
                           args.file, scope_name);
  if (summary.already_stored) {
    std::cout << fmt::format(
        "此文件（SHA-256 {}）已于此前比对并保存（批次 {}），本次未做任何更改。以下为当时的结果：\n",
        summary.file_sha256.substr(0, 16), summary.upload_id);
  } else {
    std::cout << fmt::format(
        "编码 {}，SHA-256 {}，登记人员 {} 人\n", summary.encoding,
        summary.file_sha256.empty() ? "未计算（试运行不保存，无需留存文件指纹）" : summary.file_sha256,
        summary.registry_persons);
    if (!summary.ignored_headers.empty()) {
      std::string ignored;
      for (const std::string& header : summary.ignored_headers)
        ignored += (ignored.empty() ? "" : "、") + header;
      std::cout << fmt::format("未使用的列：{}\n", ignored);
    }
  }
  std::cout << fmt::format("读取 {} 行，拒绝 {} 行\n", summary.rows_read, summary.rows_rejected);
  for (int idx = 0; idx < matching::kMatchClassCount; ++idx) {
    const auto match_class = static_cast<matching::MatchClass>(idx);
    std::cout << fmt::format("  {:<14}{}：{} 行\n", matching::MatchClassId(match_class),
                             matching::MatchClassLabel(match_class), summary.by_class[idx]);
  }
  if (!summary.issues.empty()) {
    std::cout << fmt::format("数据问题 {} 处（被拒绝的行及无法识别的单元格），前 {} 处：\n",
                             summary.issue_count,
                             std::min<std::int64_t>(summary.issue_count, args.max_issues));
    for (std::size_t idx = 0; idx < summary.issues.size() && static_cast<int>(idx) < args.max_issues; ++idx) {
      const matching::RowIssue& issue = summary.issues[idx];
      std::cout << fmt::format("  第 {} 行{}：{}\n", issue.row,
                               issue.column.empty() ? "" : fmt::format("“{}”列", issue.column), issue.reason);
    }
  } else if (summary.issue_count > 0) {
    std::cout << fmt::format("数据问题 {} 处（见首次比对的记录）\n", summary.issue_count);
  }
  std::cout << fmt::format("预警（供监测筛查使用，截至 {}）：\n", summary.as_of.ToIso());
  if (summary.alerts_by_kind.empty()) std::cout << "  无\n";
  for (const auto& [kind, count] : summary.alerts_by_kind)
    std::cout << fmt::format("  {}：{} 人\n", kind, count);
  std::cout << "待核实事项（不会自动变更登记信息）：\n";
  if (summary.review_items_by_kind.empty()) std::cout << "  无\n";
  for (const auto& [kind, count] : summary.review_items_by_kind) {
    std::cout << fmt::format("  {}：{} 人\n", kind, count);
  }
  if (!summary.already_stored) {
    if (!args.out.empty()) std::cout << fmt::format("逐行比对结果已写入 {}\n", args.out);
    if (!args.alerts_out.empty()) std::cout << fmt::format("预警明细已写入 {}\n", args.alerts_out);
    if (args.id_only) std::cout << "仅按身份证号码比对（--id-only）：未做号码修复和概率匹配\n";
    if (options.store) {
      std::cout << fmt::format("结果已保存（批次 {}，上传人 {}）\n", summary.upload_id, options.uploader);
    } else {
      std::cout << "试运行（--dry-run）：未写入数据库\n";
    }
    std::cout << fmt::format(
        "用时 {:.2f} 秒：读取文件 {:.2f}（{}；同时读取登记人员 {:.2f}，{}），比对 {:.2f}（其中 {} "
        "行姓名写法与"
        "登记不同，逐一核对），预警 {:.2f}，输出 {:.2f}，保存 {:.2f}\n",
        summary.seconds_total, summary.seconds_read, summary.parallel_parse ? "分块并行" : "逐行",
        summary.seconds_index, summary.index_from_snapshot ? "来自快照" : "逐行读取", summary.seconds_link,
        summary.name_checks, summary.seconds_signals, summary.seconds_output, summary.seconds_store);
  }
  return Status::Ok();
}

void RegisterCompareCommand(CLI::App& app) {
  auto args = std::make_shared<CompareArgs>();
  CLI::App* command =
      app.add_subcommand("compare", "部门数据比对：把部门导出的数据逐行匹配到登记人员，生成预警和待核实事项");
  command->add_option("--db", args->db, "数据库文件（必须已存在）")->required();
  command->add_option("--feed", args->feed, "部门数据类型，如 medical、civil_affairs、public_security")
      ->required();
  command->add_option("--file", args->file, "部门数据文件（.csv 或 .xlsx；UTF-8、GBK、GB18030）")->required();
  command->add_option("--out", args->out, "逐行比对结果 links.csv（row,id_number,match_class,score,...）");
  command->add_option("--division", args->division, "只比对这个行政区划的登记人员（12 位代码）");
  command->add_option("--uploader", args->uploader, "上传人（默认当前用户）");
  command->add_option("--as-of", args->as_of, "预警截止日期（默认文件中最晚的业务日期）");
  command->add_flag("--dry-run,--no-store", args->dry_run, "只比对和输出，不写入数据库");
  command->add_flag("--id-only", args->id_only,
                    "只按身份证号码比对（规范化、15 位升级），不做号码修复和概率匹配（基准测试用）");
  command->add_option("--alerts-out", args->alerts_out,
                      "把预警明细写入 CSV（kind,id_number,household_number,village_code,value_fen,...）");
  command->add_option("--max-issues", args->max_issues, "最多显示多少处数据问题（默认 20）");
  command->footer(
      "匹配类别：exact 身份证号一致；upgraded 15 位升级后一致；repaired 修复后一致；probabilistic 概率匹配；"
      "unmatched 未匹配。格式见 docs/formats/feeds.md。退出码：成功 0，出错 1。");
  command->callback([args] {
    Status status = RunCompareCommand(*args);
    if (!status.ok()) ReportError(status);
  });
}

}  // namespace

ZX_REGISTER_COMMAND(RegisterCompareCommand);

}  // namespace zx::cli
