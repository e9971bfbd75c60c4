#include "screening/screening.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "domain/policy.h"

namespace zx::screening {
namespace {

const Policy& TestPolicy() {
  static const Policy policy = [] {
    auto loaded = LoadDefaultPolicy();
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return std::move(loaded).value();
  }();
  return policy;
}

std::string ShippedRulesText() {
  std::ifstream in(DefaultRulesPath());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

rules::RuleSet Shipped(int year) {
  auto compiled = CompileScreeningRules(ShippedRulesText(), TestPolicy(), year);
  EXPECT_TRUE(compiled.ok()) << compiled.status().ToString();
  return std::move(compiled).value();
}

Person Member(Relation relation, Date birth, LabourSkill skill = LabourSkill::kOrdinary) {
  Person person;
  person.name = "测试";
  person.relation = relation;
  person.birth_date = birth;
  person.labour_skill = skill;
  person.migrant_work_months = 10;
  return person;
}

// Two working adults and a pupil, 2022 income per_capita × 3 as wages.
HouseholdRecord Household3(const std::string& number, Fen per_capita, bool ex_poor = false) {
  HouseholdRecord record;
  record.household.household_number = number;
  record.household.village_code = 630121100201;
  record.household.ex_poor = ex_poor;
  record.household.poverty_exit_year = ex_poor ? 2019 : 0;
  record.members.push_back(Member(Relation::kHead, {1980, 3, 1}));
  record.members.push_back(Member(Relation::kSpouse, {1982, 3, 1}));
  Person child = Member(Relation::kSon, {2012, 3, 1}, LabourSkill::kNone);
  child.schooling = SchoolingStatus::kCompulsory;
  child.migrant_work_months = 0;
  record.members.push_back(child);
  HouseholdYear year;
  year.year = 2022;
  year.wage_income = per_capita * 3;
  record.years.push_back(year);
  return record;
}

TEST(MakeBindContextTest, TakesLineAndThresholdsFromPolicy) {
  auto context = MakeBindContext(TestPolicy(), 2022);
  ASSERT_TRUE(context.ok()) << context.status().ToString();
  EXPECT_EQ(context->monitoring_line, Yuan(6700));
  EXPECT_EQ(context->reference_date, (Date{2022, 12, 31}));
  // 50 % / 100 % of 13,600 yuan (the 2021 rural income entered for 2022).
  EXPECT_EQ(context->constants.at("medical_oop_monitored").value, Yuan(6800));
  EXPECT_EQ(context->constants.at("medical_oop_others").value, Yuan(13600));
  EXPECT_EQ(context->constants.at("schooling_cost").value, Yuan(10000));
  EXPECT_FALSE(MakeBindContext(TestPolicy(), 1999).ok());
}

TEST(CompileScreeningRulesTest, ShippedRulesCoverEveryRiskTypeAndDeprivation) {
  for (int year : {2021, 2022, 2023}) {
    rules::RuleSet rule_set = Shipped(year);
    std::set<std::string> codes;
    int deprivations = 0;
    for (const auto& rule : rule_set.rules()) {
      if (!rule.risk.empty()) codes.insert(rule.risk.size() == 4 ? rule.risk.substr(0, 2) : rule.risk);
      if (rule.kind == "deprivation") ++deprivations;
    }
    EXPECT_EQ(codes, (std::set<std::string>{"01", "02", "03", "04", "05", "06", "07", "08", "09", "99"}));
    EXPECT_EQ(deprivations, 8);  // food/clothing, dropout, uninsured, housing, 4 water criteria
  }
}

TEST(CompileScreeningRulesTest, RefusesMissingRolesAndReportsPositions) {
  const std::string range =
      "rule A \"范围\" kind range { when per_capita_net_income < policy.monitoring_line explain \"x\" }\n";
  const std::string hardship =
      "rule B \"困难\" kind hardship { when compliant_out_of_pocket > 0元 explain \"y\" }\n";
  const std::string risk = "rule C \"因病\" risk \"01\" { when true explain \"z\" }\n";
  EXPECT_TRUE(CompileScreeningRules(range + hardship + risk, TestPolicy(), 2022).ok());
  auto no_range = CompileScreeningRules(hardship + risk, TestPolicy(), 2022);
  ASSERT_FALSE(no_range.ok());
  EXPECT_NE(no_range.status().message().find("kind range"), std::string::npos);
  EXPECT_FALSE(CompileScreeningRules(range + risk, TestPolicy(), 2022).ok());
  EXPECT_FALSE(CompileScreeningRules(range + hardship, TestPolicy(), 2022).ok());
  auto twice = CompileScreeningRules(
      range + hardship + risk + "rule D \"又一个\" kind range { when true explain \"\" }\n", TestPolicy(),
      2022);
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("第 4 行第 1 列"), std::string::npos) << twice.status().message();
  auto unknown_code = CompileScreeningRules(
      range + hardship + "rule C \"x\" risk \"77\" { when true explain \"z\" }\n", TestPolicy(), 2022);
  EXPECT_FALSE(unknown_code.ok());
  auto bad_field = CompileScreeningRules(
      range + hardship + "rule C \"x\" risk \"01\" {\n  when no_such_field > 1 explain \"z\" }\n",
      TestPolicy(), 2022);
  ASSERT_FALSE(bad_field.ok());
  EXPECT_NE(bad_field.status().message().find("第 4 行第 8 列"), std::string::npos)
      << bad_field.status().message();
}

TEST(ScreenYearTest, ClassifiesAndExplains) {
  rules::RuleSet rule_set = Shipped(2022);
  HouseholdRecord poor = Household3("A", Yuan(5000));
  poor.members[0].health = Health::kSeriousIllness;
  HouseholdRecord rich = Household3("B", Yuan(20000));
  rich.members[0].health = Health::kSeriousIllness;
  HouseholdRecord no_risk = Household3("C", Yuan(5000));
  HouseholdRecord no_income = Household3("D", Yuan(5000));
  no_income.years.clear();
  auto result = ScreenYear({poor, rich, no_risk, no_income}, rule_set);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->leads.size(), 1u);
  const Lead& lead = result->leads[0];
  EXPECT_EQ(lead.household_number, "A");
  EXPECT_EQ(lead.monitoring_type, kMarginal);
  EXPECT_EQ(lead.risk_codes, (std::vector<std::string>{"01"}));
  EXPECT_EQ(lead.per_capita_net_income, Yuan(5000));
  ASSERT_EQ(lead.explanations.size(), 2u);
  EXPECT_EQ(lead.explanations[0], "收入在监测范围内：家庭人均纯收入 5,000 元，低于 2022 年监测标准 6,700 元");
  EXPECT_EQ(result->summary.households, 4);
  EXPECT_EQ(result->summary.in_range_without_risk, 1);
  EXPECT_EQ(result->summary.without_income_year, 1);
  EXPECT_EQ(result->summary.by_type.at(kMarginal), 1);
  EXPECT_EQ(result->summary.by_risk.at("01"), 1);
}

TEST(ScreenYearTest, KeepsAtMostFiveRiskCodesInFileOrder) {
  rules::RuleSet rule_set = Shipped(2022);
  HouseholdRecord record = Household3("A", Yuan(1000));
  record.members[0].health = Health::kSeriousIllness;  // 01
  record.members[1].health = Health::kDisabled;        // 03 (2 of 3 disabled)
  record.members[1].disability_grade = 1;
  for (Person& person : record.members) {
    person.labour_skill = LabourSkill::kWeak;  // 04
    person.migrant_work_months = 0;
  }
  record.years[0].production_cost = Yuan(500);  // 06: cost > business income 0
  record.years[0].wage_income += Yuan(500);
  record.household.housing = HousingRating::kD;  // 08
  record.members[2].birth_date = {2004, 1, 1};   // 09: one student in higher education
  record.members[2].schooling = SchoolingStatus::kHigher;
  auto result = ScreenYear({record}, rule_set);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->leads.size(), 1u);
  EXPECT_EQ(result->leads[0].risk_codes, (std::vector<std::string>{"01", "03", "04", "06", "09"}));
  EXPECT_EQ(result->leads[0].deprivations, (std::vector<std::string>{"D_HOUSING"}));
}

TEST(ScreenYearTest, KeepsTwelveDigitVillageCodes) {
  rules::RuleSet rule_set = Shipped(2022);
  HouseholdRecord record = Household3("A", Yuan(5000));
  record.members[0].health = Health::kSeriousIllness;
  record.household.village_code = 632726200215;
  auto result = ScreenYear({record}, rule_set);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->leads.size(), 1u);
  EXPECT_EQ(result->leads[0].village_code, 632726200215);
  auto context = MakeBindContext(TestPolicy(), 2022);
  ASSERT_TRUE(context.ok());
  auto program = rules::CompileExpression("village_code == 632726200215 and county_code == 632726", *context);
  ASSERT_TRUE(program.ok()) << program.status().ToString();
  rules::ColumnarData data = rules::BuildColumns({record}, 2022, {2022, 12, 31});
  EXPECT_EQ(rules::EvaluateProgramAt(*program, data, 0), 1);
}

TEST(ScreenYearTest, RefusesDataOfAnotherYear) {
  rules::RuleSet rule_set = Shipped(2022);
  rules::ColumnarData data = rules::BuildColumns({Household3("A", Yuan(100))}, 2021, {2021, 12, 31});
  EXPECT_FALSE(ScreenColumns(data, rule_set).ok());
}

TEST(LeadRowTest, FormatsColumns) {
  Lead lead;
  lead.household_number = "6301211002010001";
  lead.village_code = 630121100201;
  lead.monitoring_type = kUnstableExPoor;
  lead.risk_codes = {"01", "04"};
  lead.per_capita_net_income = Yuan(5820) + 50;
  lead.explanations = {"甲", "乙"};
  EXPECT_EQ(LeadRow(lead, TestPolicy()),
            (std::vector<std::string>{"6301211002010001", "630121100201", "100A03001", "脱贫不稳定户",
                                      "01;04", "5820.50", "甲；乙"}));
  EXPECT_EQ(LeadHeader().size(), 7u);
}

}  // namespace
}  // namespace zx::screening
