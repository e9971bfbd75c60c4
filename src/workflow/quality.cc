#include "workflow/quality.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "common/money.h"
#include "workflow/kpi.h"

namespace zx {
namespace {

enum CheckIndex : size_t {
  kEarlyElimination = 0,
  kNoMeasure,
  kEliminatedBelowLine,
  kEmploymentRiskNoLabour,
  kNoLabourNotSafetyNet,
  kDeceasedActive,
  kHouseholdMissing,
  kCheckCount,
};

struct CheckDefinition {
  const char* code;
  const char* label;
};

constexpr CheckDefinition kChecks[kCheckCount] = {
    {"early_elimination", "识别后2个月内即消除风险"},
    {"no_measure", "纳入监测满1个月仍无帮扶措施"},
    {"eliminated_below_line", "收入低于监测标准却已消除风险"},
    {"employment_risk_no_labour", "无劳动能力却标注“因务工就业不稳”风险"},
    {"no_labour_not_safety_net", "整户无劳动力未纳入兜底保障"},
    {"deceased_active", "成员已故但案件仍在办理"},
    {"household_missing", "案件对应的农户不在户籍库中"},
};

bool CannotWork(const Person& person) {
  return person.labour_skill == LabourSkill::kLostAbility || person.labour_skill == LabourSkill::kNone;
}

// Whether the household has at least one living member and none of them can work.
bool NoLabour(const HouseholdRecord& record) {
  int living = 0;
  for (const Person& person : record.members) {
    if (person.deceased) continue;
    ++living;
    if (!CannotWork(person)) return false;
  }
  return living > 0;
}

bool Monitored(const Case& c) { return c.IsOpen() && c.monitored_since > 0; }

std::string DateText(std::int64_t t) { return KpiDateOf(t).ToIso(); }

// Whole days from `from` to `to`.
std::int64_t DaysBetween(std::int64_t from, std::int64_t to) { return (to - from) / kSecondsPerDay; }

}  // namespace

std::int64_t QualityReport::TotalFindings() const {
  std::int64_t total = 0;
  for (const QualityCheck& check : checks) total += static_cast<std::int64_t>(check.findings.size());
  return total;
}

const QualityCheck* QualityReport::Find(const std::string& code) const {
  for (const QualityCheck& check : checks) {
    if (check.code == code) return &check;
  }
  return nullptr;
}

Result<QualityReport> RunQualityChecks(CaseStore& cases, Store& registry, const Policy& policy,
                                       const DivisionScope& scope, std::int64_t now) {
  QualityReport report;
  report.scope = scope;
  report.computed_at = now;
  for (const CheckDefinition& definition : kChecks) {
    QualityCheck& check = report.checks.emplace_back();
    check.code = definition.code;
    check.label = definition.label;
  }
  std::vector<Case> all_cases;
  RETURN_IF_ERROR(cases.ScanCases(scope, [&](const Case& c) {
    all_cases.push_back(c);
    return Status::Ok();
  }));
  report.cases_checked = static_cast<std::int64_t>(all_cases.size());

  for (const Case& c : all_cases) {
    auto add = [&](CheckIndex index, std::string detail) {
      report.checks[index].findings.push_back({c.household_number, c.village_code, c.id, std::move(detail)});
    };
    // Closed cases only matter for the elimination checks; skip the registry
    // read for rejected ones.
    std::optional<HouseholdRecord> household;
    if (c.stage != CaseStage::kRejected) {
      ASSIGN_OR_RETURN(household, registry.GetHousehold(scope, c.household_number));
      if (!household.has_value()) {
        add(kHouseholdMissing, fmt::format("户编号 {} 在户籍库（本辖区）中查不到，案件处于“{}”",
                                           c.household_number, CaseStageLabel(c.stage)));
      }
    }

    // 1. Eliminated within two months of identification.
    if (c.stage == CaseStage::kEliminated && c.monitored_since > 0 && c.closed_at > 0 &&
        c.closed_at - c.monitored_since <= kEarlyEliminationDays * kSecondsPerDay) {
      add(kEarlyElimination,
          fmt::format("{}识别纳入监测，{}即{}，仅相隔 {} 天（不足2个月）", DateText(c.monitored_since),
                      DateText(c.closed_at), EliminationKindLabel(c.elimination_kind),
                      DaysBetween(c.monitored_since, c.closed_at)));
    }

    // 2. No measure one month after identification.
    if (c.monitored_since > 0 && c.measures.empty() && (c.IsOpen() || c.stage == CaseStage::kEliminated)) {
      const std::int64_t until = c.IsOpen() ? now : c.closed_at;
      if (until - c.monitored_since >= kNoMeasureDays * kSecondsPerDay) {
        add(kNoMeasure,
            fmt::format("{}纳入监测，{}已 {} 天，没有登记任何帮扶措施", DateText(c.monitored_since),
                        c.IsOpen() ? "至今" : "至消除风险时", DaysBetween(c.monitored_since, until)));
      }
    }

    // 3. Eliminated while the income was below the line.
    if (c.stage == CaseStage::kEliminated && c.closed_at > 0) {
      const Date closed_on = KpiDateOf(c.closed_at);
      const YearPolicy* year_policy = policy.FindYear(closed_on.year);
      if (year_policy != nullptr) {
        const CaseVisit* latest = nullptr;
        for (const CaseVisit& visit : c.visits) {
          if (visit.visit_date.year == 0 || visit.visit_date > closed_on) continue;
          if (latest == nullptr || visit.visit_date > latest->visit_date ||
              (visit.visit_date == latest->visit_date && visit.id > latest->id)) {
            latest = &visit;
          }
        }
        std::optional<Fen> income;
        std::string source;
        if (latest != nullptr) {
          income = latest->per_capita_income;
          source = fmt::format("{}回访记录的人均纯收入", latest->visit_date.ToIso());
        } else if (household.has_value()) {
          Fen registry_income = 0;
          if (household->PerCapitaNetIncome(closed_on.year, &registry_income)) {
            income = registry_income;
            source = fmt::format("户籍库 {} 年人均纯收入", closed_on.year);
          }
        }
        if (income.has_value() && *income < year_policy->monitoring_line) {
          add(kEliminatedBelowLine,
              fmt::format("{}{}，但{} {} 元低于 {} 年监测标准 {} 元", DateText(c.closed_at),
                          EliminationKindLabel(c.elimination_kind), source, FormatYuanGrouped(*income),
                          closed_on.year, FormatYuanGrouped(year_policy->monitoring_line)));
        }
      }
    }

    if (!household.has_value()) continue;
    const HouseholdRecord& record = *household;
    const bool no_labour = NoLabour(record);

    // 4. Risk 07 "unstable employment" where no member can work.
    if (Monitored(c) && no_labour &&
        std::find(c.risk_codes.begin(), c.risk_codes.end(), kUnstableEmploymentRisk) != c.risk_codes.end()) {
      add(kEmploymentRiskNoLabour,
          fmt::format("风险类型含 07（因务工就业不稳），但家庭 {} 名在世成员均为丧失劳动力或无劳动力",
                      record.LivingSize()));
    }

    // 5. No-labour household monitored but not flagged safety-net.
    if (Monitored(c) && no_labour && !record.household.safety_net) {
      add(kNoLabourNotSafetyNet,
          fmt::format("家庭 {} 名在世成员均无劳动能力，正在监测帮扶，但未标注为兜底保障户",
                      record.LivingSize()));
    }

    // 6. Deceased yet active.
    if (c.IsOpen()) {
      const int living = record.LivingSize();
      bool living_head = false;
      const Person* dead_head = nullptr;
      for (const Person& person : record.members) {
        if (person.relation != Relation::kHead) continue;
        if (person.deceased) {
          dead_head = &person;
        } else {
          living_head = true;
        }
      }
      if (living == 0) {
        add(kDeceasedActive, fmt::format("家庭 {} 名成员均已故，案件仍处于“{}”", record.members.size(),
                                         CaseStageLabel(c.stage)));
      } else if (dead_head != nullptr && !living_head) {
        add(kDeceasedActive, fmt::format("户主 {} 已故且未变更户主，案件仍处于“{}”", dead_head->name,
                                         CaseStageLabel(c.stage)));
      }
    }
  }
  return report;
}

}  // namespace zx
