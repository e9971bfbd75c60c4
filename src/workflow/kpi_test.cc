// KPIs over hand-built cases in a temporary SQLite store; every expected
// number is worked out by hand in the comments.
#include "workflow/kpi.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "storage/case_store.h"
#include "storage/store.h"
#include "storage/store_test_records.h"

namespace zx {
namespace {

using namespace storage_testing;  // NOLINT: test fixtures

constexpr int kYear = 2025;

// Beijing time `hour`:00 on kYear-month-day.
std::int64_t At(int month, int day, int hour = 10, int year = kYear) {
  return KpiMonthStart(year, month) + (day - 1) * kSecondsPerDay + hour * 3600;
}

HouseholdRecord Household(int serial, DivisionCode village, bool ex_poor, int members, int deceased,
                          std::vector<HouseholdYear> years) {
  HouseholdRecord record = MakeHousehold(serial, village, members, 0);
  record.household.ex_poor = ex_poor;
  record.household.poverty_exit_year = ex_poor ? 2019 : 0;
  for (int member_idx = 0; member_idx < deceased; ++member_idx) {
    record.members[members - 1 - member_idx].deceased = true;
  }
  record.years = std::move(years);
  return record;
}

HouseholdYear NetIncome(int year, std::int64_t yuan) {
  return HouseholdYear{year, Yuan(yuan), 0, 0, 0, 0, 0};
}

CaseMeasure Measure(const char* category, std::int64_t yuan, int month, int day) {
  CaseMeasure measure;
  measure.category_code = category;
  measure.description = "措施";
  measure.amount = Yuan(yuan);
  measure.start_date = Date{kYear, month, day};
  measure.recorded_at = At(month, day);
  measure.recorded_by = "county";
  return measure;
}

TEST(KpiTimeTest, MonthsAreBeijingCalendarMonths) {
  // 2025-03-31 23:30 Beijing = 2025-03-31 15:30 UTC.
  const std::int64_t t = KpiMonthStart(2025, 4) - 30 * 60;
  int year = 0;
  int month = 0;
  KpiYearMonthOf(t, &year, &month);
  EXPECT_EQ(year, 2025);
  EXPECT_EQ(month, 3);
  KpiYearMonthOf(t + 30 * 60, &year, &month);
  EXPECT_EQ(month, 4);
  // 2025-01-01 00:00 Beijing is 2024-12-31 16:00 UTC = 1735660800.
  EXPECT_EQ(KpiMonthStart(2025, 1), 1735660800);
  EXPECT_EQ(KpiMonthStart(2024, 13), KpiMonthStart(2025, 1));
  EXPECT_EQ(KpiDateOf(1735660800), (Date{2025, 1, 1}));
  EXPECT_EQ(KpiDateOf(1735660799), (Date{2024, 12, 31}));
  EXPECT_EQ(KpiMonthLabel(2025, 3), "2025年3月");
  EXPECT_EQ(KpiMonthLabel(2025, 0), "2025年全年");
}

class KpiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("zx_kpi_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const std::string location = "sqlite:" + dir_ + "/registry.db";
    auto registry = OpenStore(location, TestDivisions());
    ASSERT_TRUE(registry.ok()) << registry.status().ToString();
    registry_ = std::move(registry).value();
    // Income panel (net income of the household, yuan):
    //   H1 Datong A1 ex-poor, 4 living:        2024 40,000  2025 44,000
    //   H2 Datong A2 ordinary, 2 living:       2024 30,000  2025 31,000
    //   H3 Huangzhong B1 ex-poor, 2 living:    2024 10,000  2025 12,000
    //   H4 Datong A1 ordinary, 3 members, 1 deceased (2 living): 20,000 → 22,000
    //   H5 Datong A1 ex-poor, 1 living:        only 2025 (outside the balanced panel)
    //   H6 Ledu C1 (outside the Xining scope)
    households_ = {
        Household(1, kVillageA1, true, 4, 0, {NetIncome(2024, 40000), NetIncome(2025, 44000)}),
        Household(2, kVillageA2, false, 2, 0, {NetIncome(2024, 30000), NetIncome(2025, 31000)}),
        Household(3, kVillageB1, true, 2, 0, {NetIncome(2024, 10000), NetIncome(2025, 12000)}),
        Household(4, kVillageA1, false, 3, 1, {NetIncome(2024, 20000), NetIncome(2025, 22000)}),
        Household(5, kVillageA1, true, 1, 0, {NetIncome(2025, 9000)}),
        Household(6, kVillageC1, true, 2, 0, {NetIncome(2024, 1000), NetIncome(2025, 90000)}),
    };
    VectorHouseholdSource source(households_);
    ASSERT_TRUE(registry_->UpsertHouseholds(DivisionScope::All(), source).ok());
    auto cases = OpenCaseStore(location);
    ASSERT_TRUE(cases.ok()) << cases.status().ToString();
    cases_ = std::move(cases).value();
    policy_.years[kYear].year = kYear;
    policy_.years[kYear].monitoring_line = Yuan(7600);
  }
  void TearDown() override {
    cases_.reset();
    registry_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Stores a case in its final state in one write.
  void Put(size_t household_idx, Case c) {
    c.household_number = households_[household_idx].household.household_number;
    if (c.due_at == 0) c.due_at = c.opened_at + kIdentificationDays * kSecondsPerDay;
    CaseEvent event;
    event.action = CaseAction::kOpen;
    event.at = c.opened_at;
    event.actor = "test";
    auto created = cases_->CreateCase(DivisionScope::All(), c, event);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
  }

  static Case Approved(std::int64_t opened, std::int64_t decided) {
    Case c;
    c.stage = CaseStage::kMonitored;
    c.opened_at = opened;
    c.decided_at = decided;
    c.monitored_since = decided;
    c.monitoring_type = "100A03001";
    c.risk_codes = {"01"};
    return c;
  }

  void BuildCases() {
    // C1 H1 Datong: opened Jan 5, approved Jan 15 (10 days); measures
    //    100A39 5,000 yuan from Feb 1 and 100A40 2,000 yuan from Mar 10.
    Case c1 = Approved(At(1, 5), At(1, 15));
    c1.measures = {Measure("100A39", 5000, 2, 1), Measure("100A40", 2000, 3, 10)};
    Put(0, c1);
    // C2 H2 Datong: opened Jan 20, approved Feb 14 (25 days), no measure,
    //    eliminated (assisted) Apr 10.
    Case c2 = Approved(At(1, 20), At(2, 14));
    c2.stage = CaseStage::kEliminated;
    c2.elimination_kind = EliminationKind::kAssisted;
    c2.closed_at = At(4, 10);
    Put(1, c2);
    // C3 H3 Huangzhong: opened Mar 1, rejected Mar 11 (10 days).
    Case c3;
    c3.stage = CaseStage::kRejected;
    c3.opened_at = At(3, 1);
    c3.decided_at = At(3, 11);
    c3.closed_at = At(3, 11);
    Put(2, c3);
    // C4 H4 Datong, the year before: monitored 2024-01-10, eliminated
    //    (natural) 2024-08-01.
    Case c4 = Approved(At(12, 28, 10, 2023), At(1, 10, 10, 2024));
    c4.stage = CaseStage::kEliminated;
    c4.elimination_kind = EliminationKind::kNatural;
    c4.closed_at = At(8, 1, 10, 2024);
    Put(3, c4);
    // C5 H4 again: opened May 2, approved May 12 (10 days) — a re-entry;
    //    measure 100A39 1,000 yuan from May 20.
    Case c5 = Approved(At(5, 2), At(5, 12));
    c5.measures = {Measure("100A39", 1000, 5, 20)};
    Put(3, c5);
    // C6 H5 Datong: opened Jun 20, undecided, due Jul 5.
    Case c6;
    c6.opened_at = At(6, 20);
    Put(4, c6);
    // C7 H6 Ledu: outside the scope; would add to every flow if counted.
    Case c7 = Approved(At(2, 1), At(2, 3));
    c7.measures = {Measure("100A39", 99999, 2, 5)};
    Put(5, c7);
  }

  std::string dir_;
  std::vector<HouseholdRecord> households_;
  std::unique_ptr<Store> registry_;
  std::unique_ptr<CaseStore> cases_;
  Policy policy_;
};

TEST_F(KpiTest, ComputesEveryFigureByDivisionAndMonth) {
  BuildCases();
  const std::int64_t now = At(7, 15, 12);
  const DivisionScope xining = DivisionScope::Of(kXining, DivisionLevel::kPrefecture);
  auto report = ComputeKpis(*cases_, *registry_, policy_, xining, kYear, now);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->scope_code, kXining);
  ASSERT_EQ(report->rows.size(), 3u);
  const KpiRow& datong = report->rows[0];
  const KpiRow& huangzhong = report->rows[1];
  const KpiRow& total = report->rows[2];
  EXPECT_EQ(datong.division_code, kDatong);
  EXPECT_EQ(datong.division_name, "大通回族土族自治县");
  EXPECT_FALSE(datong.is_total);
  EXPECT_EQ(huangzhong.division_code, kHuangzhong);
  EXPECT_TRUE(total.is_total);
  EXPECT_EQ(total.division_code, kXining);

  // Datong, the year (stocks at now = Jul 15):
  const KpiFigures& y = datong.year;
  EXPECT_EQ(y.cases_opened, 4);              // C1 C2 C5 C6
  EXPECT_EQ(y.identification_decisions, 3);  // C1 10d, C2 25d, C5 10d
  EXPECT_EQ(y.identified, 3);
  EXPECT_EQ(y.rejected, 0);
  EXPECT_DOUBLE_EQ(y.median_decision_days, 10);
  EXPECT_DOUBLE_EQ(y.mean_decision_days, 15);  // (10 + 25 + 10) / 3
  EXPECT_EQ(y.decided_within_limit, 2);
  EXPECT_DOUBLE_EQ(y.share_within_limit, 2.0 / 3.0);
  EXPECT_EQ(y.newly_monitored, 3);
  EXPECT_EQ(y.re_entries, 1);        // C5
  EXPECT_EQ(y.monitored_at_end, 2);  // C1, C5
  EXPECT_EQ(y.monitored_with_measure, 2);
  EXPECT_DOUBLE_EQ(y.measure_coverage, 1.0);
  EXPECT_EQ(y.eliminated_assisted, 1);  // C2 (C4 was 2024)
  EXPECT_EQ(y.eliminated_natural, 0);
  EXPECT_EQ(y.ever_monitored, 4);      // C1 C2 C4 C5
  EXPECT_EQ(y.eliminated_to_date, 2);  // C2 C4
  EXPECT_DOUBLE_EQ(y.elimination_rate, 0.5);
  EXPECT_EQ(y.overdue_open_identification, 1);  // C6, due Jul 5
  EXPECT_EQ(y.measures_started, 3);
  EXPECT_EQ(y.measure_amount, Yuan(8000));  // 5,000 + 2,000 + 1,000
  EXPECT_EQ(y.industry_amount, Yuan(6000));
  EXPECT_DOUBLE_EQ(y.industry_share, 0.75);
  EXPECT_EQ(y.amount_by_category,
            (std::map<std::string, Fen>{{"100A39", Yuan(6000)}, {"100A40", Yuan(2000)}}));

  // Datong, month by month.
  const auto& m = datong.months;
  // January: C1, C2 opened; C1 decided (10 d). At Jan 31: C1 monitored, its
  // first measure only from Feb 1; ever monitored C1 + C4, eliminated C4.
  EXPECT_EQ(m[0].cases_opened, 2);
  EXPECT_EQ(m[0].identification_decisions, 1);
  EXPECT_DOUBLE_EQ(m[0].median_decision_days, 10);
  EXPECT_EQ(m[0].newly_monitored, 1);
  EXPECT_EQ(m[0].monitored_at_end, 1);
  EXPECT_EQ(m[0].monitored_with_measure, 0);
  EXPECT_DOUBLE_EQ(m[0].measure_coverage, 0);
  EXPECT_EQ(m[0].ever_monitored, 2);
  EXPECT_DOUBLE_EQ(m[0].elimination_rate, 0.5);
  EXPECT_EQ(m[0].overdue_open_identification, 0);  // C2 due Feb 4
  // February: C2 decided after 25 days (not within 15); industry 5,000.
  EXPECT_EQ(m[1].identification_decisions, 1);
  EXPECT_EQ(m[1].decided_within_limit, 0);
  EXPECT_DOUBLE_EQ(m[1].share_within_limit, 0);
  EXPECT_DOUBLE_EQ(m[1].mean_decision_days, 25);
  EXPECT_EQ(m[1].monitored_at_end, 2);
  EXPECT_EQ(m[1].monitored_with_measure, 1);
  EXPECT_DOUBLE_EQ(m[1].measure_coverage, 0.5);
  EXPECT_EQ(m[1].measure_amount, Yuan(5000));
  EXPECT_DOUBLE_EQ(m[1].industry_share, 1.0);
  // March: employment measure 2,000; no decision → -1 markers.
  EXPECT_EQ(m[2].measure_amount, Yuan(2000));
  EXPECT_DOUBLE_EQ(m[2].industry_share, 0);
  EXPECT_DOUBLE_EQ(m[2].median_decision_days, -1);
  EXPECT_DOUBLE_EQ(m[2].share_within_limit, -1);
  // April: C2 eliminated; C1 alone monitored; 2 of 3 ever monitored eliminated.
  EXPECT_EQ(m[3].eliminated_assisted, 1);
  EXPECT_EQ(m[3].monitored_at_end, 1);
  EXPECT_DOUBLE_EQ(m[3].measure_coverage, 1.0);
  EXPECT_EQ(m[3].ever_monitored, 3);
  EXPECT_DOUBLE_EQ(m[3].elimination_rate, 2.0 / 3.0);
  // May: C5 opened, decided, monitored, a re-entry; industry 1,000.
  EXPECT_EQ(m[4].cases_opened, 1);
  EXPECT_EQ(m[4].newly_monitored, 1);
  EXPECT_EQ(m[4].re_entries, 1);
  EXPECT_EQ(m[4].industry_amount, Yuan(1000));
  EXPECT_EQ(m[4].monitored_at_end, 2);
  // June: C6 opened, not yet overdue at Jun 30; July: overdue at now.
  EXPECT_EQ(m[5].cases_opened, 1);
  EXPECT_EQ(m[5].overdue_open_identification, 0);
  EXPECT_EQ(m[6].overdue_open_identification, 1);
  // August has not started: no stocks.
  EXPECT_EQ(m[7].monitored_at_end, 0);
  EXPECT_EQ(m[7].ever_monitored, 0);
  EXPECT_DOUBLE_EQ(m[7].measure_coverage, -1);

  // Huangzhong: one rejection after 10 days.
  EXPECT_EQ(huangzhong.year.cases_opened, 1);
  EXPECT_EQ(huangzhong.year.identification_decisions, 1);
  EXPECT_EQ(huangzhong.year.rejected, 1);
  EXPECT_EQ(huangzhong.year.decided_within_limit, 1);
  EXPECT_EQ(huangzhong.year.ever_monitored, 0);
  EXPECT_DOUBLE_EQ(huangzhong.year.elimination_rate, -1);
  EXPECT_EQ(huangzhong.months[2].rejected, 1);

  // Total = Datong + Huangzhong; Ledu's C7 is outside.
  EXPECT_EQ(total.year.cases_opened, 5);
  EXPECT_EQ(total.year.identification_decisions, 4);
  EXPECT_DOUBLE_EQ(total.year.median_decision_days, 10);   // 10 10 10 25
  EXPECT_DOUBLE_EQ(total.year.mean_decision_days, 13.75);  // 55 / 4
  EXPECT_DOUBLE_EQ(total.year.share_within_limit, 0.75);
  EXPECT_EQ(total.year.measure_amount, Yuan(8000));
  EXPECT_EQ(total.months[1].measure_amount, Yuan(5000));

  // Income panel. Datong ex-poor: H1 only → 10,000 → 11,000 yuan, +10%.
  EXPECT_TRUE(datong.ex_poor_income.available);
  EXPECT_EQ(datong.ex_poor_income.households, 1);
  EXPECT_EQ(datong.ex_poor_income.persons, 4);
  EXPECT_EQ(datong.ex_poor_income.per_capita_previous, Yuan(10000));
  EXPECT_EQ(datong.ex_poor_income.per_capita_current, Yuan(11000));
  EXPECT_NEAR(datong.ex_poor_income.growth, 0.10, 1e-12);
  // Datong all: H1 + H2 + H4 = 90,000 / 8 = 11,250 → 97,000 / 8 = 12,125.
  EXPECT_EQ(datong.rural_income.households, 3);
  EXPECT_EQ(datong.rural_income.persons, 8);
  EXPECT_EQ(datong.rural_income.per_capita_previous, Yuan(11250));
  EXPECT_EQ(datong.rural_income.per_capita_current, Yuan(12125));
  EXPECT_NEAR(datong.rural_income.growth, 12125.0 / 11250.0 - 1, 1e-12);
  // Total ex-poor: H1 + H3 = 5,000,000 fen / 6 = 833,333 → 5,600,000 / 6 = 933,333.
  EXPECT_EQ(total.ex_poor_income.per_capita_previous, 833333);
  EXPECT_EQ(total.ex_poor_income.per_capita_current, 933333);
  EXPECT_NEAR(total.ex_poor_income.growth, 933333.0 / 833333.0 - 1, 1e-12);

  // The children sum to the total (flows and stocks).
  EXPECT_EQ(datong.year.ever_monitored + huangzhong.year.ever_monitored, total.year.ever_monitored);
  EXPECT_EQ(datong.year.monitored_at_end + huangzhong.year.monitored_at_end, total.year.monitored_at_end);
  EXPECT_FALSE(report->notes.empty());
}

TEST_F(KpiTest, VillageScopeHasOnlyItsTotalAndProvinceSplitsByPrefecture) {
  BuildCases();
  const std::int64_t now = At(12, 31, 23);
  auto village = ComputeKpis(*cases_, *registry_, policy_,
                             DivisionScope::Of(kVillageA2, DivisionLevel::kVillage), kYear, now);
  ASSERT_TRUE(village.ok());
  ASSERT_EQ(village->rows.size(), 1u);
  EXPECT_TRUE(village->rows[0].is_total);
  EXPECT_EQ(village->rows[0].year.cases_opened, 1);  // C2
  EXPECT_EQ(village->rows[0].year.eliminated_assisted, 1);

  auto province = ComputeKpis(*cases_, *registry_, policy_, DivisionScope::All(), kYear, now);
  ASSERT_TRUE(province.ok());
  ASSERT_EQ(province->rows.size(), 3u);  // Xining, Haidong, total
  EXPECT_EQ(province->rows[0].division_code, kXining);
  EXPECT_EQ(province->rows[1].division_code, kHaidong);
  EXPECT_EQ(province->rows[1].year.cases_opened, 1);  // C7
  EXPECT_EQ(province->rows[1].year.measure_amount, Yuan(99999));
  EXPECT_EQ(province->rows[2].year.cases_opened, 6);
  // Year end: C1 (since Jan), C5 and C7 monitored.
  EXPECT_EQ(province->rows[2].year.monitored_at_end, 3);
}

TEST_F(KpiTest, RejectsAnImpossibleYear) {
  auto report = ComputeKpis(*cases_, *registry_, policy_, DivisionScope::All(), 1900, At(1, 1));
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(KpiTest, MissingPanelYearIsNoted) {
  auto report = ComputeKpis(*cases_, *registry_, policy_, DivisionScope::All(), 2031, At(1, 1, 10, 2032));
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->rows.back().rural_income.available);
  bool noted = false;
  for (const std::string& note : report->notes) noted = noted || note.find("2030") != std::string::npos;
  EXPECT_TRUE(noted);
}

}  // namespace
}  // namespace zx
