// `zhenxing screen --db FILE --year Y [--out PATH.(csv|xlsx)] [--division CODE]
//  [--rules PATH]`: screens every household of the database (or of one
// division) for the monitoring year Y with the rule file (default
// data/rules/qinghai.rules) and the policy (data/policy/qinghai.toml), prints
// a Chinese summary (leads by monitoring type, risk type and deprivation) and
// optionally writes the leads (docs/formats/screening.md). The leads replace
// the stored leads of that year inside the screened division (LeadStore), for
// the workflow and the web app, unless --no-store.
// Exit codes: 0 success; 1 any error (missing database, unknown year, a rule
// file that does not compile — every error with its line and column).
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/division_option.h"
#include "common/digest.h"
#include "domain/division.h"
#include "domain/policy.h"
#include "screening/lead_file.h"
#include "screening/screening.h"
#include "storage/lead_store.h"
#include "storage/store.h"

namespace zx::cli {

namespace {

struct ScreenOptions {
  std::string db;
  int year = 0;
  std::string out;
  std::int64_t division = 0;
  std::string rules;
  bool no_store = false;
};

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string Count(std::int64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  for (std::size_t idx = 0; idx < digits.size(); ++idx) {
    if (idx > 0 && (digits.size() - idx) % 3 == 0) out += ',';
    out += digits[idx];
  }
  return out;
}

Status RunScreen(const ScreenOptions& options) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(options.db, error)) {
    return NotFound(fmt::format(
        "数据库文件 {} 不存在（screen 不会创建数据库，请先运行 zhenxing demo 或 zhenxing import）",
        options.db));
  }
  ASSIGN_OR_RETURN(Policy policy, LoadDefaultPolicy());
  ASSIGN_OR_RETURN(const YearPolicy* year_policy, policy.Year(options.year));
  const std::string rules_path = options.rules.empty() ? screening::DefaultRulesPath() : options.rules;
  ASSIGN_OR_RETURN(rules::RuleSet rule_set, screening::LoadScreeningRules(rules_path, policy, options.year));

  ASSIGN_OR_RETURN(auto store, OpenStore(options.db, DivisionTable()));
  DivisionScope scope = DivisionScope::All();
  std::string scope_name = "全部";
  if (options.division != 0) {
    ASSIGN_OR_RETURN(Division division, FindDivisionInStore(*store, options.division, options.db));
    scope = DivisionScope::Of(division.code, division.level);
    scope_name = fmt::format("{}（{}）", division.name, division.code);
  }

  const auto load_start = std::chrono::steady_clock::now();
  screening::LoadInfo load_info;
  ASSIGN_OR_RETURN(rules::ColumnarData data, screening::LoadColumns(*store, scope, rule_set, &load_info));
  const double load_seconds = SecondsSince(load_start);
  const auto screen_start = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(screening::ScreeningResult result, screening::ScreenColumns(data, rule_set));
  const double screen_seconds = SecondsSince(screen_start);

  const screening::ScreeningSummary& summary = result.summary;
  std::cout << fmt::format("{} 年防止返贫监测筛查（数据库 {}，范围：{}）\n", options.year, options.db,
                           scope_name);
  std::cout << fmt::format("监测范围：家庭年人均纯收入 {} 元{}；规则文件 {}（{} 条规则）\n",
                           rules::FormatValue({rules::ValueType::kMoney}, year_policy->monitoring_line),
                           year_policy->official ? "" : "（示例值，非官方标准）", rules_path,
                           rule_set.rules().size());
  std::cout << fmt::format("筛查农户 {} 户，其中无本年度收入记录 {} 户（未分类）\n",
                           Count(summary.households), Count(summary.without_income_year));
  std::cout << fmt::format("监测线索 {} 户：\n", Count(static_cast<std::int64_t>(result.leads.size())));
  for (const CodeEntry& type : policy.monitoring_types.entries) {
    auto found = summary.by_type.find(type.code);
    std::cout << fmt::format("  {} {}：{} 户\n", type.code, type.name,
                             Count(found == summary.by_type.end() ? 0 : found->second));
  }
  std::cout << "按风险类型（每户最多 5 项，可重复计）：\n";
  for (const CodeEntry& risk : policy.risk_types.entries) {
    auto found = summary.by_risk.find(risk.code);
    if (found == summary.by_risk.end()) continue;
    std::cout << fmt::format("  {} {}：{} 户\n", risk.code, risk.name, Count(found->second));
  }
  if (!summary.by_deprivation.empty()) {
    std::cout << "监测线索中的两不愁三保障及饮水安全缺失：\n";
    for (const auto& rule : rule_set.rules()) {
      auto found = summary.by_deprivation.find(rule.id);
      if (found == summary.by_deprivation.end()) continue;
      std::cout << fmt::format("  {}：{} 户\n", rule.name, Count(found->second));
    }
  }
  std::cout << fmt::format(
      "收入在监测范围内但未识别出风险 {} 户、刚性支出后低于监测范围但未识别出风险 {} "
      "户（未列为线索，建议入户核实）\n",
      Count(summary.in_range_without_risk), Count(summary.hardship_without_risk));
  if (!options.out.empty()) {
    RETURN_IF_ERROR(screening::WriteLeadsFile(options.out, result.leads, policy));
    std::cout << fmt::format("监测线索已写入 {}\n", options.out);
  }
  if (!options.no_store) {
    ASSIGN_OR_RETURN(std::string rules_digest, Sha256File(rules_path));
    ASSIGN_OR_RETURN(auto lead_store, OpenLeadStore(options.db));
    ScreeningRunInfo info{options.year, rules_digest, "cli", summary.households};
    ASSIGN_OR_RETURN(ScreeningRun run, lead_store->ReplaceLeads(scope, info, result.leads));
    std::cout << fmt::format("监测线索已保存到数据库（筛查批次 {}，{} 年，范围内原有线索已替换）\n", run.id,
                             run.year);
  }
  std::cout << fmt::format("用时：读取数据库 {:.2f} 秒（{}），规则评估与分类 {:.2f} 秒\n", load_seconds,
                           load_info.from_snapshot    ? "列式快照"
                           : load_info.snapshot_saved ? "逐户读取，已保存列式快照供下次使用"
                                                      : "逐户读取",
                           screen_seconds);
  return Status::Ok();
}

void RegisterScreenCommand(CLI::App& app) {
  auto options = std::make_shared<ScreenOptions>();
  CLI::App* screen = app.add_subcommand(
      "screen", "按当年监测标准和规则筛查全部农户，输出监测线索（监测类型、风险类型、说明）");
  screen->add_option("--db", options->db, "数据库文件（必须已存在）")->required();
  screen->add_option("--year", options->year, "监测年度，如 2022（须在政策文件中）")->required();
  screen->add_option("--out", options->out, "监测线索输出文件（.csv 或 .xlsx）");
  screen->add_option("--division", options->division, "只筛查这个行政区划（12 位代码，如 630121000000）");
  screen->add_option("--rules", options->rules, "规则文件（默认 data/rules/qinghai.rules）");
  screen->add_flag("--no-store", options->no_store, "只输出，不把监测线索保存到数据库（试算）");
  screen->footer(
      "输出列：户编号, 所在村代码, 监测类型代码, 监测类型, 风险类型代码（最多 5 项，以 ; 分隔）,\n"
      "家庭人均纯收入（元）, 说明。格式见 docs/formats/screening.md。退出码：成功 0，出错 "
      "1（规则错误附行号列号）。");
  screen->callback([options] {
    Status status = RunScreen(*options);
    if (!status.ok()) ReportError(status);
  });
}

}  // namespace

ZX_REGISTER_COMMAND(RegisterScreenCommand);

}  // namespace zx::cli
