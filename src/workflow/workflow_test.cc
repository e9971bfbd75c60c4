// WorkflowService behaviour not expressed by the golden scripts: deadlines,
// event details, previews, concurrent writers, allowed actions, the work
// queue, overdue lists, elimination preconditions and payload validation.
#include "workflow/workflow.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "storage/store_test_records.h"
#include "workflow/preconditions.h"

namespace zx {
namespace {

using namespace storage_testing;  // NOLINT: test fixtures
using workflow::DateOfTime;
using workflow::StartOfDate;

constexpr std::int64_t kDay = kSecondsPerDay;

HouseholdRecord Household(int serial, DivisionCode village, bool labour,
                          HousingRating housing = HousingRating::kA) {
  HouseholdRecord record = MakeHousehold(serial, village, 2);
  record.household.housing = housing;
  const int address = static_cast<int>(village / 1000000);
  for (size_t member_idx = 0; member_idx < record.members.size(); ++member_idx) {
    Person& person = record.members[member_idx];
    person.birth_date = Date{1970 + static_cast<int>(member_idx) * 2, 3, 1};
    person.id_number =
        MakeResidentId(address, person.birth_date, serial * 2 + static_cast<int>(member_idx) + 1);
    person.sex = Sex::kMale;
    person.relation = member_idx == 0 ? Relation::kHead : Relation::kSon;
    person.labour_skill = labour ? LabourSkill::kOrdinary : LabourSkill::kLostAbility;
    person.schooling = SchoolingStatus::kNotInSchool;
    person.medical_insurance = true;
  }
  return record;
}

class WorkflowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            fmt::format("zx_wf_{}_{}", ::getpid(),
                        ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    location_ = "sqlite:" + dir_ + "/registry.db";
    auto registry = OpenStore(location_, TestDivisions());
    ASSERT_TRUE(registry.ok()) << registry.status().ToString();
    registry_ = std::move(registry).value();
    households_ = {Household(1, kVillageA1, true), Household(2, kVillageA1, false),
                   Household(3, kVillageB1, true), Household(4, kVillageA2, true, HousingRating::kD)};
    VectorHouseholdSource source(households_);
    ASSERT_TRUE(registry_->UpsertHouseholds(DivisionScope::All(), source).ok());
    auto cases = OpenCaseStore(location_);
    ASSERT_TRUE(cases.ok()) << cases.status().ToString();
    cases_ = std::move(cases).value();
    auto policy = LoadDefaultPolicy();
    ASSERT_TRUE(policy.ok()) << policy.status().ToString();
    policy_ = std::move(policy).value();
    service_ = std::make_unique<WorkflowService>(*cases_, *registry_, policy_);
  }
  void TearDown() override {
    service_.reset();
    cases_.reset();
    registry_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string Number(size_t household_idx) const {
    return households_[household_idx].household.household_number;
  }

  Case Open(size_t household_idx, std::int64_t at) {
    const DivisionCode village = households_[household_idx].household.village_code;
    Actor actor{"v", Role::kVillage, village, DivisionLevel::kVillage};
    auto opened = service_->OpenCase(actor, Number(household_idx), CaseSource::kSelfApplication, "申请", at);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return opened.ok() ? *opened : Case{};
  }

  Result<Case> Do(const Actor& actor, const Case& c, CaseAction action, std::int64_t at,
                  const std::function<void(ActionInput&)>& fill = {}) {
    ActionInput input;
    input.action = action;
    input.expected_version = c.version;
    input.authorization_signed = true;
    input.appraisal_for = 10;
    input.monitoring_type = "100A03002";
    input.risk_codes = {"01"};
    if (fill) fill(input);
    return service_->Act(actor, c.id, input, at);
  }

  // Takes a case of village A1 to kMonitored, approved at `at` + 10 days.
  Case Monitored(size_t household_idx, std::int64_t at) {
    Case c = Open(household_idx, at);
    for (auto [actor, action, day] :
         std::vector<std::tuple<Actor, CaseAction, int>>{{village_, CaseAction::kVerify, 1},
                                                         {county_, CaseAction::kCompare, 2},
                                                         {village_, CaseAction::kAppraise, 3},
                                                         {village_, CaseAction::kCloseNotice, 9},
                                                         {township_, CaseAction::kReview, 9},
                                                         {county_, CaseAction::kApprove, 10}}) {
      auto next = Do(actor, c, action, at + day * kDay);
      EXPECT_TRUE(next.ok()) << next.status().ToString();
      if (next.ok()) c = *next;
    }
    EXPECT_EQ(c.stage, CaseStage::kMonitored);
    return c;
  }

  const std::int64_t t0_ = StartOfDate(Date{2026, 3, 2}) + 10 * 3600;
  const Actor village_{"v-a1", Role::kVillage, kVillageA1, DivisionLevel::kVillage};
  const Actor township_{"t", Role::kTownship, kDatongTown, DivisionLevel::kTownship};
  const Actor county_{"c", Role::kCounty, kDatong, DivisionLevel::kCounty};
  std::string dir_;
  std::string location_;
  std::unique_ptr<Store> registry_;
  std::unique_ptr<CaseStore> cases_;
  std::vector<HouseholdRecord> households_;
  Policy policy_;
  std::unique_ptr<WorkflowService> service_;
};

TEST_F(WorkflowTest, DeadlinesAndEventDetails) {
  Case c = Open(0, t0_);
  EXPECT_EQ(c.version, 1);
  EXPECT_EQ(c.due_at, t0_ + 15 * kDay);
  c = *Do(village_, c, CaseAction::kVerify, t0_ + kDay, [](ActionInput& in) { in.note = "已核实"; });
  c = *Do(county_, c, CaseAction::kCompare, t0_ + 2 * kDay);
  auto appraised = Do(village_, c, CaseAction::kAppraise, t0_ + 3 * kDay, [](ActionInput& in) {
    in.appraisal_for = 17;
    in.appraisal_against = 2;
    in.notice_days = 6;
  });
  ASSERT_TRUE(appraised.ok()) << appraised.status().ToString();
  EXPECT_EQ(appraised->notice_started_at, t0_ + 3 * kDay);
  EXPECT_EQ(appraised->notice_ends_at, t0_ + 9 * kDay);
  auto events = cases_->ListEvents(DivisionScope::All(), c.id);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 4u);
  const CaseEvent& open = events->front();
  EXPECT_EQ(open.action, CaseAction::kOpen);
  EXPECT_EQ(open.actor, "v");
  EXPECT_EQ(open.actor_role, "village");
  EXPECT_EQ(open.division, kVillageA1);
  EXPECT_EQ(nlohmann::json::parse(open.detail_json)["source"], "self_application");
  const CaseEvent& verify = (*events)[1];
  EXPECT_EQ(verify.from_stage, CaseStage::kVerification);
  EXPECT_EQ(verify.to_stage, CaseStage::kComparison);
  EXPECT_EQ(nlohmann::json::parse(verify.detail_json)["note"], "已核实");
  const auto appraise = nlohmann::json::parse(events->back().detail_json);
  EXPECT_EQ(appraise["appraisal_for"], 17);
  EXPECT_EQ(appraise["notice_days"], 6);
  EXPECT_EQ(appraise["notice_ends_at"], t0_ + 9 * kDay);
  EXPECT_EQ(events->back().prev_hash, (*events)[2].hash);
}

TEST_F(WorkflowTest, ApprovalRecordsTypeRisksAndDates) {
  Case c = Monitored(0, t0_);
  EXPECT_EQ(c.monitoring_type, "100A03002");
  EXPECT_EQ(c.risk_codes, std::vector<std::string>{"01"});
  EXPECT_EQ(c.decided_at, t0_ + 10 * kDay);
  EXPECT_EQ(c.monitored_since, t0_ + 10 * kDay);
  auto events = cases_->ListEvents(DivisionScope::All(), c.id);
  ASSERT_TRUE(events.ok());
  const auto detail = nlohmann::json::parse(events->back().detail_json);
  EXPECT_EQ(detail["monitoring_type"], "100A03002");
  EXPECT_EQ(detail["risk_codes"][0], "01");
}

TEST_F(WorkflowTest, PreviewChecksEverythingAndStoresNothing) {
  Case c = Open(0, t0_);
  ActionInput input;
  input.action = CaseAction::kVerify;
  input.expected_version = 1;
  input.authorization_signed = true;
  auto preview = service_->PreviewAct(village_, c, input, t0_ + kDay);
  ASSERT_TRUE(preview.ok()) << preview.status().ToString();
  EXPECT_EQ(preview->stage, CaseStage::kComparison);
  EXPECT_EQ(preview->version, 2);
  auto stored = cases_->GetCase(DivisionScope::All(), c.id);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->stage, CaseStage::kVerification);
  EXPECT_EQ((*stored)->version, 1);
  // A second row on the previewed case goes on from there.
  ActionInput compare;
  compare.action = CaseAction::kCompare;
  compare.expected_version = 2;
  EXPECT_TRUE(service_->PreviewAct(county_, *preview, compare, t0_ + 2 * kDay).ok());
  compare.expected_version = 1;
  EXPECT_EQ(service_->PreviewAct(county_, *preview, compare, t0_ + 2 * kDay).status().code(),
            StatusCode::kConflict);
  input.authorization_signed = false;
  EXPECT_EQ(service_->PreviewAct(village_, c, input, t0_).status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(WorkflowTest, TwoReviewersAtOnceOneWinsNothingLost) {
  Case c = Open(0, t0_);
  auto second_store = OpenCaseStore(location_);
  ASSERT_TRUE(second_store.ok());
  auto second_registry = OpenStore(location_, TestDivisions());
  ASSERT_TRUE(second_registry.ok());
  WorkflowService second(**second_store, **second_registry, policy_);
  ActionInput input;
  input.action = CaseAction::kVerify;
  input.expected_version = 1;
  input.authorization_signed = true;
  input.note = "first";
  auto first_result = service_->Act(village_, c.id, input, t0_ + kDay);
  input.note = "second";
  auto second_result = second.Act(village_, c.id, input, t0_ + kDay);
  ASSERT_TRUE(first_result.ok()) << first_result.status().ToString();
  ASSERT_FALSE(second_result.ok());
  EXPECT_EQ(second_result.status().code(), StatusCode::kConflict);
  EXPECT_NE(second_result.status().message().find("版"), std::string::npos)
      << second_result.status().message();
  auto stored = cases_->GetCase(DivisionScope::All(), c.id);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->verification_note, "first");
  EXPECT_EQ(cases_->ListEvents(DivisionScope::All(), c.id)->size(), 2u);
}

TEST_F(WorkflowTest, AllowedActionsFollowNoticeAndObjections) {
  Case c = Open(0, t0_);
  EXPECT_EQ(service_->AllowedActions(village_, c, t0_),
            (std::vector<CaseAction>{CaseAction::kVerify, CaseAction::kReject}));
  EXPECT_TRUE(service_->AllowedActions(county_, c, t0_).empty());
  const Actor outsider{"v-b1", Role::kVillage, kVillageB1, DivisionLevel::kVillage};
  EXPECT_TRUE(service_->AllowedActions(outsider, c, t0_).empty());
  c = *Do(village_, c, CaseAction::kVerify, t0_ + kDay);
  EXPECT_EQ(service_->AllowedActions(county_, c, t0_),
            (std::vector<CaseAction>{CaseAction::kCompare, CaseAction::kReject, CaseAction::kSendBack}));
  c = *Do(county_, c, CaseAction::kCompare, t0_ + 2 * kDay);
  c = *Do(village_, c, CaseAction::kAppraise, t0_ + 3 * kDay);
  EXPECT_EQ(service_->AllowedActions(village_, c, t0_ + 4 * kDay),
            std::vector<CaseAction>{CaseAction::kRaiseObjection});
  EXPECT_TRUE(service_->AllowedActions(township_, c, t0_ + 4 * kDay).empty());
  c = *Do(village_, c, CaseAction::kRaiseObjection, t0_ + 4 * kDay,
          [](ActionInput& in) { in.reason = "异议"; });
  EXPECT_EQ(service_->AllowedActions(township_, c, t0_ + 9 * kDay),
            std::vector<CaseAction>{CaseAction::kResolveObjection});
  c = *Do(township_, c, CaseAction::kResolveObjection, t0_ + 9 * kDay, [&](ActionInput& in) {
    in.objection_id = c.objections.front().id;
    in.reason = "不属实";
  });
  EXPECT_EQ(service_->AllowedActions(township_, c, t0_ + 9 * kDay),
            std::vector<CaseAction>{CaseAction::kCloseNotice});
}

TEST_F(WorkflowTest, WorkQueueMostUrgentFirstWithDaysLeft) {
  const Case older = Open(0, t0_);
  const Case newer = Open(1, t0_ + 5 * kDay);
  const Case elsewhere = Open(2, t0_);
  const std::int64_t now = t0_ + 10 * kDay;
  auto queue = service_->WorkQueue(village_, now, 10);
  ASSERT_TRUE(queue.ok()) << queue.status().ToString();
  ASSERT_EQ(queue->size(), 2u);
  EXPECT_EQ((*queue)[0].case_record.id, older.id);
  EXPECT_EQ((*queue)[0].days_left, 5);
  EXPECT_FALSE((*queue)[0].overdue);
  EXPECT_EQ((*queue)[1].case_record.id, newer.id);
  EXPECT_EQ((*queue)[1].days_left, 10);
  EXPECT_NE((*queue)[0].actions.end(),
            std::find((*queue)[0].actions.begin(), (*queue)[0].actions.end(), CaseAction::kVerify));
  auto late = service_->WorkQueue(village_, t0_ + 17 * kDay, 1);
  ASSERT_TRUE(late.ok());
  ASSERT_EQ(late->size(), 1u);
  EXPECT_TRUE(late->front().overdue);
  EXPECT_EQ(late->front().days_left, -2);
  EXPECT_TRUE(service_->WorkQueue(county_, now, 10)->empty());
  (void)elsewhere;
}

TEST_F(WorkflowTest, MonitoredCaseWaitsForTheCountysPlanThenForVisits) {
  Case c = Monitored(0, t0_);
  auto county_queue = service_->WorkQueue(county_, c.monitored_since + kDay, 10);
  ASSERT_TRUE(county_queue.ok());
  ASSERT_EQ(county_queue->size(), 1u);
  EXPECT_EQ(county_queue->front().due_at, c.monitored_since + 30 * kDay);
  EXPECT_EQ(county_queue->front().days_left, 29);
  auto with_measure = Do(county_, c, CaseAction::kAddMeasure, c.monitored_since + kDay, [](ActionInput& in) {
    CaseMeasure m;
    m.category_code = "100A40";
    m.responsible_cadre = "干部";
    m.start_date = Date{2026, 3, 13};
    in.measure = m;
  });
  ASSERT_TRUE(with_measure.ok()) << with_measure.status().ToString();
  EXPECT_TRUE(service_->WorkQueue(county_, c.monitored_since + kDay, 10)->empty());
  // The village sees the follow-up visit a week before it is due.
  EXPECT_TRUE(service_->WorkQueue(village_, c.monitored_since + 10 * kDay, 10)->empty());
  auto village_queue = service_->WorkQueue(village_, c.monitored_since + 25 * kDay, 10);
  ASSERT_TRUE(village_queue.ok());
  ASSERT_EQ(village_queue->size(), 1u);
  EXPECT_EQ(village_queue->front().case_record.stage, CaseStage::kMonitored);
}

TEST_F(WorkflowTest, OverdueByCounty) {
  Open(0, t0_);
  Open(1, t0_ + 10 * kDay);
  Open(2, t0_);
  auto overdue = service_->Overdue(DivisionScope::All(), t0_ + 16 * kDay);
  ASSERT_TRUE(overdue.ok()) << overdue.status().ToString();
  ASSERT_EQ(overdue->size(), 2u);
  for (const OverdueCounty& county : *overdue) {
    if (county.county_code == kDatong) {
      EXPECT_EQ(county.open_identification, 2);
      EXPECT_EQ(county.overdue, 1);
      ASSERT_EQ(county.cases.size(), 1u);
      EXPECT_EQ(county.cases.front().household_number, Number(0));
    } else {
      EXPECT_EQ(county.county_code, kHuangzhong);
      EXPECT_EQ(county.overdue, 1);
    }
  }
  auto datong = service_->Overdue(DivisionScope::Of(kDatong, DivisionLevel::kCounty), t0_ + 16 * kDay);
  ASSERT_TRUE(datong.ok());
  ASSERT_EQ(datong->size(), 1u);
  EXPECT_EQ(datong->front().county_code, kDatong);
}

TEST_F(WorkflowTest, EliminationPreconditionsListEveryCheck) {
  Case c = Monitored(0, t0_);
  auto checks =
      service_->EliminationPreconditions(c, EliminationKind::kAssisted, c.monitored_since + 35 * kDay);
  ASSERT_TRUE(checks.ok()) << checks.status().ToString();
  std::vector<std::string> codes;
  for (const PreconditionCheck& check : *checks) codes.push_back(check.code);
  EXPECT_EQ(codes,
            (std::vector<std::string>{"monitored_6_months", "has_measure", "income_above_line",
                                      "visit_confirms_guarantees", "guarantees_secured", "has_labour"}));
  EXPECT_FALSE((*checks)[0].met);
  EXPECT_NE((*checks)[0].detail.find("已监测 1 个月"), std::string::npos) << (*checks)[0].detail;
  EXPECT_FALSE((*checks)[1].met);
  EXPECT_FALSE((*checks)[2].met);
  EXPECT_FALSE((*checks)[3].met);
  EXPECT_TRUE((*checks)[4].met);
  EXPECT_TRUE((*checks)[5].met);
  auto natural = service_->EliminationPreconditions(c, EliminationKind::kNatural, c.monitored_since);
  ASSERT_TRUE(natural.ok());
  EXPECT_TRUE(natural->empty());

  // The refusal lists each unmet condition.
  auto refused =
      Do(village_, c, CaseAction::kProposeElimination, c.monitored_since + 30 * kDay, [](ActionInput& in) {
        in.elimination_kind = EliminationKind::kAssisted;
        in.reason = "申请";
      });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("监测满6个月"), std::string::npos);
  EXPECT_NE(refused.status().message().find("已落实帮扶措施"), std::string::npos);
}

TEST_F(WorkflowTest, RegistryDeprivationAndNoLabourBlockElimination) {
  Case no_labour = Monitored(1, t0_);
  auto checks = service_->EliminationPreconditions(no_labour, EliminationKind::kAssisted, t0_ + 400 * kDay);
  ASSERT_TRUE(checks.ok());
  EXPECT_FALSE(checks->back().met);
  EXPECT_NE(checks->back().detail.find("兜底保障"), std::string::npos);

  // Household index 3 lives in a D-rated house in village A2.
  Case c = Open(3, t0_);
  auto household = registry_->GetHousehold(DivisionScope::All(), Number(3));
  ASSERT_TRUE(household.ok() && household->has_value());
  auto registry_checks = workflow::CheckEliminationPreconditions(
      c, **household, policy_, EliminationKind::kAssisted, Date{2027, 1, 1});
  ASSERT_TRUE(registry_checks.ok());
  EXPECT_FALSE((*registry_checks)[4].met);
  EXPECT_NE((*registry_checks)[4].detail.find("D级危房"), std::string::npos);
}

TEST_F(WorkflowTest, IncomeMustCoverSixMonthsAtOrAboveTheLine) {
  Case c;
  c.monitored_since = StartOfDate(Date{2025, 1, 10});
  c.measures.push_back(CaseMeasure{});
  const Fen line_2025 = policy_.FindYear(2025)->monitoring_line;
  auto visit = [](Date date, Fen income) {
    CaseVisit v;
    v.visit_date = date;
    v.per_capita_income = income;
    v.guarantees_secured = true;
    return v;
  };
  c.visits = {visit({2025, 2, 1}, line_2025 - 1), visit({2025, 3, 1}, line_2025),
              visit({2025, 9, 1}, line_2025 + 500)};
  auto household = registry_->GetHousehold(DivisionScope::All(), Number(0));
  ASSERT_TRUE(household.ok() && household->has_value());
  auto at = [&](Date today) {
    auto checks =
        workflow::CheckEliminationPreconditions(c, **household, policy_, EliminationKind::kAssisted, today);
    EXPECT_TRUE(checks.ok());
    return (*checks)[2];
  };
  EXPECT_FALSE(
      at({2025, 8, 15}).met);         // the 6-month window starts Feb 15: anchored on the Feb 1 visit, below
  EXPECT_TRUE(at({2025, 9, 2}).met);  // anchored on Mar 1, at the line
  EXPECT_TRUE(workflow::AllMet(*workflow::CheckEliminationPreconditions(
      c, **household, policy_, EliminationKind::kAssisted, {2025, 9, 2})));
  c.visits.back().guarantees_secured = false;
  EXPECT_FALSE(workflow::AllMet(*workflow::CheckEliminationPreconditions(
      c, **household, policy_, EliminationKind::kAssisted, {2025, 9, 2})));
  // A visit more than 90 days old does not confirm today's guarantees.
  c.visits.back().guarantees_secured = true;
  auto stale = workflow::CheckEliminationPreconditions(c, **household, policy_, EliminationKind::kAssisted,
                                                       {2025, 12, 15});
  ASSERT_TRUE(stale.ok());
  EXPECT_FALSE((*stale)[3].met);
}

TEST_F(WorkflowTest, PayloadErrorsNameTheField) {
  Case c = Monitored(0, t0_);
  auto measure = [&](const std::function<void(CaseMeasure&)>& change) {
    return Do(county_, c, CaseAction::kAddMeasure, t0_ + 12 * kDay, [&](ActionInput& in) {
      CaseMeasure m;
      m.category_code = "100A39";
      m.responsible_cadre = "干部";
      m.amount = Yuan(100);
      m.start_date = Date{2026, 3, 14};
      change(m);
      in.measure = m;
    });
  };
  EXPECT_TRUE(measure([](CaseMeasure&) {}).ok());
  c = *cases_->GetCase(DivisionScope::All(), c.id).value();
  auto bad_category = measure([](CaseMeasure& m) { m.category_code = "100A99"; });
  EXPECT_EQ(bad_category.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad_category.status().message().find("category_code"), std::string::npos);
  EXPECT_NE(measure([](CaseMeasure& m) { m.amount = -1; }).status().message().find("amount"),
            std::string::npos);
  EXPECT_NE(measure([](CaseMeasure& m) {
              m.end_date = Date{2026, 1, 1};
            })
                .status()
                .message()
                .find("end_date"),
            std::string::npos);
  EXPECT_NE(measure([](CaseMeasure& m) { m.start_date = Date{}; }).status().message().find("start_date"),
            std::string::npos);
  EXPECT_NE(measure([](CaseMeasure& m) { m.responsible_cadre.clear(); })
                .status()
                .message()
                .find("responsible_cadre"),
            std::string::npos);
  auto future_visit = Do(village_, c, CaseAction::kRecordVisit, t0_ + 12 * kDay, [](ActionInput& in) {
    CaseVisit v;
    v.visit_date = Date{2027, 1, 1};
    in.visit = v;
  });
  EXPECT_EQ(future_visit.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(future_visit.status().message().find("visit_date"), std::string::npos);
}

TEST(CalendarTest, BeijingDatesMonthsAndLines) {
  // 16:00 UTC on Jan 1 is already Jan 2 in Beijing.
  const std::int64_t at = Date{2026, 1, 1}.ToDays() * kDay + 16 * 3600;
  EXPECT_EQ(DateOfTime(at), (Date{2026, 1, 2}));
  EXPECT_EQ(DateOfTime(StartOfDate(Date{2026, 1, 2})), (Date{2026, 1, 2}));
  EXPECT_EQ(DateOfTime(StartOfDate(Date{2026, 1, 2}) - 1), (Date{2026, 1, 1}));
  EXPECT_EQ(workflow::AddMonths(Date{2026, 8, 31}, 6), (Date{2027, 2, 28}));
  EXPECT_EQ(workflow::AddMonths(Date{2026, 3, 15}, -6), (Date{2025, 9, 15}));
  auto policy = LoadDefaultPolicy();
  ASSERT_TRUE(policy.ok());
  auto line_2022 = workflow::LineInForce(*policy, 2022);
  ASSERT_TRUE(line_2022.ok());
  EXPECT_EQ((*line_2022)->monitoring_line, Yuan(6700));
  // A year the province has not published: the newest earlier line.
  const int newest = policy->years.rbegin()->first;
  auto later = workflow::LineInForce(*policy, newest + 3);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ((*later)->year, newest);
  EXPECT_EQ(workflow::LineInForce(*policy, 1990).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace zx
