// Golden lifecycle scripts (test/golden/workflow/*.txt): each is a sequence
// of steps (day, actor, action, payload) with the stage expected after each
// step (or the error code expected), followed by the expected event list of
// the household's cases. The format is described in docs/workflow.md
// ("Golden lifecycle scripts"). The scripts run against a real SQLite case
// store, and the event chain must verify afterwards.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "common/money.h"
#include "domain/policy.h"
#include "storage/case_store.h"
#include "storage/store.h"
#include "storage/store_test_records.h"
#include "workflow/preconditions.h"
#include "workflow/workflow.h"

namespace zx {
namespace {

using namespace storage_testing;  // NOLINT: test fixtures

const std::string kGoldenDir = ZX_TEST_DIR "/golden/workflow";

// Fixture households: 1 = a labour household in village A1 whose registry
// facts satisfy the three guarantees and water; 2 = an all-no-labour household
// in A1; 3 = a labour household in village B1 of another county.
HouseholdRecord FixtureHousehold(int serial, DivisionCode village, bool labour) {
  HouseholdRecord record = MakeHousehold(serial, village, 2);
  record.household.housing = HousingRating::kB;
  const int address = static_cast<int>(village / 1000000);
  Person& head = record.members[0];
  head.birth_date = labour ? Date{1980, 4, 2} : Date{1940, 4, 2};
  head.id_number = MakeResidentId(address, head.birth_date, serial * 2 + 1);
  head.sex = Sex::kMale;
  head.labour_skill = labour ? LabourSkill::kOrdinary : LabourSkill::kLostAbility;
  head.schooling = SchoolingStatus::kNotInSchool;
  head.medical_insurance = true;
  Person& second = record.members[1];
  second.birth_date = labour ? Date{2015, 9, 1} : Date{1942, 9, 1};
  second.id_number = MakeResidentId(address, second.birth_date, serial * 2 + 3);
  second.sex = Sex::kMale;
  second.relation = labour ? Relation::kSon : Relation::kSpouse;
  second.schooling = labour ? SchoolingStatus::kCompulsory : SchoolingStatus::kNotInSchool;
  second.labour_skill = labour ? LabourSkill::kNone : LabourSkill::kLostAbility;
  second.medical_insurance = true;
  return record;
}

struct Expectation {
  bool error = false;
  std::string code;  // stage code or error code name
};

struct Step {
  int line = 0;
  std::int64_t at = 0;
  std::string role;
  std::string action;
  std::map<std::string, std::string> args;
  Expectation expect;
};

struct Script {
  int household = 1;
  Date start{2026, 1, 5};
  std::vector<Step> steps;
  std::vector<std::string> events;  // "action from to role"
};

std::vector<std::string> Split(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  std::string word;
  while (in >> word) out.push_back(word);
  return out;
}

Result<Script> ParseScript(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFound("cannot read " + path);
  Script script;
  std::string line;
  int line_number = 0;
  bool in_events = false;
  while (std::getline(in, line)) {
    ++line_number;
    const size_t hash = line.find('#');
    if (hash != std::string::npos) line = line.substr(0, hash);
    std::vector<std::string> words = Split(line);
    if (words.empty()) continue;
    auto fail = [&](const std::string& why) {
      return InvalidArgument(fmt::format("{}:{}: {}", path, line_number, why));
    };
    if (words[0] == "household" && words.size() == 2) {
      script.household = std::stoi(words[1]);
    } else if (words[0] == "start" && words.size() == 2) {
      Result<Date> date = ParseDate(words[1]);
      if (!date.ok()) return fail("bad start date");
      script.start = *date;
    } else if (words[0] == "events") {
      in_events = true;
    } else if (in_events) {
      if (words.size() != 4) return fail("an event line is: action from to role");
      script.events.push_back(fmt::format("{} {} {} {}", words[0], words[1], words[2], words[3]));
    } else {
      // day[+hour] role action [key=value ...] => stage | !ERROR
      Step step;
      step.line = line_number;
      auto arrow = std::find(words.begin(), words.end(), "=>");
      if (words.size() < 5 || arrow == words.end() || arrow + 2 != words.end()) return fail("bad step line");
      const std::string& when = words[0];
      const size_t plus = when.find('+');
      const int day = std::stoi(when.substr(0, plus));
      const int hour = plus == std::string::npos ? 10 : std::stoi(when.substr(plus + 1));
      step.at = workflow::StartOfDate(Date::FromDays(script.start.ToDays() + day)) + hour * 3600;
      step.role = words[1];
      step.action = words[2];
      for (auto word = words.begin() + 3; word != arrow; ++word) {
        const size_t eq = word->find('=');
        if (eq == std::string::npos) return fail("bad argument " + *word);
        step.args[word->substr(0, eq)] = word->substr(eq + 1);
      }
      const std::string& expected = *(arrow + 1);
      step.expect.error = expected[0] == '!';
      step.expect.code = step.expect.error ? expected.substr(1) : expected;
      script.steps.push_back(std::move(step));
    }
  }
  return script;
}

class LifecycleGoldenTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            fmt::format("zx_wf_golden_{}_{}", ::getpid(), std::filesystem::path(GetParam()).stem().string()))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const std::string location = "sqlite:" + dir_ + "/registry.db";
    auto registry = OpenStore(location, TestDivisions());
    ASSERT_TRUE(registry.ok()) << registry.status().ToString();
    registry_ = std::move(registry).value();
    households_ = {FixtureHousehold(1, kVillageA1, true), FixtureHousehold(2, kVillageA1, false),
                   FixtureHousehold(3, kVillageB1, true)};
    VectorHouseholdSource source(households_);
    auto written = registry_->UpsertHouseholds(DivisionScope::All(), source);
    ASSERT_TRUE(written.ok()) << written.status().ToString();
    auto cases = OpenCaseStore(location);
    ASSERT_TRUE(cases.ok()) << cases.status().ToString();
    cases_ = std::move(cases).value();
    auto policy = LoadDefaultPolicy();
    ASSERT_TRUE(policy.ok()) << policy.status().ToString();
    policy_ = std::move(policy).value();
  }
  void TearDown() override {
    cases_.reset();
    registry_.reset();
    std::filesystem::remove_all(dir_);
  }

  static Actor ActorFor(const std::string& role) {
    if (role == "village") return {"v-a1", Role::kVillage, kVillageA1, DivisionLevel::kVillage};
    if (role == "village2") return {"v-a2", Role::kVillage, kVillageA2, DivisionLevel::kVillage};
    if (role == "village_b") return {"v-b1", Role::kVillage, kVillageB1, DivisionLevel::kVillage};
    if (role == "township") return {"t-datong", Role::kTownship, kDatongTown, DivisionLevel::kTownship};
    if (role == "county") return {"c-datong", Role::kCounty, kDatong, DivisionLevel::kCounty};
    if (role == "county2") return {"c-huangzhong", Role::kCounty, kHuangzhong, DivisionLevel::kCounty};
    if (role == "department") return {"d-datong", Role::kDepartment, kDatong, DivisionLevel::kCounty};
    if (role == "province") return {"p-admin", Role::kProvince, kProvince, DivisionLevel::kProvince};
    if (role == "auditor") return {"a-audit", Role::kAuditor, kProvince, DivisionLevel::kProvince};
    return {"unknown", Role::kAuditor, 0, DivisionLevel::kVillage};
  }

  std::string dir_;
  std::unique_ptr<Store> registry_;
  std::unique_ptr<CaseStore> cases_;
  std::vector<HouseholdRecord> households_;
  Policy policy_;
};

std::string Arg(const Step& step, const std::string& key, const std::string& fallback = "") {
  auto found = step.args.find(key);
  return found == step.args.end() ? fallback : found->second;
}

Fen YuanArg(const Step& step, const std::string& key) {
  Result<Fen> fen = ParseYuan(Arg(step, key, "0"));
  return fen.ok() ? *fen : -1;
}

TEST_P(LifecycleGoldenTest, Script) {
  auto parsed = ParseScript(GetParam());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const Script& script = *parsed;
  ASSERT_GE(script.household, 1);
  ASSERT_LE(script.household, 3);
  const std::string household_number =
      households_[static_cast<size_t>(script.household - 1)].household.household_number;
  WorkflowService service(*cases_, *registry_, policy_);
  std::optional<Case> current;

  for (const Step& step : script.steps) {
    SCOPED_TRACE(fmt::format("{}:{}", GetParam(), step.line));
    const Actor actor = ActorFor(step.role);
    ASSERT_NE(actor.username, "unknown") << "unknown role " << step.role;
    Status status;
    if (step.action == "open") {
      CaseSource source = CaseSource::kSelfApplication;
      ASSERT_TRUE(ParseCaseSource(Arg(step, "source", "self_application"), &source));
      Result<Case> opened = service.OpenCase(actor, household_number, source, Arg(step, "detail"), step.at);
      status = opened.status();
      if (opened.ok()) current = *opened;
    } else {
      ASSERT_TRUE(current.has_value()) << "no case opened yet";
      ActionInput input;
      ASSERT_TRUE(ParseCaseAction(step.action, &input.action)) << step.action;
      input.expected_version = std::stoll(Arg(step, "version", std::to_string(current->version)));
      input.reason = Arg(step, "reason");
      input.note = Arg(step, "note");
      input.authorization_signed = Arg(step, "authorization_signed") == "true";
      input.appraisal_for = std::stoi(Arg(step, "for", "0"));
      input.appraisal_against = std::stoi(Arg(step, "against", "0"));
      input.notice_days = std::stoi(Arg(step, "notice_days", "5"));
      input.monitoring_type = Arg(step, "monitoring_type");
      for (std::string risks = Arg(step, "risks"); !risks.empty();) {
        const size_t semicolon = risks.find(';');
        input.risk_codes.push_back(risks.substr(0, semicolon));
        risks = semicolon == std::string::npos ? "" : risks.substr(semicolon + 1);
      }
      if (step.args.count("objection") > 0) {
        // The n-th objection of the case (1-based), since ids are the store's.
        const size_t ordinal = std::stoul(Arg(step, "objection"));
        input.objection_id = ordinal >= 1 && ordinal <= current->objections.size()
                                 ? current->objections[ordinal - 1].id
                                 : 999999;
      }
      input.upheld = Arg(step, "upheld") == "true";
      if (input.action == CaseAction::kAddMeasure) {
        CaseMeasure measure;
        measure.category_code = Arg(step, "category");
        measure.description = Arg(step, "description", "帮扶措施");
        measure.responsible_cadre = Arg(step, "cadre", "帮扶干部甲");
        measure.amount = YuanArg(step, "amount");
        measure.start_date = workflow::DateOfTime(step.at);
        if (step.args.count("months") > 0) {
          measure.end_date = workflow::AddMonths(measure.start_date, std::stoi(Arg(step, "months")));
        }
        if (step.args.count("end") > 0) measure.end_date = *ParseDate(Arg(step, "end"));
        input.measure = measure;
      }
      if (input.action == CaseAction::kRecordVisit) {
        CaseVisit visit;
        visit.visit_date = workflow::DateOfTime(step.at);
        visit.per_capita_income = YuanArg(step, "income");
        visit.guarantees_secured = Arg(step, "guarantees", "true") == "true";
        input.visit = visit;
      }
      if (step.args.count("kind") > 0) {
        ASSERT_TRUE(ParseEliminationKind(Arg(step, "kind"), &input.elimination_kind));
      }
      Result<Case> acted = service.Act(actor, current->id, input, step.at);
      status = acted.status();
      if (acted.ok()) current = *acted;
    }
    if (step.expect.error) {
      EXPECT_EQ(StatusCodeName(status.code()), step.expect.code) << status.ToString();
      EXPECT_FALSE(status.message().empty());
    } else {
      ASSERT_TRUE(status.ok()) << status.ToString();
      EXPECT_EQ(CaseStageCode(current->stage), step.expect.code);
      // What was stored is what Act returned.
      auto stored = cases_->GetCase(DivisionScope::All(), current->id);
      ASSERT_TRUE(stored.ok() && stored->has_value());
      EXPECT_EQ((*stored)->stage, current->stage);
      EXPECT_EQ((*stored)->version, current->version);
    }
  }

  // The events of every case of the household, in order.
  auto household_cases = cases_->HouseholdCases(DivisionScope::All(), household_number);
  ASSERT_TRUE(household_cases.ok()) << household_cases.status().ToString();
  std::vector<std::string> events;
  for (const Case& c : *household_cases) {
    auto listed = cases_->ListEvents(DivisionScope::All(), c.id);
    ASSERT_TRUE(listed.ok()) << listed.status().ToString();
    std::int64_t version = 0;
    for (const CaseEvent& event : *listed) {
      events.push_back(fmt::format("{} {} {} {}", CaseActionCode(event.action),
                                   CaseStageCode(event.from_stage), CaseStageCode(event.to_stage),
                                   event.actor_role));
      EXPECT_EQ(event.case_version, ++version) << "events carry consecutive case versions";
      EXPECT_TRUE(nlohmann::json::accept(event.detail_json)) << event.detail_json;
    }
  }
  EXPECT_EQ(events, script.events);
  auto chain = cases_->VerifyEventChain();
  ASSERT_TRUE(chain.ok()) << chain.status().ToString();
  EXPECT_TRUE(chain->ok());
}

std::vector<std::string> GoldenScripts() {
  std::vector<std::string> out;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(kGoldenDir, error)) {
    if (entry.path().extension() == ".txt") out.push_back(entry.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

INSTANTIATE_TEST_SUITE_P(Workflow, LifecycleGoldenTest, ::testing::ValuesIn(GoldenScripts()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return std::filesystem::path(info.param).stem().string();
                         });

TEST(LifecycleGoldenFilesTest, EveryPathHasAScript) {
  std::vector<std::string> names;
  for (const std::string& path : GoldenScripts())
    names.push_back(std::filesystem::path(path).stem().string());
  for (const char* required :
       {"approved", "rejected_at_verification", "rejected_at_comparison", "rejected_at_appraisal",
        "rejected_at_township_review", "rejected_at_county_approval", "sent_back_and_resubmitted",
        "objection_upheld", "objection_dismissed", "notice_closed_too_early", "assisted_elimination",
        "natural_elimination", "no_labour_household", "reentry_after_elimination", "roles_and_scope"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), required), names.end()) << required;
  }
}

}  // namespace
}  // namespace zx
