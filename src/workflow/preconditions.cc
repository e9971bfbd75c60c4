#include "workflow/preconditions.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/money.h"

namespace zx::workflow {
namespace {

constexpr std::int64_t kBeijingOffsetSeconds = 8 * 60 * 60;
constexpr int kVisitFreshDays = 90;

std::int64_t FloorDiv(std::int64_t value, std::int64_t divisor) {
  std::int64_t quotient = value / divisor;
  if ((value % divisor != 0) && ((value < 0) != (divisor < 0))) --quotient;
  return quotient;
}

// Completed calendar months from `from` to `to`.
int MonthsBetween(const Date& from, const Date& to) {
  int months = (to.year - from.year) * 12 + (to.month - from.month);
  if (months > 0 && AddMonths(from, months) > to) --months;
  return std::max(months, 0);
}

PreconditionCheck MakeCheck(const char* code, const char* label, bool met, std::string detail) {
  PreconditionCheck check;
  check.code = code;
  check.label = label;
  check.met = met;
  check.detail = std::move(detail);
  return check;
}

PreconditionCheck CheckIncome(const Case& c, const Policy& policy, const Date& today) {
  const char* label = "收入稳定达到监测范围以上满6个月";
  const Date window_start = AddMonths(today, -6);
  std::vector<const CaseVisit*> visits;
  for (const CaseVisit& visit : c.visits) {
    if (visit.visit_date <= today) visits.push_back(&visit);
  }
  std::stable_sort(visits.begin(), visits.end(), [](const CaseVisit* lhs, const CaseVisit* rhs) {
    return lhs->visit_date < rhs->visit_date;
  });
  const CaseVisit* anchor = nullptr;
  for (const CaseVisit* visit : visits) {
    if (visit->visit_date <= window_start) anchor = visit;
  }
  if (anchor == nullptr) {
    return MakeCheck(kIncomeAboveLine, label, false,
                     visits.empty() ? std::string("尚无回访记录，无法证明收入稳定满6个月")
                                    : fmt::format("回访记录未覆盖最近6个月（最早回访 {}，须不晚于 {}）",
                                                  visits.front()->visit_date.ToIso(), window_start.ToIso()));
  }
  int counted = 0;
  for (const CaseVisit* visit : visits) {
    if (visit->visit_date < anchor->visit_date) continue;
    Result<const YearPolicy*> line = LineInForce(policy, visit->visit_date.year);
    if (!line.ok()) {
      return MakeCheck(
          kIncomeAboveLine, label, false,
          fmt::format("{} 年没有监测范围标准（政策文件 {}）", visit->visit_date.year, policy.path));
    }
    if (visit->per_capita_income < (*line)->monitoring_line) {
      return MakeCheck(kIncomeAboveLine, label, false,
                       fmt::format("{} 回访家庭人均纯收入 {} 元，低于 {} 年监测范围 {} 元",
                                   visit->visit_date.ToIso(), FormatYuanGrouped(visit->per_capita_income),
                                   (*line)->year, FormatYuanGrouped((*line)->monitoring_line)));
    }
    ++counted;
  }
  return MakeCheck(
      kIncomeAboveLine, label, true,
      fmt::format("自 {} 起 {} 次回访家庭人均纯收入均不低于监测范围", anchor->visit_date.ToIso(), counted));
}

PreconditionCheck CheckVisitGuarantees(const Case& c, const Date& today) {
  const char* label = "最近一次回访确认三保障及饮水安全";
  const CaseVisit* latest = nullptr;
  for (const CaseVisit& visit : c.visits) {
    if (visit.visit_date > today) continue;
    if (latest == nullptr || visit.visit_date >= latest->visit_date) latest = &visit;
  }
  if (latest == nullptr) return MakeCheck(kVisitConfirmsGuarantees, label, false, "尚无回访记录");
  const std::int64_t age_days = today.ToDays() - latest->visit_date.ToDays();
  if (age_days > kVisitFreshDays) {
    return MakeCheck(kVisitConfirmsGuarantees, label, false,
                     fmt::format("最近一次回访在 {}，已超过 {} 天，请先入户回访", latest->visit_date.ToIso(),
                                 kVisitFreshDays));
  }
  if (!latest->guarantees_secured) {
    return MakeCheck(kVisitConfirmsGuarantees, label, false,
                     fmt::format("{} 回访未确认三保障及饮水安全", latest->visit_date.ToIso()));
  }
  return MakeCheck(kVisitConfirmsGuarantees, label, true,
                   fmt::format("{} 回访已确认", latest->visit_date.ToIso()));
}

PreconditionCheck CheckRegistryGuarantees(const HouseholdRecord& record, const Date& today) {
  const char* label = "两不愁三保障及饮水安全（户籍信息）";
  const Household& household = record.household;
  std::vector<std::string> problems;
  if (!household.food_clothing_secure) problems.push_back("吃穿未保障");
  if (household.housing == HousingRating::kC || household.housing == HousingRating::kD) {
    problems.push_back(household.housing == HousingRating::kC ? "住房鉴定为C级危房" : "住房鉴定为D级危房");
  }
  if (!household.water_quantity_ok) problems.push_back("饮水水量不达标");
  if (!household.water_quality_ok) problems.push_back("饮水水质不达标");
  if (!household.water_convenience_ok) problems.push_back("取水不便");
  if (!household.water_reliability_ok) problems.push_back("供水保证率不达标");
  for (const Person& person : record.members) {
    if (person.deceased) continue;
    const int age = AgeOn(person.birth_date, today);
    if (age >= 6 && age <= 15 &&
        (person.schooling == SchoolingStatus::kDropout ||
         person.schooling == SchoolingStatus::kNotInSchool)) {
      problems.push_back(fmt::format("{}（{} 岁）未接受义务教育", person.name, age));
    }
    if (!person.medical_insurance) problems.push_back(fmt::format("{}未参加基本医疗保险", person.name));
  }
  if (problems.empty())
    return MakeCheck(kGuaranteesSecured, label, true, "住房、饮水、义务教育、医疗保险均有保障");
  std::string detail;
  for (size_t problem_idx = 0; problem_idx < problems.size(); ++problem_idx) {
    if (problem_idx > 0) detail += "、";
    detail += problems[problem_idx];
  }
  return MakeCheck(kGuaranteesSecured, label, false, detail);
}

}  // namespace

Date DateOfTime(std::int64_t at) {
  return Date::FromDays(FloorDiv(at + kBeijingOffsetSeconds, kSecondsPerDay));
}

std::int64_t StartOfDate(const Date& date) { return date.ToDays() * kSecondsPerDay - kBeijingOffsetSeconds; }

Date AddMonths(const Date& date, int months) {
  int index = date.year * 12 + (date.month - 1) + months;
  int year = FloorDiv(index, 12);
  int month = index - year * 12 + 1;
  return Date{year, month, std::min(date.day, DaysInMonth(year, month))};
}

Result<const YearPolicy*> LineInForce(const Policy& policy, int year) {
  const YearPolicy* found = nullptr;
  for (const auto& [policy_year, year_policy] : policy.years) {
    if (policy_year <= year) found = &year_policy;
  }
  if (found == nullptr) {
    return NotFound(fmt::format("政策文件 {} 中没有 {} 年或更早年份的监测范围标准", policy.path, year));
  }
  return found;
}

bool IsAllNoLabour(const HouseholdRecord& household) {
  bool any_living = false;
  for (const Person& person : household.members) {
    if (person.deceased) continue;
    any_living = true;
    if (person.labour_skill != LabourSkill::kLostAbility && person.labour_skill != LabourSkill::kNone) {
      return false;
    }
  }
  return any_living;
}

Result<std::vector<PreconditionCheck>> CheckEliminationPreconditions(const Case& c,
                                                                     const HouseholdRecord& household,
                                                                     const Policy& policy,
                                                                     EliminationKind kind,
                                                                     const Date& today) {
  if (kind == EliminationKind::kNone) {
    return InvalidArgument(
        "字段 elimination_kind：请选择风险消除方式（assisted 帮扶消除或 natural 自然消除）");
  }
  std::vector<PreconditionCheck> checks;
  if (kind == EliminationKind::kNatural) return checks;

  if (c.monitored_since == 0) {
    checks.push_back(MakeCheck(kMonitored6Months, "监测满6个月", false, "尚未审定为监测对象"));
  } else {
    const Date since = DateOfTime(c.monitored_since);
    const int months = MonthsBetween(since, today);
    checks.push_back(MakeCheck(kMonitored6Months, "监测满6个月", AddMonths(since, 6) <= today,
                               fmt::format("已监测 {} 个月（自 {}）", months, since.ToIso())));
  }
  checks.push_back(MakeCheck(kHasMeasure, "已落实帮扶措施", !c.measures.empty(),
                             c.measures.empty() ? std::string("尚无帮扶措施")
                                                : fmt::format("已落实 {} 项帮扶措施", c.measures.size())));
  checks.push_back(CheckIncome(c, policy, today));
  checks.push_back(CheckVisitGuarantees(c, today));
  checks.push_back(CheckRegistryGuarantees(household, today));
  const bool no_labour = IsAllNoLabour(household);
  checks.push_back(MakeCheck(kHasLabour, "非整户无劳动力", !no_labour,
                             no_labour ? std::string("整户无劳动力：不予风险消除，继续纳入兜底保障跟踪")
                                       : std::string("家庭有劳动力")));
  return checks;
}

bool AllMet(const std::vector<PreconditionCheck>& checks) {
  return std::all_of(checks.begin(), checks.end(), [](const PreconditionCheck& check) { return check.met; });
}

std::string UnmetMessage(const std::vector<PreconditionCheck>& checks) {
  std::string out;
  for (const PreconditionCheck& check : checks) {
    if (check.met) continue;
    if (!out.empty()) out += "；";
    out += fmt::format("{}（{}）", check.label, check.detail);
  }
  return out.empty() ? out : "未满足风险消除条件：" + out;
}

}  // namespace zx::workflow
