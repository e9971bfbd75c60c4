// `zhenxing feed synth --db FILE --feed KIND --rows N --out FILE.csv
//  --truth TRUTH.csv [--seed S] [--encoding utf8|gbk]`: derives a department
// file from the registry with known truth (the corrupter, feed_synth.h).
// `zhenxing feed accuracy --links links.csv --truth TRUTH.csv [--check]`:
// precision and recall per match class and against the issue-4 targets;
// with --check the exit code is 1 when a target is missed.
// `zhenxing feed profiles`: lists the feed kinds and their headers.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "cli/command.h"
#include "matching/feed_profile.h"
#include "matching/feed_synth.h"
#include "matching/name_normalizer.h"
#include "storage/link_store.h"

namespace zx::cli {
namespace {

struct SynthArgs {
  std::string db;
  std::string feed = "medical";
  std::int64_t rows = 10000;
  std::string out;
  std::string truth;
  std::uint64_t seed = 1;
  std::string encoding = "utf8";
};

struct AccuracyArgs {
  std::string links;
  std::string truth;
  bool check = false;
};

Status RunSynth(const SynthArgs& args) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(args.db, error)) {
    return NotFound(fmt::format("数据库文件 {} 不存在，请先运行 zhenxing demo", args.db));
  }
  if (args.rows <= 0) return InvalidArgument("--rows 必须为正整数");
  if (args.encoding != "utf8" && args.encoding != "gbk" && args.encoding != "gb18030") {
    return InvalidArgument("--encoding 只能是 utf8、gbk 或 gb18030");
  }
  ASSIGN_OR_RETURN(matching::FeedProfiles profiles, matching::LoadDefaultFeedProfiles());
  ASSIGN_OR_RETURN(const matching::FeedProfile* profile, profiles.Find(args.feed));
  ASSIGN_OR_RETURN(auto normalizer, matching::NameNormalizer::CreateDefault());
  ASSIGN_OR_RETURN(auto store, OpenLinkStore(args.db));
  matching::SynthOptions options;
  options.rows = args.rows;
  options.seed = args.seed;
  options.gb18030 = args.encoding != "utf8";
  ASSIGN_OR_RETURN(matching::SynthStats stats,
                   matching::SynthesizeFeed(*store, DivisionScope::All(), *profile, *normalizer, options,
                                            args.out, args.truth));
  std::cout << fmt::format("已生成{}数据 {} 行：{}（真值：{}）\n", profile->name, stats.rows, args.out,
                           args.truth);
  std::cout << "应得匹配类别：";
  for (const auto& [name, count] : stats.by_expected_class) std::cout << fmt::format(" {} {}", name, count);
  std::cout << "\n身份证号错误：";
  for (const auto& [name, count] : stats.by_id_error) std::cout << fmt::format(" {} {}", name, count);
  std::cout << "\n姓名错误：";
  for (const auto& [name, count] : stats.by_name_error) std::cout << fmt::format(" {} {}", name, count);
  std::cout << "\n";
  return Status::Ok();
}

Status RunAccuracy(const AccuracyArgs& args) {
  ASSIGN_OR_RETURN(matching::AccuracyReport report, matching::EvaluateAccuracy(args.links, args.truth));
  std::cout << report.Format();
  if (args.check && !report.MeetsTargets()) SetExitCode(1);
  return Status::Ok();
}

Status RunProfiles() {
  ASSIGN_OR_RETURN(matching::FeedProfiles profiles, matching::LoadDefaultFeedProfiles());
  for (const matching::FeedProfile& profile : profiles.feeds) {
    std::cout << fmt::format("{}：{}（{}）\n", profile.kind, profile.name, profile.department);
    for (const matching::FeedColumn& column : profile.columns) {
      std::string headers;
      for (const std::string& header : column.headers) headers += (headers.empty() ? "" : "、") + header;
      std::cout << fmt::format("  {}{}：{}\n", matching::FeedFieldLabel(column.field),
                               column.required ? "（必需）" : "", headers);
    }
  }
  return Status::Ok();
}

void RegisterFeedCommand(CLI::App& app) {
  CLI::App* feed =
      app.add_subcommand("feed", "部门数据工具：生成带真值的测试数据、评估比对准确率、列出数据格式");
  feed->require_subcommand(1);

  auto synth_args = std::make_shared<SynthArgs>();
  CLI::App* synth = feed->add_subcommand("synth", "从登记库派生一份含常见错误的部门数据（附真值）");
  synth->add_option("--db", synth_args->db, "数据库文件")->required();
  synth->add_option("--feed", synth_args->feed, "部门数据类型（默认 medical）");
  synth->add_option("--rows", synth_args->rows, "行数")->required();
  synth->add_option("--out", synth_args->out, "输出的部门数据 CSV")->required();
  synth->add_option("--truth", synth_args->truth, "输出的真值 CSV")->required();
  synth->add_option("--seed", synth_args->seed, "随机种子（默认 1）");
  synth->add_option("--encoding", synth_args->encoding, "utf8（默认）或 gbk（按 GB18030 写出）");
  synth->callback([synth_args] {
    Status status = RunSynth(*synth_args);
    if (!status.ok()) ReportError(status);
  });

  auto accuracy_args = std::make_shared<AccuracyArgs>();
  CLI::App* accuracy = feed->add_subcommand("accuracy", "按真值评估 links.csv 的精确率和召回率");
  accuracy->add_option("--links", accuracy_args->links, "zhenxing compare --out 写出的 links.csv")
      ->required();
  accuracy->add_option("--truth", accuracy_args->truth, "feed synth 写出的真值 CSV")->required();
  accuracy->add_flag("--check", accuracy_args->check, "未达到目标时退出码为 1");
  accuracy->callback([accuracy_args] {
    Status status = RunAccuracy(*accuracy_args);
    if (!status.ok()) ReportError(status);
  });

  CLI::App* list = feed->add_subcommand("profiles", "列出部门数据类型及其表头");
  list->callback([] {
    Status status = RunProfiles();
    if (!status.ok()) ReportError(status);
  });
}

}  // namespace

ZX_REGISTER_COMMAND(RegisterFeedCommand);

}  // namespace zx::cli
