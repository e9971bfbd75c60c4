// Monitoring cases (issue 6, docs/formats/api.md "Cases"):
//   GET  /api/v1/cases                  list (stage, open, overdue, division, household_number; paging)
//   POST /api/v1/cases                  open a case for a household
//   GET  /api/v1/cases/{id}             detail: case, timeline, household, comparison, allowed actions
//   POST /api/v1/cases/{id}/actions     one action (WorkflowService::Act), optimistic concurrency
//   GET  /api/v1/work-queue             the user's 待办
//   GET  /api/v1/overdue                identification cases past 15 days, by county
//   GET  /api/v1/audit/chain            recomputes the hash chain of the event log
//
// Controllers stay thin: which role may do what at which stage, the
// deadlines and the elimination preconditions are decided by src/workflow;
// this file parses, scopes (an out-of-scope case answers 404 like a missing
// one) and shapes JSON. Every state change is a POST, so the dispatcher has
// checked the CSRF token before any handler here runs.
#include <fmt/format.h>

#include <algorithm>

#include "domain/code_tables.h"
#include "domain/lead.h"
#include "http/auth.h"
#include "http/case_support.h"
#include "http/dto.h"
#include "http/envelope.h"
#include "http/router.h"
#include "storage/lead_store.h"
#include "storage/link_store.h"

namespace zx::http {
namespace {

Result<LeadStore*> Leads(RequestContext& ctx) {
  return ctx.PerThread<LeadStore>([](const ServerEnv& env) -> Result<std::unique_ptr<LeadStore>> {
    return OpenLeadStore(env.db_location);
  });
}

Result<LinkStore*> Links(RequestContext& ctx) {
  return ctx.PerThread<LinkStore>([](const ServerEnv& env) -> Result<std::unique_ptr<LinkStore>> {
    return OpenLinkStore(env.db_location);
  });
}

// ---------------------------------------------------------------------------
// Parsing

Result<std::int64_t> ParseCaseId(RequestContext& ctx) {
  std::string_view text = ctx.Param("id");
  std::int64_t id = 0;
  if (text.empty() || text.size() > 15) return NotFound(fmt::format("案件 {} 不存在", text));
  for (char digit : text) {
    if (digit < '0' || digit > '9') return NotFound(fmt::format("案件 {} 不存在", text));
    id = id * 10 + (digit - '0');
  }
  return id;
}

Result<std::optional<std::int64_t>> OptionalInt(const Json& body, const char* field) {
  if (!body.contains(field) || body[field].is_null()) return std::optional<std::int64_t>();
  if (!body[field].is_number_integer()) return InvalidArgument(fmt::format("字段 {}：应为整数", field));
  return std::optional<std::int64_t>(body[field].get<std::int64_t>());
}

Result<Date> DateField(const Json& object, const char* field, const char* where, bool required) {
  ASSIGN_OR_RETURN(std::optional<std::string> text, OptionalString(object, field));
  if (!text || text->empty()) {
    if (required)
      return InvalidArgument(fmt::format("字段 {}.{}：必须填写日期（如 2025-03-01）", where, field));
    return Date{};
  }
  auto parsed = ParseDate(*text);
  if (!parsed.ok()) return InvalidArgument(fmt::format("字段 {}.{}：“{}”不是有效日期", where, field, *text));
  return *parsed;
}

Result<Fen> MoneyField(const Json& object, const char* field, const char* where) {
  if (!object.contains(field) || object[field].is_null()) {
    return InvalidArgument(fmt::format("字段 {}.{}：必须填写金额（元）", where, field));
  }
  std::string text;
  if (object[field].is_string()) {
    text = object[field].get<std::string>();
  } else if (object[field].is_number_integer()) {
    text = std::to_string(object[field].get<std::int64_t>());
  } else {
    return InvalidArgument(fmt::format("字段 {}.{}：应为金额（元），如 \"1200.50\"", where, field));
  }
  auto parsed = ParseYuan(text);
  if (!parsed.ok()) return InvalidArgument(fmt::format("字段 {}.{}：“{}”不是金额（元）", where, field, text));
  return *parsed;
}

Result<ActionInput> ParseActionBody(const Json& body) {
  ActionInput input;
  ASSIGN_OR_RETURN(std::string action_code, RequiredString(body, "action"));
  if (!ParseCaseAction(action_code, &input.action) || input.action == CaseAction::kOpen) {
    return InvalidArgument(fmt::format("字段 action：不支持的操作“{}”", action_code));
  }
  ASSIGN_OR_RETURN(std::optional<std::int64_t> version, OptionalInt(body, "expected_version"));
  if (!version || *version < 1) {
    return InvalidArgument("字段 expected_version：必须填写页面上看到的案件版本号（正整数）");
  }
  input.expected_version = *version;
  ASSIGN_OR_RETURN(std::optional<std::string> reason, OptionalString(body, "reason"));
  input.reason = reason.value_or("");
  ASSIGN_OR_RETURN(std::optional<std::string> note, OptionalString(body, "note"));
  input.note = note.value_or("");
  if (input.reason.size() > 2000 || input.note.size() > 4000)
    return InvalidArgument("字段 reason/note：内容过长");
  ASSIGN_OR_RETURN(std::optional<bool> signed_flag, OptionalBool(body, "authorization_signed"));
  input.authorization_signed = signed_flag.value_or(false);
  ASSIGN_OR_RETURN(std::optional<std::int64_t> votes_for, OptionalInt(body, "appraisal_for"));
  ASSIGN_OR_RETURN(std::optional<std::int64_t> votes_against, OptionalInt(body, "appraisal_against"));
  ASSIGN_OR_RETURN(std::optional<std::int64_t> notice_days, OptionalInt(body, "notice_days"));
  auto small = [](std::optional<std::int64_t> value, const char* field, int fallback) -> Result<int> {
    if (!value) return fallback;
    if (*value < 0 || *value > 100000) return InvalidArgument(fmt::format("字段 {}：超出范围", field));
    return static_cast<int>(*value);
  };
  ASSIGN_OR_RETURN(input.appraisal_for, small(votes_for, "appraisal_for", 0));
  ASSIGN_OR_RETURN(input.appraisal_against, small(votes_against, "appraisal_against", 0));
  ASSIGN_OR_RETURN(input.notice_days, small(notice_days, "notice_days", kMinNoticeDays));
  ASSIGN_OR_RETURN(std::optional<std::string> type, OptionalString(body, "monitoring_type"));
  input.monitoring_type = type.value_or("");
  if (body.contains("risk_codes") && !body["risk_codes"].is_null()) {
    if (!body["risk_codes"].is_array()) return InvalidArgument("字段 risk_codes：应为风险类型代码的数组");
    for (const Json& code : body["risk_codes"]) {
      if (!code.is_string()) return InvalidArgument("字段 risk_codes：每一项应为风险类型代码（字符串）");
      input.risk_codes.push_back(code.get<std::string>());
    }
  }
  ASSIGN_OR_RETURN(std::optional<std::int64_t> objection, OptionalInt(body, "objection_id"));
  input.objection_id = objection.value_or(0);
  ASSIGN_OR_RETURN(std::optional<bool> upheld, OptionalBool(body, "upheld"));
  input.upheld = upheld.value_or(false);
  ASSIGN_OR_RETURN(std::optional<std::string> kind, OptionalString(body, "elimination_kind"));
  if (kind && !kind->empty() && !ParseEliminationKind(*kind, &input.elimination_kind)) {
    return InvalidArgument(fmt::format("字段 elimination_kind：应为 assisted 或 natural，收到“{}”", *kind));
  }
  if (input.action == CaseAction::kAddMeasure) {
    if (!body.contains("measure") || !body["measure"].is_object()) {
      return InvalidArgument("字段 measure：添加帮扶措施时必须提供措施（对象）");
    }
    const Json& m = body["measure"];
    CaseMeasure measure;
    ASSIGN_OR_RETURN(measure.category_code, RequiredString(m, "category_code"));
    ASSIGN_OR_RETURN(std::optional<std::string> description, OptionalString(m, "description"));
    measure.description = description.value_or("");
    ASSIGN_OR_RETURN(measure.responsible_cadre, RequiredString(m, "responsible_cadre"));
    ASSIGN_OR_RETURN(measure.amount, MoneyField(m, "amount_yuan", "measure"));
    ASSIGN_OR_RETURN(measure.start_date, DateField(m, "start_date", "measure", true));
    ASSIGN_OR_RETURN(measure.end_date, DateField(m, "end_date", "measure", false));
    input.measure = std::move(measure);
  }
  if (input.action == CaseAction::kRecordVisit) {
    if (!body.contains("visit") || !body["visit"].is_object()) {
      return InvalidArgument("字段 visit：记录回访时必须提供回访内容（对象）");
    }
    const Json& v = body["visit"];
    CaseVisit visit;
    ASSIGN_OR_RETURN(visit.visit_date, DateField(v, "visit_date", "visit", true));
    ASSIGN_OR_RETURN(visit.per_capita_income, MoneyField(v, "per_capita_income_yuan", "visit"));
    ASSIGN_OR_RETURN(std::optional<bool> secured, OptionalBool(v, "guarantees_secured"));
    visit.guarantees_secured = secured.value_or(false);
    ASSIGN_OR_RETURN(std::optional<std::string> visit_note, OptionalString(v, "note"));
    visit.note = visit_note.value_or("");
    input.visit = std::move(visit);
  }
  return input;
}

// ---------------------------------------------------------------------------
// JSON pieces

struct Deadline {
  std::int64_t due_at = 0;
  bool overdue = false;
  int days_left = 0;
};

Deadline IdentificationDeadline(const Case& c, std::int64_t now) {
  Deadline deadline;
  if (!c.IsOpen() || c.stage >= CaseStage::kMonitored || c.due_at == 0) return deadline;
  deadline.due_at = c.due_at;
  deadline.overdue = now > c.due_at;
  const std::int64_t left = c.due_at - now;
  deadline.days_left = static_cast<int>(left >= 0 ? (left + kSecondsPerDay - 1) / kSecondsPerDay
                                                  : -((-left + kSecondsPerDay - 1) / kSecondsPerDay));
  return deadline;
}

Json ActionsJson(const std::vector<CaseAction>& actions) {
  Json out = Json::array();
  for (CaseAction action : actions) {
    out.push_back(
        {{"code", std::string(CaseActionCode(action))}, {"name", std::string(CaseActionLabel(action))}});
  }
  return out;
}

/// Household facts shown with a case: never the full ID or phone.
Json HouseholdSummary(const HouseholdRecord& record, const Policy& policy) {
  const Person* head = nullptr;
  int labour = 0;
  for (const Person& person : record.members) {
    if (head == nullptr && person.relation == Relation::kHead) head = &person;
    if (!person.deceased &&
        (person.labour_skill == LabourSkill::kSkilled || person.labour_skill == LabourSkill::kOrdinary ||
         person.labour_skill == LabourSkill::kWeak)) {
      ++labour;
    }
  }
  if (head == nullptr && !record.members.empty()) head = &record.members.front();
  Json incomes = Json::array();
  for (const HouseholdYear& year : record.years) {
    Fen per_capita = 0;
    const bool has = record.PerCapitaNetIncome(year.year, &per_capita);
    auto line = policy.Year(year.year);
    incomes.push_back(
        {{"year", year.year},
         {"per_capita_net_income_yuan", has ? Json(FormatYuan(per_capita)) : Json(nullptr)},
         {"line_yuan", line.ok() ? Json(FormatYuan((*line)->monitoring_line)) : Json(nullptr)}});
  }
  const Household& h = record.household;
  return Json{{"household_number", h.household_number},
              {"head_name", head != nullptr ? head->name : ""},
              {"head_id_number", head != nullptr ? MaskIdNumber(head->id_number) : ""},
              {"size", record.LivingSize()},
              {"members_with_labour", labour},
              {"ex_poor", h.ex_poor},
              {"safety_net", h.safety_net},
              {"relocated", h.relocated},
              {"housing", Label(h.housing)},
              {"food_clothing_secure", h.food_clothing_secure},
              {"water_secure",
               h.water_quantity_ok && h.water_quality_ok && h.water_convenience_ok && h.water_reliability_ok},
              {"incomes", std::move(incomes)}};
}

Json FindingJson(const FeedFinding& finding, const char* category) {
  return Json{{"category", category},
              {"kind", finding.kind},
              {"id_number", MaskIdNumber(finding.id_number)},
              {"value_yuan", FormatYuan(finding.value)},
              {"threshold_yuan", FormatYuan(finding.threshold)},
              {"detail", finding.detail}};
}

Json PreconditionsJson(const std::vector<PreconditionCheck>& checks) {
  Json out = Json::array();
  for (const PreconditionCheck& check : checks) {
    out.push_back(
        {{"code", check.code}, {"label", check.label}, {"met", check.met}, {"detail", check.detail}});
  }
  return out;
}

Result<Json> ListRowJson(RequestContext& ctx, const Case& c, std::int64_t now) {
  Json row = CaseJson(c, ctx.divisions());
  // Lists stay small: drop the plan details, keep counts.
  row["measure_count"] = c.measures.size();
  row["visit_count"] = c.visits.size();
  row.erase("measures");
  row.erase("visits");
  row.erase("objections");
  ASSIGN_OR_RETURN(Store * store, ctx.store());
  ASSIGN_OR_RETURN(auto household, store->GetHousehold(ctx.scope(), c.household_number));
  std::string head;
  if (household) {
    for (const Person& person : household->members) {
      if (person.relation == Relation::kHead) {
        head = person.name;
        break;
      }
    }
  }
  row["head_name"] = head;
  const Deadline deadline = IdentificationDeadline(c, now);
  row["overdue"] = deadline.overdue;
  row["days_left"] = deadline.days_left;
  return row;
}

// ---------------------------------------------------------------------------
// Handlers

Result<Response> ListCases(RequestContext& ctx) {
  ASSIGN_OR_RETURN(const Division* division, DivisionParam(ctx));
  ASSIGN_OR_RETURN(Paging paging, ParsePaging(ctx.request()));
  const std::int64_t now = ctx.Now();
  CaseQuery query;
  std::string_view stages = ctx.Query("stage");
  while (!stages.empty()) {
    const size_t comma = stages.find(',');
    std::string_view code = stages.substr(0, comma);
    if (!code.empty()) {
      CaseStage stage;
      if (!ParseCaseStage(code, &stage))
        return InvalidArgument(fmt::format("参数 stage：未知的环节“{}”", code));
      query.stages.push_back(stage);
    }
    if (comma == std::string_view::npos) break;
    stages.remove_prefix(comma + 1);
  }
  for (const char* flag : {"open", "overdue"}) {
    std::string_view value = ctx.Query(flag);
    if (!value.empty() && value != "true" && value != "false") {
      return InvalidArgument(fmt::format("参数 {}：应为 true 或 false，收到“{}”", flag, value));
    }
  }
  query.open_only = ctx.Query("open") == "true";
  if (ctx.Query("overdue") == "true") {
    query.open_only = true;
    query.due_before = now;
  }
  query.household_number = std::string(ctx.Query("household_number"));
  query.offset = paging.offset();
  query.limit = paging.page_size;
  ASSIGN_OR_RETURN(WorkflowThread * workflow, ThreadWorkflow(ctx));
  ASSIGN_OR_RETURN(CasePage page,
                   workflow->cases->ListCases(DivisionScope::Of(division->code, division->level), query));
  Json rows = Json::array();
  for (const Case& c : page.rows) {
    ASSIGN_OR_RETURN(Json row, ListRowJson(ctx, c, now));
    rows.push_back(std::move(row));
  }
  Response response = JsonPage(std::move(rows), page.total);
  return response;
}

Result<Response> GetCaseDetail(RequestContext& ctx) {
  ASSIGN_OR_RETURN(std::int64_t id, ParseCaseId(ctx));
  ASSIGN_OR_RETURN(WorkflowThread * workflow, ThreadWorkflow(ctx));
  ASSIGN_OR_RETURN(std::optional<Case> found, workflow->cases->GetCase(ctx.scope(), id));
  if (!found) return NotFound(fmt::format("案件 {} 不存在", id));
  const Case& c = *found;
  const std::int64_t now = ctx.Now();
  const Policy& policy = *ctx.env().policy;

  ASSIGN_OR_RETURN(std::vector<CaseEvent> events, workflow->cases->ListEvents(ctx.scope(), id));
  Json timeline = Json::array();
  for (const CaseEvent& event : events) timeline.push_back(EventJson(event));

  ASSIGN_OR_RETURN(Store * store, ctx.store());
  ASSIGN_OR_RETURN(auto household, store->GetHousehold(ctx.scope(), c.household_number));
  Json household_json = household ? HouseholdSummary(*household, policy) : Json(nullptr);

  // County information comparison: screening findings of the latest two
  // policy years and the department signals about this household.
  ASSIGN_OR_RETURN(LeadStore * leads, Leads(ctx));
  Json screening = Json::array();
  int years_read = 0;
  for (auto year = policy.years.rbegin(); year != policy.years.rend() && years_read < 2;
       ++year, ++years_read) {
    ASSIGN_OR_RETURN(std::optional<Lead> lead, leads->GetLead(ctx.scope(), year->first, c.household_number));
    if (!lead) continue;
    Json risks = Json::array();
    for (const std::string& code : lead->risk_codes) {
      risks.push_back({{"code", code}, {"name", std::string(policy.risk_types.NameOf(code))}});
    }
    screening.push_back(
        {{"year", year->first},
         {"monitoring_type", lead->monitoring_type},
         {"monitoring_type_name", std::string(policy.monitoring_types.NameOf(lead->monitoring_type))},
         {"risks", std::move(risks)},
         {"deprivations", lead->deprivations},
         {"per_capita_net_income_yuan", FormatYuan(lead->per_capita_net_income)},
         {"explanations", lead->explanations}});
  }
  ASSIGN_OR_RETURN(LinkStore * links, Links(ctx));
  const DivisionScope village_scope = DivisionScope::Of(c.village_code, DivisionLevel::kVillage);
  Json signals = Json::array();
  if (ctx.scope().Contains(c.village_code)) {
    ASSIGN_OR_RETURN(std::vector<FeedFinding> alerts, links->ListAlerts(village_scope, 0));
    for (const FeedFinding& finding : alerts) {
      if (finding.household_number == c.household_number) signals.push_back(FindingJson(finding, "alert"));
    }
    ASSIGN_OR_RETURN(std::vector<FeedFinding> reviews, links->ListReviewItems(village_scope, 0));
    for (const FeedFinding& finding : reviews) {
      if (finding.household_number == c.household_number) signals.push_back(FindingJson(finding, "review"));
    }
  }

  const Actor actor = ActorOf(*ctx.user());
  Json preconditions = Json::object();
  std::vector<EliminationKind> kinds;
  if (c.stage == CaseStage::kMonitored) {
    kinds = {EliminationKind::kAssisted, EliminationKind::kNatural};
  } else if (c.stage >= CaseStage::kEliminationAppraisal && c.stage <= CaseStage::kEliminationApproval &&
             c.elimination_kind != EliminationKind::kNone) {
    kinds = {c.elimination_kind};
  }
  for (EliminationKind kind : kinds) {
    ASSIGN_OR_RETURN(std::vector<PreconditionCheck> checks,
                     workflow->service->EliminationPreconditions(c, kind, now));
    preconditions[std::string(EliminationKindCode(kind))] = PreconditionsJson(checks);
  }
  ASSIGN_OR_RETURN(std::vector<Case> history,
                   workflow->cases->HouseholdCases(ctx.scope(), c.household_number));
  Json others = Json::array();
  for (const Case& other : history) {
    if (other.id == c.id) continue;
    others.push_back({{"id", other.id},
                      {"stage", std::string(CaseStageCode(other.stage))},
                      {"stage_name", std::string(CaseStageLabel(other.stage))},
                      {"opened_at", other.opened_at},
                      {"closed_at", other.closed_at}});
  }
  const Deadline deadline = IdentificationDeadline(c, now);
  Json data = {
      {"case", CaseJson(c, ctx.divisions())},
      {"events", std::move(timeline)},
      {"household", std::move(household_json)},
      {"screening", std::move(screening)},
      {"signals", std::move(signals)},
      {"allowed_actions", ActionsJson(workflow->service->AllowedActions(actor, c, now))},
      {"elimination_preconditions", std::move(preconditions)},
      {"other_cases", std::move(others)},
      {"deadline",
       {{"due_at", deadline.due_at}, {"overdue", deadline.overdue}, {"days_left", deadline.days_left}}},
      {"notice_over", c.notice_ends_at != 0 && now >= c.notice_ends_at},
      {"now", now}};
  return JsonOk(std::move(data));
}

Result<Response> OpenCase(RequestContext& ctx) {
  ASSIGN_OR_RETURN(Json body, ParseJsonBody(ctx.request()));
  ASSIGN_OR_RETURN(std::string number, RequiredString(body, "household_number"));
  ASSIGN_OR_RETURN(std::string source_code, RequiredString(body, "source"));
  CaseSource source;
  if (!ParseCaseSource(source_code, &source)) {
    return InvalidArgument(fmt::format(
        "字段 source：应为 self_application、cadre_visit、department_alert 或 rule_alert，收到“{}”",
        source_code));
  }
  ASSIGN_OR_RETURN(std::optional<std::string> detail, OptionalString(body, "source_detail"));
  if (detail && detail->size() > 4000) return InvalidArgument("字段 source_detail：内容过长");
  ASSIGN_OR_RETURN(WorkflowThread * workflow, ThreadWorkflow(ctx));
  ASSIGN_OR_RETURN(Case opened, workflow->service->OpenCase(ActorOf(*ctx.user()), number, source,
                                                            detail.value_or(""), ctx.Now()));
  return JsonOk(CaseJson(opened, ctx.divisions()));
}

Result<Response> ActOnCase(RequestContext& ctx) {
  ASSIGN_OR_RETURN(std::int64_t id, ParseCaseId(ctx));
  ASSIGN_OR_RETURN(Json body, ParseJsonBody(ctx.request()));
  ASSIGN_OR_RETURN(ActionInput input, ParseActionBody(body));
  ASSIGN_OR_RETURN(WorkflowThread * workflow, ThreadWorkflow(ctx));
  // Out of the user's subtree answers exactly like a missing case.
  ASSIGN_OR_RETURN(std::optional<Case> found, workflow->cases->GetCase(ctx.scope(), id));
  if (!found) return NotFound(fmt::format("案件 {} 不存在", id));
  const Actor actor = ActorOf(*ctx.user());
  const std::int64_t now = ctx.Now();
  Result<Case> acted = workflow->service->Act(actor, id, input, now);
  if (!acted.ok()) {
    if (acted.status().code() == StatusCode::kConflict) {
      return Conflict(fmt::format("案件已被他人修改，请刷新后重试（{}）", acted.status().message()));
    }
    return acted.status();
  }
  return JsonOk(
      Json{{"case", CaseJson(*acted, ctx.divisions())},
           {"allowed_actions", ActionsJson(workflow->service->AllowedActions(actor, *acted, now))}});
}

Result<Response> WorkQueue(RequestContext& ctx) {
  std::int64_t limit = 200;
  if (!ctx.Query("limit").empty()) {
    limit = 0;
    for (char digit : ctx.Query("limit")) {
      if (digit < '0' || digit > '9' || limit > 100000)
        return InvalidArgument("参数 limit：应为 1–1000 的整数");
      limit = limit * 10 + (digit - '0');
    }
    if (limit < 1 || limit > 1000) return InvalidArgument("参数 limit：应为 1–1000 的整数");
  }
  const std::int64_t now = ctx.Now();
  ASSIGN_OR_RETURN(WorkflowThread * workflow, ThreadWorkflow(ctx));
  ASSIGN_OR_RETURN(std::vector<WorkItem> items,
                   workflow->service->WorkQueue(ActorOf(*ctx.user()), now, limit));
  Json rows = Json::array();
  std::int64_t overdue = 0;
  for (const WorkItem& item : items) {
    ASSIGN_OR_RETURN(Json row, ListRowJson(ctx, item.case_record, now));
    row["actions"] = ActionsJson(item.actions);
    row["due_at"] = item.due_at;
    row["overdue"] = item.overdue;
    row["days_left"] = item.days_left;
    overdue += item.overdue ? 1 : 0;
    rows.push_back(std::move(row));
  }
  const std::int64_t total = static_cast<std::int64_t>(rows.size());
  return JsonOk(Json{{"rows", std::move(rows)}, {"total", total}, {"overdue", overdue}, {"now", now}});
}

Result<Response> Overdue(RequestContext& ctx) {
  ASSIGN_OR_RETURN(const Division* division, DivisionParam(ctx));
  const std::int64_t now = ctx.Now();
  ASSIGN_OR_RETURN(WorkflowThread * workflow, ThreadWorkflow(ctx));
  ASSIGN_OR_RETURN(std::vector<OverdueCounty> counties,
                   workflow->service->Overdue(DivisionScope::Of(division->code, division->level), now));
  Json rows = Json::array();
  std::int64_t open_total = 0;
  std::int64_t overdue_total = 0;
  for (const OverdueCounty& county : counties) {
    const Division* found = ctx.divisions().Find(county.county_code);
    Json cases = Json::array();
    for (const Case& c : county.cases) {
      ASSIGN_OR_RETURN(Json row, ListRowJson(ctx, c, now));
      cases.push_back(std::move(row));
    }
    open_total += county.open_identification;
    overdue_total += county.overdue;
    rows.push_back({{"county_code", DivisionCodeText(county.county_code)},
                    {"county_name", found != nullptr ? found->name : ""},
                    {"open_identification", county.open_identification},
                    {"overdue", county.overdue},
                    {"cases", std::move(cases)}});
  }
  return JsonOk(Json{{"division", {{"code", DivisionCodeText(division->code)}, {"name", division->name}}},
                     {"counties", std::move(rows)},
                     {"open_identification", open_total},
                     {"overdue", overdue_total},
                     {"now", now}});
}

Result<Response> VerifyChain(RequestContext& ctx) {
  ASSIGN_OR_RETURN(WorkflowThread * workflow, ThreadWorkflow(ctx));
  ASSIGN_OR_RETURN(ChainReport report, workflow->cases->VerifyEventChain());
  Json problems = Json::array();
  for (const ChainProblem& problem : report.problems) {
    problems.push_back(
        {{"kind", static_cast<int>(problem.kind)}, {"seq", problem.seq}, {"message", problem.message}});
  }
  RETURN_IF_ERROR(ctx.RecordAudit(
      AuditAction::kExport, "case_events", 0,
      fmt::format("chain verify: {} events, {} problems", report.events, report.problems.size())));
  return JsonOk(Json{{"ok", report.ok()},
                     {"events", report.events},
                     {"head_hash", report.head_hash},
                     {"problems", std::move(problems)},
                     {"checked_at", ctx.Now()}});
}

void RegisterCaseRoutes(Router& router) {
  router.Add("GET", "/api/v1/cases", ListCases, RouteOptions::Permission("workflow:case:list"));
  router.Add("POST", "/api/v1/cases", OpenCase, RouteOptions::Permission("workflow:case:add"));
  router.Add("GET", "/api/v1/cases/{id}", GetCaseDetail, RouteOptions::Permission("workflow:case:query"));
  router.Add("POST", "/api/v1/cases/{id}/actions", ActOnCase, RouteOptions::Permission("workflow:case:act"));
  router.Add("GET", "/api/v1/work-queue", WorkQueue, RouteOptions::Permission("workflow:case:list"));
  router.Add("GET", "/api/v1/overdue", Overdue, RouteOptions::Permission("workflow:case:list"));
  router.Add("GET", "/api/v1/audit/chain", VerifyChain, RouteOptions::Permission("workflow:audit:verify"));
}
ZX_REGISTER_CONTROLLER(RegisterCaseRoutes);

}  // namespace
}  // namespace zx::http
