// `zhenxing workflow …`: the identification and assistance workflow from the
// command line (docs/workflow.md, docs/formats/workflow-batch.md).
//
//   workflow simulate --db FILE --year Y [--until DATE] [--seed N] [--division CODE]
//   workflow open     --db FILE --from-leads --year Y [--division CODE]
//   workflow act      --db FILE --file actions.csv|xlsx --as ROLE --user NAME --division CODE
//   workflow list     --db FILE [--division CODE] [--stage CODE] [--limit N]
//   workflow queue    --db FILE [--division CODE] [--as ROLE] [--limit N]
//   workflow overdue  --db FILE [--division CODE]
//   workflow show     --db FILE --id N
//
// Every change goes through WorkflowService, so the CLI obeys the same roles,
// stages, deadlines and audit chain as the web app. `act` validates every row
// of the file before applying any: one bad row and nothing changes.
// Exit codes: 0 success; 1 bad input (a row, an option); 2 other errors.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/division_option.h"
#include "common/money.h"
#include "common/text.h"
#include "domain/case.h"
#include "domain/policy.h"
#include "exchange/table_reader.h"
#include "storage/account_store.h"
#include "storage/case_store.h"
#include "storage/lead_store.h"
#include "storage/store.h"
#include "workflow/preconditions.h"
#include "workflow/simulate.h"
#include "workflow/workflow.h"

namespace zx::cli {
namespace {

using workflow::DateOfTime;

constexpr DivisionCode kProvinceCode = 630000000000;

struct CommonOptions {
  std::string db;
  std::int64_t division = 0;
  std::string role = "county";
  std::string user;
};

std::string Count(std::int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out = value < 0 ? "-" : "";
  for (std::size_t idx = 0; idx < digits.size(); ++idx) {
    if (idx > 0 && (digits.size() - idx) % 3 == 0) out += ',';
    out += digits[idx];
  }
  return out;
}

std::string TimeText(std::int64_t at) {
  if (at == 0) return "-";
  const std::int64_t local = at + 8 * 3600;
  const std::int64_t seconds = ((local % kSecondsPerDay) + kSecondsPerDay) % kSecondsPerDay;
  return fmt::format("{} {:02d}:{:02d}", DateOfTime(at).ToIso(), seconds / 3600, seconds / 60 % 60);
}

std::string OsUser() {
  const char* user = std::getenv("USER");
  return fmt::format("cli:{}", user != nullptr && *user != '\0' ? user : "unknown");
}

std::int64_t Now() { return static_cast<std::int64_t>(std::time(nullptr)); }

struct Stores {
  std::unique_ptr<Store> registry;
  std::unique_ptr<CaseStore> cases;
  Policy policy;
  Division division;  // --division, or the province
};

Result<Stores> OpenStores(const CommonOptions& options) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(options.db, error)) {
    return NotFound(
        fmt::format("数据库文件 {} 不存在（请先运行 zhenxing demo 或 zhenxing import）", options.db));
  }
  Stores stores;
  ASSIGN_OR_RETURN(stores.policy, LoadDefaultPolicy());
  ASSIGN_OR_RETURN(stores.registry, OpenStore(options.db, DivisionTable()));
  ASSIGN_OR_RETURN(stores.cases, OpenCaseStore(options.db));
  if (options.division != 0) {
    ASSIGN_OR_RETURN(stores.division, FindDivisionInStore(*stores.registry, options.division, options.db));
  } else {
    stores.division.code = kProvinceCode;
    stores.division.level = DivisionLevel::kProvince;
    stores.division.name = "全省";
  }
  return stores;
}

Result<Actor> MakeActor(const CommonOptions& options, const Division& division) {
  Actor actor;
  if (!ParseRole(options.role, &actor.role)) {
    return InvalidArgument(
        fmt::format("--as：未知角色「{}」（可选 village、township、county、department、"
                    "prefecture、province、auditor）",
                    options.role));
  }
  actor.username = options.user.empty() ? OsUser() : options.user;
  actor.division_code = division.code;
  actor.division_level = division.level;
  return actor;
}

// ---------------------------------------------------------------------------------------------
// simulate

struct SimulateOptions {
  CommonOptions common;
  int year = 0;
  std::string until;
  std::uint64_t seed = 1;
};

Status RunSimulate(const SimulateOptions& options) {
  ASSIGN_OR_RETURN(Stores stores, OpenStores(options.common));
  ASSIGN_OR_RETURN(auto leads, OpenLeadStore(options.common.db));
  workflow::SimulationOptions sim;
  sim.year = options.year;
  sim.seed = options.seed;
  sim.scope = DivisionScope::Of(stores.division.code, stores.division.level);
  if (options.until.empty()) {
    const Date today = DateOfTime(Now());
    const Date year_end{options.year, 12, 31};
    sim.until = today < year_end ? today : year_end;
    if (today < year_end) sim.stop_at = Now();  // up to now: no event in the future
    if (sim.until.year != options.year) {
      return InvalidArgument(fmt::format("--year {}：今天是 {}，该年度尚未开始；请用 --until 指定截止日期",
                                         options.year, today.ToIso()));
    }
  } else {
    Result<Date> until = ParseDate(options.until);
    if (!until.ok()) return InvalidArgument("--until：" + until.status().message());
    sim.until = *until;
  }
  ASSIGN_OR_RETURN(workflow::SimulationSummary summary,
                   workflow::Simulate(*stores.registry, *stores.cases, *leads, stores.policy, sim));
  std::cout << fmt::format("{} 年监测帮扶工作流模拟（数据库 {}，范围：{}，{}-01-01 至 {}，随机种子 {}）\n",
                           options.year, options.common.db, stores.division.name, options.year,
                           sim.until.ToIso(), options.seed);
  if (summary.lead_year == 0) {
    std::cout << fmt::format("未找到 {} 年或更早的筛查结果，只模拟农户申请、干部排查和部门预警线索\n",
                             options.year);
  } else {
    std::cout << fmt::format("农户 {} 户；使用 {} 年筛查的监测线索 {} 户\n", Count(summary.households),
                             summary.lead_year, Count(summary.leads));
  }
  std::cout << fmt::format(
      "立案 {} 件（其中风险消除或不予纳入后重新纳入 {} 件；已有在办案件而跳过的线索 {} 条）\n",
      Count(summary.opened), Count(summary.reentries), Count(summary.skipped));
  std::cout << fmt::format("审计事件 {} 条；按规则被拒绝的操作 {} 次（其中整户无劳动力不予风险消除 {} 次）\n",
                           Count(summary.events), Count(summary.refused), Count(summary.refused_no_labour));
  std::cout << fmt::format("帮扶措施 {} 项，入户回访 {} 次，公示异议 {} 条\n", Count(summary.measures),
                           Count(summary.visits), Count(summary.objections));
  const double share = summary.decided == 0 ? 0.0
                                            : 100.0 * static_cast<double>(summary.decided_within_limit) /
                                                  static_cast<double>(summary.decided);
  std::cout << fmt::format("识别办结 {} 件，其中 {} 天内办结 {} 件（{:.1f}%）\n", Count(summary.decided),
                           kIdentificationDays, Count(summary.decided_within_limit), share);
  std::cout << "各阶段案件数：\n";
  for (CaseStage stage : AllCaseStages()) {
    auto found = summary.by_stage.find(stage);
    std::cout << fmt::format("  {}：{}\n", CaseStageLabel(stage),
                             Count(found == summary.by_stage.end() ? 0 : found->second));
  }
  std::cout << fmt::format("截至 {} 逾期未办结的识别案件 {} 件\n", sim.until.ToIso(), Count(summary.overdue));
  std::cout << fmt::format("用时 {:.1f} 秒\n", summary.seconds);
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// open --from-leads

struct OpenOptions {
  CommonOptions common;
  int year = 0;
  bool from_leads = false;
};

Status RunOpen(const OpenOptions& options) {
  if (!options.from_leads)
    return InvalidArgument("workflow open：目前只支持 --from-leads（按筛查线索批量立案）");
  ASSIGN_OR_RETURN(Stores stores, OpenStores(options.common));
  ASSIGN_OR_RETURN(auto leads, OpenLeadStore(options.common.db));
  CommonOptions actor_options = options.common;
  ASSIGN_OR_RETURN(Actor actor, MakeActor(actor_options, stores.division));
  WorkflowService service(*stores.cases, *stores.registry, stores.policy);
  std::int64_t opened = 0;
  std::int64_t skipped = 0;
  std::int64_t total = 0;
  const std::int64_t now = Now();
  Status scanned = leads->ScanLeads(actor.scope(), options.year, [&](const Lead& lead) -> Status {
    ++total;
    std::string risks;
    for (const std::string& code : lead.risk_codes) risks += (risks.empty() ? "" : ";") + code;
    const std::string detail =
        fmt::format("{} 年筛查预警：{} {}，风险 {}", options.year, lead.monitoring_type,
                    stores.policy.monitoring_types.NameOf(lead.monitoring_type), risks);
    Result<Case> result = service.OpenCase(actor, lead.household_number, CaseSource::kRuleAlert, detail, now);
    if (result.ok()) {
      ++opened;
      return Status::Ok();
    }
    if (result.status().code() == StatusCode::kAlreadyExists) {
      ++skipped;
      return Status::Ok();
    }
    return result.status().WithContext(fmt::format("农户 {}：", lead.household_number));
  });
  RETURN_IF_ERROR(scanned);
  std::cout << fmt::format("{} 年监测线索 {} 户（范围：{}）：新立案 {} 件，已有在办案件跳过 {} 户\n",
                           options.year, Count(total), stores.division.name, Count(opened), Count(skipped));
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// act --file

// Columns of the batch file: code and Chinese aliases.
struct ColumnSpec {
  const char* code;
  std::vector<std::string> aliases;
};

const std::vector<ColumnSpec>& BatchColumns() {
  static const std::vector<ColumnSpec> columns = {
      {"case_id", {"案件编号"}},
      {"action", {"操作"}},
      {"expected_version", {"版本号", "案件版本"}},
      {"reason", {"理由"}},
      {"note", {"说明", "备注"}},
      {"authorization_signed", {"已签署授权书"}},
      {"appraisal_for", {"赞成票"}},
      {"appraisal_against", {"反对票"}},
      {"notice_days", {"公示天数"}},
      {"monitoring_type", {"监测类型"}},
      {"risk_codes", {"风险类型"}},
      {"objection_id", {"异议编号"}},
      {"upheld", {"异议成立"}},
      {"category_code", {"措施类别"}},
      {"description", {"措施内容"}},
      {"responsible_cadre", {"帮扶责任人"}},
      {"amount", {"金额（元）", "金额"}},
      {"start_date", {"开始日期"}},
      {"end_date", {"结束日期"}},
      {"visit_date", {"回访日期"}},
      {"per_capita_income", {"人均纯收入（元）", "人均纯收入"}},
      {"guarantees_secured", {"三保障及饮水安全"}},
      {"elimination_kind", {"消除方式"}},
  };
  return columns;
}

struct BatchRow {
  std::int64_t row = 0;
  std::int64_t case_id = 0;
  ActionInput input;
};

class RowCells {
 public:
  RowCells(const std::map<std::string, size_t>& index, const std::vector<std::string>& cells)
      : index_(index), cells_(cells) {}
  std::string Get(const std::string& code) const {
    auto found = index_.find(code);
    if (found == index_.end() || found->second >= cells_.size()) return "";
    return NormalizeField(cells_[found->second]);
  }

 private:
  const std::map<std::string, size_t>& index_;
  const std::vector<std::string>& cells_;
};

Status CellError(std::int64_t row, const std::string& column, const std::string& message) {
  return InvalidArgument(fmt::format("第 {} 行「{}」列：{}", row, column, message));
}

Result<std::int64_t> ParseInteger(std::int64_t row, const std::string& column, const std::string& text,
                                  bool required) {
  if (text.empty()) {
    if (required) return CellError(row, column, "不能为空");
    return std::int64_t{0};
  }
  std::int64_t value = 0;
  for (char ch : text) {
    if (ch < '0' || ch > '9' || value > 100000000000000LL)
      return CellError(row, column, "「" + text + "」不是非负整数");
    value = value * 10 + (ch - '0');
  }
  return value;
}

Result<bool> ParseBool(std::int64_t row, const std::string& column, const std::string& text) {
  if (text.empty() || text == "0" || text == "否" || text == "false" || text == "FALSE" || text == "no")
    return false;
  if (text == "1" || text == "是" || text == "true" || text == "TRUE" || text == "yes") return true;
  return CellError(row, column, "「" + text + "」不是是/否（可填 是、否、1、0）");
}

Result<Date> ParseOptionalDate(std::int64_t row, const std::string& column, const std::string& text) {
  if (text.empty()) return Date{};
  Result<Date> date = ParseDate(text);
  if (!date.ok()) return CellError(row, column, date.status().message());
  return *date;
}

Result<BatchRow> ParseBatchRow(std::int64_t row, const RowCells& cells) {
  BatchRow out;
  out.row = row;
  ASSIGN_OR_RETURN(out.case_id, ParseInteger(row, "case_id", cells.Get("case_id"), true));
  const std::string action = cells.Get("action");
  bool known = ParseCaseAction(action, &out.input.action);
  for (CaseAction candidate : AllCaseActions()) {
    if (!known && action == CaseActionLabel(candidate)) {
      out.input.action = candidate;
      known = true;
    }
  }
  if (!known)
    return CellError(row, "action", "未知操作「" + action + "」（见 docs/formats/workflow-batch.md）");
  ASSIGN_OR_RETURN(out.input.expected_version,
                   ParseInteger(row, "expected_version", cells.Get("expected_version"), true));
  ActionInput& input = out.input;
  input.reason = cells.Get("reason");
  input.note = cells.Get("note");
  ASSIGN_OR_RETURN(input.authorization_signed,
                   ParseBool(row, "authorization_signed", cells.Get("authorization_signed")));
  ASSIGN_OR_RETURN(std::int64_t votes_for,
                   ParseInteger(row, "appraisal_for", cells.Get("appraisal_for"), false));
  ASSIGN_OR_RETURN(std::int64_t votes_against,
                   ParseInteger(row, "appraisal_against", cells.Get("appraisal_against"), false));
  input.appraisal_for = static_cast<int>(votes_for);
  input.appraisal_against = static_cast<int>(votes_against);
  if (!cells.Get("notice_days").empty()) {
    ASSIGN_OR_RETURN(std::int64_t days, ParseInteger(row, "notice_days", cells.Get("notice_days"), false));
    input.notice_days = static_cast<int>(days);
  }
  input.monitoring_type = cells.Get("monitoring_type");
  for (const std::string& part : [&] {
         std::vector<std::string> parts;
         std::string text = cells.Get("risk_codes");
         std::string current;
         for (char ch : text + ";") {
           if (ch == ';' || ch == ',' || ch == ' ') {
             if (!current.empty()) parts.push_back(current);
             current.clear();
           } else {
             current += ch;
           }
         }
         return parts;
       }()) {
    input.risk_codes.push_back(part);
  }
  ASSIGN_OR_RETURN(input.objection_id, ParseInteger(row, "objection_id", cells.Get("objection_id"), false));
  ASSIGN_OR_RETURN(input.upheld, ParseBool(row, "upheld", cells.Get("upheld")));
  if (input.action == CaseAction::kAddMeasure) {
    CaseMeasure measure;
    measure.category_code = cells.Get("category_code");
    measure.description = cells.Get("description");
    measure.responsible_cadre = cells.Get("responsible_cadre");
    const std::string amount = cells.Get("amount");
    if (!amount.empty()) {
      Result<Fen> fen = ParseYuan(amount);
      if (!fen.ok()) return CellError(row, "amount", fen.status().message());
      measure.amount = *fen;
    }
    ASSIGN_OR_RETURN(measure.start_date, ParseOptionalDate(row, "start_date", cells.Get("start_date")));
    ASSIGN_OR_RETURN(measure.end_date, ParseOptionalDate(row, "end_date", cells.Get("end_date")));
    input.measure = measure;
  }
  if (input.action == CaseAction::kRecordVisit) {
    CaseVisit visit;
    ASSIGN_OR_RETURN(visit.visit_date, ParseOptionalDate(row, "visit_date", cells.Get("visit_date")));
    const std::string income = cells.Get("per_capita_income");
    if (income.empty()) return CellError(row, "per_capita_income", "回访须填写家庭人均纯收入（元）");
    Result<Fen> fen = ParseYuan(income);
    if (!fen.ok()) return CellError(row, "per_capita_income", fen.status().message());
    visit.per_capita_income = *fen;
    ASSIGN_OR_RETURN(visit.guarantees_secured,
                     ParseBool(row, "guarantees_secured", cells.Get("guarantees_secured")));
    visit.note = input.note;
    input.visit = visit;
  }
  const std::string kind = cells.Get("elimination_kind");
  if (!kind.empty() && !ParseEliminationKind(kind, &input.elimination_kind)) {
    return CellError(row, "elimination_kind",
                     "「" + kind + "」不是 assisted（帮扶消除）或 natural（自然消除）");
  }
  return out;
}

// The column a workflow error is about ("字段 risk_codes：…"), or "".
std::string ColumnOfError(const Status& status, const std::map<std::string, size_t>& index) {
  if (status.code() == StatusCode::kConflict) return "expected_version";
  const std::string& message = status.message();
  const std::string marker = "字段 ";
  const size_t at = message.find(marker);
  if (at == std::string::npos) return "";
  size_t end = at + marker.size();
  while (end < message.size() &&
         (std::isalnum(static_cast<unsigned char>(message[end])) || message[end] == '_')) {
    ++end;
  }
  const std::string field = message.substr(at + marker.size(), end - at - marker.size());
  return index.count(field) > 0 ? field : "";
}

struct ActOptions {
  CommonOptions common;
  std::string file;
};

Status RunAct(const ActOptions& options) {
  ASSIGN_OR_RETURN(Stores stores, OpenStores(options.common));
  ASSIGN_OR_RETURN(Actor actor, MakeActor(options.common, stores.division));
  ASSIGN_OR_RETURN(std::unique_ptr<TableReader> reader, TableReader::Open(options.file));
  const std::string file_name = BaseName(options.file);
  std::vector<std::string> cells;
  ASSIGN_OR_RETURN(bool has_header, reader->Next(&cells));
  if (!has_header) return InvalidArgument(fmt::format("文件 {} 是空的", file_name));
  std::map<std::string, size_t> index;
  for (size_t column_idx = 0; column_idx < cells.size(); ++column_idx) {
    std::string name = NormalizeField(cells[column_idx]);
    if (column_idx == 0 && name.starts_with("\xEF\xBB\xBF")) name = name.substr(3);
    if (name.empty()) continue;
    bool matched = false;
    for (const ColumnSpec& spec : BatchColumns()) {
      if (name == spec.code ||
          std::find(spec.aliases.begin(), spec.aliases.end(), name) != spec.aliases.end()) {
        index[spec.code] = column_idx;
        matched = true;
      }
    }
    if (!matched) {
      return InvalidArgument(fmt::format(
          "文件 {} 第 1 行：未知列「{}」（列名见 docs/formats/workflow-batch.md）", file_name, name));
    }
  }
  for (const char* required : {"case_id", "action", "expected_version"}) {
    if (index.count(required) == 0) {
      return InvalidArgument(fmt::format("文件 {} 第 1 行：缺少必需的列「{}」", file_name, required));
    }
  }

  WorkflowService service(*stores.cases, *stores.registry, stores.policy);
  const std::int64_t now = Now();
  std::vector<BatchRow> rows;
  std::vector<std::string> errors;
  std::map<std::int64_t, Case> preview;  // case id → the case as the earlier rows leave it
  for (;;) {
    ASSIGN_OR_RETURN(bool more, reader->Next(&cells));
    if (!more) break;
    if (IsBlankRow(cells)) continue;
    const std::int64_t row = reader->row();
    Result<BatchRow> parsed = ParseBatchRow(row, RowCells(index, cells));
    if (!parsed.ok()) {
      errors.push_back(parsed.status().message());
      continue;
    }
    auto cached = preview.find(parsed->case_id);
    Case current;
    if (cached != preview.end()) {
      current = cached->second;
    } else {
      Result<std::optional<Case>> found = stores.cases->GetCase(actor.scope(), parsed->case_id);
      if (!found.ok()) return found.status();
      if (!*found) {
        Result<std::optional<Case>> anywhere = stores.cases->GetCase(DivisionScope::All(), parsed->case_id);
        if (!anywhere.ok()) return anywhere.status();
        errors.push_back(fmt::format("第 {} 行「case_id」列：{}", row,
                                     *anywhere ? std::string("案件不在您的管辖范围内")
                                               : fmt::format("案件 {} 不存在", parsed->case_id)));
        continue;
      }
      current = **found;
    }
    Result<Case> next = service.PreviewAct(actor, current, parsed->input, now);
    if (!next.ok()) {
      const std::string column = ColumnOfError(next.status(), index);
      errors.push_back(column.empty()
                           ? fmt::format("第 {} 行：{}", row, next.status().message())
                           : fmt::format("第 {} 行「{}」列：{}", row, column, next.status().message()));
      continue;
    }
    preview[parsed->case_id] = *next;
    rows.push_back(std::move(parsed).value());
  }
  if (!errors.empty()) {
    std::string message = fmt::format("文件 {} 有 {} 行不能办理，全部未执行：", file_name, errors.size());
    for (size_t error_idx = 0; error_idx < errors.size() && error_idx < 20; ++error_idx) {
      message += "\n  " + errors[error_idx];
    }
    if (errors.size() > 20) message += fmt::format("\n  ……另有 {} 行", errors.size() - 20);
    return InvalidArgument(message);
  }
  std::int64_t applied = 0;
  for (const BatchRow& row : rows) {
    Result<Case> result = service.Act(actor, row.case_id, row.input, now);
    if (!result.ok()) {
      return result.status().WithContext(
          fmt::format("文件 {} 第 {} 行办理失败（此前 {} 行已办理，校验后案件被他人修改）：", file_name,
                      row.row, applied));
    }
    ++applied;
  }
  std::cout << fmt::format("文件 {}：{} 行全部校验通过并已办理（{}，{}）\n", file_name, applied,
                           actor.username, RoleLabel(actor.role));
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// list, queue, overdue, show

struct ListOptions {
  CommonOptions common;
  std::string stage;
  std::int64_t limit = 50;
  std::int64_t id = 0;
};

std::string DueText(const Case& c, std::int64_t now) {
  if (!c.IsOpen()) return "已办结";
  if (c.stage == CaseStage::kMonitored || c.due_at == 0 || c.monitored_since != 0) return "-";
  const std::int64_t left = c.due_at - now;
  const std::int64_t days =
      left >= 0 ? left / kSecondsPerDay : -((-left + kSecondsPerDay - 1) / kSecondsPerDay);
  return days >= 0 ? fmt::format("剩 {} 天", days) : fmt::format("逾期 {} 天", -days);
}

void PrintCaseHeader() { std::cout << "案件编号\t户编号\t村代码\t来源\t阶段\t版本\t立案时间\t识别期限\n"; }

void PrintCaseRow(const Case& c, std::int64_t now) {
  std::cout << fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", c.id, c.household_number, c.village_code,
                           CaseSourceLabel(c.source), CaseStageLabel(c.stage), c.version,
                           TimeText(c.opened_at), DueText(c, now));
}

Status RunList(const ListOptions& options) {
  ASSIGN_OR_RETURN(Stores stores, OpenStores(options.common));
  CaseQuery query;
  if (!options.stage.empty()) {
    CaseStage stage;
    if (!ParseCaseStage(options.stage, &stage)) {
      return InvalidArgument(fmt::format("--stage：未知阶段「{}」", options.stage));
    }
    query.stages = {stage};
  }
  query.limit = std::clamp<std::int64_t>(options.limit, 1, 1000);
  ASSIGN_OR_RETURN(CasePage page, stores.cases->ListCases(
                                      DivisionScope::Of(stores.division.code, stores.division.level), query));
  const std::int64_t now = Now();
  std::cout << fmt::format("案件 {} 件（范围：{}，显示 {} 件）\n", Count(page.total), stores.division.name,
                           page.rows.size());
  PrintCaseHeader();
  for (const Case& c : page.rows) PrintCaseRow(c, now);
  return Status::Ok();
}

Status RunQueue(const ListOptions& options) {
  ASSIGN_OR_RETURN(Stores stores, OpenStores(options.common));
  ASSIGN_OR_RETURN(Actor actor, MakeActor(options.common, stores.division));
  WorkflowService service(*stores.cases, *stores.registry, stores.policy);
  const std::int64_t now = Now();
  ASSIGN_OR_RETURN(std::vector<WorkItem> items,
                   service.WorkQueue(actor, now, std::max<std::int64_t>(options.limit, 1)));
  std::cout << fmt::format("{}（{}）待办 {} 件，最紧急的在前\n", RoleLabel(actor.role), stores.division.name,
                           items.size());
  std::cout << "案件编号\t户编号\t阶段\t期限\t剩余天数\t可办理\n";
  for (const WorkItem& item : items) {
    std::string actions;
    for (CaseAction action : item.actions)
      actions += (actions.empty() ? "" : "、") + std::string(CaseActionLabel(action));
    std::cout << fmt::format("{}\t{}\t{}\t{}\t{}\t{}\n", item.case_record.id,
                             item.case_record.household_number, CaseStageLabel(item.case_record.stage),
                             TimeText(item.due_at),
                             item.due_at == 0 ? std::string("-")
                             : item.overdue   ? fmt::format("逾期 {} 天", -item.days_left)
                                              : std::to_string(item.days_left),
                             actions);
  }
  return Status::Ok();
}

Status RunOverdue(const ListOptions& options) {
  ASSIGN_OR_RETURN(Stores stores, OpenStores(options.common));
  WorkflowService service(*stores.cases, *stores.registry, stores.policy);
  const std::int64_t now = Now();
  const DivisionScope scope = DivisionScope::Of(stores.division.code, stores.division.level);
  ASSIGN_OR_RETURN(std::vector<OverdueCounty> counties, service.Overdue(scope, now));
  ASSIGN_OR_RETURN(std::vector<Division> divisions, stores.registry->ListDivisions(scope));
  std::map<DivisionCode, std::string> names;
  for (const Division& division : divisions) names[division.code] = division.name;
  std::int64_t total = 0;
  for (const OverdueCounty& county : counties) total += county.overdue;
  std::cout << fmt::format("超过 {} 天未办结的识别案件 {} 件（范围：{}，按县）\n", kIdentificationDays,
                           Count(total), stores.division.name);
  std::cout << "县代码\t县名称\t在办识别案件\t逾期\t最久逾期案件\n";
  for (const OverdueCounty& county : counties) {
    std::string worst = "-";
    if (!county.cases.empty()) {
      const Case& c = county.cases.front();
      worst = fmt::format("{}（{}，{}）", c.id, CaseStageLabel(c.stage), DueText(c, now));
    }
    std::cout << fmt::format("{}\t{}\t{}\t{}\t{}\n", county.county_code, names[county.county_code],
                             county.open_identification, county.overdue, worst);
  }
  return Status::Ok();
}

Status RunShow(const ListOptions& options) {
  ASSIGN_OR_RETURN(Stores stores, OpenStores(options.common));
  const DivisionScope scope = DivisionScope::Of(stores.division.code, stores.division.level);
  ASSIGN_OR_RETURN(std::optional<Case> found, stores.cases->GetCase(scope, options.id));
  if (!found) return NotFound(fmt::format("案件 {} 不存在或不在范围内", options.id));
  const Case& c = *found;
  const std::int64_t now = Now();
  std::cout << fmt::format("案件 {}：农户 {}（村 {}），{}，第 {} 版\n", c.id, c.household_number,
                           c.village_code, CaseStageLabel(c.stage), c.version);
  std::cout << fmt::format("来源：{}（{}）；立案 {}；识别期限 {}（{}）\n", CaseSourceLabel(c.source),
                           c.source_detail, TimeText(c.opened_at), TimeText(c.due_at), DueText(c, now));
  if (c.notice_started_at != 0) {
    std::cout << fmt::format("公示：{} 至 {}；评议赞成 {} 票、反对 {} 票\n", TimeText(c.notice_started_at),
                             TimeText(c.notice_ends_at), c.appraisal_for, c.appraisal_against);
  }
  if (!c.monitoring_type.empty()) {
    std::string risks;
    for (const std::string& code : c.risk_codes) {
      risks += fmt::format("{}{} {}", risks.empty() ? "" : "、", code, stores.policy.risk_types.NameOf(code));
    }
    std::cout << fmt::format("监测类型：{} {}；风险：{}；纳入监测 {}\n", c.monitoring_type,
                             stores.policy.monitoring_types.NameOf(c.monitoring_type), risks,
                             TimeText(c.monitored_since));
  }
  if (c.elimination_kind != EliminationKind::kNone) {
    std::cout << fmt::format("风险消除：{}，{} 提出\n", EliminationKindLabel(c.elimination_kind),
                             TimeText(c.elimination_proposed_at));
  }
  if (c.closed_at != 0) std::cout << fmt::format("办结：{}，{}\n", TimeText(c.closed_at), c.closed_reason);
  for (const CaseMeasure& measure : c.measures) {
    std::cout << fmt::format(
        "  措施 {}：{} {}，{}，{} 元，{} 至 {}，责任人 {}\n", measure.id, measure.category_code,
        stores.policy.measures.NameOf(measure.category_code), measure.description,
        FormatYuanGrouped(measure.amount), measure.start_date.ToIso(),
        measure.end_date.year == 0 ? "长期" : measure.end_date.ToIso(), measure.responsible_cadre);
  }
  for (const CaseVisit& visit : c.visits) {
    std::cout << fmt::format("  回访 {}：{}，人均纯收入 {} 元，三保障及饮水安全{}，{}\n", visit.id,
                             visit.visit_date.ToIso(), FormatYuanGrouped(visit.per_capita_income),
                             visit.guarantees_secured ? "有保障" : "未确认", visit.note);
  }
  for (const CaseObjection& objection : c.objections) {
    std::cout << fmt::format(
        "  异议 {}：{}（{}）{}\n", objection.id, objection.summary, TimeText(objection.raised_at),
        objection.resolved
            ? fmt::format("— {}：{}", objection.upheld ? "成立" : "不成立", objection.resolution)
            : std::string("— 未处理"));
  }
  ASSIGN_OR_RETURN(std::vector<CaseEvent> events, stores.cases->ListEvents(scope, c.id));
  std::cout << fmt::format("办理记录 {} 条：\n", events.size());
  std::cout << "序号\t时间\t办理人\t角色\t操作\t阶段变化\t版本\t理由\t详情\n";
  for (const CaseEvent& event : events) {
    Role role = Role::kAuditor;
    const bool known_role = ParseRole(event.actor_role, &role);
    std::cout << fmt::format("{}\t{}\t{}\t{}\t{}\t{} → {}\t{}\t{}\t{}\n", event.seq, TimeText(event.at),
                             event.actor, known_role ? RoleLabel(role) : event.actor_role,
                             CaseActionLabel(event.action), CaseStageLabel(event.from_stage),
                             CaseStageLabel(event.to_stage), event.case_version,
                             event.reason.empty() ? "-" : event.reason, event.detail_json);
  }
  return Status::Ok();
}

void AddCommon(CLI::App* command, CommonOptions& common, bool with_role) {
  command->add_option("--db", common.db, "数据库文件（必须已存在）")->required();
  command->add_option("--division", common.division, "行政区划（12 位代码）；默认全省");
  if (with_role) {
    command->add_option("--as", common.role,
                        "以何种角色办理：village、township、county（默认）、department …");
    command->add_option("--user", common.user, "办理人用户名（默认 cli:<系统用户名>）");
  }
}

template <typename Options, typename Fn>
void SetCallback(CLI::App* command, std::shared_ptr<Options> options, Fn run) {
  command->callback([options, run] {
    Status status = run(*options);
    if (!status.ok()) ReportError(status);
  });
}

void RegisterWorkflowCommand(CLI::App& app) {
  CLI::App* workflow =
      app.add_subcommand("workflow", "监测对象识别与帮扶工作流：模拟、批量立案、批量办理、待办、逾期");
  workflow->require_subcommand(1);

  auto simulate_options = std::make_shared<SimulateOptions>();
  CLI::App* simulate = workflow->add_subcommand(
      "simulate", "按真实节奏模拟一年的识别、帮扶和风险消除（每一步都经工作流规则校验并记入审计链）");
  AddCommon(simulate, simulate_options->common, false);
  simulate->add_option("--year", simulate_options->year, "模拟年度，如 2026")->required();
  simulate->add_option("--until", simulate_options->until, "模拟到哪一天（含），默认今天与年末中较早者");
  simulate->add_option("--seed", simulate_options->seed, "随机种子（同一种子、同一数据库结果相同）");
  SetCallback(simulate, simulate_options, RunSimulate);

  auto open_options = std::make_shared<OpenOptions>();
  CLI::App* open = workflow->add_subcommand("open", "按某年的监测线索批量立案（已有在办案件的农户跳过）");
  AddCommon(open, open_options->common, false);
  open->add_flag("--from-leads", open_options->from_leads, "按筛查线索立案")->required();
  open->add_option("--year", open_options->year, "线索年度")->required();
  SetCallback(open, open_options, RunOpen);

  auto act_options = std::make_shared<ActOptions>();
  CLI::App* act = workflow->add_subcommand(
      "act",
      "按文件批量办理（先校验全部行，任何一行有误则全部不执行；格式见 docs/formats/workflow-batch.md）");
  AddCommon(act, act_options->common, true);
  act->add_option("--file", act_options->file, "操作文件（.csv 或 .xlsx）")->required();
  SetCallback(act, act_options, RunAct);

  auto list_options = std::make_shared<ListOptions>();
  CLI::App* list = workflow->add_subcommand("list", "列出案件");
  AddCommon(list, list_options->common, false);
  list->add_option("--stage", list_options->stage, "只列出这个阶段（verification、notice、monitored …）");
  list->add_option("--limit", list_options->limit, "最多显示多少件（默认 50，最多 1000）");
  SetCallback(list, list_options, RunList);

  auto queue_options = std::make_shared<ListOptions>();
  CLI::App* queue = workflow->add_subcommand("queue", "待办：等待该角色办理的案件，最紧急的在前");
  AddCommon(queue, queue_options->common, true);
  queue->add_option("--limit", queue_options->limit, "最多显示多少件（默认 50）");
  SetCallback(queue, queue_options, RunQueue);

  auto overdue_options = std::make_shared<ListOptions>();
  CLI::App* overdue = workflow->add_subcommand("overdue", "超过 15 天未办结的识别案件，按县统计");
  AddCommon(overdue, overdue_options->common, false);
  SetCallback(overdue, overdue_options, RunOverdue);

  auto show_options = std::make_shared<ListOptions>();
  CLI::App* show = workflow->add_subcommand("show", "显示一个案件及其全部办理记录");
  AddCommon(show, show_options->common, false);
  show->add_option("--id", show_options->id, "案件编号")->required();
  SetCallback(show, show_options, RunShow);
}

}  // namespace

ZX_REGISTER_COMMAND(RegisterWorkflowCommand);

}  // namespace zx::cli
