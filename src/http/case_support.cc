#include "http/case_support.h"

#include <fmt/format.h>

#include "http/dto.h"

namespace zx::http {

Result<WorkflowThread*> ThreadWorkflow(RequestContext& ctx) {
  ASSIGN_OR_RETURN(Store * registry, ctx.store());
  return ctx.PerThread<WorkflowThread>(
      [registry](const ServerEnv& env) -> Result<std::unique_ptr<WorkflowThread>> {
        auto made = std::make_unique<WorkflowThread>();
        ASSIGN_OR_RETURN(made->cases, OpenCaseStore(env.db_location));
        made->service = std::make_unique<WorkflowService>(*made->cases, *registry, *env.policy);
        return made;
      });
}

Actor ActorOf(const User& user) {
  Actor actor;
  actor.username = user.username;
  actor.role = user.role;
  actor.division_code = user.division_code;
  actor.division_level = user.division_level;
  return actor;
}

Date BeijingDate(std::int64_t t) {
  constexpr std::int64_t kOffset = 8 * 60 * 60;
  std::int64_t shifted = t + kOffset;
  std::int64_t days = shifted / kSecondsPerDay;
  if (shifted % kSecondsPerDay < 0) --days;
  return Date::FromDays(days);
}

std::string BeijingDateText(std::int64_t t) { return t == 0 ? std::string() : BeijingDate(t).ToIso(); }

std::string BeijingTimeText(std::int64_t t) {
  if (t == 0) return {};
  std::int64_t seconds = (t + 8 * 60 * 60) % kSecondsPerDay;
  if (seconds < 0) seconds += kSecondsPerDay;
  return fmt::format("{} {:02}:{:02}", BeijingDate(t).ToIso(), seconds / 3600, seconds % 3600 / 60);
}

std::string AncestorNameOf(const DivisionTable& divisions, DivisionCode code, DivisionLevel level) {
  for (const Division* division = divisions.Find(code); division != nullptr;
       division = divisions.Find(division->parent_code)) {
    if (division->level == level) return division->name;
    if (division->parent_code == 0) break;
  }
  return {};
}

Result<const Division*> DivisionParam(RequestContext& ctx) {
  DivisionCode code = ctx.user()->division_code;
  if (!ctx.Query("division").empty()) {
    ASSIGN_OR_RETURN(code, ParseDivisionCode(ctx.Query("division"), "division"));
  }
  const Division* division = ctx.divisions().Find(code);
  if (division == nullptr || !ctx.scope().Contains(code)) {
    return NotFound(fmt::format("行政区划 {} 不存在", DivisionCodeText(code)));
  }
  return division;
}

namespace {

std::string DateText(const Date& date) { return date == Date{} ? std::string() : date.ToIso(); }

}  // namespace

Json CaseJson(const Case& c, const DivisionTable& divisions) {
  Json measures = Json::array();
  for (const CaseMeasure& m : c.measures) {
    measures.push_back({{"id", m.id},
                        {"category_code", m.category_code},
                        {"description", m.description},
                        {"responsible_cadre", m.responsible_cadre},
                        {"amount_yuan", FormatYuan(m.amount)},
                        {"start_date", DateText(m.start_date)},
                        {"end_date", DateText(m.end_date)},
                        {"recorded_at", m.recorded_at},
                        {"recorded_by", m.recorded_by}});
  }
  Json visits = Json::array();
  for (const CaseVisit& v : c.visits) {
    visits.push_back({{"id", v.id},
                      {"visit_date", DateText(v.visit_date)},
                      {"per_capita_income_yuan", FormatYuan(v.per_capita_income)},
                      {"guarantees_secured", v.guarantees_secured},
                      {"note", v.note},
                      {"visited_by", v.visited_by}});
  }
  Json objections = Json::array();
  for (const CaseObjection& o : c.objections) {
    objections.push_back({{"id", o.id},
                          {"raised_at", o.raised_at},
                          {"summary", o.summary},
                          {"resolved", o.resolved},
                          {"upheld", o.upheld},
                          {"resolution", o.resolution},
                          {"resolved_by", o.resolved_by},
                          {"resolved_at", o.resolved_at}});
  }
  const Division* village = divisions.Find(c.village_code);
  return Json{{"id", c.id},
              {"household_number", c.household_number},
              {"village_code", DivisionCodeText(c.village_code)},
              {"village_name", village != nullptr ? village->name : ""},
              {"township_name", AncestorNameOf(divisions, c.village_code, DivisionLevel::kTownship)},
              {"county_name", AncestorNameOf(divisions, c.village_code, DivisionLevel::kCounty)},
              {"source", std::string(CaseSourceCode(c.source))},
              {"source_name", std::string(CaseSourceLabel(c.source))},
              {"source_detail", c.source_detail},
              {"stage", std::string(CaseStageCode(c.stage))},
              {"stage_name", std::string(CaseStageLabel(c.stage))},
              {"open", c.IsOpen()},
              {"version", c.version},
              {"opened_at", c.opened_at},
              {"due_at", c.due_at},
              {"decided_at", c.decided_at},
              {"authorization_signed", c.authorization_signed},
              {"verification_note", c.verification_note},
              {"comparison_note", c.comparison_note},
              {"appraisal_for", c.appraisal_for},
              {"appraisal_against", c.appraisal_against},
              {"notice_started_at", c.notice_started_at},
              {"notice_ends_at", c.notice_ends_at},
              {"monitoring_type", c.monitoring_type},
              {"risk_codes", c.risk_codes},
              {"monitored_since", c.monitored_since},
              {"elimination_kind", std::string(EliminationKindCode(c.elimination_kind))},
              {"elimination_kind_name", std::string(EliminationKindLabel(c.elimination_kind))},
              {"elimination_proposed_at", c.elimination_proposed_at},
              {"closed_at", c.closed_at},
              {"closed_reason", c.closed_reason},
              {"measures", std::move(measures)},
              {"visits", std::move(visits)},
              {"objections", std::move(objections)},
              {"updated_at", c.updated_at},
              {"updated_by", c.updated_by}};
}

Json EventJson(const CaseEvent& event) {
  Json detail = Json::parse(event.detail_json, nullptr, false);
  if (detail.is_discarded()) detail = event.detail_json;
  Role role;
  const std::string role_name =
      ParseRole(event.actor_role, &role) ? std::string(RoleLabel(role)) : event.actor_role;
  return Json{{"seq", event.seq},
              {"case_id", event.case_id},
              {"at", event.at},
              {"actor", event.actor},
              {"actor_role", event.actor_role},
              {"actor_role_name", role_name},
              {"action", std::string(CaseActionCode(event.action))},
              {"action_name", std::string(CaseActionLabel(event.action))},
              {"from_stage", std::string(CaseStageCode(event.from_stage))},
              {"from_stage_name", std::string(CaseStageLabel(event.from_stage))},
              {"to_stage", std::string(CaseStageCode(event.to_stage))},
              {"to_stage_name", std::string(CaseStageLabel(event.to_stage))},
              {"case_version", event.case_version},
              {"reason", event.reason},
              {"detail", std::move(detail)},
              {"hash", event.hash}};
}

}  // namespace zx::http
