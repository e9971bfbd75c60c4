// The CaseStore contract (case_store.h), through the interface only.
#include "storage/case_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/store.h"
#include "storage/store_test_records.h"

namespace zx {
namespace {

using namespace storage_testing;  // NOLINT: test fixtures

constexpr std::int64_t kT0 = 1735660800;  // 2025-01-01 00:00 Beijing time

class CaseStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("zx_cases_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    location_ = "sqlite:" + dir_ + "/registry.db";
    auto registry = OpenStore(location_, TestDivisions());
    ASSERT_TRUE(registry.ok()) << registry.status().ToString();
    households_ = {MakeHousehold(1, kVillageA1), MakeHousehold(2, kVillageA2), MakeHousehold(3, kVillageB1),
                   MakeHousehold(4, kVillageC1)};
    VectorHouseholdSource source(households_);
    ASSERT_TRUE((*registry)->UpsertHouseholds(DivisionScope::All(), source).ok());
    auto cases = OpenCaseStore(location_);
    ASSERT_TRUE(cases.ok()) << cases.status().ToString();
    cases_ = std::move(cases).value();
  }
  void TearDown() override {
    cases_.reset();
    std::filesystem::remove_all(dir_);
  }

  const std::string& Number(size_t household_idx) const {
    return households_[household_idx].household.household_number;
  }

  Case Draft(size_t household_idx, std::int64_t opened_at = kT0) const {
    Case c;
    c.household_number = Number(household_idx);
    c.village_code = households_[household_idx].household.village_code;
    c.source = CaseSource::kRuleAlert;
    c.source_detail = "规则预警：01 因病";
    c.stage = CaseStage::kVerification;
    c.opened_at = opened_at;
    c.due_at = opened_at + kIdentificationDays * kSecondsPerDay;
    c.risk_codes = {"01"};
    c.updated_at = opened_at;
    c.updated_by = "cadre";
    return c;
  }

  static CaseEvent Event(CaseAction action, CaseStage from, CaseStage to, std::int64_t at = kT0) {
    CaseEvent event;
    event.at = at;
    event.actor = "cadre";
    event.actor_role = "village";
    event.action = action;
    event.from_stage = from;
    event.to_stage = to;
    event.detail_json = "{}";
    return event;
  }

  static CaseEvent OpenEvent() {
    return Event(CaseAction::kOpen, CaseStage::kVerification, CaseStage::kVerification);
  }

  Case Create(size_t household_idx, std::int64_t opened_at = kT0) {
    auto created = cases_->CreateCase(DivisionScope::All(), Draft(household_idx, opened_at), OpenEvent());
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? *created : Case{};
  }

  static CaseMeasure Measure(const std::string& category, Fen amount) {
    CaseMeasure measure;
    measure.category_code = category;
    measure.description = "发放产业扶持资金";
    measure.responsible_cadre = "张明";
    measure.amount = amount;
    measure.start_date = Date{2025, 2, 1};
    measure.recorded_at = kT0;
    measure.recorded_by = "county";
    return measure;
  }

  std::int64_t EventCount() {
    auto report = cases_->VerifyEventChain();
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? report->events : -1;
  }

  std::string dir_;
  std::string location_;
  std::vector<HouseholdRecord> households_;
  std::unique_ptr<CaseStore> cases_;
};

TEST_F(CaseStoreTest, CreateAssignsIdsAndRoundTripsEveryField) {
  Case draft = Draft(0);
  draft.source = CaseSource::kDepartmentAlert;
  draft.authorization_signed = true;
  draft.verification_note = "已入户";
  draft.comparison_note = "比对无异常";
  draft.appraisal_for = 11;
  draft.appraisal_against = 2;
  draft.notice_started_at = kT0 + 1;
  draft.notice_ends_at = kT0 + 2;
  draft.monitoring_type = "100A03002";
  draft.risk_codes = {"01", "0203"};
  draft.monitored_since = kT0 + 3;
  draft.elimination_kind = EliminationKind::kAssisted;
  draft.elimination_proposed_at = kT0 + 4;
  draft.decided_at = kT0 + 5;
  draft.closed_reason = "无";
  draft.measures = {Measure("100A39", 500000), Measure("100A40", 120000)};
  draft.measures[1].end_date = Date{2025, 12, 31};
  draft.measures[1].id = 77;  // ignored: the store assigns ids
  CaseVisit visit;
  visit.visit_date = Date{2025, 3, 1};
  visit.per_capita_income = 812300;
  visit.guarantees_secured = true;
  visit.note = "收入稳定";
  visit.visited_by = "李华";
  draft.visits = {visit};
  CaseObjection objection;
  objection.raised_at = kT0 + 6;
  objection.summary = "家庭有车辆";
  objection.resolved = true;
  objection.upheld = false;
  objection.resolution = "车辆已于 2023 年出售";
  objection.resolved_by = "township";
  objection.resolved_at = kT0 + 7;
  draft.objections = {objection};

  auto created = cases_->CreateCase(DivisionScope::All(), draft, OpenEvent());
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->version, 1);
  ASSERT_EQ(created->measures.size(), 2u);
  EXPECT_GT(created->measures[0].id, 0);
  EXPECT_GT(created->measures[1].id, 0);
  EXPECT_NE(created->measures[0].id, created->measures[1].id);
  EXPECT_GT(created->visits[0].id, 0);
  EXPECT_GT(created->objections[0].id, 0);

  auto got = cases_->GetCase(DivisionScope::All(), created->id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(**got, *created);
  Case expected = draft;
  expected.id = created->id;
  expected.version = 1;
  expected.measures[0].id = created->measures[0].id;
  expected.measures[1].id = created->measures[1].id;
  expected.visits[0].id = created->visits[0].id;
  expected.objections[0].id = created->objections[0].id;
  EXPECT_EQ(**got, expected);

  auto missing = cases_->GetCase(DivisionScope::All(), created->id + 100);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_F(CaseStoreTest, ListsScansAndCountsWithFilters) {
  Case a = Create(0, kT0);
  Case b = Create(1, kT0 + 10 * kSecondsPerDay);
  Case c = Create(2, kT0 + 20 * kSecondsPerDay);
  Case d = Create(3, kT0 + 30 * kSecondsPerDay);
  // b moves to monitoring.
  Case b2 = b;
  b2.stage = CaseStage::kMonitored;
  b2.monitored_since = kT0 + 11 * kSecondsPerDay;
  ASSERT_TRUE(cases_
                  ->UpdateCase(DivisionScope::All(), b2, 1,
                               Event(CaseAction::kApprove, CaseStage::kCountyApproval, CaseStage::kMonitored))
                  .ok());
  // d is rejected (closed).
  Case d2 = d;
  d2.stage = CaseStage::kRejected;
  d2.closed_at = kT0 + 31 * kSecondsPerDay;
  ASSERT_TRUE(cases_
                  ->UpdateCase(DivisionScope::All(), d2, 1,
                               Event(CaseAction::kReject, CaseStage::kVerification, CaseStage::kRejected))
                  .ok());

  auto ids = [](const CasePage& page) {
    std::vector<std::int64_t> out;
    for (const Case& row : page.rows) out.push_back(row.id);
    return out;
  };
  CaseQuery all;
  auto page = cases_->ListCases(DivisionScope::All(), all);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->total, 4);
  EXPECT_EQ(ids(*page), (std::vector<std::int64_t>{a.id, b.id, c.id, d.id}));

  CaseQuery paged;
  paged.offset = 1;
  paged.limit = 2;
  page = cases_->ListCases(DivisionScope::All(), paged);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 4);
  EXPECT_EQ(ids(*page), (std::vector<std::int64_t>{b.id, c.id}));

  CaseQuery open_only;
  open_only.open_only = true;
  page = cases_->ListCases(DivisionScope::All(), open_only);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(ids(*page), (std::vector<std::int64_t>{a.id, b.id, c.id}));

  CaseQuery by_stage;
  by_stage.stages = {CaseStage::kMonitored, CaseStage::kRejected};
  page = cases_->ListCases(DivisionScope::All(), by_stage);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(ids(*page), (std::vector<std::int64_t>{b.id, d.id}));

  // Identification cases due before t0 + 30 days: a (due t0+15d), c (due
  // t0+35d) is not; b is monitored, d is closed (rejected is stage 13).
  CaseQuery due;
  due.due_before = kT0 + 30 * kSecondsPerDay;
  page = cases_->ListCases(DivisionScope::All(), due);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(ids(*page), (std::vector<std::int64_t>{a.id}));

  CaseQuery household;
  household.household_number = Number(2);
  page = cases_->ListCases(DivisionScope::All(), household);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(ids(*page), (std::vector<std::int64_t>{c.id}));
  EXPECT_EQ(page->total, 1);

  std::vector<std::int64_t> scanned;
  ASSERT_TRUE(cases_
                  ->ScanCases(DivisionScope::Of(kXining, DivisionLevel::kPrefecture),
                              [&](const Case& row) {
                                scanned.push_back(row.id);
                                return Status::Ok();
                              })
                  .ok());
  EXPECT_EQ(scanned, (std::vector<std::int64_t>{a.id, b.id, c.id}));

  // A visitor's error stops the scan and comes back.
  int visited = 0;
  Status stopped = cases_->ScanCases(DivisionScope::All(), [&](const Case&) {
    ++visited;
    return InvalidArgument("停止");
  });
  EXPECT_EQ(stopped.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(visited, 1);

  auto counts = cases_->CountOpenByStage(DivisionScope::All());
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  ASSERT_EQ(counts->size(), 3u);
  EXPECT_EQ((*counts)[0].county_code, kDatong);
  EXPECT_EQ((*counts)[0].stage, CaseStage::kVerification);
  EXPECT_EQ((*counts)[0].count, 1);
  EXPECT_EQ((*counts)[1].county_code, kDatong);
  EXPECT_EQ((*counts)[1].stage, CaseStage::kMonitored);
  EXPECT_EQ((*counts)[2].county_code, kHuangzhong);
  EXPECT_EQ((*counts)[2].count, 1);
}

TEST_F(CaseStoreTest, OneOpenCasePerHouseholdAndReentryAfterClosing) {
  Case first = Create(0);
  auto again = cases_->CreateCase(DivisionScope::All(), Draft(0), OpenEvent());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(again.status().message().find(Number(0)), std::string::npos);
  EXPECT_EQ(EventCount(), 1);

  Case closed = first;
  closed.stage = CaseStage::kEliminated;
  closed.elimination_kind = EliminationKind::kAssisted;
  closed.closed_at = kT0 + 200 * kSecondsPerDay;
  auto stored = cases_->UpdateCase(
      DivisionScope::All(), closed, 1,
      Event(CaseAction::kApprove, CaseStage::kEliminationApproval, CaseStage::kEliminated));
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();

  auto open = cases_->GetOpenCase(DivisionScope::All(), Number(0));
  ASSERT_TRUE(open.ok());
  EXPECT_FALSE(open->has_value());

  Case second = Create(0, kT0 + 400 * kSecondsPerDay);
  EXPECT_NE(second.id, first.id);
  open = cases_->GetOpenCase(DivisionScope::All(), Number(0));
  ASSERT_TRUE(open.ok());
  ASSERT_TRUE(open->has_value());
  EXPECT_EQ((*open)->id, second.id);

  auto history = cases_->HouseholdCases(DivisionScope::All(), Number(0));
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].id, first.id);
  EXPECT_EQ((*history)[0].stage, CaseStage::kEliminated);
  EXPECT_EQ((*history)[1].id, second.id);

  // Re-opening the closed case while another is open breaks the rule.
  Case reopened = *stored;
  reopened.stage = CaseStage::kMonitored;
  auto refused =
      cases_->UpdateCase(DivisionScope::All(), reopened, stored->version,
                         Event(CaseAction::kSendBack, CaseStage::kEliminated, CaseStage::kMonitored));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(EventCount(), 3);
}

TEST_F(CaseStoreTest, UnknownHouseholdIsNotFound) {
  Case draft = Draft(0);
  draft.household_number = "630121100201999999";
  draft.village_code = 0;
  auto created = cases_->CreateCase(DivisionScope::All(), draft, OpenEvent());
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), StatusCode::kNotFound);
  EXPECT_NE(created.status().message().find("630121100201999999"), std::string::npos);
  EXPECT_EQ(EventCount(), 0);

  // The village is the registry's: a different one is refused.
  Case wrong_village = Draft(0);
  wrong_village.village_code = kVillageA2;
  created = cases_->CreateCase(DivisionScope::All(), wrong_village, OpenEvent());
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(CaseStoreTest, ScopeRestrictsEveryReadAndWrite) {
  const DivisionScope datong = DivisionScope::Of(kDatong, DivisionLevel::kCounty);
  auto refused = cases_->CreateCase(datong, Draft(2), OpenEvent());  // household in Huangzhong
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(EventCount(), 0);

  Case inside = Create(0);
  auto outside_created = cases_->CreateCase(DivisionScope::All(), Draft(2), OpenEvent());
  ASSERT_TRUE(outside_created.ok());
  const Case outside = *outside_created;

  auto got = cases_->GetCase(datong, outside.id);
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->has_value());
  got = cases_->GetCase(datong, inside.id);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->has_value());

  auto open = cases_->GetOpenCase(datong, Number(2));
  ASSERT_TRUE(open.ok());
  EXPECT_FALSE(open->has_value());
  auto history = cases_->HouseholdCases(datong, Number(2));
  ASSERT_TRUE(history.ok());
  EXPECT_TRUE(history->empty());

  auto page = cases_->ListCases(datong, CaseQuery{});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 1);
  ASSERT_EQ(page->rows.size(), 1u);
  EXPECT_EQ(page->rows[0].id, inside.id);

  int scanned = 0;
  ASSERT_TRUE(cases_
                  ->ScanCases(datong,
                              [&](const Case& c) {
                                EXPECT_EQ(c.id, inside.id);
                                ++scanned;
                                return Status::Ok();
                              })
                  .ok());
  EXPECT_EQ(scanned, 1);

  auto events = cases_->ListEvents(datong, outside.id);
  ASSERT_FALSE(events.ok());
  EXPECT_EQ(events.status().code(), StatusCode::kNotFound);

  Case changed = outside;
  changed.verification_note = "越权修改";
  auto updated = cases_->UpdateCase(
      datong, changed, 1, Event(CaseAction::kVerify, CaseStage::kVerification, CaseStage::kComparison));
  ASSERT_FALSE(updated.ok());
  EXPECT_EQ(updated.status().code(), StatusCode::kNotFound);
  auto unchanged = cases_->GetCase(DivisionScope::All(), outside.id);
  ASSERT_TRUE(unchanged.ok() && unchanged->has_value());
  EXPECT_EQ(**unchanged, outside);

  auto counts = cases_->CountOpenByStage(datong);
  ASSERT_TRUE(counts.ok());
  ASSERT_EQ(counts->size(), 1u);
  EXPECT_EQ((*counts)[0].county_code, kDatong);
  EXPECT_EQ(EventCount(), 2);
}

TEST_F(CaseStoreTest, StaleVersionIsAConflictAndChangesNothing) {
  Case created = Create(0);
  Case v2 = created;
  v2.stage = CaseStage::kComparison;
  v2.authorization_signed = true;
  auto stored =
      cases_->UpdateCase(DivisionScope::All(), v2, 1,
                         Event(CaseAction::kVerify, CaseStage::kVerification, CaseStage::kComparison));
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->version, 2);
  auto head_before = cases_->EventHead();
  ASSERT_TRUE(head_before.ok());

  Case stale = created;  // still version 1
  stale.stage = CaseStage::kRejected;
  stale.measures = {Measure("100A39", 1)};
  auto conflict =
      cases_->UpdateCase(DivisionScope::All(), stale, 1,
                         Event(CaseAction::kReject, CaseStage::kVerification, CaseStage::kRejected));
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.status().code(), StatusCode::kConflict);
  EXPECT_NE(conflict.status().message().find("第 1 版"), std::string::npos) << conflict.status().message();
  EXPECT_NE(conflict.status().message().find("第 2 版"), std::string::npos) << conflict.status().message();
  EXPECT_NE(conflict.status().message().find(fmt::format("案件 #{}", created.id)), std::string::npos);

  auto now = cases_->GetCase(DivisionScope::All(), created.id);
  ASSERT_TRUE(now.ok() && now->has_value());
  EXPECT_EQ(**now, *stored);
  auto events = cases_->ListEvents(DivisionScope::All(), created.id);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->size(), 2u);
  auto head_after = cases_->EventHead();
  ASSERT_TRUE(head_after.ok());
  EXPECT_EQ(head_after->seq, head_before->seq);
  EXPECT_EQ(head_after->hash, head_before->hash);

  // A version from the future is a conflict too.
  auto future =
      cases_->UpdateCase(DivisionScope::All(), *stored, 5,
                         Event(CaseAction::kCompare, CaseStage::kComparison, CaseStage::kAppraisal));
  EXPECT_EQ(future.status().code(), StatusCode::kConflict);

  Case missing = *stored;
  missing.id = created.id + 50;
  auto not_found =
      cases_->UpdateCase(DivisionScope::All(), missing, 2,
                         Event(CaseAction::kCompare, CaseStage::kComparison, CaseStage::kAppraisal));
  EXPECT_EQ(not_found.status().code(), StatusCode::kNotFound);
}

TEST_F(CaseStoreTest, ChildRowIdsAreAssignedAndKept) {
  Case draft = Draft(0);
  draft.measures = {Measure("100A39", 100), Measure("100A40", 200)};
  auto created = cases_->CreateCase(DivisionScope::All(), draft, OpenEvent());
  ASSERT_TRUE(created.ok());
  const std::int64_t kept_id = created->measures[0].id;
  const std::int64_t dropped_id = created->measures[1].id;

  Case next = *created;
  next.measures[0].amount = 150;                    // edited, keeps its id
  next.measures.erase(next.measures.begin() + 1);   // removed
  next.measures.push_back(Measure("100A45", 300));  // new
  CaseVisit visit;
  visit.visit_date = Date{2025, 4, 1};
  visit.per_capita_income = 700000;
  next.visits.push_back(visit);
  auto stored =
      cases_->UpdateCase(DivisionScope::All(), next, 1,
                         Event(CaseAction::kAddMeasure, CaseStage::kMonitored, CaseStage::kMonitored));
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  ASSERT_EQ(stored->measures.size(), 2u);
  EXPECT_EQ(stored->measures[0].id, kept_id);
  EXPECT_EQ(stored->measures[0].amount, 150);
  EXPECT_GT(stored->measures[1].id, dropped_id);
  ASSERT_EQ(stored->visits.size(), 1u);
  EXPECT_GT(stored->visits[0].id, 0);

  auto got = cases_->GetCase(DivisionScope::All(), created->id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ(**got, *stored);

  // Another case cannot claim this case's measure.
  Case other = Create(1);
  other.measures = {stored->measures[0]};
  auto stolen =
      cases_->UpdateCase(DivisionScope::All(), other, 1,
                         Event(CaseAction::kAddMeasure, CaseStage::kMonitored, CaseStage::kMonitored));
  ASSERT_FALSE(stolen.ok());
  EXPECT_EQ(stolen.status().code(), StatusCode::kInvalidArgument);
  got = cases_->GetCase(DivisionScope::All(), created->id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ(**got, *stored);
  auto other_now = cases_->GetCase(DivisionScope::All(), other.id);
  ASSERT_TRUE(other_now.ok() && other_now->has_value());
  EXPECT_EQ((*other_now)->version, 1);
  EXPECT_TRUE((*other_now)->measures.empty());
}

TEST_F(CaseStoreTest, EventsAreChainedAndListed) {
  Case a = Create(0);
  Case b = Create(1);
  Case a2 = a;
  a2.stage = CaseStage::kComparison;
  CaseEvent verify = Event(CaseAction::kVerify, CaseStage::kVerification, CaseStage::kComparison, kT0 + 60);
  verify.reason = "授权书已签";
  verify.detail_json = R"({"authorization_signed":true})";
  ASSERT_TRUE(cases_->UpdateCase(DivisionScope::All(), a2, 1, verify).ok());

  auto events = cases_->ListEvents(DivisionScope::All(), a.id);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), 2u);
  const CaseEvent& opened = (*events)[0];
  const CaseEvent& verified = (*events)[1];
  EXPECT_EQ(opened.seq, 1);
  EXPECT_EQ(opened.prev_hash, "");
  EXPECT_EQ(opened.case_id, a.id);
  EXPECT_EQ(opened.case_version, 1);
  EXPECT_EQ(opened.division, kVillageA1);
  EXPECT_EQ(opened.hash, CaseEventHash("", opened));
  EXPECT_EQ(verified.seq, 3);  // seq 2 is b's kOpen
  EXPECT_EQ(verified.case_version, 2);
  EXPECT_EQ(verified.action, CaseAction::kVerify);
  EXPECT_EQ(verified.reason, "授权书已签");
  EXPECT_EQ(verified.detail_json, R"({"authorization_signed":true})");
  EXPECT_EQ(verified.at, kT0 + 60);

  auto b_events = cases_->ListEvents(DivisionScope::All(), b.id);
  ASSERT_TRUE(b_events.ok());
  ASSERT_EQ(b_events->size(), 1u);
  EXPECT_EQ((*b_events)[0].seq, 2);
  EXPECT_EQ((*b_events)[0].prev_hash, opened.hash);
  EXPECT_EQ(verified.prev_hash, (*b_events)[0].hash);
  EXPECT_EQ(verified.hash, CaseEventHash(verified.prev_hash, verified));

  auto report = cases_->VerifyEventChain();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->events, 3);
  EXPECT_EQ(report->head_hash, verified.hash);
  auto head = cases_->EventHead();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, 3);
  EXPECT_EQ(head->hash, verified.hash);
  auto at2 = cases_->EventAt(2);
  ASSERT_TRUE(at2.ok() && at2->has_value());
  EXPECT_EQ(**at2, (*b_events)[0]);
  auto at9 = cases_->EventAt(9);
  ASSERT_TRUE(at9.ok());
  EXPECT_FALSE(at9->has_value());

  std::vector<std::pair<std::int64_t, std::int64_t>> progress;
  auto with_progress = cases_->VerifyEventChainWithProgress(
      [&](std::int64_t done, std::int64_t total) { progress.emplace_back(done, total); });
  ASSERT_TRUE(with_progress.ok());
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back(), std::make_pair(std::int64_t{3}, std::int64_t{3}));
}

TEST_F(CaseStoreTest, EmptyChainVerifies) {
  auto report = cases_->VerifyEventChain();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->events, 0);
  EXPECT_EQ(report->head_hash, "");
  auto head = cases_->EventHead();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, 0);
}

TEST_F(CaseStoreTest, RacingWritersFromOneVersionExactlyOneWins) {
  const Case created = Create(0);
  constexpr int kThreads = 8;
  std::vector<std::unique_ptr<CaseStore>> stores;
  for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    auto store = OpenCaseStore(location_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    stores.push_back(std::move(store).value());
  }
  std::atomic<int> ready{0};
  std::vector<Status> results(kThreads);
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      Case mine = created;
      mine.verification_note = fmt::format("写入者 {}", thread_idx);
      mine.stage = CaseStage::kComparison;
      CaseEvent event = Event(CaseAction::kVerify, CaseStage::kVerification, CaseStage::kComparison);
      event.actor = fmt::format("writer{}", thread_idx);
      ready.fetch_add(1);
      while (ready.load() < kThreads) std::this_thread::yield();
      auto stored = stores[thread_idx]->UpdateCase(DivisionScope::All(), mine, 1, event);
      results[thread_idx] = stored.ok() ? Status::Ok() : stored.status();
    });
  }
  for (std::thread& thread : threads) thread.join();

  int winners = 0;
  int winner_idx = -1;
  for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    if (results[thread_idx].ok()) {
      ++winners;
      winner_idx = thread_idx;
    } else {
      EXPECT_EQ(results[thread_idx].code(), StatusCode::kConflict) << results[thread_idx].ToString();
    }
  }
  ASSERT_EQ(winners, 1);
  auto now = cases_->GetCase(DivisionScope::All(), created.id);
  ASSERT_TRUE(now.ok() && now->has_value());
  EXPECT_EQ((*now)->version, 2);
  EXPECT_EQ((*now)->verification_note, fmt::format("写入者 {}", winner_idx));
  auto events = cases_->ListEvents(DivisionScope::All(), created.id);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[1].actor, fmt::format("writer{}", winner_idx));
  auto report = cases_->VerifyEventChain();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->events, 2);
}

TEST_F(CaseStoreTest, WritersRetryingOnConflictLoseNoUpdate) {
  const Case created = Create(0);
  constexpr int kThreads = 6;
  std::vector<std::unique_ptr<CaseStore>> stores;
  for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    auto store = OpenCaseStore(location_);
    ASSERT_TRUE(store.ok());
    stores.push_back(std::move(store).value());
  }
  std::atomic<int> conflicts{0};
  std::vector<Status> results(kThreads);
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      CaseStore& store = *stores[thread_idx];
      for (int attempt = 0; attempt < 1000; ++attempt) {
        auto current = store.GetCase(DivisionScope::All(), created.id);
        if (!current.ok() || !current->has_value()) {
          results[thread_idx] = current.ok() ? NotFound("gone") : current.status();
          return;
        }
        Case next = **current;
        CaseVisit visit;
        visit.visit_date = Date{2025, 5, 1 + thread_idx};
        visit.per_capita_income = 600000 + thread_idx;
        visit.visited_by = fmt::format("visitor{}", thread_idx);
        next.visits.push_back(visit);
        auto stored =
            store.UpdateCase(DivisionScope::All(), next, next.version,
                             Event(CaseAction::kRecordVisit, CaseStage::kMonitored, CaseStage::kMonitored));
        if (stored.ok()) {
          results[thread_idx] = Status::Ok();
          return;
        }
        if (stored.status().code() != StatusCode::kConflict) {
          results[thread_idx] = stored.status();
          return;
        }
        conflicts.fetch_add(1);
      }
      results[thread_idx] = Internal("too many conflicts");
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const Status& result : results) EXPECT_TRUE(result.ok()) << result.ToString();

  auto now = cases_->GetCase(DivisionScope::All(), created.id);
  ASSERT_TRUE(now.ok() && now->has_value());
  EXPECT_EQ((*now)->version, 1 + kThreads);
  std::set<std::string> visitors;
  std::set<std::int64_t> visit_ids;
  for (const CaseVisit& visit : (*now)->visits) {
    visitors.insert(visit.visited_by);
    visit_ids.insert(visit.id);
  }
  EXPECT_EQ(visitors.size(), static_cast<size_t>(kThreads));
  EXPECT_EQ(visit_ids.size(), static_cast<size_t>(kThreads));
  EXPECT_EQ((*now)->visits.size(), static_cast<size_t>(kThreads));
  auto report = cases_->VerifyEventChain();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->events, 1 + kThreads);
}

}  // namespace
}  // namespace zx
