#include "workflow/workflow.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "common/money.h"
#include "workflow/preconditions.h"
#include "workflow/state_machine.h"

namespace zx {
namespace {

using workflow::AddMonths;
using workflow::DateOfTime;
using workflow::FindTransition;
using workflow::IsEliminationStage;
using workflow::IsIdentificationStage;
using workflow::RoleAllowed;
using workflow::RoleList;
using workflow::Transition;

constexpr int kMaxNoticeDays = 30;
constexpr int kMeasureDueDays = 30;  // a new monitored household gets its plan within a month
constexpr int kVisitIntervalDays = 30;
constexpr std::int64_t kPageLimit = 1000;

std::string Dump(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string TimeText(std::int64_t at) {
  const Date date = DateOfTime(at);
  const std::int64_t seconds = ((at + 8 * 3600) % kSecondsPerDay + kSecondsPerDay) % kSecondsPerDay;
  return fmt::format("{} {:02d}:{:02d}", date.ToIso(), seconds / 3600, seconds / 60 % 60);
}

std::string CaseName(const Case& c) { return fmt::format("案件 {}（农户 {}）", c.id, c.household_number); }

bool IsDateSet(const Date& date) { return date.year != 0; }

int FloorDays(std::int64_t seconds) {
  std::int64_t days = seconds / kSecondsPerDay;
  if (seconds % kSecondsPerDay != 0 && seconds < 0) --days;
  return static_cast<int>(days);
}

void ResetNotice(Case& c) {
  c.notice_started_at = 0;
  c.notice_ends_at = 0;
}

void ResetElimination(Case& c) {
  c.elimination_kind = EliminationKind::kNone;
  c.elimination_proposed_at = 0;
  ResetNotice(c);
}

Status RequireReason(const ActionInput& input) {
  if (input.reason.empty()) {
    return InvalidArgument(fmt::format("字段 reason：「{}」须填写理由", CaseActionLabel(input.action)));
  }
  return Status::Ok();
}

int UnresolvedObjections(const Case& c) {
  return static_cast<int>(std::count_if(c.objections.begin(), c.objections.end(),
                                        [](const CaseObjection& o) { return !o.resolved; }));
}

nlohmann::json MeasureJson(const CaseMeasure& measure) {
  return {{"category_code", measure.category_code},
          {"description", measure.description},
          {"responsible_cadre", measure.responsible_cadre},
          {"amount_fen", measure.amount},
          {"start_date", measure.start_date.ToIso()},
          {"end_date", IsDateSet(measure.end_date) ? measure.end_date.ToIso() : std::string()}};
}

}  // namespace

WorkflowService::WorkflowService(CaseStore& cases, Store& registry, const Policy& policy)
    : cases_(cases), registry_(registry), policy_(policy) {}

Result<Case> WorkflowService::OpenCase(const Actor& actor, const std::string& household_number,
                                       CaseSource source, const std::string& source_detail,
                                       std::int64_t now) {
  const std::vector<Role> roles = workflow::OpenRoles(source);
  if (std::find(roles.begin(), roles.end(), actor.role) == roles.end()) {
    return PermissionDenied(fmt::format("「{}」线索须由{}登记，您是{}", CaseSourceLabel(source),
                                        RoleList(roles), RoleLabel(actor.role)));
  }
  ASSIGN_OR_RETURN(std::optional<HouseholdRecord> household,
                   registry_.GetHousehold(actor.scope(), household_number));
  if (!household) {
    ASSIGN_OR_RETURN(std::optional<std::int64_t> anywhere,
                     registry_.GetRowVersion(DivisionScope::All(), household_number));
    if (anywhere) return PermissionDenied(fmt::format("农户 {} 不在您的管辖范围内", household_number));
    return NotFound(fmt::format("户编号 {} 不在户籍库中", household_number));
  }
  const DivisionScope village_scope =
      DivisionScope::Of(household->household.village_code, DivisionLevel::kVillage);
  ASSIGN_OR_RETURN(std::optional<Case> open, cases_.GetOpenCase(village_scope, household_number));
  if (open) {
    return AlreadyExists(fmt::format("农户 {} 已有未办结的案件 {}（{}），不能重复立案", household_number,
                                     open->id, CaseStageLabel(open->stage)));
  }
  ASSIGN_OR_RETURN(std::vector<Case> previous, cases_.HouseholdCases(village_scope, household_number));

  Case draft;
  draft.household_number = household_number;
  draft.village_code = household->household.village_code;
  draft.source = source;
  draft.source_detail = source_detail;
  draft.stage = CaseStage::kVerification;
  draft.opened_at = now;
  draft.due_at = now + kIdentificationDays * kSecondsPerDay;
  draft.updated_at = now;
  draft.updated_by = actor.username;

  CaseEvent event;
  event.at = now;
  event.actor = actor.username;
  event.actor_role = std::string(RoleCode(actor.role));
  event.division = draft.village_code;
  event.action = CaseAction::kOpen;
  event.from_stage = CaseStage::kVerification;
  event.to_stage = CaseStage::kVerification;
  event.case_version = 1;
  nlohmann::json detail = {{"source", CaseSourceCode(source)},
                           {"source_detail", source_detail},
                           {"due_at", draft.due_at},
                           {"previous_cases", previous.size()}};
  if (!previous.empty()) detail["reentry_after_case"] = previous.back().id;
  event.detail_json = Dump(detail);
  return cases_.CreateCase(actor.scope(), draft, event);
}

Result<Case> WorkflowService::LoadInScope(const Actor& actor, std::int64_t case_id) {
  ASSIGN_OR_RETURN(std::optional<Case> found, cases_.GetCase(actor.scope(), case_id));
  if (found) return *std::move(found);
  ASSIGN_OR_RETURN(std::optional<Case> anywhere, cases_.GetCase(DivisionScope::All(), case_id));
  if (anywhere) return PermissionDenied("案件不在您的管辖范围内");
  return NotFound(fmt::format("案件 {} 不存在", case_id));
}

Result<Case> WorkflowService::Act(const Actor& actor, std::int64_t case_id, const ActionInput& input,
                                  std::int64_t now) {
  ASSIGN_OR_RETURN(Case current, LoadInScope(actor, case_id));
  CaseEvent event;
  ASSIGN_OR_RETURN(Case next, Apply(actor, current, input, now, &event));
  return cases_.UpdateCase(actor.scope(), next, input.expected_version, event);
}

Result<Case> WorkflowService::PreviewAct(const Actor& actor, const Case& current, const ActionInput& input,
                                         std::int64_t now) {
  CaseEvent event;
  return Apply(actor, current, input, now, &event);
}

Result<Case> WorkflowService::Apply(const Actor& actor, const Case& current, const ActionInput& input,
                                    std::int64_t now, CaseEvent* event) {
  if (!actor.scope().Contains(current.village_code)) return PermissionDenied("案件不在您的管辖范围内");
  if (input.action == CaseAction::kOpen) {
    return InvalidArgument("字段 action：立案（open）请用 OpenCase / workflow open，不能作用于已有案件");
  }
  // A stale version first: what the actor saw is no longer the case.
  if (input.expected_version <= 0) {
    return InvalidArgument("字段 expected_version：请填写您所看到的案件版本号");
  }
  if (input.expected_version != current.version) {
    return Conflict(fmt::format("{}已被他人修改：您看到的是第 {} 版，当前为第 {} 版，请刷新后重新办理",
                                CaseName(current), input.expected_version, current.version));
  }
  if (!current.IsOpen()) {
    return FailedPrecondition(fmt::format("{}已办结（{}），不能再办理「{}」；如需重新纳入请重新立案",
                                          CaseName(current), CaseStageLabel(current.stage),
                                          CaseActionLabel(input.action)));
  }
  const Transition* transition = FindTransition(current.stage, input.action);
  if (transition == nullptr) {
    return FailedPrecondition(fmt::format("{}当前处于「{}」，不能办理「{}」", CaseName(current),
                                          CaseStageLabel(current.stage), CaseActionLabel(input.action)));
  }
  if (!RoleAllowed(*transition, actor.role)) {
    return PermissionDenied(fmt::format("「{}」须由{}办理，您是{}；{}当前处于「{}」",
                                        CaseActionLabel(input.action), RoleList(transition->roles),
                                        RoleLabel(actor.role), CaseName(current),
                                        CaseStageLabel(current.stage)));
  }

  Case next = current;
  CaseStage to = transition->to;
  nlohmann::json detail = nlohmann::json::object();
  const bool identification = IsIdentificationStage(current.stage);

  switch (input.action) {
    case CaseAction::kVerify:
      if (!input.authorization_signed) {
        return FailedPrecondition("入户核实须先由农户签署数据核查授权书（字段 authorization_signed）");
      }
      next.authorization_signed = true;
      next.verification_note = input.note;
      detail = {{"authorization_signed", true}, {"note", input.note}};
      break;
    case CaseAction::kCompare:
      next.comparison_note = input.note;
      detail = {{"note", input.note}};
      break;
    case CaseAction::kAppraise: {
      if (input.appraisal_for < 0 || input.appraisal_against < 0 ||
          input.appraisal_for + input.appraisal_against == 0) {
        return InvalidArgument(
            "字段 appraisal_for / appraisal_against：请填写民主评议赞成和反对票数（不能为负，且不能都为 0）");
      }
      if (input.notice_days < kMinNoticeDays || input.notice_days > kMaxNoticeDays) {
        return InvalidArgument(fmt::format("字段 notice_days：公示天数须在 {} 到 {} 天之间，填写的是 {}",
                                           kMinNoticeDays, kMaxNoticeDays, input.notice_days));
      }
      if (input.appraisal_for <= input.appraisal_against) {
        return FailedPrecondition(
            fmt::format("民主评议未获通过（赞成 {} 票，反对 {} 票），不能进入公示；请以「{}」办理并说明理由",
                        input.appraisal_for, input.appraisal_against, CaseActionLabel(CaseAction::kReject)));
      }
      if (current.notice_started_at != 0) {
        return FailedPrecondition(
            fmt::format("本轮已于 {} 公示过一次，公示只进行一次；只有退回重新评议后才能再次公示",
                        TimeText(current.notice_started_at)));
      }
      next.appraisal_for = input.appraisal_for;
      next.appraisal_against = input.appraisal_against;
      next.notice_started_at = now;
      next.notice_ends_at = now + static_cast<std::int64_t>(input.notice_days) * kSecondsPerDay;
      detail = {{"appraisal_for", input.appraisal_for},
                {"appraisal_against", input.appraisal_against},
                {"notice_days", input.notice_days},
                {"notice_ends_at", next.notice_ends_at}};
      break;
    }
    case CaseAction::kRaiseObjection: {
      RETURN_IF_ERROR(RequireReason(input));
      CaseObjection objection;
      objection.raised_at = now;
      objection.summary = input.reason;
      next.objections.push_back(objection);
      detail = {{"objection", input.reason}};
      break;
    }
    case CaseAction::kResolveObjection: {
      RETURN_IF_ERROR(RequireReason(input));
      auto found = std::find_if(next.objections.begin(), next.objections.end(),
                                [&](const CaseObjection& o) { return o.id == input.objection_id; });
      if (input.objection_id <= 0 || found == next.objections.end()) {
        return InvalidArgument(
            fmt::format("字段 objection_id：{}没有编号为 {} 的异议", CaseName(current), input.objection_id));
      }
      if (found->resolved) {
        return FailedPrecondition(
            fmt::format("异议 {} 已于 {} 处理，不能重复处理", found->id, TimeText(found->resolved_at)));
      }
      found->resolved = true;
      found->upheld = input.upheld;
      found->resolution = input.reason;
      found->resolved_by = actor.username;
      found->resolved_at = now;
      detail = {{"objection_id", input.objection_id}, {"upheld", input.upheld}, {"resolution", input.reason}};
      if (input.upheld) {
        to = *transition->upheld_to;
        if (identification) {
          next.decided_at = now;
          next.closed_at = now;
          next.closed_reason = "公示异议成立：" + input.reason;
        } else {
          ResetElimination(next);
        }
      }
      break;
    }
    case CaseAction::kCloseNotice: {
      if (current.notice_started_at == 0) return FailedPrecondition("本轮尚未公示，不能结束公示");
      if (now < current.notice_ends_at) {
        return FailedPrecondition(fmt::format("公示期至 {} 结束，尚未期满（公示至少 {} 天），不能提前结束",
                                              TimeText(current.notice_ends_at), kMinNoticeDays));
      }
      const int open_objections = UnresolvedObjections(current);
      if (open_objections > 0) {
        return FailedPrecondition(
            fmt::format("公示期间有 {} 条异议尚未处理，须由乡镇处理后才能结束公示", open_objections));
      }
      detail = {{"notice_started_at", current.notice_started_at}, {"notice_ends_at", current.notice_ends_at}};
      break;
    }
    case CaseAction::kReview:
      detail = {{"note", input.note}};
      break;
    case CaseAction::kApprove:
      if (identification) {
        if (!policy_.monitoring_types.Contains(input.monitoring_type)) {
          return InvalidArgument(fmt::format("字段 monitoring_type：监测类型「{}」不在监测类型代码表中（{}）",
                                             input.monitoring_type, policy_.path));
        }
        if (input.risk_codes.empty() || input.risk_codes.size() > 5) {
          return InvalidArgument(
              fmt::format("字段 risk_codes：风险类型须为 1 到 5 项，填写了 {} 项", input.risk_codes.size()));
        }
        std::set<std::string> seen;
        for (const std::string& code : input.risk_codes) {
          if (!policy_.risk_types.Contains(code)) {
            return InvalidArgument(fmt::format("字段 risk_codes：风险类型「{}」不在风险类型代码表中", code));
          }
          if (!seen.insert(code).second) {
            return InvalidArgument(fmt::format("字段 risk_codes：风险类型「{}」重复", code));
          }
        }
        next.monitoring_type = input.monitoring_type;
        next.risk_codes = input.risk_codes;
        next.decided_at = now;
        next.monitored_since = now;
        detail = {{"monitoring_type", input.monitoring_type},
                  {"risk_codes", input.risk_codes},
                  {"note", input.note}};
      } else {
        if (current.elimination_kind == EliminationKind::kAssisted) {
          ASSIGN_OR_RETURN(std::vector<PreconditionCheck> checks,
                           EliminationPreconditions(current, EliminationKind::kAssisted, now));
          if (!workflow::AllMet(checks)) return FailedPrecondition(workflow::UnmetMessage(checks));
        }
        next.closed_at = now;
        next.closed_reason = fmt::format("{}{}{}", EliminationKindLabel(current.elimination_kind),
                                         input.note.empty() ? "" : "：", input.note);
        detail = {{"elimination_kind", EliminationKindCode(current.elimination_kind)}, {"note", input.note}};
      }
      break;
    case CaseAction::kReject:
      RETURN_IF_ERROR(RequireReason(input));
      if (identification) {
        next.decided_at = now;
        next.closed_at = now;
        next.closed_reason = input.reason;
      } else {
        detail["elimination_kind"] = EliminationKindCode(current.elimination_kind);
        ResetElimination(next);
      }
      break;
    case CaseAction::kSendBack:
      RETURN_IF_ERROR(RequireReason(input));
      if (to == CaseStage::kAppraisal || to == CaseStage::kEliminationAppraisal) ResetNotice(next);
      break;
    case CaseAction::kAddMeasure: {
      if (!input.measure) return InvalidArgument("字段 measure：请填写帮扶措施");
      CaseMeasure measure = *input.measure;
      if (!policy_.measures.Contains(measure.category_code)) {
        return InvalidArgument(
            fmt::format("字段 category_code：帮扶措施类别「{}」不在帮扶措施代码表中", measure.category_code));
      }
      if (measure.responsible_cadre.empty())
        return InvalidArgument("字段 responsible_cadre：请填写帮扶责任人");
      if (measure.amount < 0) return InvalidArgument("字段 amount：帮扶金额不能为负数");
      if (!IsDateSet(measure.start_date)) return InvalidArgument("字段 start_date：请填写措施开始日期");
      if (IsDateSet(measure.end_date) && measure.end_date < measure.start_date) {
        return InvalidArgument(fmt::format("字段 end_date：结束日期 {} 早于开始日期 {}",
                                           measure.end_date.ToIso(), measure.start_date.ToIso()));
      }
      if (current.monitored_since != 0 &&
          measure.start_date < AddMonths(DateOfTime(current.monitored_since), -12)) {
        return InvalidArgument(
            fmt::format("字段 start_date：开始日期 {} 早于纳入监测一年以上", measure.start_date.ToIso()));
      }
      measure.id = 0;
      measure.recorded_at = now;
      measure.recorded_by = actor.username;
      next.measures.push_back(measure);
      detail = {{"measure", MeasureJson(measure)}};
      break;
    }
    case CaseAction::kRecordVisit: {
      if (!input.visit) return InvalidArgument("字段 visit：请填写回访信息");
      CaseVisit visit = *input.visit;
      if (!IsDateSet(visit.visit_date)) return InvalidArgument("字段 visit_date：请填写回访日期");
      if (visit.visit_date > DateOfTime(now)) {
        return InvalidArgument(
            fmt::format("字段 visit_date：回访日期 {} 晚于今天", visit.visit_date.ToIso()));
      }
      if (current.monitored_since != 0 && visit.visit_date < DateOfTime(current.monitored_since)) {
        return InvalidArgument(fmt::format("字段 visit_date：回访日期 {} 早于纳入监测日期 {}",
                                           visit.visit_date.ToIso(),
                                           DateOfTime(current.monitored_since).ToIso()));
      }
      if (visit.per_capita_income < 0) return InvalidArgument("字段 per_capita_income：人均纯收入不能为负数");
      visit.id = 0;
      if (visit.visited_by.empty()) visit.visited_by = actor.username;
      next.visits.push_back(visit);
      detail = {{"visit_date", visit.visit_date.ToIso()},
                {"per_capita_income_fen", visit.per_capita_income},
                {"guarantees_secured", visit.guarantees_secured},
                {"note", visit.note}};
      break;
    }
    case CaseAction::kProposeElimination: {
      if (input.elimination_kind == EliminationKind::kNone) {
        return InvalidArgument(
            "字段 elimination_kind：请选择风险消除方式（assisted 帮扶消除或 natural 自然消除）");
      }
      RETURN_IF_ERROR(RequireReason(input));
      ASSIGN_OR_RETURN(std::vector<PreconditionCheck> checks,
                       EliminationPreconditions(current, input.elimination_kind, now));
      if (!workflow::AllMet(checks)) return FailedPrecondition(workflow::UnmetMessage(checks));
      next.elimination_kind = input.elimination_kind;
      next.elimination_proposed_at = now;
      next.appraisal_for = 0;
      next.appraisal_against = 0;
      ResetNotice(next);
      nlohmann::json met = nlohmann::json::array();
      for (const PreconditionCheck& check : checks)
        met.push_back({{"code", check.code}, {"detail", check.detail}});
      detail = {{"elimination_kind", EliminationKindCode(input.elimination_kind)}, {"preconditions", met}};
      break;
    }
    case CaseAction::kOpen:
      break;  // refused above
  }

  if (to == CaseStage::kRejected || to == CaseStage::kEliminated) {
    if (next.closed_at == 0) next.closed_at = now;
    if (next.closed_reason.empty()) next.closed_reason = input.reason;
  }
  next.stage = to;
  next.version = current.version + 1;
  next.updated_at = now;
  next.updated_by = actor.username;

  event->case_id = current.id;
  event->at = now;
  event->actor = actor.username;
  event->actor_role = std::string(RoleCode(actor.role));
  event->division = current.village_code;
  event->action = input.action;
  event->from_stage = current.stage;
  event->to_stage = to;
  event->case_version = next.version;
  event->reason = input.reason;
  event->detail_json = Dump(detail);
  return next;
}

std::vector<CaseAction> WorkflowService::AllowedActions(const Actor& actor, const Case& c,
                                                        std::int64_t now) const {
  std::vector<CaseAction> out;
  if (!c.IsOpen() || !actor.scope().Contains(c.village_code)) return out;
  for (const Transition& transition : workflow::AllTransitions()) {
    if (transition.from != c.stage || !RoleAllowed(transition, actor.role)) continue;
    switch (transition.action) {
      case CaseAction::kCloseNotice:
        if (c.notice_started_at == 0 || now < c.notice_ends_at || UnresolvedObjections(c) > 0) continue;
        break;
      case CaseAction::kResolveObjection:
        if (UnresolvedObjections(c) == 0) continue;
        break;
      case CaseAction::kAppraise:
        if (c.notice_started_at != 0) continue;
        break;
      default:
        break;
    }
    out.push_back(transition.action);
  }
  return out;
}

Result<std::vector<PreconditionCheck>> WorkflowService::EliminationPreconditions(const Case& c,
                                                                                 EliminationKind kind,
                                                                                 std::int64_t now) {
  ASSIGN_OR_RETURN(
      std::optional<HouseholdRecord> household,
      registry_.GetHousehold(DivisionScope::Of(c.village_code, DivisionLevel::kVillage), c.household_number));
  if (!household) return NotFound(fmt::format("户编号 {} 不在户籍库中", c.household_number));
  return workflow::CheckEliminationPreconditions(c, *household, policy_, kind, DateOfTime(now));
}

Result<std::vector<WorkItem>> WorkflowService::WorkQueue(const Actor& actor, std::int64_t now,
                                                         std::int64_t limit) {
  std::vector<CaseStage> stages;
  for (CaseStage stage : AllCaseStages()) {
    const std::optional<Role> owner = workflow::StageOwner(stage);
    const bool notice = stage == CaseStage::kNotice || stage == CaseStage::kEliminationNotice;
    const bool monitored = stage == CaseStage::kMonitored;
    if ((owner && *owner == actor.role) || (notice && actor.role == Role::kTownship) ||
        (monitored && actor.role == Role::kVillage)) {
      stages.push_back(stage);
    }
  }
  std::vector<WorkItem> items;
  if (stages.empty()) return items;
  CaseQuery query;
  query.stages = stages;
  query.open_only = true;
  query.limit = kPageLimit;
  for (;;) {
    ASSIGN_OR_RETURN(CasePage page, cases_.ListCases(actor.scope(), query));
    for (Case& c : page.rows) {
      WorkItem item;
      if (c.stage == CaseStage::kMonitored) {
        if (actor.role == Role::kVillage) {
          // A follow-up visit is due a month after the last one.
          std::int64_t last = c.monitored_since;
          for (const CaseVisit& visit : c.visits)
            last = std::max(last, workflow::StartOfDate(visit.visit_date));
          item.due_at = last + kVisitIntervalDays * kSecondsPerDay;
          if (now < item.due_at - 7 * kSecondsPerDay) continue;
        } else {
          if (!c.measures.empty()) continue;  // the plan exists
          item.due_at = c.monitored_since + kMeasureDueDays * kSecondsPerDay;
        }
      } else if ((c.stage == CaseStage::kNotice || c.stage == CaseStage::kEliminationNotice) &&
                 actor.role == Role::kTownship && UnresolvedObjections(c) == 0) {
        continue;  // the township acts during a notice only on objections
      } else if (IsIdentificationStage(c.stage)) {
        item.due_at = c.due_at;
      }
      item.actions = AllowedActions(actor, c, now);
      if (item.actions.empty()) continue;
      if (item.due_at > 0) {
        item.overdue = now > item.due_at;
        item.days_left = FloorDays(item.due_at - now);
      }
      item.case_record = std::move(c);
      items.push_back(std::move(item));
    }
    query.offset += static_cast<std::int64_t>(page.rows.size());
    if (page.rows.empty() || query.offset >= page.total) break;
  }
  std::stable_sort(items.begin(), items.end(), [](const WorkItem& lhs, const WorkItem& rhs) {
    if ((lhs.due_at > 0) != (rhs.due_at > 0)) return lhs.due_at > 0;
    if (lhs.due_at != rhs.due_at) return lhs.due_at < rhs.due_at;
    return lhs.case_record.id < rhs.case_record.id;
  });
  if (limit >= 0 && static_cast<std::int64_t>(items.size()) > limit) items.resize(static_cast<size_t>(limit));
  return items;
}

Result<std::vector<OverdueCounty>> WorkflowService::Overdue(const DivisionScope& scope, std::int64_t now) {
  std::map<DivisionCode, OverdueCounty> counties;
  auto county_of = [](DivisionCode code) { return code / 1000000 * 1000000; };
  ASSIGN_OR_RETURN(std::vector<CaseStageCount> counts, cases_.CountOpenByStage(scope));
  for (const CaseStageCount& count : counts) {
    if (!IsIdentificationStage(count.stage)) continue;
    OverdueCounty& county = counties[county_of(count.county_code)];
    county.county_code = county_of(count.county_code);
    county.open_identification += count.count;
  }
  CaseQuery query;
  query.open_only = true;
  query.due_before = now;
  query.limit = kPageLimit;
  for (;;) {
    ASSIGN_OR_RETURN(CasePage page, cases_.ListCases(scope, query));
    for (Case& c : page.rows) {
      if (!IsIdentificationStage(c.stage) || c.due_at >= now) continue;
      OverdueCounty& county = counties[county_of(c.village_code)];
      county.county_code = county_of(c.village_code);
      ++county.overdue;
      county.cases.push_back(std::move(c));
    }
    query.offset += static_cast<std::int64_t>(page.rows.size());
    if (page.rows.empty() || query.offset >= page.total) break;
  }
  std::vector<OverdueCounty> out;
  for (auto& [code, county] : counties) {
    std::stable_sort(county.cases.begin(), county.cases.end(),
                     [](const Case& lhs, const Case& rhs) { return lhs.due_at < rhs.due_at; });
    if (county.cases.size() > 200) county.cases.resize(200);
    county.open_identification = std::max(county.open_identification, county.overdue);
    out.push_back(std::move(county));
  }
  std::stable_sort(out.begin(), out.end(), [](const OverdueCounty& lhs, const OverdueCounty& rhs) {
    if (lhs.overdue != rhs.overdue) return lhs.overdue > rhs.overdue;
    return lhs.county_code < rhs.county_code;
  });
  return out;
}

}  // namespace zx
