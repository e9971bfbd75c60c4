// Tampering with the case event log behind the store's back (raw SQL through
// a second sqlite3 connection) and checking that VerifyEventChain names the
// right kind of damage at the right seq — and nothing else.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
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

constexpr std::int64_t kT0 = 1735660800;
constexpr int kEvents = 6;

class CaseChainTamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("zx_tamper_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = dir_ + "/registry.db";
    auto registry = OpenStore("sqlite:" + path_, TestDivisions());
    ASSERT_TRUE(registry.ok()) << registry.status().ToString();
    std::vector<HouseholdRecord> households = {MakeHousehold(1, kVillageA1), MakeHousehold(2, kVillageB1)};
    VectorHouseholdSource source(households);
    ASSERT_TRUE((*registry)->UpsertHouseholds(DivisionScope::All(), source).ok());
    auto cases = OpenCaseStore("sqlite:" + path_);
    ASSERT_TRUE(cases.ok()) << cases.status().ToString();
    cases_ = std::move(cases).value();

    // Events: 1 open A, 2 open B, 3 verify A, 4 verify B, 5 compare A, 6 compare B.
    std::vector<Case> open;
    for (const HouseholdRecord& record : households) {
      Case draft;
      draft.household_number = record.household.household_number;
      draft.opened_at = kT0;
      draft.due_at = kT0 + kIdentificationDays * kSecondsPerDay;
      auto created =
          cases_->CreateCase(DivisionScope::All(), draft,
                             Event(CaseAction::kOpen, CaseStage::kVerification, CaseStage::kVerification));
      ASSERT_TRUE(created.ok()) << created.status().ToString();
      open.push_back(*created);
    }
    const CaseStage steps[] = {CaseStage::kVerification, CaseStage::kComparison, CaseStage::kAppraisal};
    const CaseAction actions[] = {CaseAction::kVerify, CaseAction::kCompare};
    for (int step_idx = 0; step_idx < 2; ++step_idx) {
      for (Case& c : open) {
        c.stage = steps[step_idx + 1];
        CaseEvent event = Event(actions[step_idx], steps[step_idx], steps[step_idx + 1]);
        event.reason = fmt::format("第 {} 步", step_idx + 1);
        auto stored = cases_->UpdateCase(DivisionScope::All(), c, c.version, event);
        ASSERT_TRUE(stored.ok()) << stored.status().ToString();
        c = *stored;
      }
    }
    case_a_ = open[0].id;
    case_b_ = open[1].id;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &raw_), SQLITE_OK);
    sqlite3_busy_timeout(raw_, 5000);
  }

  void TearDown() override {
    sqlite3_close(raw_);
    cases_.reset();
    std::filesystem::remove_all(dir_);
  }

  static CaseEvent Event(CaseAction action, CaseStage from, CaseStage to) {
    CaseEvent event;
    event.at = kT0 + 3600;
    event.actor = "cadre";
    event.actor_role = "village";
    event.action = action;
    event.from_stage = from;
    event.to_stage = to;
    event.detail_json = "{}";
    return event;
  }

  void Exec(const std::string& sql) {
    char* error = nullptr;
    int rc = sqlite3_exec(raw_, sql.c_str(), nullptr, nullptr, &error);
    ASSERT_EQ(rc, SQLITE_OK) << sql << ": " << (error != nullptr ? error : "");
    sqlite3_free(error);
  }

  std::string QueryText(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(raw_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    std::string value;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      value = text == nullptr ? "" : reinterpret_cast<const char*>(text);
    }
    sqlite3_finalize(stmt);
    return value;
  }

  ChainReport Verify() {
    auto report = cases_->VerifyEventChain();
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : ChainReport{};
  }

  // Exactly one problem, of `kind` at `seq`, with a message naming the seq.
  static void ExpectOnly(const ChainReport& report, ChainProblemKind kind, std::int64_t seq) {
    ASSERT_EQ(report.problems.size(), 1u) << Describe(report);
    EXPECT_EQ(report.problems[0].kind, kind) << Describe(report);
    EXPECT_EQ(report.problems[0].seq, seq) << Describe(report);
    if (seq > 0) {
      EXPECT_NE(report.problems[0].message.find(fmt::format("第 {}", seq)), std::string::npos)
          << report.problems[0].message;
    }
  }

  static std::string Describe(const ChainReport& report) {
    std::string out;
    for (const ChainProblem& problem : report.problems) {
      out += fmt::format("[{} @{}] {}\n", static_cast<int>(problem.kind), problem.seq, problem.message);
    }
    return out;
  }

  // A well-formed event (its own hash consistent) chained to `prev_hash`.
  CaseEvent Forge(std::int64_t seq, const std::string& prev_hash) const {
    CaseEvent forged = Event(CaseAction::kApprove, CaseStage::kCountyApproval, CaseStage::kMonitored);
    forged.seq = seq;
    forged.case_id = case_a_;
    forged.division = kVillageA1;
    forged.case_version = 9;
    forged.actor = "intruder";
    forged.prev_hash = prev_hash;
    forged.hash = CaseEventHash(prev_hash, forged);
    return forged;
  }

  void InsertRaw(const CaseEvent& event) {
    Exec(fmt::format(
        "INSERT INTO case_events (seq, case_id, at, actor, actor_role, division, action, from_stage, "
        "to_stage, "
        "case_version, reason, detail_json, prev_hash, hash) VALUES ({}, {}, {}, '{}', '{}', {}, {}, {}, {}, "
        "{}, "
        "'{}', '{}', '{}', '{}')",
        event.seq, event.case_id, event.at, event.actor, event.actor_role, event.division,
        static_cast<int>(event.action), static_cast<int>(event.from_stage), static_cast<int>(event.to_stage),
        event.case_version, event.reason, event.detail_json, event.prev_hash, event.hash));
  }

  std::string HashOf(int seq) {
    return QueryText(fmt::format("SELECT hash FROM case_events WHERE seq = {}", seq));
  }

  std::string dir_;
  std::string path_;
  std::unique_ptr<CaseStore> cases_;
  sqlite3* raw_ = nullptr;
  std::int64_t case_a_ = 0;
  std::int64_t case_b_ = 0;
};

TEST_F(CaseChainTamperTest, UntouchedChainIsOk) {
  ChainReport report = Verify();
  EXPECT_TRUE(report.ok()) << Describe(report);
  EXPECT_EQ(report.events, kEvents);
  EXPECT_EQ(report.head_hash, HashOf(kEvents));
}

TEST_F(CaseChainTamperTest, EditingAnyColumnOfAnEventIsReportedAtThatEvent) {
  // Each edit is undone before the next one, so every report sees one edit.
  struct Edit {
    std::string apply;
    std::string undo;
  };
  const std::vector<Edit> edits = {
      {"reason = reason || 'x'", "reason = substr(reason, 1, length(reason) - 1)"},
      {"actor = 'someone'", "actor = 'cadre'"},
      {"actor_role = 'county'", "actor_role = 'village'"},
      {"detail_json = '{\"x\":1}'", "detail_json = '{}'"},
      {"at = at + 1", "at = at - 1"},
      {"case_id = case_id + 1", "case_id = case_id - 1"},
      {"division = division + 1", "division = division - 1"},
      {"action = 10", "action = 2"},
      {"from_stage = 2", "from_stage = 1"},
      {"to_stage = 13", "to_stage = 2"},
      {"case_version = case_version + 5", "case_version = case_version - 5"},
      {"prev_hash = upper(prev_hash)", "prev_hash = lower(prev_hash)"},
      {"hash = upper(hash)", "hash = lower(hash)"},
  };
  for (const Edit& edit : edits) {
    SCOPED_TRACE(edit.apply);
    Exec("UPDATE case_events SET " + edit.apply + " WHERE seq = 3");
    ChainReport report = Verify();
    ExpectOnly(report, ChainProblemKind::kEdited, 3);
    if (!report.problems.empty()) {
      EXPECT_NE(report.problems[0].message.find("案件 #"), std::string::npos) << report.problems[0].message;
    }
    Exec("UPDATE case_events SET " + edit.undo + " WHERE seq = 3");
    EXPECT_TRUE(Verify().ok());
  }
}

TEST_F(CaseChainTamperTest, DeletingAMiddleEventIsReportedAsDeleted) {
  Exec("DELETE FROM case_events WHERE seq = 3");
  ChainReport report = Verify();
  ExpectOnly(report, ChainProblemKind::kDeleted, 3);
  EXPECT_EQ(report.events, kEvents - 1);
}

TEST_F(CaseChainTamperTest, DeletingSeveralEventsNamesTheFirstMissing) {
  Exec("DELETE FROM case_events WHERE seq IN (2, 3, 4)");
  ChainReport report = Verify();
  ExpectOnly(report, ChainProblemKind::kDeleted, 2);
  EXPECT_NE(report.problems[0].message.find("2–4"), std::string::npos) << report.problems[0].message;
}

TEST_F(CaseChainTamperTest, DeletingTheFirstEventIsReportedAsDeleted) {
  Exec("DELETE FROM case_events WHERE seq = 1");
  ExpectOnly(Verify(), ChainProblemKind::kDeleted, 1);
}

TEST_F(CaseChainTamperTest, DeletingTheLastEventIsATruncatedTail) {
  Exec(fmt::format("DELETE FROM case_events WHERE seq = {}", kEvents));
  ChainReport report = Verify();
  ExpectOnly(report, ChainProblemKind::kTruncated, kEvents);
  EXPECT_EQ(report.events, kEvents - 1);
  EXPECT_EQ(report.head_hash, HashOf(kEvents - 1));
}

TEST_F(CaseChainTamperTest, DeletingTheTailAndHidingItInTheHeadIsStillCaughtByTheHash) {
  // Moving the head's seq back without knowing the hash of the new last event.
  Exec(fmt::format("DELETE FROM case_events WHERE seq = {}", kEvents));
  Exec(fmt::format("UPDATE case_event_head SET seq = {}", kEvents - 1));
  ExpectOnly(Verify(), ChainProblemKind::kHeadEdited, kEvents - 1);
}

TEST_F(CaseChainTamperTest, AForgedEventThatDoesNotChainIsInserted) {
  // Appended at the end with a made-up predecessor, head moved to it.
  CaseEvent forged = Forge(kEvents + 1, std::string(64, '0'));
  InsertRaw(forged);
  Exec(fmt::format("UPDATE case_event_head SET seq = {}, hash = '{}'", forged.seq, forged.hash));
  ChainReport report = Verify();
  ExpectOnly(report, ChainProblemKind::kInserted, kEvents + 1);
  EXPECT_EQ(report.events, kEvents + 1);
}

TEST_F(CaseChainTamperTest, AForgedEventAppendedBehindTheHeadIsInserted) {
  // Chained correctly, but written without moving the head.
  CaseEvent forged = Forge(kEvents + 1, HashOf(kEvents));
  InsertRaw(forged);
  ExpectOnly(Verify(), ChainProblemKind::kInserted, kEvents + 1);
}

TEST_F(CaseChainTamperTest, AForgedEventBeforeTheFirstIsInserted) {
  // seq 0 sorts first and is not a valid seq; the genuine chain is intact.
  CaseEvent forged = Forge(0, "");
  InsertRaw(forged);
  ExpectOnly(Verify(), ChainProblemKind::kInserted, 0);
}

TEST_F(CaseChainTamperTest, EditingTheHeadIsReported) {
  Exec("UPDATE case_event_head SET hash = upper(hash)");
  ExpectOnly(Verify(), ChainProblemKind::kHeadEdited, kEvents);
}

TEST_F(CaseChainTamperTest, MovingTheHeadBackIsReported) {
  Exec("UPDATE case_event_head SET seq = 4");
  ExpectOnly(Verify(), ChainProblemKind::kHeadEdited, 4);
}

TEST_F(CaseChainTamperTest, MovingTheHeadForwardLooksLikeATruncatedTail) {
  Exec(fmt::format("UPDATE case_event_head SET seq = {}", kEvents + 2));
  ExpectOnly(Verify(), ChainProblemKind::kTruncated, kEvents + 1);
}

TEST_F(CaseChainTamperTest, DeletingTheHeadIsReported) {
  Exec("DELETE FROM case_event_head");
  ExpectOnly(Verify(), ChainProblemKind::kHeadEdited, 0);
  // And the store refuses to append to a log without a head.
  auto household = QueryText("SELECT household_number FROM households ORDER BY household_number LIMIT 1");
  auto open = cases_->GetOpenCase(DivisionScope::All(), household);
  ASSERT_TRUE(open.ok() && open->has_value());
  Case next = **open;
  next.verification_note = "x";
  auto stored = cases_->UpdateCase(DivisionScope::All(), next, next.version,
                                   Event(CaseAction::kAppraise, CaseStage::kAppraisal, CaseStage::kNotice));
  ASSERT_FALSE(stored.ok());
  EXPECT_EQ(stored.status().code(), StatusCode::kDataLoss);
  // Nothing was written.
  auto again = cases_->GetCase(DivisionScope::All(), next.id);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->version, next.version);
}

TEST_F(CaseChainTamperTest, RewritingTheWholeChainAndHeadPassesVerifyButNotTheAnchor) {
  // The limit of a self-contained chain (docs/formats/audit-chain.md): an
  // intruder who recomputes every hash and the head is not detected by
  // verify; the head published earlier (`zhenxing audit head`) no longer
  // matches.
  auto anchor = cases_->EventHead();
  ASSERT_TRUE(anchor.ok());
  Exec("UPDATE case_events SET reason = '伪造的理由' WHERE seq = 2");
  std::string prev;
  for (int seq = 1; seq <= kEvents; ++seq) {
    auto events = cases_->ListEvents(DivisionScope::All(), seq % 2 == 1 ? case_a_ : case_b_);
    ASSERT_TRUE(events.ok());
    for (CaseEvent event : *events) {
      if (event.seq != seq) continue;
      event.prev_hash = prev;
      event.hash = CaseEventHash(prev, event);
      Exec(fmt::format("UPDATE case_events SET prev_hash = '{}', hash = '{}' WHERE seq = {}", event.prev_hash,
                       event.hash, seq));
      prev = event.hash;
    }
  }
  Exec(fmt::format("UPDATE case_event_head SET hash = '{}'", prev));
  EXPECT_TRUE(Verify().ok());
  auto head = cases_->EventHead();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, anchor->seq);
  EXPECT_NE(head->hash, anchor->hash);
  auto anchored = cases_->EventAt(anchor->seq);
  ASSERT_TRUE(anchored.ok() && anchored->has_value());
  EXPECT_NE((*anchored)->hash, anchor->hash);
}

TEST_F(CaseChainTamperTest, WritesAfterVerificationStillChain) {
  ASSERT_TRUE(Verify().ok());
  auto open = cases_->GetCase(DivisionScope::All(), case_b_);
  ASSERT_TRUE(open.ok() && open->has_value());
  Case next = **open;
  next.stage = CaseStage::kNotice;
  ASSERT_TRUE(cases_
                  ->UpdateCase(DivisionScope::All(), next, next.version,
                               Event(CaseAction::kAppraise, CaseStage::kAppraisal, CaseStage::kNotice))
                  .ok());
  ChainReport report = Verify();
  EXPECT_TRUE(report.ok()) << Describe(report);
  EXPECT_EQ(report.events, kEvents + 1);
  EXPECT_EQ(QueryText(fmt::format("SELECT prev_hash FROM case_events WHERE seq = {}", kEvents + 1)),
            HashOf(kEvents));
}

}  // namespace
}  // namespace zx
