// Data-quality checks over hand-built cases in a temporary SQLite store:
// each household below is built to trip exactly the checks named beside it.
#include "workflow/quality.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "storage/case_store.h"
#include "storage/store.h"
#include "storage/store_test_records.h"
#include "workflow/kpi.h"

namespace zx {
namespace {

using namespace storage_testing;  // NOLINT: test fixtures

std::int64_t At(int year, int month, int day) {
  return KpiMonthStart(year, month) + (day - 1) * kSecondsPerDay + 36000;
}

class QualityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("zx_quality_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    location_ = "sqlite:" + dir_ + "/registry.db";
    auto registry = OpenStore(location_, TestDivisions());
    ASSERT_TRUE(registry.ok()) << registry.status().ToString();
    registry_ = std::move(registry).value();
    auto cases = OpenCaseStore(location_);
    ASSERT_TRUE(cases.ok());
    cases_ = std::move(cases).value();
    policy_.years[2024].year = 2024;
    policy_.years[2024].monitoring_line = Yuan(7300);
    policy_.years[2025].year = 2025;
    policy_.years[2025].monitoring_line = Yuan(7600);
  }
  void TearDown() override {
    cases_.reset();
    registry_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A household whose members all can work (skilled), with a 2025 income of
  // `income_2025` yuan per head.
  static HouseholdRecord Able(int serial, DivisionCode village, int members,
                              std::int64_t income_2025 = 20000) {
    HouseholdRecord record = MakeHousehold(serial, village, members, 0);
    for (Person& person : record.members) person.labour_skill = LabourSkill::kOrdinary;
    record.years = {HouseholdYear{2025, Yuan(income_2025) * members, 0, 0, 0, 0, 0}};
    return record;
  }

  void AddHouseholds(std::vector<HouseholdRecord> records) {
    for (HouseholdRecord& record : records) numbers_.push_back(record.household.household_number);
    VectorHouseholdSource source(records);
    ASSERT_TRUE(registry_->UpsertHouseholds(DivisionScope::All(), source).ok());
  }

  std::int64_t Put(const std::string& household_number, Case c) {
    c.household_number = household_number;
    if (c.due_at == 0) c.due_at = c.opened_at + kIdentificationDays * kSecondsPerDay;
    CaseEvent event;
    event.action = CaseAction::kOpen;
    event.at = c.opened_at;
    auto created = cases_->CreateCase(DivisionScope::All(), c, event);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? created->id : 0;
  }

  static Case Monitored(std::int64_t since, std::vector<std::string> risks = {"01"}) {
    Case c;
    c.stage = CaseStage::kMonitored;
    c.opened_at = since - 10 * kSecondsPerDay;
    c.decided_at = since;
    c.monitored_since = since;
    c.monitoring_type = "100A03002";
    c.risk_codes = std::move(risks);
    return c;
  }

  static CaseMeasure AMeasure(std::int64_t at) {
    CaseMeasure measure;
    measure.category_code = "100A39";
    measure.amount = Yuan(3000);
    measure.start_date = KpiDateOf(at);
    measure.recorded_at = at;
    return measure;
  }

  static CaseVisit AVisit(const Date& date, std::int64_t yuan) {
    CaseVisit visit;
    visit.visit_date = date;
    visit.per_capita_income = Yuan(yuan);
    return visit;
  }

  // Check code → case ids found.
  static std::map<std::string, std::vector<std::int64_t>> Found(const QualityReport& report) {
    std::map<std::string, std::vector<std::int64_t>> found;
    for (const QualityCheck& check : report.checks) {
      for (const QualityFinding& finding : check.findings) found[check.code].push_back(finding.case_id);
    }
    return found;
  }

  std::string dir_;
  std::string location_;
  std::unique_ptr<Store> registry_;
  std::unique_ptr<CaseStore> cases_;
  Policy policy_;
  std::vector<std::string> numbers_;
};

TEST_F(QualityTest, EachCheckFindsExactlyTheCasesBuiltForIt) {
  // 0 A1: able, income fine, measure in time — clean.
  // 1 A1: eliminated 40 days after identification — early_elimination (and
  //       no measure: 40 days ≥ 30 → no_measure).
  // 2 A1: eliminated 100 days after identification with a measure, latest
  //       visit before elimination 7,000 < 7,600 (a later visit of 9,000
  //       after elimination does not count) — eliminated_below_line.
  // 3 A2: eliminated with a measure, no visit, registry 2025 income 5,000
  //       per head < 7,600 — eliminated_below_line (from the registry).
  // 4 A2: monitored 31 days, no measure — no_measure.
  // 5 A2: monitored 29 days, no measure — clean (not yet a month).
  // 6 B1: all members kLostAbility / kNone, risk 07, safety_net flagged —
  //       employment_risk_no_labour only.
  // 7 B1: all members cannot work, not safety_net, risk 01 —
  //       no_labour_not_safety_net only.
  // 8 B1: every member deceased, case in verification — deceased_active.
  // 9 C1: head deceased and no living head, case open — deceased_active.
  // 10 C1: rejected case of a household with all members deceased — clean
  //       (closed cases are not "active").
  std::vector<HouseholdRecord> records;
  for (int serial = 0; serial < 11; ++serial) {
    const DivisionCode village = serial < 3   ? kVillageA1
                                 : serial < 6 ? kVillageA2
                                 : serial < 9 ? kVillageB1
                                              : kVillageC1;
    records.push_back(Able(serial + 1, village, 3));
  }
  records[3].years = {HouseholdYear{2025, Yuan(15000), 0, 0, 0, 0, 0}};  // 15,000 / 3 = 5,000
  for (int serial : {6, 7}) {
    records[serial].members[0].labour_skill = LabourSkill::kLostAbility;
    records[serial].members[1].labour_skill = LabourSkill::kNone;
    records[serial].members[2].labour_skill = LabourSkill::kLostAbility;
  }
  records[6].household.safety_net = true;
  for (Person& person : records[8].members) person.deceased = true;
  records[9].members[0].deceased = true;
  for (Person& person : records[10].members) person.deceased = true;
  AddHouseholds(records);

  const std::int64_t now = At(2025, 9, 1);
  std::vector<std::int64_t> ids;
  {
    Case c = Monitored(At(2025, 3, 1));
    c.measures = {AMeasure(At(2025, 3, 10))};
    ids.push_back(Put(numbers_[0], c));
  }
  {
    Case c = Monitored(At(2025, 3, 1));
    c.stage = CaseStage::kEliminated;
    c.elimination_kind = EliminationKind::kAssisted;
    c.closed_at = At(2025, 4, 10);  // 40 days
    c.visits = {AVisit(Date{2025, 4, 1}, 9000)};
    ids.push_back(Put(numbers_[1], c));
  }
  {
    Case c = Monitored(At(2025, 1, 1));
    c.stage = CaseStage::kEliminated;
    c.elimination_kind = EliminationKind::kAssisted;
    c.closed_at = At(2025, 4, 11);  // 100 days
    c.measures = {AMeasure(At(2025, 1, 5))};
    c.visits = {AVisit(Date{2025, 3, 1}, 8000), AVisit(Date{2025, 4, 1}, 7000),
                AVisit(Date{2025, 5, 1}, 9000)};
    ids.push_back(Put(numbers_[2], c));
  }
  {
    Case c = Monitored(At(2025, 1, 1));
    c.stage = CaseStage::kEliminated;
    c.elimination_kind = EliminationKind::kNatural;
    c.closed_at = At(2025, 6, 1);
    c.measures = {AMeasure(At(2025, 1, 5))};
    ids.push_back(Put(numbers_[3], c));
  }
  ids.push_back(Put(numbers_[4], Monitored(now - 31 * kSecondsPerDay)));
  ids.push_back(Put(numbers_[5], Monitored(now - 29 * kSecondsPerDay)));
  {
    Case c = Monitored(At(2025, 2, 1), {"07", "04"});
    c.measures = {AMeasure(At(2025, 2, 2))};
    ids.push_back(Put(numbers_[6], c));
  }
  {
    Case c = Monitored(At(2025, 2, 1), {"01"});
    c.measures = {AMeasure(At(2025, 2, 2))};
    ids.push_back(Put(numbers_[7], c));
  }
  {
    Case c;
    c.opened_at = At(2025, 8, 20);
    ids.push_back(Put(numbers_[8], c));
  }
  {
    Case c = Monitored(At(2025, 2, 1));
    c.measures = {AMeasure(At(2025, 2, 2))};
    ids.push_back(Put(numbers_[9], c));
  }
  {
    Case c;
    c.stage = CaseStage::kRejected;
    c.opened_at = At(2025, 8, 1);
    c.decided_at = At(2025, 8, 5);
    c.closed_at = At(2025, 8, 5);
    ids.push_back(Put(numbers_[10], c));
  }

  auto report = RunQualityChecks(*cases_, *registry_, policy_, DivisionScope::All(), now);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->cases_checked, 11);
  ASSERT_EQ(report->checks.size(), 7u);
  EXPECT_EQ(report->checks[0].code, "early_elimination");
  for (const QualityCheck& check : report->checks) EXPECT_FALSE(check.label.empty()) << check.code;

  std::map<std::string, std::vector<std::int64_t>> expected = {
      {"early_elimination", {ids[1]}},
      {"no_measure", {ids[1], ids[4]}},
      {"eliminated_below_line", {ids[2], ids[3]}},
      {"employment_risk_no_labour", {ids[6]}},
      {"no_labour_not_safety_net", {ids[7]}},
      {"deceased_active", {ids[8], ids[9]}},
  };
  EXPECT_EQ(Found(*report), expected);
  EXPECT_EQ(report->TotalFindings(), 9);

  const QualityCheck* below = report->Find("eliminated_below_line");
  ASSERT_NE(below, nullptr);
  ASSERT_EQ(below->findings.size(), 2u);
  EXPECT_EQ(below->findings[0].household_number, numbers_[2]);
  EXPECT_EQ(below->findings[0].village_code, kVillageA1);
  EXPECT_NE(below->findings[0].detail.find("2025-04-01回访"), std::string::npos) << below->findings[0].detail;
  EXPECT_NE(below->findings[0].detail.find("7,000.00"), std::string::npos) << below->findings[0].detail;
  EXPECT_NE(below->findings[1].detail.find("户籍库 2025 年"), std::string::npos) << below->findings[1].detail;
  EXPECT_NE(below->findings[1].detail.find("5,000.00"), std::string::npos) << below->findings[1].detail;
  const QualityCheck* early = report->Find("early_elimination");
  ASSERT_NE(early, nullptr);
  EXPECT_NE(early->findings[0].detail.find("40 天"), std::string::npos) << early->findings[0].detail;
  EXPECT_EQ(report->Find("no_such_check"), nullptr);
}

TEST_F(QualityTest, ScopeLimitsCasesAndMissingHouseholdsAreReported) {
  AddHouseholds({Able(1, kVillageA1, 2), Able(2, kVillageB1, 2)});
  const std::int64_t now = At(2025, 9, 1);
  const std::int64_t inside = Put(numbers_[0], Monitored(now - 60 * kSecondsPerDay));
  Put(numbers_[1], Monitored(now - 60 * kSecondsPerDay));
  auto report =
      RunQualityChecks(*cases_, *registry_, policy_, DivisionScope::Of(kDatong, DivisionLevel::kCounty), now);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->cases_checked, 1);
  EXPECT_EQ(Found(*report), (std::map<std::string, std::vector<std::int64_t>>{{"no_measure", {inside}}}));

  // The registry's household moved out of the scope behind the case's back:
  // the case (still in A1) reports its household as missing.
  HouseholdRecord moved = Able(1, kVillageB1, 2);
  moved.household.household_number = numbers_[0];
  std::vector<HouseholdRecord> moved_records = {moved};
  VectorHouseholdSource source(moved_records);
  ASSERT_TRUE(registry_->UpsertHouseholds(DivisionScope::All(), source).ok());
  report =
      RunQualityChecks(*cases_, *registry_, policy_, DivisionScope::Of(kDatong, DivisionLevel::kCounty), now);
  ASSERT_TRUE(report.ok());
  const QualityCheck* missing = report->Find("household_missing");
  ASSERT_NE(missing, nullptr);
  ASSERT_EQ(missing->findings.size(), 1u);
  EXPECT_EQ(missing->findings[0].case_id, inside);
}

TEST_F(QualityTest, EliminationWithoutAPolicyYearIsNotJudged) {
  AddHouseholds({Able(1, kVillageA1, 2, 100)});
  Case c = Monitored(At(2026, 1, 1));
  c.stage = CaseStage::kEliminated;
  c.elimination_kind = EliminationKind::kAssisted;
  c.closed_at = At(2026, 9, 1);
  c.measures = {AMeasure(At(2026, 1, 2))};
  c.visits = {AVisit(Date{2026, 8, 1}, 100)};
  Put(numbers_[0], c);
  auto report = RunQualityChecks(*cases_, *registry_, policy_, DivisionScope::All(), At(2026, 10, 1));
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->TotalFindings(), 0);
}

}  // namespace
}  // namespace zx
