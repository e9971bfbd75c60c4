// Key performance indicators of monitoring and assistance (DOMAIN.md §8),
// computed from the stored cases (storage/case_store.h) and the registry
// (storage/store.h) for one year, per child division of a scope and per
// month. Every figure is defined in docs/kpi-quality.md; the definitions in
// short:
//
//   * months are calendar months of Beijing time (UTC+8, kKpiUtcOffsetSeconds)
//     — a case approved at 2025-03-31 23:30 Beijing time counts in March;
//   * flows (cases opened, decisions, new monitoring, eliminations, measure
//     amounts) count events whose time falls inside the month;
//   * stocks (monitored households, coverage, overdue cases) are taken at
//     the month's end, or at `now` for a month that has not ended yet (and
//     are 0 for months that have not started);
//   * the year column sums the flows of the twelve months, and takes the
//     stocks at the year's end (or `now`);
//   * measure amounts stand in for linkage funds (衔接资金): the platform
//     records what each measure is worth, not the fund accounts, so "share
//     spent on industry" is the share of measure amounts in category 100A39;
//   * income growth compares per-capita net income of year and year-1 over
//     the households that have both years in the registry panel (a balanced
//     panel), ex-poor households vs all households of the division.
//
// Invariant of a KpiReport: rows hold one row per child division of the
// scope that has households or cases in it (ordered by code), then one total
// row (`is_total`) over the whole scope; the total's flows and stocks equal
// the sums of the children's.
//
// Thread-safety: ComputeKpis uses the stores from one thread; the report is
// a value type.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/date.h"
#include "common/money.h"
#include "common/status.h"
#include "domain/case.h"
#include "domain/division.h"
#include "domain/policy.h"
#include "storage/case_store.h"
#include "storage/store.h"

namespace zx {

/// Month boundaries are taken in Beijing time.
inline constexpr std::int64_t kKpiUtcOffsetSeconds = 8 * 60 * 60;

/// The measure category counted as industry (产业).
inline constexpr const char* kIndustryMeasureCode = "100A39";

/// The figures of one division for one period (a month or the whole year).
struct KpiFigures {
  // Identification (识别).
  std::int64_t cases_opened = 0;              // opened_at in the period
  std::int64_t identification_decisions = 0;  // decided_at in the period (approved + rejected)
  std::int64_t identified = 0;                // of those, approved into monitoring
  std::int64_t rejected = 0;                  // of those, rejected
  /// Days from first clue (opened_at) to decision (decided_at), over the
  /// decisions of the period; -1 when there were none.
  double median_decision_days = -1;
  double mean_decision_days = -1;
  std::int64_t decided_within_limit = 0;  // decisions with decided_at - opened_at ≤ 15 days
  double share_within_limit = -1;         // decided_within_limit / identification_decisions; -1: none
  /// Open identification cases (stage before kMonitored at the stock time)
  /// whose due_at has passed at the stock time.
  std::int64_t overdue_open_identification = 0;

  // Monitoring (监测).
  std::int64_t newly_monitored = 0;  // monitored_since in the period
  /// Of newly_monitored: households that had an earlier case eliminated
  /// before this case's monitoring began (返贫/再次纳入).
  std::int64_t re_entries = 0;
  std::int64_t monitored_at_end = 0;        // monitored (since ≤ t, not closed by t) at the stock time
  std::int64_t monitored_with_measure = 0;  // of those, with ≥ 1 measure recorded by t
  double measure_coverage = -1;             // monitored_with_measure / monitored_at_end; -1: none

  // Risk elimination (风险消除).
  std::int64_t eliminated_assisted = 0;  // closed as eliminated in the period, assisted
  std::int64_t eliminated_natural = 0;   // … natural
  std::int64_t ever_monitored = 0;       // cases with monitored_since ≤ stock time
  std::int64_t eliminated_to_date = 0;   // cases eliminated by the stock time
  double elimination_rate = -1;          // eliminated_to_date / ever_monitored; -1: none

  // Assistance measures (帮扶措施; stand-in for linkage funds).
  Fen measure_amount = 0;      // measures with start_date in the period
  Fen industry_amount = 0;     // of which category 100A39
  double industry_share = -1;  // industry_amount / measure_amount; -1: none
  std::int64_t measures_started = 0;
  std::map<std::string, Fen> amount_by_category;  // category code → fen

  bool operator==(const KpiFigures&) const = default;
};

/// Registry income panel of one division (annual, not per month).
struct IncomeGrowth {
  std::int64_t households = 0;  // households with both years in the panel
  std::int64_t persons = 0;     // their living members
  Fen per_capita_previous = 0;  // Σ net income (year-1) / Σ living members
  Fen per_capita_current = 0;   // Σ net income (year) / Σ living members
  double growth = 0;            // current / previous - 1; 0 when previous ≤ 0
  bool available = false;       // false when no household has both years

  bool operator==(const IncomeGrowth&) const = default;
};

struct KpiRow {
  DivisionCode division_code = 0;
  std::string division_name;
  bool is_total = false;
  std::array<KpiFigures, 12> months;  // January … December
  KpiFigures year;
  IncomeGrowth ex_poor_income;  // ex-poor (脱贫户) households
  IncomeGrowth rural_income;    // all households of the division

  bool operator==(const KpiRow&) const = default;
};

struct KpiReport {
  int year = 0;
  DivisionScope scope;
  DivisionCode scope_code = 0;   // the division the scope is of (0: province/all)
  std::int64_t computed_at = 0;  // `now`
  std::vector<KpiRow> rows;      // children by code, then the total row
  /// Chinese notes shown under the table (e.g. the linkage-fund stand-in,
  /// years missing from the income panel).
  std::vector<std::string> notes;
};

/// Computes the KPIs of `year` for `scope`, broken down by the child
/// divisions of the scope's top division (the division of the registry's
/// division table whose code is scope.lo: province → prefectures, prefecture
/// → counties, county → townships, township → villages; a village scope has
/// only its total row). `now` bounds the stock figures. Errors: InvalidArgument for a year outside
/// 2000..2100, storage errors as returned by the stores.
Result<KpiReport> ComputeKpis(CaseStore& cases, Store& registry, const Policy& policy,
                              const DivisionScope& scope, int year, std::int64_t now);

/// The period label: "2025年3月" for month 1..12, "2025年全年" for month 0.
std::string KpiMonthLabel(int year, int month);

/// The calendar month (1..12) and year of Unix time `t` in Beijing time.
void KpiYearMonthOf(std::int64_t t, int* year, int* month);

/// The calendar date of Unix time `t` in Beijing time.
Date KpiDateOf(std::int64_t t);

/// Unix time of the first second of `month` (1..12; 13 = January of year+1)
/// of `year`, Beijing time.
std::int64_t KpiMonthStart(int year, int month);

}  // namespace zx
