#include "workflow/kpi.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace zx {
namespace {

constexpr std::int64_t kLimitSeconds = kIdentificationDays * kSecondsPerDay;

// Floor division for times before 1970 (never expected, but correct).
std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// One period's figures while they are being summed; durations kept for the
// median.
struct Accumulator {
  KpiFigures figures;
  std::vector<double> decision_days;
};

struct RowAccumulator {
  std::array<Accumulator, 12> months;
  Accumulator year;
  // Income panel sums: [0] ex-poor, [1] all.
  std::array<std::int64_t, 2> households{};
  std::array<std::int64_t, 2> persons{};
  std::array<Fen, 2> previous{};
  std::array<Fen, 2> current{};
  bool has_content = false;
};

double Ratio(std::int64_t part, std::int64_t whole) {
  return whole == 0 ? -1 : static_cast<double>(part) / static_cast<double>(whole);
}

void Finish(Accumulator& acc) {
  KpiFigures& f = acc.figures;
  std::vector<double>& days = acc.decision_days;
  if (!days.empty()) {
    std::sort(days.begin(), days.end());
    const size_t n = days.size();
    f.median_decision_days = n % 2 == 1 ? days[n / 2] : (days[n / 2 - 1] + days[n / 2]) / 2;
    f.mean_decision_days = std::accumulate(days.begin(), days.end(), 0.0) / static_cast<double>(n);
  }
  f.share_within_limit = Ratio(f.decided_within_limit, f.identification_decisions);
  f.measure_coverage = Ratio(f.monitored_with_measure, f.monitored_at_end);
  f.elimination_rate = Ratio(f.eliminated_to_date, f.ever_monitored);
  f.industry_share = f.measure_amount == 0
                         ? -1
                         : static_cast<double>(f.industry_amount) / static_cast<double>(f.measure_amount);
}

IncomeGrowth Growth(const RowAccumulator& row, int group) {
  IncomeGrowth growth;
  growth.households = row.households[group];
  growth.persons = row.persons[group];
  if (growth.persons == 0) return growth;
  growth.available = true;
  growth.per_capita_previous = row.previous[group] / growth.persons;
  growth.per_capita_current = row.current[group] / growth.persons;
  growth.growth = growth.per_capita_previous > 0 ? static_cast<double>(growth.per_capita_current) /
                                                           static_cast<double>(growth.per_capita_previous) -
                                                       1
                                                 : 0;
  return growth;
}

// The time a measure counts as present from.
std::int64_t MeasureTime(const CaseMeasure& measure) {
  if (measure.recorded_at > 0) return measure.recorded_at;
  if (measure.start_date.year == 0) return 0;
  return measure.start_date.ToDays() * kSecondsPerDay - kKpiUtcOffsetSeconds;
}

// A case's contribution to the flows and stocks of one row.
class CaseCounter {
 public:
  CaseCounter(int year, std::int64_t now) : year_(year), now_(now) {}

  void Count(const Case& c, bool re_entry, RowAccumulator& row) const {
    row.has_content = true;
    int month = 0;
    if (InYear(c.opened_at, &month)) AddFlow(row, month, [](KpiFigures& f) { ++f.cases_opened; });
    if (c.decided_at > 0 && InYear(c.decided_at, &month)) {
      const std::int64_t seconds = c.decided_at - c.opened_at;
      const double days = static_cast<double>(seconds) / static_cast<double>(kSecondsPerDay);
      const bool approved = c.monitored_since > 0;
      const bool within = seconds <= kLimitSeconds;
      for (Accumulator* acc : {&row.months[month - 1], &row.year}) {
        ++acc->figures.identification_decisions;
        ++(approved ? acc->figures.identified : acc->figures.rejected);
        acc->figures.decided_within_limit += within ? 1 : 0;
        acc->decision_days.push_back(days);
      }
    }
    if (c.monitored_since > 0 && InYear(c.monitored_since, &month)) {
      AddFlow(row, month, [re_entry](KpiFigures& f) {
        ++f.newly_monitored;
        f.re_entries += re_entry ? 1 : 0;
      });
    }
    if (c.stage == CaseStage::kEliminated && c.closed_at > 0 && InYear(c.closed_at, &month)) {
      const bool natural = c.elimination_kind == EliminationKind::kNatural;
      AddFlow(row, month,
              [natural](KpiFigures& f) { ++(natural ? f.eliminated_natural : f.eliminated_assisted); });
    }
    for (const CaseMeasure& measure : c.measures) {
      if (measure.start_date.year != year_ || measure.start_date.month < 1 || measure.start_date.month > 12)
        continue;
      const bool industry = measure.category_code == kIndustryMeasureCode;
      AddFlow(row, measure.start_date.month, [&](KpiFigures& f) {
        ++f.measures_started;
        f.measure_amount += measure.amount;
        f.industry_amount += industry ? measure.amount : 0;
        f.amount_by_category[measure.category_code] += measure.amount;
      });
    }
    // Stocks at each month's end (or now), and at the year's end.
    for (int month_idx = 0; month_idx < 12; ++month_idx) {
      std::int64_t t = 0;
      if (StockTime(month_idx + 1, &t)) AddStocks(c, t, row.months[month_idx].figures);
    }
    if (KpiMonthStart(year_, 1) <= now_) {
      AddStocks(c, std::min(KpiMonthStart(year_ + 1, 1) - 1, now_), row.year.figures);
    }
  }

 private:
  bool InYear(std::int64_t t, int* month) const {
    int year = 0;
    KpiYearMonthOf(t, &year, month);
    return year == year_;
  }

  template <typename Fn>
  static void AddFlow(RowAccumulator& row, int month, Fn&& add) {
    add(row.months[month - 1].figures);
    add(row.year.figures);
  }

  // The stock time of `month`: its last second, or now if earlier; false
  // when the month has not started at now.
  bool StockTime(int month, std::int64_t* t) const {
    const std::int64_t start = KpiMonthStart(year_, month);
    if (start > now_) return false;
    *t = std::min(KpiMonthStart(year_, month + 1) - 1, now_);
    return true;
  }

  static void AddStocks(const Case& c, std::int64_t t, KpiFigures& f) {
    const bool closed_by_t = c.closed_at > 0 && c.closed_at <= t;
    if (c.monitored_since > 0 && c.monitored_since <= t) {
      ++f.ever_monitored;
      if (!closed_by_t) {
        ++f.monitored_at_end;
        const bool has_measure = std::any_of(c.measures.begin(), c.measures.end(), [t](const CaseMeasure& m) {
          const std::int64_t from = MeasureTime(m);
          return from > 0 && from <= t;
        });
        f.monitored_with_measure += has_measure ? 1 : 0;
      }
    }
    if (c.stage == CaseStage::kEliminated && closed_by_t) ++f.eliminated_to_date;
    const bool decided_by_t = c.decided_at > 0 && c.decided_at <= t;
    if (c.opened_at <= t && !decided_by_t && !closed_by_t && c.due_at > 0 && c.due_at < t) {
      ++f.overdue_open_identification;
    }
  }

  int year_;
  std::int64_t now_;
};

}  // namespace

Date KpiDateOf(std::int64_t t) { return Date::FromDays(FloorDiv(t + kKpiUtcOffsetSeconds, kSecondsPerDay)); }

void KpiYearMonthOf(std::int64_t t, int* year, int* month) {
  const Date date = KpiDateOf(t);
  *year = date.year;
  *month = date.month;
}

std::int64_t KpiMonthStart(int year, int month) {
  if (month > 12) {
    year += (month - 1) / 12;
    month = (month - 1) % 12 + 1;
  }
  return Date{year, month, 1}.ToDays() * kSecondsPerDay - kKpiUtcOffsetSeconds;
}

std::string KpiMonthLabel(int year, int month) {
  return month == 0 ? fmt::format("{}年全年", year) : fmt::format("{}年{}月", year, month);
}

Result<KpiReport> ComputeKpis(CaseStore& cases, Store& registry, const Policy& policy,
                              const DivisionScope& scope, int year, std::int64_t now) {
  (void)policy;  // the KPIs need no line; kept for symmetry with the checks and future indicators
  if (year < 2000 || year > 2100) {
    return InvalidArgument(fmt::format("统计年度 {} 无效：应在 2000 至 2100 年之间", year));
  }
  KpiReport report;
  report.year = year;
  report.scope = scope;
  report.computed_at = now;

  // The scope's top division and its children.
  ASSIGN_OR_RETURN(std::vector<Division> divisions, registry.ListDivisions(scope));
  const Division* top = nullptr;
  for (const Division& division : divisions) {
    if (division.code == scope.lo || (scope.lo == 0 && division.level == DivisionLevel::kProvince)) {
      top = &division;
      break;
    }
  }
  std::vector<const Division*> children;
  if (top != nullptr) {
    report.scope_code = top->code;
    for (const Division& division : divisions) {
      if (division.parent_code == top->code && division.code != top->code) children.push_back(&division);
    }
  }
  std::sort(children.begin(), children.end(),
            [](const Division* a, const Division* b) { return a->code < b->code; });
  std::vector<DivisionScope> child_scopes;
  for (const Division* child : children) child_scopes.push_back(DivisionScope::Of(child->code, child->level));
  auto child_of = [&](DivisionCode village) -> int {
    auto it = std::upper_bound(child_scopes.begin(), child_scopes.end(), village,
                               [](DivisionCode code, const DivisionScope& s) { return code < s.lo; });
    if (it == child_scopes.begin()) return -1;
    --it;
    return it->Contains(village) ? static_cast<int>(it - child_scopes.begin()) : -1;
  };

  std::vector<RowAccumulator> rows(children.size());
  RowAccumulator total;

  // Cases: collected first, because a re-entry needs the household's earlier
  // cases (ids grow with time, so a household's cases come in order).
  std::vector<Case> all_cases;
  RETURN_IF_ERROR(cases.ScanCases(scope, [&](const Case& c) {
    all_cases.push_back(c);
    return Status::Ok();
  }));
  // Household → earliest elimination time among its cases.
  std::unordered_map<std::string, std::vector<std::int64_t>> eliminations;
  for (const Case& c : all_cases) {
    if (c.stage == CaseStage::kEliminated && c.closed_at > 0)
      eliminations[c.household_number].push_back(c.closed_at);
  }
  const CaseCounter counter(year, now);
  for (const Case& c : all_cases) {
    bool re_entry = false;
    if (c.monitored_since > 0) {
      auto it = eliminations.find(c.household_number);
      if (it != eliminations.end()) {
        re_entry = std::any_of(it->second.begin(), it->second.end(),
                               [&](std::int64_t closed) { return closed <= c.monitored_since; });
      }
    }
    counter.Count(c, re_entry, total);
    const int child = child_of(c.village_code);
    if (child >= 0) counter.Count(c, re_entry, rows[child]);
  }

  // The registry income panel.
  bool any_previous = false;
  bool any_current = false;
  RETURN_IF_ERROR(registry.ScanHouseholds(scope, [&](const HouseholdRecord& record) {
    const int child = child_of(record.household.village_code);
    if (child >= 0) rows[child].has_content = true;
    const HouseholdYear* previous = nullptr;
    const HouseholdYear* current = nullptr;
    for (const HouseholdYear& income : record.years) {
      if (income.year == year - 1) previous = &income;
      if (income.year == year) current = &income;
    }
    any_previous = any_previous || previous != nullptr;
    any_current = any_current || current != nullptr;
    const int living = record.LivingSize();
    if (previous == nullptr || current == nullptr || living == 0) return Status::Ok();
    for (int group = 0; group < 2; ++group) {
      if (group == 0 && !record.household.ex_poor) continue;
      for (RowAccumulator* row : {&total, child >= 0 ? &rows[child] : nullptr}) {
        if (row == nullptr) continue;
        ++row->households[group];
        row->persons[group] += living;
        row->previous[group] += previous->NetIncome();
        row->current[group] += current->NetIncome();
      }
    }
    return Status::Ok();
  }));

  auto emit = [&](RowAccumulator& acc, DivisionCode code, std::string name, bool is_total) {
    KpiRow row;
    row.division_code = code;
    row.division_name = std::move(name);
    row.is_total = is_total;
    for (int month_idx = 0; month_idx < 12; ++month_idx) {
      Finish(acc.months[month_idx]);
      row.months[month_idx] = std::move(acc.months[month_idx].figures);
    }
    Finish(acc.year);
    row.year = std::move(acc.year.figures);
    row.ex_poor_income = Growth(acc, 0);
    row.rural_income = Growth(acc, 1);
    report.rows.push_back(std::move(row));
  };
  for (size_t child_idx = 0; child_idx < children.size(); ++child_idx) {
    if (!rows[child_idx].has_content) continue;
    emit(rows[child_idx], children[child_idx]->code, children[child_idx]->name, false);
  }
  emit(total, top != nullptr ? top->code : 0, top != nullptr ? top->name + "（合计）" : std::string("合计"),
       true);

  report.notes.push_back(
      "帮扶资金以帮扶措施登记的金额代替衔接资金：本平台记录每项措施的金额，不记录资金账户；"
      "“产业占比”为产业类措施（100A39）金额占全部措施金额的比例，按措施开始日期计入月份");
  report.notes.push_back(
      "月份按北京时间划分；存量指标（监测户数、措施覆盖率、超期案件）取月末时点，当月未结束时取统计时点");
  if (!any_previous || !any_current) {
    report.notes.push_back(fmt::format("户籍收入数据缺少 {} 年或 {} 年，无法计算收入增长", year - 1, year));
  }
  return report;
}

}  // namespace zx
